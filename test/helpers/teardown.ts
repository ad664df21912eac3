import { afterEach } from 'vitest';
import type { TestClient, TestServer } from './server.ts';

/**
 * Tears down what a test started, newest first, after each test of the calling describe
 * block: `track(x)` for servers and clients, `defer(fn)` for anything else.
 */
export function useTeardown() {
  const pending: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of pending.splice(0).reverse()) await fn();
  });
  const defer = (fn: () => unknown): void => {
    pending.push(fn);
  };
  const track = <T extends TestClient | TestServer>(x: T): T => {
    defer(() => ('destroy' in x ? x.destroy() : x.stop()));
    return x;
  };
  return { track, defer };
}
