import { describe, expect, it } from 'vitest';
import { DINGTALK_HINTS } from '../dingtalk/dingtalk-hints';
import { DeliveryOutcome, StreamConnectionChangedEvent } from '../events/bot-health.events';
import { aged, combine, connectionSignal, deliverySignal, HealthSignal } from './health-signals';

const outcome = (fields: Partial<DeliveryOutcome>): DeliveryOutcome => ({
  botId: 1,
  at: 1_000,
  outcome: 'ok',
  status: 'sent',
  detail: null,
  hint: null,
  pause: null,
  ...fields,
});

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

describe('deliverySignal', () => {
  it('reads an accepted send as nothing wrong, whatever was wrong before', () => {
    expect(deliverySignal(outcome({}), signal({ health: 'broken', reason: 'send_refused' }))).toBeNull();
  });

  it('reads a permanent refusal as broken, with the answer and the hint of the delivery log', () => {
    const refused = outcome({
      outcome: 'permanent',
      status: 'failed',
      detail: 'errcode 310000: sign not match',
      hint: DINGTALK_HINTS.signature,
    });
    expect(deliverySignal(refused, null)).toEqual({
      health: 'broken',
      reason: 'send_refused',
      detail: 'errcode 310000: sign not match',
      hint: DINGTALK_HINTS.signature,
      since: 1_000,
      until: null,
    });
  });

  it('reads a transient error as degraded while retries remain, broken once they ran out', () => {
    expect(deliverySignal(outcome({ outcome: 'transient', status: 'retrying' }), null)).toMatchObject({
      health: 'degraded',
      reason: 'retrying',
    });
    expect(deliverySignal(outcome({ outcome: 'token_expired', status: 'failed' }), null)).toMatchObject({
      health: 'broken',
      reason: 'retries_exhausted',
    });
  });

  it('keeps a send out of retries or refused for good broken when a later send only retries or is throttled; an accepted send ends it', () => {
    for (const reason of ['retries_exhausted', 'send_refused'] as const) {
      const broken = signal({ health: 'broken', reason, since: 1_000 });
      expect(
        deliverySignal(outcome({ outcome: 'transient', status: 'retrying', at: 2_000 }), broken),
      ).toEqual(broken);
      const throttled = outcome({
        outcome: 'throttled',
        status: 'retrying',
        at: 2_000,
        pause: { scope: 'robot', until: 60_000 },
      });
      expect(deliverySignal(throttled, broken)).toEqual(broken);
      expect(deliverySignal(outcome({ at: 3_000 }), broken)).toBeNull();
    }
    // A bot only degraded (retrying) is not held: the next answer decides.
    const retrying = signal({ health: 'degraded', reason: 'retrying' });
    expect(deliverySignal(outcome({ outcome: 'transient', status: 'failed' }), retrying)).toMatchObject({
      health: 'broken',
      reason: 'retries_exhausted',
    });
  });

  it('reads a throttle as degraded until its pause ends; the used-up organisation quota as broken until it resets', () => {
    const robot = outcome({
      outcome: 'throttled',
      status: 'pending',
      pause: { scope: 'robot', until: 601_000 },
    });
    expect(deliverySignal(robot, null)).toMatchObject({
      health: 'degraded',
      reason: 'throttled',
      until: 601_000,
    });
    const ip = outcome({
      outcome: 'throttled',
      status: 'pending',
      pause: { scope: 'cluster', until: 5_000 },
    });
    expect(deliverySignal(ip, null)).toMatchObject({ health: 'degraded', reason: 'ip_blocked' });
    const quota = outcome({ outcome: 'throttled', status: 'pending', pause: { scope: 'app', until: 9_000 } });
    expect(deliverySignal(quota, null)).toMatchObject({
      health: 'broken',
      reason: 'quota_used_up',
      until: 9_000,
    });
  });

  it('keeps the since of the same trouble, and starts a new one for another', () => {
    const before = signal({ since: 500 });
    expect(
      deliverySignal(outcome({ outcome: 'transient', status: 'retrying', at: 2_000 }), before)?.since,
    ).toBe(500);
    expect(
      deliverySignal(outcome({ outcome: 'transient', status: 'failed', at: 2_000 }), before)?.since,
    ).toBe(2_000);
  });
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

describe('combine', () => {
  it('is healthy without signals, and the worse signal otherwise; the older of two as bad', () => {
    expect(combine(null, null).health).toBe('healthy');
    const degraded = signal({ since: 100 });
    const broken = signal({ health: 'broken', reason: 'credentials_refused', since: 200 });
    expect(combine(degraded, broken)).toMatchObject({ health: 'broken', reason: 'credentials_refused' });
    const older = signal({ reason: 'reconnecting', since: 50 });
    expect(combine(degraded, older)).toMatchObject({ reason: 'reconnecting', signalSince: 50 });
  });
});
