import { userInfo } from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lookUpAccount } from './server-account';

describe('lookUpAccount', () => {
  // `id` translates its labels ("UID=0(root) GID=0(root) groepen=…" under LANGUAGE=nl): the look-up must not
  // depend on the language of the environment the service was started in (its programs inherit it).
  beforeEach(() => {
    vi.stubEnv('LANG', 'C.UTF-8');
    vi.stubEnv('LANGUAGE', 'nl');
    vi.stubEnv('LC_ALL', ''); // empty: unset for the C library
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('finds an existing account under a translated locale', () => {
    const me = userInfo();
    expect(lookUpAccount(me.username)).toEqual({ name: me.username, uid: me.uid, gid: me.gid });
  });

  it('finds nothing for an account that does not exist', () => {
    expect(lookUpAccount('no-such-account-x9')).toBeUndefined();
  });
});
