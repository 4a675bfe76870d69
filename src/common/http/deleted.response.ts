import { ApiProperty } from '@nestjs/swagger';

/** What a DELETE answers: the id of the row it removed (bots and message templates alike). */
export class DeletedResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id: number;
}
