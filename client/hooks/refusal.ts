/**
 * What a client does when the server refuses one of its updates (control `update-rejected`).
 *
 * Usually the refused change is in the local document (and the offline cache), and
 * reconnecting would send it again: the connection drops its local copy and syncs afresh
 * [POL-R]. One refusal is different: SRV-12, an update with missing dependencies. An honest
 * client's own edits never depend on anything it lacks; only structs it received out of
 * order can, and Yjs keeps those apart as *pending* (`doc.store.pendingStructs`,
 * `pendingDs`) and puts them into every sync step 2 it encodes. Dropping them (the server
 * sends whatever they belong to again once it has it) keeps every edit of this person, and
 * the next connection's step 2 has no gap.
 */
import type * as Y from 'yjs';
import { type ControlMessage, ServerRule } from '../../shared/protocol.ts';

/** `keep`: the document stays, reconnect as usual; `resync`: drop the local copy [POL-R]. */
export type RefusalAction = 'keep' | 'resync';

/**
 * Drops the structs and deletions Yjs holds back for lack of what they build on. True if
 * there were any.
 */
export function dropPending(doc: Y.Doc): boolean {
  const { store } = doc;
  const had = store.pendingStructs !== null || store.pendingDs !== null;
  store.pendingStructs = null;
  store.pendingDs = null;
  return had;
}

/**
 * Decides, and for SRV-12 does, what a refusal means for the local document. SRV-12 keeps
 * the document even with nothing pending: a live update sent right after a reconnect, before
 * the step 2 that carries this person's offline edits, has a gap too, and the next step 2
 * mends it. A step 2 from a document with nothing pending never has a gap (Yjs keeps each
 * client's integrated structs contiguous), so this cannot become a refuse–reconnect loop.
 */
export function refusalAction(doc: Y.Doc, refusal: Extract<ControlMessage, { type: 'update-rejected' }>): RefusalAction {
  if (refusal.rule !== ServerRule.missingDependency) return 'resync';
  dropPending(doc);
  return 'keep';
}
