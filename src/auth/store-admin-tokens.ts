import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { MintedTokenResponse, MintStoreAdminTokenDto } from './dto/mint-token.dto';

/**
 * Makes store admins' tokens for an admin (the console's "invite a store manager"), signed with the same key as
 * every other token. Only store_admin tokens, and always with an expiry: a stolen admin token could otherwise mint
 * itself a fresh one that outlives it. Admin tokens come from `npm run token`, which needs the secret itself.
 */
@Injectable()
export class StoreAdminTokens {
  constructor(private readonly jwt: JwtService) {}

  mint(request: MintStoreAdminTokenDto): MintedTokenResponse {
    const storeIds = [...request.store_ids];
    const token = this.jwt.sign(
      { sub: request.sub, role: 'store_admin', store_ids: storeIds },
      { expiresIn: request.expires_in_seconds },
    );
    // The expiry the token itself carries, so that what is shown is exactly what the authenticator will honour.
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return {
      token,
      sub: request.sub,
      role: 'store_admin',
      store_ids: storeIds,
      expires_at: new Date(exp * 1000).toISOString(),
    };
  }
}
