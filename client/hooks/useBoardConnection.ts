/**
 * Opens a board for the lifetime of a component: connection, document store and presence.
 * Created in an effect (not during render) so React StrictMode's double mount creates and
 * destroys one cleanly instead of leaking a socket.
 *
 * Resync [POL-R]: when the server refuses one of our updates it closes the socket (4422),
 * and the refused change is still in our Y.Doc and IndexedDB copy; reconnecting would
 * resend it forever. So a refusal throws the local copy away (doc, offline cache) and
 * opens the board afresh from the server's state, saying why. The exception is SRV-12
 * (missing dependencies): the connection drops only the structs Yjs holds back as pending
 * and reconnects with the same document (client/hooks/refusal.ts), so `rejected` stays null.
 */
import { useEffect, useRef, useState } from 'react';
import { clearDocument } from 'y-indexeddb';
import { BoardConnection, type BoardIdentity } from './boardConnection.ts';
import { BoardStore } from './boardStore.ts';
import { cacheName } from './offlineCache.ts';
import { PresenceStore } from './presenceStore.ts';

export interface OpenBoard {
  connection: BoardConnection;
  store: BoardStore;
  presence: PresenceStore;
  /** Set when this connection replaced one whose change the server refused. */
  resyncedBecause: string | null;
}

export function useBoardConnection(identity: BoardIdentity): OpenBoard | null {
  const [open, setOpen] = useState<OpenBoard | null>(null);
  const [resync, setResync] = useState<{ generation: number; reason: string | null }>({ generation: 0, reason: null });
  const { boardId, userId, name, role, token } = identity;
  // A renewed token [AUTH-9] is used from the next reconnect on; it does not reopen the board.
  const tokenRef = useRef(token);
  useEffect(() => {
    tokenRef.current = token;
    if (open) open.connection.provider.params.token = token;
  }, [open, token]);
  useEffect(() => {
    const connection = new BoardConnection({ boardId, userId, name, role, token: tokenRef.current });
    const store = new BoardStore(connection.doc);
    const presence = new PresenceStore(connection.awareness);
    let disposed = false;
    const dispose = () => {
      if (disposed) return;
      disposed = true;
      unsubscribe();
      presence.destroy();
      store.destroy();
      connection.destroy();
    };
    const unsubscribe = connection.subscribe(() => {
      const rejected = connection.getSnapshot().rejected;
      if (!rejected || disposed) return;
      // Drop the refused change everywhere it lives, then start over from the server.
      dispose();
      void clearDocument(cacheName(boardId, userId))
        .catch(() => {})
        .then(() => setResync((r) => ({ generation: r.generation + 1, reason: rejected.reason })));
    });
    // Undo (hooks/useUndo.ts) and the offline cache (hooks/offlineCache.ts, attached by
    // BoardConnection) both key on connection.doc / connection.origin.
    setOpen({ connection, store, presence, resyncedBecause: resync.reason });
    return () => {
      setOpen(null);
      dispose();
    };
  }, [boardId, userId, name, role, resync]);
  return open;
}
