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

/**
 * Why `update` cannot be applied in full to `doc`, or null when it can [SRV-12]: Yjs keeps
 * a struct whose predecessor it lacks as *pending*, in memory only — never stored, relayed
 * nor counted against the board's size, and integrated later by whichever update fills
 * the gap. So the server refuses, before anything else looks at the update:
 * - structs of one client that start after what the board (or the update's own earlier
 *   structs of that client) holds: a first struct past the board's clock for its client,
 *   or a Skip/gap between structs of one client in a merged update;
 * - an item whose left or right neighbour or parent id names content that neither the
 *   board nor the update has, or (for its own client) content created after it.
 * Linear in the update's size. Deletions of unknown content are left to the write policy
 * (POL-13); an update that still leaves something pending is caught after the apply (SRV-11).
 */
export function missingDependency(doc: Y.Doc, decoded: DecodedUpdate): string | null {
  const known = new Map<number, number>();
  const knownEnd = (client: number): number => known.get(client) ?? Y.getState(doc.store, client);
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const have = knownEnd(client);
    if (clock > have) return `client ${client} skips from clock ${have} to ${clock}`;
    known.set(client, Math.max(have, clock + struct.length));
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent as unknown;
    for (const ref of [struct.origin, struct.rightOrigin, parent instanceof Y.ID ? parent : null]) {
      if (ref === null) continue;
      if (ref.client === struct.id.client ? ref.clock >= struct.id.clock : ref.clock >= knownEnd(ref.client)) {
        return `struct ${struct.id.client}:${struct.id.clock} refers to unknown ${ref.client}:${ref.clock}`;
      }
    }
  }
  return null;
}
