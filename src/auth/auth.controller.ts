import { Body, Controller, Get, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  ApiEnvelope,
  ApiErrors,
  ApiJsonBody,
  fieldError,
  STANDARD_ERRORS,
} from '../common/http/api-docs.decorators';
import { ADMIN_ONLY_MESSAGE, AdminOnly } from './admin-only';
import { AuthUser, Role, ROLES } from './auth-user';
import { CurrentUser } from './current-user.decorator';
import { MintedTokenResponse, MintStoreAdminTokenDto } from './dto/mint-token.dto';
import { StoreAdminTokens } from './store-admin-tokens';

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

@ApiTags('auth')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
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
      'A bearer token with role store_admin for the chosen stores, valid for `expires_in_seconds`. It is not ' +
      'stored and cannot be revoked before it expires (the signing key is shared by every token): choose the ' +
      'shortest expiry that serves. Admin tokens are made with `npm run token` only.',
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
    { status: HttpStatus.FORBIDDEN, msg: ADMIN_ONLY_MESSAGE },
  )
  @ApiEnvelope(MintedTokenResponse, HttpStatus.CREATED)
  mintToken(@Body() request: MintStoreAdminTokenDto): MintedTokenResponse {
    return this.storeAdminTokens.mint(request);
  }
}
