import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors, STANDARD_ERRORS } from '../common/http/api-docs.decorators';
import { AuthUser, Role, ROLES } from './auth-user';
import { CurrentUser } from './current-user.decorator';

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
  @Get('me')
  @ApiOperation({ summary: 'Who the bearer token says you are, and which stores you manage' })
  @ApiEnvelope(WhoAmIResponse)
  me(@CurrentUser() user: AuthUser): WhoAmIResponse {
    return { sub: user.sub, role: user.role, store_ids: [...user.storeIds] };
  }
}
