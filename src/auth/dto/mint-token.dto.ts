import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination.dto';
import { BodyInteger, INT4_MAX } from '../../common/http/strict-integer';
import { MINTED_TOKEN_STATUSES, MintedTokenStatus } from '../minted-token.repository';

export const MIN_TOKEN_SECONDS = 60;
export const MAX_TOKEN_SECONDS = 365 * 24 * 3600;
const MAX_STORES = 200;

/** `POST /auth/tokens`: a store admin's bearer token, for the stores an admin chooses, valid for a while. */
export class MintStoreAdminTokenDto {
  @ApiProperty({
    type: String,
    minLength: 1,
    maxLength: 100,
    example: 'store-3-manager',
    description: "Who the token is for: the token's `sub`, and the `reported_by` of the reports made with it",
  })
  @IsString()
  @Length(1, 100)
  // The same rule the authenticator applies to a token's sub (auth-user.ts), and no other control characters.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
  @Matches(/^[^\u0000-\u001f\u007f]+$/, { message: 'sub must not contain control characters' })
  readonly sub: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 1, maximum: INT4_MAX },
    minItems: 1,
    maxItems: MAX_STORES,
    uniqueItems: true,
    example: [3, 4],
    description: 'The stores the token may see and change',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STORES)
  @ArrayUnique({ message: 'store_ids must not repeat a store' })
  @BodyInteger({ each: true })
  readonly store_ids: number[];

  @ApiProperty({
    type: 'integer',
    minimum: MIN_TOKEN_SECONDS,
    maximum: MAX_TOKEN_SECONDS,
    example: 7 * 24 * 3600,
    description:
      'How long the token is valid, in seconds (60 s to 365 days), but never past the expiry of the token that ' +
      'mints it (then `expires_at` is earlier and `expiry_capped` true). It can be revoked before then ' +
      '(DELETE /auth/tokens/{jti}); still, choose the shortest that serves',
  })
  @BodyInteger({ min: MIN_TOKEN_SECONDS, max: MAX_TOKEN_SECONDS })
  readonly expires_in_seconds: number;
}

const JTI_EXAMPLE = '0b6f6f3e-2d5c-4d8e-9f3a-6c1b2a4d5e6f';

export class MintedTokenResponse {
  @ApiProperty({
    type: String,
    example:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdG9yZS0zLW1hbmFnZXIiLCJyb2xlIjoic3RvcmVfYWRtaW4ifQ.c2ln',
    description:
      'The bearer token: give it to the store admin over a private channel. It is shown this once: only its ' +
      'record (jti, stores, expiry) is stored',
  })
  token: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    example: JTI_EXAMPLE,
    description: "The token's id (its `jti` claim): what the list shows and what revoking it names",
  })
  jti: string;
  @ApiProperty({ type: String, example: 'store-3-manager' })
  sub: string;
  @ApiProperty({ enum: ['store_admin'], example: 'store_admin' })
  role: 'store_admin';
  @ApiProperty({ type: 'array', items: { type: 'integer' }, example: [3, 4] })
  store_ids: number[];
  @ApiProperty({
    type: String,
    example: '2026-12-14T08:00:00.000Z',
    description: 'When the token stops working',
  })
  expires_at: string;
  @ApiProperty({
    type: Boolean,
    example: false,
    description:
      "True when `expires_in_seconds` would have outlived the minting admin's own token: `expires_at` is then " +
      "that token's expiry instead",
  })
  expiry_capped: boolean;
}

/** `GET /auth/tokens?status=active&page=1&page_size=20`. */
export class ListMintedTokensQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: MINTED_TOKEN_STATUSES,
    example: 'active',
    description:
      'active: usable now; revoked: revoked (expired or not); expired: reached its expiry unrevoked',
  })
  @IsOptional()
  @IsIn(MINTED_TOKEN_STATUSES)
  readonly status?: MintedTokenStatus;
}

/** A minted token's record: never the token itself. */
export class MintedTokenRecordResponse {
  @ApiProperty({ type: String, format: 'uuid', example: JTI_EXAMPLE })
  jti: string;
  @ApiProperty({ type: String, example: 'store-3-manager', description: 'Who the token is for' })
  sub: string;
  @ApiProperty({ type: 'array', items: { type: 'integer' }, example: [3, 4] })
  store_ids: number[];
  @ApiProperty({ enum: MINTED_TOKEN_STATUSES, example: 'active' })
  status: MintedTokenStatus;
  @ApiProperty({ type: String, example: 'hq-ops', description: 'The admin (`sub`) who minted it' })
  minted_by: string;
  @ApiProperty({ type: String, example: '2026-12-07T08:00:00.000Z' })
  created_at: string;
  @ApiProperty({ type: String, example: '2026-12-14T08:00:00.000Z' })
  expires_at: string;
  @ApiProperty({ type: String, nullable: true, example: null })
  revoked_at: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'The admin (`sub`) who revoked it',
  })
  revoked_by: string | null;
}
