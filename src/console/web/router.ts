import { useEffect, useState } from 'preact/hooks';

// Views live in the URL's fragment (#/stores/3, #/log?status=failed): a link can be bookmarked or shared, Back
// works, and the service serves one page whatever the view.

export interface Route {
  /** The path's segments: `#/stores/3` is ['stores', '3']. */
  path: string[];
  query: URLSearchParams;
}

function current(): Route {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = () => setRoute(current());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export type Query = Record<string, string | number | undefined | null>;

/** `#/path?query`, leaving out the empty values. */
export function href(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return `#/${path}${text ? `?${text}` : ''}`;
}

export function go(path: string, query: Query = {}): void {
  location.hash = href(path, query);
}
