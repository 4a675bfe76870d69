import { Body, Controller, Delete, Get, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  ApiEnvelope,
  ApiErrors,
  ApiJsonBody,
  ApiPageEnvelope,
  fieldError,
  STANDARD_ERRORS,
} from '../common/http/api-docs.decorators';
import { Page } from '../common/http/pagination.dto';
import { ADMIN_ONLY_MESSAGE, AdminOnly } from './admin-only';
import { AuthUser, Role, ROLES } from './auth-user';
import { CurrentUser } from './current-user.decorator';
import {
  ListMintedTokensQuery,
  MintedTokenRecordResponse,
  MintedTokenResponse,
  MintStoreAdminTokenDto,
} from './dto/mint-token.dto';
import { BAD_JTI, JtiParam } from './jti-param';
import { REVOKED_TOKEN_MESSAGE } from './request-authenticator';
import { MINTER_EXPIRES_SOON_MESSAGE, StoreAdminTokens } from './store-admin-tokens';

export class WhoAmIResponse {
  @ApiProperty({ type: String, example: 'ops@chain.example' })
  sub: string;
  @ApiProperty({ enum: ROLES, example: 'store_admin' })
  role: Role;
  @ApiProperty({
    type: 'array',
    items: { type: 'integer' },
    example: [1, 2],
    description: 'Empty for an admin, who sees every store',
  })
  store_ids: number[];
}

const adminOnly = { status: HttpStatus.FORBIDDEN, msg: ADMIN_ONLY_MESSAGE };

@ApiTags('auth')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken, {
  status: HttpStatus.UNAUTHORIZED,
  msg: REVOKED_TOKEN_MESSAGE,
})
@Controller('auth')
export class AuthController {
  constructor(private readonly storeAdminTokens: StoreAdminTokens) {}

  @Get('me')
  @ApiOperation({ summary: 'Who the bearer token says you are, and which stores you manage' })
  @ApiEnvelope(WhoAmIResponse)
  me(@CurrentUser() user: AuthUser): WhoAmIResponse {
    return { sub: user.sub, role: user.role, store_ids: [...user.storeIds] };
  }

  @Post('tokens')
  @AdminOnly()
  @ApiOperation({
    summary: "Make a store admin's token (admin)",
    description:
      'A bearer token with role store_admin for the chosen stores, valid for `expires_in_seconds` but never ' +
      "past the expiry of the admin's own token (`expiry_capped` says when it was shortened). The token is " +
      'answered this once; its record (`jti`, stores, expiry, who minted it) is kept, listed by GET ' +
      '/auth/tokens and revoked by DELETE /auth/tokens/{jti}. Admin tokens are made with `npm run token` only.',
  })
  @ApiJsonBody(
    MintStoreAdminTokenDto,
    {
      week: {
        summary: 'A week for the manager of stores 3 and 4',
        value: { sub: 'store-3-manager', store_ids: [3, 4], expires_in_seconds: 604800 },
      },
    },
    fieldError('expires_in_seconds', 'expires_in_seconds must be a whole number from 60 to 31536000'),
    fieldError('store_ids', 'store_ids must not be empty'),
    {
      status: HttpStatus.BAD_REQUEST,
      msg: MINTER_EXPIRES_SOON_MESSAGE,
      summary: 'Your token expires too soon',
    },
    adminOnly,
  )
  @ApiEnvelope(MintedTokenResponse, HttpStatus.CREATED)
  mintToken(
    @CurrentUser() user: AuthUser,
    @Body() request: MintStoreAdminTokenDto,
  ): Promise<MintedTokenResponse> {
    return this.storeAdminTokens.mint(request, user);
  }

  @Get('tokens')
  @AdminOnly()
  @ApiOperation({
    summary: 'The store admin tokens made here, newest first (admin)',
    description:
      'Their records, never the tokens. Records of tokens that expired more than RETENTION_DAYS ago are deleted ' +
      'by the retention job.',
  })
  @ApiPageEnvelope(MintedTokenRecordResponse)
  @ApiErrors(
    fieldError('status', 'status must be one of the following values: active, revoked, expired'),
    adminOnly,
  )
  listTokens(@Query() query: ListMintedTokensQuery): Promise<Page<MintedTokenRecordResponse>> {
    return this.storeAdminTokens.list(query);
  }

  @Delete('tokens/:jti')
  @AdminOnly()
  @ApiOperation({
    summary: 'Revoke a store admin token (admin)',
    description:
      'From now on the token is answered 401 "' +
      REVOKED_TOKEN_MESSAGE +
      '": at once by the instance that answers this, within about two seconds by every other. Revoking a revoked ' +
      'token answers its record again (the first revocation stays); a jti that was never minted here, or whose ' +
      'record was deleted long after it expired, is a 404.',
  })
  @ApiParam({
    name: 'jti',
    description: "The token's id (`jti` in the mint's answer and in the list)",
    schema: { type: 'string', format: 'uuid', example: '0b6f6f3e-2d5c-4d8e-9f3a-6c1b2a4d5e6f' },
  })
  @ApiEnvelope(MintedTokenRecordResponse)
  @ApiErrors(fieldError('jti', BAD_JTI), adminOnly, {
    status: HttpStatus.NOT_FOUND,
    msg: 'Token 0b6f6f3e-2d5c-4d8e-9f3a-6c1b2a4d5e6f not found',
  })
  revokeToken(@CurrentUser() user: AuthUser, @JtiParam() jti: string): Promise<MintedTokenRecordResponse> {
    return this.storeAdminTokens.revoke(jti, user);
  }
}
