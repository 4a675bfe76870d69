/**
 * Reading the fields of a message body the way DingTalk's validators do, for the checks of each API family
 * (simulator/robots/custom-robot-body.ts, simulator/apps/work-notification-msg.ts,
 * simulator/apps/robot-msg-param.ts). Field names are matched exactly: `messageURL` is not `messageUrl`.
 */
export type JsonObject = Record<string, unknown>;

/** An app message decoded into what its recipient sees; `text` is markdown where DingTalk renders markdown. */
export interface DecodedMessage {
  msgtype: string;
  title: string | null;
  text: string;
}

/** A JSON object, or null for anything else (an array, a string, null). */
export function objectOf(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

/**
 * Whether a field counts as given: a non-empty string, or a number or boolean (DingTalk's JSON decoding reads those
 * as text). Absent, null, `""`, an object or an array is missing or malformed, which DingTalk answers alike
 * ("缺失，或者参数格式不正确": docs/dingtalk/custom-robot.md).
 */
export function given(value: unknown): boolean {
  return (
    (typeof value === 'string' && value !== '') || typeof value === 'number' || typeof value === 'boolean'
  );
}

/** A given field as text; anything else as ''. */
export function textOf(value: unknown): string {
  return given(value) ? String(value) : '';
}

/** The first of `fields` that `part` does not give, in the order DingTalk's tables list them; null when all are. */
export function firstMissing(part: JsonObject | null, fields: readonly string[]): string | null {
  return fields.find((field) => !given(part?.[field])) ?? null;
}

/** Parsed JSON text, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
