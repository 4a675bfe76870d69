import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

/** How often a view asks again for what it shows. */
export const POLL_MS = 3000;

export interface Polled<T> {
  value?: T;
  error?: ApiError;
  /** When the value last changed (ms), to say "updated at". */
  changedAt?: number;
  reload: () => void;
}

/**
 * Live data by polling (docs/console.md, "Live"): `load` runs now and then every POLL_MS while the tab is shown, and
 * again at once on reload(). The API answers an unchanged list with 304 (the browser revalidates with the ETag it
 * kept), and an unchanged value does not re-render, so a keyboard user's focus and a half-typed filter stay put.
 */
export function usePolled<T>(load: () => Promise<T>, deps: unknown[], everyMs = POLL_MS): Polled<T> {
  const [state, setState] = useState<Omit<Polled<T>, 'reload'>>({});
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seen = '';
    setState({});
    const run = async () => {
      if (!document.hidden) {
        try {
          const value = await loadRef.current();
          const text = JSON.stringify(value);
          if (!stopped && text !== seen) {
            seen = text;
            setState({ value, changedAt: Date.now() });
          } else if (!stopped) {
            setState((before) =>
              before.error ? { value: before.value, changedAt: before.changedAt } : before,
            );
          }
        } catch (error) {
          if (!stopped) setState((before) => ({ ...before, error: asApiError(error) }));
        }
      }
      if (!stopped) timer = setTimeout(() => void run(), everyMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [...deps, round, everyMs]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

export interface Action<T> {
  running: boolean;
  result?: T;
  error?: ApiError;
  run: () => Promise<T | undefined>;
}

/** A button's work: running while it waits (the button is disabled), then its result or the API's refusal. */
export function useAction<T>(work: () => Promise<T>): Action<T> {
  const [state, setState] = useState<{ running: boolean; result?: T; error?: ApiError }>({ running: false });
  const run = async () => {
    setState({ running: true });
    try {
      const result = await work();
      setState({ running: false, result });
      return result;
    } catch (error) {
      setState({ running: false, error: asApiError(error) });
      return undefined;
    }
  };
  return { ...state, run };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError(0, error instanceof Error ? error.message : String(error));
}
