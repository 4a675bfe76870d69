import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { confirmationLink, linkToken, newTicket, readLinkToken } from './confirmation-link';

describe('confirmation link tokens', () => {
  const key = randomBytes(32);

  it('names the ticket and button it was made for, in 25 URL-safe characters', () => {
    const ticket = newTicket();
    const token = linkToken(key, ticket, 1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{25}$/);
    expect(readLinkToken(key, token)).toEqual({ ticket, button: 1 });
    expect(confirmationLink('https://notify.example.com', key, ticket, 0)).toBe(
      `https://notify.example.com/c/${linkToken(key, ticket, 0)}`,
    );
  });

  it('refuses a token edited to another button or ticket, another key, or any other text', () => {
    const ticket = newTicket();
    const token = linkToken(key, ticket, 0);
    const otherButton = `${token.slice(0, 12)}1${token.slice(13)}`;
    const otherTicket = `${newTicket()}${token.slice(12)}`;
    for (const forged of [otherButton, otherTicket, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')]) {
      expect(readLinkToken(key, forged), forged).toBeNull();
    }
    expect(readLinkToken(randomBytes(32), token)).toBeNull();
    for (const junk of ['', 'abc', `${token}x`, '../../etc/passwd', `${ticket}9${token.slice(13)}`]) {
      expect(readLinkToken(key, junk), junk).toBeNull();
    }
  });
});
