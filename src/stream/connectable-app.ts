import { createHash } from 'node:crypto';
import { SupervisedApp } from './stream-app.supervisor';

/** What a connection was made with: another fingerprint (a new secret) means a new connection. */
export function fingerprint(target: SupervisedApp): string {
  return createHash('sha256').update(`${target.app.clientId}\n${target.app.clientSecret}`).digest('hex');
}
