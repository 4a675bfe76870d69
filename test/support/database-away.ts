import { expect } from 'vitest';
import { TestResponse } from './test-app';

/**
 * The answer of a request that needed the database while it was away: 503 in the API's envelope, naming the
 * database, with a Retry-After a client can wait for.
 */
export function expectDatabaseAway(response: TestResponse): void {
  expect(response.status, response.text).toBe(503);
  expect(response.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
  expect(response.body).toEqual({
    code: 503,
    msg: expect.stringMatching(/database/) as string,
    request_id: response.headers.get('x-request-id'),
  });
}
