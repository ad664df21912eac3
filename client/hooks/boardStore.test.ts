import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { addItem, archiveItem, initBoard, moveItem, restoreItem, setItemStatus, setItemTitle } from '../../shared/schema/board.ts';
import { BoardStore } from './boardStore.ts';

const me = 'user-1' as UserId;

function board() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Store test', createdAt: 1 });
  const a = addItem(doc, { title: 'A', createdBy: me });
  const b = addItem(doc, { title: 'B', createdBy: me });
  const c = addItem(doc, { title: 'C', createdBy: me });
  const store = new BoardStore(doc);
  return { doc, store, a, b, c };
}

describe('BoardStore snapshots', () => {
  it('keeps the snapshot of an unchanged item when another item changes', () => {
    const { doc, store, a, b } = board();
    const aBefore = store.getItem(a);
    const bBefore = store.getItem(b);
    setItemTitle(doc, b, 'B renamed');
    expect(store.getItem(a)).toBe(aBefore);
    expect(store.getItem(b)).not.toBe(bBefore);
    expect(store.getItem(b)?.title).toBe('B renamed');
  });

  it('rebuilds an item when something nested inside it changes (status)', () => {
    const { doc, store, c } = board();
    const before = store.getItem(c);
    setItemStatus(doc, c, 'ready');
    expect(store.getItem(c)).not.toBe(before);
    expect(store.getItem(c)?.status).toBe('ready');
  });

  it('keeps the order array while the order is unchanged and replaces it on a move', () => {
    const { doc, store, a, b, c } = board();
    const order = store.getOrder();
    expect(order).toEqual([a, b, c]);
    setItemTitle(doc, a, 'A renamed');
    expect(store.getOrder()).toBe(order);
    moveItem(doc, c, 'top');
    expect(store.getOrder()).toEqual([c, a, b]);
  });

  it('moves archived items to the archived list and back on restore', () => {
    const { doc, store, a, b, c } = board();
    archiveItem(doc, b, 100);
    expect(store.getOrder()).toEqual([a, c]);
    expect(store.getArchived().map((i) => i.id)).toEqual([b]);
    restoreItem(doc, b);
    expect(store.getOrder()).toEqual([a, b, c]);
    expect(store.getArchived()).toEqual([]);
  });

  it('notifies subscribers once per transaction and stops after destroy', () => {
    const { doc, store, a } = board();
    let calls = 0;
    store.subscribe(() => calls++);
    setItemTitle(doc, a, 'x');
    expect(calls).toBe(1);
    store.destroy();
    setItemTitle(doc, a, 'y');
    expect(calls).toBe(1);
  });

  it('reads meta written by the server', () => {
    const { store } = board();
    expect(store.getMeta().title).toBe('Store test');
    expect(store.isInitialised()).toBe(true);
  });
});

describe('BoardStore remote-change marks', () => {
  it('marks items another peer changed, not our own edits and not a big initial sync', () => {
    const server = new Y.Doc();
    initBoard(server, { title: 'Remote', createdAt: 1 });
    const ids = Array.from({ length: 10 }, (_, i) => addItem(server, { title: `Item ${i}`, createdBy: me }));
    const local = new Y.Doc();
    const store = new BoardStore(local);
    // The first sync brings 10 items in one transaction: not a highlight-worthy change.
    Y.applyUpdate(local, Y.encodeStateAsUpdate(server), 'provider');
    expect(ids.every((id) => store.getRemoteChangeAt(id) === 0)).toBe(true);

    // Our own edit is not highlighted.
    setItemTitle(local, ids[0]!, 'Mine');
    expect(store.getRemoteChangeAt(ids[0]!)).toBe(0);

    // Someone else's edit of one item is.
    Y.applyUpdate(server, Y.encodeStateAsUpdate(local));
    const before = Y.encodeStateVector(local);
    moveItem(server, ids[9]!, 'top');
    Y.applyUpdate(local, Y.encodeStateAsUpdate(server, before), 'provider');
    expect(store.getRemoteChangeAt(ids[9]!)).toBeGreaterThan(0);
    expect(store.getRemoteChangeAt(ids[1]!)).toBe(0);
    expect(store.getOrder()[0]).toBe(ids[9]);
  });
});
