/**
 * Looking inside a client's Yjs update before it touches the board: is it well formed,
 * and does it add anything the board does not have yet?
 */
import * as Y from 'yjs';

export interface DecodedUpdate {
  structs: Array<Y.Item | Y.GC | Y.Skip>;
  ds: { clients: Map<number, Array<{ clock: number; len: number }>> };
}

/** Parses an update fully; null if it is not a valid v1 update. */
export function decodeUpdateSafe(update: Uint8Array): DecodedUpdate | null {
  try {
    return Y.decodeUpdate(update) as unknown as DecodedUpdate;
  } catch {
    return null;
  }
}

/** True if every item in clock range [clock, end) of `client` is already deleted in `doc`. */
function rangeDeleted(doc: Y.Doc, client: number, clock: number, end: number): boolean {
  const structs = doc.store.clients.get(client);
  if (!structs || end > Y.getState(doc.store, client)) return false;
  let i = Y.findIndexSS(structs, clock);
  while (i < structs.length) {
    const struct = structs[i]!;
    if (struct.id.clock >= end) return true;
    if (!struct.deleted) return false;
    i++;
  }
  return true;
}

/**
 * True if applying `update` would change nothing: every struct is known and every
 * deletion already happened. A reconnecting client's sync step 2 always carries its whole
 * delete set, so this is what lets a viewer (or a policy) ignore a resend instead of
 * refusing it.
 */
export function addsNothing(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return false;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) {
      if (len > 0 && !rangeDeleted(doc, client, clock, clock + len)) return false;
    }
  }
  return true;
}
