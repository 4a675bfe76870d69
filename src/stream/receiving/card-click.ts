/**
 * A press of a card's 回传请求 button, as the card callback's `data` tells it (docs/dingtalk/cards.md, Callbacks):
 * `data` is a JSON string of flat fields, `content` a JSON string itself holding
 * `cardPrivateData.actionIds` (the button's action id) and `params`.
 */
export interface CardClick {
  outTrackId: string;
  /** Who pressed it: a userid (the card was created with userIdType 1). */
  userId: string;
  /** The button's action id from the template (`received`, `ready`); its params' `action` when no id came. */
  action: string;
  spaceType: string | null;
  spaceId: string | null;
}

export type CardClickParse = { ok: true; click: CardClick } | { ok: false; problem: string };

/** The notification a card of this service stands for: its outTrackId is `notification-<id>` (claim-sender.ts). */
export function notificationIdOf(outTrackId: string): string | null {
  const match = /^notification-(\d{1,19})$/.exec(outTrackId);
  return match ? match[1] : null;
}

/** Reads a card callback defensively: a click or the reason there is none, never an exception. */
export function parseCardClick(data: string): CardClickParse {
  const body = jsonObject(data);
  if (!body) return { ok: false, problem: 'data is not a JSON object' };
  const outTrackId = text(body.outTrackId);
  const userId = text(body.userId);
  if (!outTrackId) return { ok: false, problem: 'no outTrackId' };
  if (!userId) return { ok: false, problem: 'no userId' };
  if (body.type !== undefined && body.type !== 'actionCallback') {
    return { ok: false, problem: `type ${JSON.stringify(body.type)} is not a button's callback` };
  }
  const content = typeof body.content === 'string' ? jsonObject(body.content) : null;
  const privateData = content?.cardPrivateData as Record<string, unknown> | undefined;
  const actionIds = Array.isArray(privateData?.actionIds) ? (privateData.actionIds as unknown[]) : [];
  const params = privateData?.params as Record<string, unknown> | undefined;
  const action = text(actionIds[0]) ?? text(params?.action);
  if (!action) return { ok: false, problem: 'content names no action (cardPrivateData.actionIds)' };
  return {
    ok: true,
    click: {
      outTrackId,
      userId,
      action,
      spaceType: text(body.spaceType),
      spaceId: text(body.spaceId),
    },
  };
}

function jsonObject(value: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
