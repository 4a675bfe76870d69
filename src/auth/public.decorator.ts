import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'is-public';
/** The route needs no bearer token (health, metrics). Everything under /api/v1 does. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
