import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, Length, Matches } from 'class-validator';
import { BodyInteger, INT4_MAX } from '../../common/http/strict-integer';

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
      'How long the token is valid, in seconds (60 s to 365 days). It cannot be revoked before then: ' +
      'choose the shortest that serves',
  })
  @BodyInteger({ min: MIN_TOKEN_SECONDS, max: MAX_TOKEN_SECONDS })
  readonly expires_in_seconds: number;
}

export class MintedTokenResponse {
  @ApiProperty({
    type: String,
    example:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdG9yZS0zLW1hbmFnZXIiLCJyb2xlIjoic3RvcmVfYWRtaW4ifQ.c2ln',
    description: 'The bearer token: give it to the store admin over a private channel. It is not stored here',
  })
  token: string;
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
}
