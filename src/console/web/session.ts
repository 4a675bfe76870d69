import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type Api, createApi, unwrap, type WhoAmI } from './api';

// The token lives in sessionStorage: it survives a reload but not the tab, and never leaves this origin. The console
// keeps nothing else; what the token may do is the API's to decide (GET /auth/me says who it is).

const KEY = 'console.token';

export interface Session {
  api: Api;
  me: WhoAmI;
  isAdmin: boolean;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

export function savedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Checks the token with the API (GET /auth/me) and keeps it for the tab. */
export async function signIn(token: string, onUnauthorized: () => void): Promise<Session> {
  const api = createApi(token, onUnauthorized);
  const me = await unwrap(api.GET('/api/v1/auth/me'));
  sessionStorage.setItem(KEY, token);
  return { api, me, isAdmin: me.role === 'admin' };
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
