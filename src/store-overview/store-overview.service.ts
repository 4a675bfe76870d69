import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { storesToList } from '../auth/store-scope';
import { Clock } from '../common/clock';
import { dateTimeFormat } from '../common/date-time-format';
import { Page, pageWindow } from '../common/http/pagination.dto';
import { StoreFilterQuery } from '../common/http/store-scoped.dto';
import { AppConfig } from '../config/app-config';
import { StoreOverviewResponse } from './dto/store-overview.response';
import { STORE_BOTS, STORE_DELIVERIES, StoreBots, StoreDeliveries } from './store-sources';

/**
 * Every store the caller manages at a glance (the console's HQ view): the stores that have bots or notifications,
 * with their counts. A store is only a number here (there is no table of stores), so the list is made from what
 * the bots and the notifications name. Those needing a look come first: most bots broken, then degraded, then most failed today, then largest
 * backlog.
 */
@Injectable()
export class StoreOverviewService {
  constructor(
    @Inject(STORE_BOTS) private readonly bots: StoreBots,
    @Inject(STORE_DELIVERIES) private readonly deliveries: StoreDeliveries,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async list(user: AuthUser, query: StoreFilterQuery): Promise<Page<StoreOverviewResponse>> {
    const stores = storesToList(user, query.store_id);
    if (stores?.length === 0) return new Page([], 0, query);
    const timeZone = this.config.reportTimeZone;
    const day = dateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(this.clock.now());
    const [botCounts, deliveryCounts] = await Promise.all([
      this.bots.botCountsByStore(stores),
      this.deliveries.deliveryCountsByStore({ stores, day, timeZone }),
    ]);
    const byStore = new Map<number, StoreOverviewResponse>();
    const entry = (storeId: number) => {
      let found = byStore.get(storeId);
      if (!found) {
        found = {
          store_id: storeId,
          bots: 0,
          enabled_bots: 0,
          broken_bots: 0,
          degraded_bots: 0,
          pending: 0,
          failed_today: 0,
          sent_today: 0,
        };
        byStore.set(storeId, found);
      }
      return found;
    };
    for (const counts of botCounts) {
      Object.assign(entry(counts.storeId), {
        bots: counts.bots,
        enabled_bots: counts.enabledBots,
        broken_bots: counts.brokenBots,
        degraded_bots: counts.degradedBots,
      });
    }
    for (const counts of deliveryCounts) {
      Object.assign(entry(counts.storeId), {
        pending: counts.pending,
        failed_today: counts.failedToday,
        sent_today: counts.sentToday,
      });
    }
    const ordered = [...byStore.values()].sort(
      (a, b) =>
        b.broken_bots - a.broken_bots ||
        b.degraded_bots - a.degraded_bots ||
        b.failed_today - a.failed_today ||
        b.pending - a.pending ||
        a.store_id - b.store_id,
    );
    const { skip, take } = pageWindow(query);
    return new Page(ordered.slice(skip, skip + take), ordered.length, query);
  }
}
