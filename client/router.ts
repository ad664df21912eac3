/**
 * A tiny history router: the app has three screens, so a routing library would be more
 * code than the routes. Location is an external store read with useSyncExternalStore.
 */
import { useSyncExternalStore } from 'react';

export interface Location {
  pathname: string;
  search: string;
  hash: string;
}

const listeners = new Set<() => void>();
let current: Location | null = null;

function read(): Location {
  const { pathname, search, hash } = window.location;
  if (!current || current.pathname !== pathname || current.search !== search || current.hash !== hash) {
    current = { pathname, search, hash };
  }
  return current;
}

function notify(): void {
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, read, read);
}

/** Changes the URL without a reload; `replace` keeps the history entry count unchanged. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

/** Sets or removes one query parameter, keeping the rest of the URL. */
export function setSearchParam(name: string, value: string | null, opts: { replace?: boolean } = {}): void {
  const url = new URL(window.location.href);
  if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  navigate(`${url.pathname}${url.search}${url.hash}`, opts);
}

export function useSearchParam(name: string): string | null {
  const { search } = useLocation();
  return new URLSearchParams(search).get(name);
}

export type Route = { name: 'home' } | { name: 'board'; boardId: string } | { name: 'not-found' };

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const m = /^\/b\/([^/]+)\/?$/.exec(pathname);
  if (m?.[1]) return { name: 'board', boardId: decodeURIComponent(m[1]) };
  return { name: 'not-found' };
}
