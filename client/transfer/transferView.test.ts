import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { transferViewFor } from './transferView.ts';

describe('transferViewFor', () => {
  it('gives the header and the drop zone of one board the same store, and another board its own', () => {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    const store = transferViewFor(doc);
    expect(transferViewFor(doc)).toBe(store);
    expect(transferViewFor(other)).not.toBe(store);
    let heard = 0;
    const off = store.subscribe(() => heard++);
    store.show({ kind: 'summary' });
    expect(store.get()).toEqual({ kind: 'summary' });
    expect(transferViewFor(other).get()).toEqual({ kind: 'none' });
    store.close();
    off();
    store.show({ kind: 'import', file: null });
    expect(heard).toBe(2);
  });
});
