/**
 * Opens a board for the lifetime of a component: connection, document store and presence.
 * Created in an effect (not during render) so React StrictMode's double mount creates and
 * destroys one cleanly instead of leaking a socket.
 */
import { useEffect, useState } from 'react';
import { BoardConnection, type BoardIdentity } from './boardConnection.ts';
import { BoardStore } from './boardStore.ts';
import { PresenceStore } from './presenceStore.ts';

export interface OpenBoard {
  connection: BoardConnection;
  store: BoardStore;
  presence: PresenceStore;
}

export function useBoardConnection(identity: BoardIdentity): OpenBoard | null {
  const [open, setOpen] = useState<OpenBoard | null>(null);
  const { boardId, userId, name, role, token } = identity;
  useEffect(() => {
    const connection = new BoardConnection({ boardId, userId, name, role, token });
    const store = new BoardStore(connection.doc);
    const presence = new PresenceStore(connection.awareness);
    // Undo (hooks/useUndo.ts) and the offline cache (hooks/offlineCache.ts, attached by
    // BoardConnection) both key on connection.doc / connection.origin.
    setOpen({ connection, store, presence });
    return () => {
      setOpen(null);
      presence.destroy();
      store.destroy();
      connection.destroy();
    };
  }, [boardId, userId, name, role, token]);
  return open;
}
