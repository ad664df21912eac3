/** The one fold of stored state (fold.mjs) that compaction and cold start share. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyStored, foldStored } from './fold.mjs';

function edit(doc: Y.Doc, key: string, value: number): Uint8Array {
  let update: Uint8Array | null = null;
  const grab = (u: Uint8Array) => {
    update = u;
  };
  doc.on('update', grab);
  doc.getMap('m').set(key, value);
  doc.off('update', grab);
  return update!;
}

describe('foldStored', () => {
  it('nothing stored folds to the empty update', () => {
    expect(foldStored(null, [])).toEqual(new Uint8Array([0, 0]));
    const d = new Y.Doc();
    Y.applyUpdate(d, foldStored(null, []));
    expect(d.getMap('m').size).toBe(0);
  });

  it('a lone snapshot or a lone update is returned as is', () => {
    const d = new Y.Doc();
    const u = edit(d, 'a', 1);
    expect(foldStored(u, [])).toBe(u);
    expect(foldStored(null, [u])).toBe(u);
  });

  it('snapshot and updates fold to the state of applying them in order', () => {
    const d = new Y.Doc();
    const snapshot = edit(d, 'a', 1);
    const updates = [edit(d, 'b', 2), edit(d, 'a', 3)];
    const folded = foldStored(snapshot, updates);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, folded);
    expect(copy.getMap('m').toJSON()).toEqual({ a: 3, b: 2 });
    expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(d));
  });
});

describe('applyStored', () => {
  it('applies snapshot then updates in one transaction with the origin', () => {
    const d = new Y.Doc();
    const snapshot = edit(d, 'a', 1);
    const updates = [edit(d, 'b', 2)];
    const target = new Y.Doc();
    const origins: unknown[] = [];
    target.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    applyStored(target, snapshot, updates, 'load');
    expect(origins).toEqual(['load']);
    expect(target.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('a null snapshot applies the updates alone', () => {
    const d = new Y.Doc();
    const u = edit(d, 'x', 7);
    const target = new Y.Doc();
    applyStored(target, null, [u]);
    expect(target.getMap('m').get('x')).toBe(7);
  });
});
