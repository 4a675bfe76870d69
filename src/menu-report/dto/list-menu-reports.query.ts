import { StoreDaysQuery } from '../../common/http/day-range.query';

/** `GET /menu-reports` filters: a store, whole days. */
export class ListMenuReportsQuery extends StoreDaysQuery {}
