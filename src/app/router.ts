// Hash-based routing ("#/search"): no server rewrites needed for static hosting, and `?backend=` in the query
// string stays untouched for the worker to read.
import { useSyncExternalStore } from 'react';

export const ROUTES = ['library', 'search', 'zeroshot', 'fewshot', 'pairs', 'explorer', 'clinical', 'about'] as const;
export type Route = (typeof ROUTES)[number];
export const DEFAULT_ROUTE: Route = 'library';

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : DEFAULT_ROUTE;
}

export const routeHref = (r: Route) => `#/${r}`;

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => parseRoute(window.location.hash));
}

export function navigate(r: Route): void {
  window.location.hash = routeHref(r);
}
