import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { ServerRule } from '../../shared/protocol.ts';
import { addItem, listItems } from '../../shared/schema/board.ts';
import { dropPending, refusalAction } from './refusal.ts';

const me = 'user-me' as UserId;
const them = 'user-them' as UserId;
const refused = (rule: string) => ({ type: 'update-rejected' as const, rule, reason: 'test' });
const titles = (doc: Y.Doc) => listItems(doc).map((i) => i.title);

/** A doc that received someone else's second edit without the first: it sits pending. */
function withPending() {
  const other = new Y.Doc();
  const updates: Uint8Array[] = [];
  other.on('update', (u: Uint8Array) => updates.push(u));
  addItem(other, { title: 'theirs first', createdBy: them });
  addItem(other, { title: 'theirs second', createdBy: them });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, updates[1]!);
  addItem(doc, { title: 'mine', createdBy: me });
  return { doc, other, first: updates[0]! };
}

/** Whether a step 2 encoded from `doc` would make a fresh peer hold anything pending. */
function sendsGap(doc: Y.Doc): boolean {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  return peer.store.pendingStructs !== null || peer.store.pendingDs !== null;
}

describe('what a refusal does to the local document', () => {
  it('[SRV-12] a missing-dependency refusal drops only the pending structs: own edits stay, the resend has no gap', () => {
    const { doc } = withPending();
    expect(doc.store.pendingStructs).not.toBeNull();
    expect(sendsGap(doc)).toBe(true);
    const sv = Y.encodeStateVector(doc);
    expect(refusalAction(doc, refused(ServerRule.missingDependency))).toBe('keep');
    expect(doc.store.pendingStructs).toBeNull();
    expect(sendsGap(doc)).toBe(false);
    expect(titles(doc)).toEqual(['mine']);
    expect(Y.encodeStateVector(doc)).toEqual(sv);
  });

  it('[SRV-12] pending deletions are dropped too', () => {
    const other = new Y.Doc();
    addItem(other, { title: 'gone', createdBy: them });
    const sv = Y.encodeStateVector(other);
    other.getMap('items').clear();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, sv)); // the deletion before what it deletes
    expect(doc.store.pendingDs).not.toBeNull();
    expect(dropPending(doc)).toBe(true);
    expect(doc.store.pendingDs).toBeNull();
    expect(dropPending(doc)).toBe(false);
  });

  it('[SRV-12] content dropped as pending arrives again with what it builds on', () => {
    const { doc, other, first } = withPending();
    refusalAction(doc, refused(ServerRule.missingDependency));
    Y.applyUpdate(doc, first);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    expect(titles(doc).sort()).toEqual(['mine', 'theirs first', 'theirs second']);
  });

  it('[SRV-12] with nothing pending (a live update that beat its step 2) the doc is kept as it is', () => {
    const doc = new Y.Doc();
    addItem(doc, { title: 'mine offline', createdBy: me });
    const before = Y.encodeStateAsUpdate(doc);
    expect(refusalAction(doc, refused(ServerRule.missingDependency))).toBe('keep');
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('[POL-R] any other refusal means resync; the doc is not touched', () => {
    const { doc } = withPending();
    expect(refusalAction(doc, refused('POL-4'))).toBe('resync');
    expect(refusalAction(doc, refused(ServerRule.applyFailed))).toBe('resync');
    expect(doc.store.pendingStructs).not.toBeNull();
  });
});
