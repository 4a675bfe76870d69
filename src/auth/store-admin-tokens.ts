import { randomUUID } from 'node:crypto';
import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Page, pageWindow } from '../common/http/pagination.dto';
import { AuthUser } from './auth-user';
import {
  ListMintedTokensQuery,
  MIN_TOKEN_SECONDS,
  MintedTokenRecordResponse,
  MintedTokenResponse,
  MintStoreAdminTokenDto,
} from './dto/mint-token.dto';
import { MintedTokenRecord, MintedTokenRepository } from './minted-token.repository';
import { RevokedTokens } from './revoked-tokens';

export const MINTER_EXPIRES_SOON_MESSAGE =
  `Your own token expires in under ${MIN_TOKEN_SECONDS} seconds, and a token you make may not outlive it: ` +
  'sign in with a newer admin token';

/**
 * Makes store admins' tokens for an admin (the console's "invite a store manager"), signed with the same key as
 * every other token. Only store_admin tokens, and always with an expiry: a stolen admin token could otherwise mint
 * itself a fresh one that outlives it — which is also why a minted token's expiry is capped at the minting token's
 * own. Admin tokens come from `npm run token`, which needs the secret itself.
 *
 * Each token carries a `jti` and is recorded (never the token itself), so that an admin can list and revoke it; a
 * revocation is known on this instance at once and on every other within REVOCATIONS_REFRESH_MS (revoked-tokens.ts).
 *
 * Token times are those of jsonwebtoken and the authenticator: Date.now(), in whole seconds.
 */
@Injectable()
export class StoreAdminTokens {
  private readonly logger = new Logger(StoreAdminTokens.name);

  constructor(
    private readonly jwt: JwtService,
    private readonly records: MintedTokenRepository,
    private readonly revoked: RevokedTokens,
  ) {}

  async mint(request: MintStoreAdminTokenDto, minter: AuthUser): Promise<MintedTokenResponse> {
    const storeIds = [...request.store_ids];
    const issuedAt = Math.floor(Date.now() / 1000);
    const asked = issuedAt + request.expires_in_seconds;
    // Capped rather than refused: the console offers whole days, and an admin whose token has five days left
    // should get a token for those five, told so, rather than a refusal for every choice but one day.
    const expiresAt = Math.min(asked, minter.tokenExpiresAt ?? asked);
    if (expiresAt - issuedAt < MIN_TOKEN_SECONDS) throw new BadRequestException(MINTER_EXPIRES_SOON_MESSAGE);
    const jti = randomUUID();
    // Recorded before the token exists for anyone: a token is never out there without the record that revokes it.
    await this.records.insert({
      jti,
      sub: request.sub,
      storeIds,
      mintedBy: minter.sub,
      expiresAt: new Date(expiresAt * 1000),
    });
    const token = this.jwt.sign({
      sub: request.sub,
      role: 'store_admin',
      store_ids: storeIds,
      jti,
      iat: issuedAt,
      exp: expiresAt,
    });
    this.logger.log(
      `Store admin token ${jti} minted by ${minter.sub} for ${request.sub}, stores ${storeIds.join(',')}, ` +
        `until ${new Date(expiresAt * 1000).toISOString()}`,
    );
    return {
      token,
      jti,
      sub: request.sub,
      role: 'store_admin',
      store_ids: storeIds,
      expires_at: new Date(expiresAt * 1000).toISOString(),
      expiry_capped: expiresAt < asked,
    };
  }

  async list(query: ListMintedTokensQuery): Promise<Page<MintedTokenRecordResponse>> {
    const now = new Date();
    const { skip, take } = pageWindow(query);
    const { items, total } = await this.records.list({ status: query.status, now }, skip, take);
    return new Page(
      items.map((record) => responseOf(record, now)),
      total,
      query,
    );
  }

  /** Idempotent: revoking a revoked token answers its record, with the first revocation's time and admin. */
  async revoke(jti: string, by: AuthUser): Promise<MintedTokenRecordResponse> {
    const revoked = await this.records.revoke(jti, by.sub);
    if (!revoked) throw new NotFoundException(`Token ${jti} not found`);
    const { record } = revoked;
    this.revoked.add(record.jti, Math.floor(record.expiresAt.getTime() / 1000));
    if (revoked.now)
      this.logger.log(`Store admin token ${record.jti} (for ${record.sub}) revoked by ${by.sub}`);
    return responseOf(record, new Date());
  }
}

function responseOf(record: MintedTokenRecord, now: Date): MintedTokenRecordResponse {
  return {
    jti: record.jti,
    sub: record.sub,
    store_ids: record.storeIds,
    status: record.revokedAt ? 'revoked' : record.expiresAt > now ? 'active' : 'expired',
    minted_by: record.mintedBy,
    created_at: record.createdAt.toISOString(),
    expires_at: record.expiresAt.toISOString(),
    revoked_at: record.revokedAt?.toISOString() ?? null,
    revoked_by: record.revokedBy,
  };
}
