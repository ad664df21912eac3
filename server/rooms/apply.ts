/**
 * Applying an admitted update, and noticing when that went wrong [SRV-11]: if Yjs throws,
 * or keeps part of the update pending, the doc may hold half of it and may never emit
 * 'update' again, so it can no longer be trusted and the room reloads from storage.
 */
import * as Y from 'yjs';

/** Applies `update` with `origin`; null when it went in whole, else what went wrong. */
export function applyWhole(doc: Y.Doc, update: Uint8Array, origin: unknown): string | null {
  const { store } = doc;
  // Pending before this apply came from elsewhere (fan-out): not this update's doing.
  const pendingBefore = { structs: store.pendingStructs !== null, ds: store.pendingDs !== null };
  try {
    Y.applyUpdate(doc, update, origin);
  } catch (err) {
    return `Yjs threw ${String(err)}`;
  }
  if ((!pendingBefore.structs && store.pendingStructs) || (!pendingBefore.ds && store.pendingDs)) {
    return 'Yjs kept part of it pending';
  }
  return null;
}
