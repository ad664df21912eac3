/** React view of offline work: how many of my changes are saved here but not yet sent. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { BoardConnection } from './boardConnection.ts';
import { UnsentCounter } from './offlineCache.ts';

const zero = () => 0;
const noop = () => () => {};

export function useUnsentChanges(connection: BoardConnection): number {
  const [counter, setCounter] = useState<UnsentCounter | null>(null);
  useEffect(() => {
    const c = new UnsentCounter(connection.doc, connection.origin, () => connection.getSnapshot().state.kind === 'live');
    const off = connection.subscribe(() => c.connectionChanged());
    setCounter(c);
    return () => {
      off();
      c.destroy();
    };
  }, [connection]);
  return useSyncExternalStore(counter?.subscribe ?? noop, counter?.getCount ?? zero);
}
