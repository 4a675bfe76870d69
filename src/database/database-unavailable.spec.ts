import {
  CannotExecuteNotConnectedError,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
  TypeORMError,
} from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a cut connection', new Error('Connection terminated unexpectedly')],
    ['the pool waiting too long', new Error('timeout exceeded when trying to connect')],
    ['the client connect timeout', new Error('Connection terminated due to connection timeout')],
    ['the client query timeout', new Error('Query read timeout')],
    ['admin shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['starting up', withCode('the database system is starting up', '57P03')],
    [
      'crash shutdown',
      withCode('terminating connection because of crash of another server process', '57P02'),
    ],
    ['in recovery', withCode('the database system is in recovery mode', '57P03')],
    [
      'a database that refuses connections (ALLOW_CONNECTIONS false)',
      Object.assign(withCode('database "shop" is not currently accepting connections', '55000'), {
        severity: 'FATAL',
      }),
    ],
    [
      'the refusal met by a query through TypeORM',
      new QueryFailedError(
        'SELECT 1',
        [],
        Object.assign(withCode('database "shop" is not currently accepting connections', '55000'), {
          severity: 'FATAL',
        }),
      ),
    ],
    ['a connection exception', withCode('connection failure', '08006')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['TypeORM without a connection', new CannotExecuteNotConnectedError()],
    ['TypeORM after its DataSource was destroyed', new TypeORMError('Driver not Connected')],
    ['a query runner released after its connection broke', new QueryRunnerAlreadyReleasedError()],
    [
      "a transaction's manager used after its connection broke",
      new QueryRunnerProviderAlreadyReleasedError(),
    ],
    [
      'a failed query whose driver error is a cut connection',
      new QueryFailedError('SELECT 1', [], withCode('terminating connection', '57P01')),
    ],
    ['a cause chain', new Error('outer', { cause: withCode('refused', 'ECONNREFUSED') })],
    ['one of several attempts', new AggregateError([withCode('refused', 'ECONNREFUSED')], 'connect failed')],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'))],
    ['a value out of range', withCode('value out of range for type integer', '22003')],
    ['a statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    [
      'a statement in the wrong state (55000 at severity ERROR)',
      Object.assign(withCode('currval of sequence "s" is not yet defined in this session', '55000'), {
        severity: 'ERROR',
      }),
    ],
    ['a programming error', new TypeError('x is undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
