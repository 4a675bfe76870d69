import { describe, expect, it } from 'vitest';
import { DINGTALK_HINTS } from '../dingtalk/dingtalk-hints';
import { StreamConnectionChangedEvent } from '../events/bot-health.events';
import { aged, connectionSignal, HealthSignal } from './health-signals';

const connection = (fields: Partial<StreamConnectionChangedEvent>): StreamConnectionChangedEvent => ({
  botId: 1,
  status: 'connected',
  since: 1_000,
  lastError: null,
  at: 1_000,
  ...fields,
});

const signal = (fields: Partial<HealthSignal>): HealthSignal => ({
  health: 'degraded',
  reason: 'retrying',
  detail: null,
  hint: null,
  since: 1_000,
  until: null,
  ...fields,
});

describe('connectionSignal', () => {
  it('reads connected as nothing wrong, reconnecting as degraded and refused credentials as broken', () => {
    expect(connectionSignal(connection({}), signal({ reason: 'reconnecting' }))).toBeNull();
    expect(connectionSignal(connection({ status: 'reconnecting', lastError: 'ECONNRESET' }), null)).toEqual({
      health: 'degraded',
      reason: 'reconnecting',
      detail: 'ECONNRESET',
      hint: DINGTALK_HINTS.network,
      since: 1_000,
      until: null,
    });
    expect(connectionSignal(connection({ status: 'auth_failed' }), null)).toMatchObject({
      health: 'broken',
      reason: 'credentials_refused',
      hint: DINGTALK_HINTS.credentials,
    });
  });

  it('lets connecting and disconnected (a start, a stop) leave the signal as it was', () => {
    const before = signal({ health: 'broken', reason: 'credentials_refused' });
    expect(connectionSignal(connection({ status: 'connecting' }), before)).toBe(before);
    expect(connectionSignal(connection({ status: 'disconnected' }), null)).toBeNull();
  });

  it('keeps a connection that could not be made for too long broken while it still cannot', () => {
    const before = signal({ health: 'broken', reason: 'cannot_connect', since: 300 });
    expect(connectionSignal(connection({ status: 'reconnecting', lastError: 'timeout' }), before)).toEqual({
      ...before,
      detail: 'timeout',
    });
  });
});

describe('aged', () => {
  it('drops a pause that has ended and keeps one that has not', () => {
    const paused = signal({ reason: 'throttled', until: 5_000 });
    expect(aged(paused, 4_999, 60_000)).toBe(paused);
    expect(aged(paused, 5_000, 60_000)).toBeNull();
  });

  it('turns a connection reconnecting for longer than the limit broken, from the moment the limit ran out', () => {
    const reconnecting = signal({ reason: 'reconnecting', since: 1_000 });
    expect(aged(reconnecting, 60_999, 60_000)).toBe(reconnecting);
    expect(aged(reconnecting, 61_500, 60_000)).toMatchObject({
      health: 'broken',
      reason: 'cannot_connect',
      since: 61_000,
    });
  });
});
