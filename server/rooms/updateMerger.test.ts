import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addItem, listItems } from '../../shared/schema/board.ts';
import { UpdateMerger } from './updateMerger.ts';

/** Updates of `steps` transactions of one doc, each adding `perStep` items with a long description. */
function stepUpdates(steps: number, perStep: number): Uint8Array[] {
  const doc = new Y.Doc();
  const parts: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => parts.push(u));
  for (let s = 0; s < steps; s++) {
    doc.transact(() => {
      for (let i = 0; i < perStep; i++) addItem(doc, { title: `item ${s}.${i}`, createdBy: 'user1234567' as never, description: 'x'.repeat(200) });
    });
  }
  return parts;
}

describe('UpdateMerger', () => {
  it('[XFER-7] merges big steps on its thread into one update that holds all of them, and small ones here', async () => {
    const merger = new UpdateMerger();
    try {
      const big = stepUpdates(4, 400);
      expect(big.reduce((n, p) => n + p.length, 0)).toBeGreaterThan(256 * 1024);
      for (const parts of [big, stepUpdates(3, 2)]) {
        const merged = await merger.merge(parts);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, merged);
        const expected = new Y.Doc();
        for (const p of parts) Y.applyUpdate(expected, p);
        expect(listItems(doc).map((i) => i.title)).toEqual(listItems(expected).map((i) => i.title));
        expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(expected));
      }
      expect(merger.mergedOnThread).toBe(1);
    } finally {
      await merger.close();
    }
  });
});
