import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A webhook bot's confirmation button is a link `<PUBLIC_URL>/c/<token>` (docs/confirmation.md). The token is short
 * (25 characters, so the ActionCard stays small and a link survives being copied) and names a notification's
 * confirmation and one of its buttons:
 *
 *   ticket (12) · button (1) · MAC (12)
 *
 * The ticket is 9 random bytes written on the notification's confirmation row (unguessable: it is all a link holds
 * to find the row, and the row's notification id cannot be known when the message is rendered, before the row is
 * written). The MAC (HMAC-SHA256 with the links' key, cut to 9 bytes) binds the button to the ticket, so a link to
 * 收到 cannot be edited into one to 已备好 or another report's; a tampered token is refused before any lookup.
 */
const TICKET_BYTES = 9;
const MAC_BYTES = 9;
const TICKET_CHARS = 12;
const MAC_CHARS = 12;
/** Buttons 0-9: a notification offers at most MAX_BUTTONS. */
export const MAX_BUTTONS = 5;
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{12}[0-9][A-Za-z0-9_-]{12}$/;

/** A fresh ticket for one notification's confirmation. */
export function newTicket(): string {
  return randomBytes(TICKET_BYTES).toString('base64url');
}

function mac(key: Buffer, ticket: string, button: number): Buffer {
  return createHmac('sha256', key).update(`${ticket}.${button}`).digest().subarray(0, MAC_BYTES);
}

/** The token of a notification's `button`-th button (from 0). */
export function linkToken(key: Buffer, ticket: string, button: number): string {
  if (!Number.isInteger(button) || button < 0 || button >= MAX_BUTTONS) {
    throw new Error(`A confirmation link names button 0 to ${MAX_BUTTONS - 1}, not ${button}`);
  }
  return `${ticket}${button}${mac(key, ticket, button).toString('base64url')}`;
}

/** The ticket and button a token names, or null when it is not one this key signed (tampered, mistyped). */
export function readLinkToken(key: Buffer, token: string): { ticket: string; button: number } | null {
  if (!LINK_TOKEN_PATTERN.test(token)) return null;
  const ticket = token.slice(0, TICKET_CHARS);
  const button = Number(token[TICKET_CHARS]);
  const given = Buffer.from(token.slice(TICKET_CHARS + 1, TICKET_CHARS + 1 + MAC_CHARS), 'base64url');
  if (button >= MAX_BUTTONS || given.length !== MAC_BYTES) return null;
  return timingSafeEqual(given, mac(key, ticket, button)) ? { ticket, button } : null;
}

/** The link itself. */
export function confirmationLink(publicUrl: string, key: Buffer, ticket: string, button: number): string {
  return `${publicUrl}/c/${linkToken(key, ticket, button)}`;
}
