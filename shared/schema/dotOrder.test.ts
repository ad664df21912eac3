import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../ids.ts';
import { addItem, initBoard, listItems } from './board.ts';
import { applyDotOrder } from './dotOrder.ts';
import { changeMyDots, closeDotRound, openDotRound } from './dots.ts';

const ann = 'userAnn00001' as UserId;
const ben = 'userBen00001' as UserId;
const titles = (doc: Y.Doc) => listItems(doc).map((i) => i.title);

function votedBoard() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 't', createdAt: 1 });
  const ids = ['A', 'B', 'C', 'D', 'E'].map((title) => addItem(doc, { title, createdBy: ann, placement: 'bottom' }));
  openDotRound(doc, { budget: 3 });
  const [, b, c, d] = ids;
  changeMyDots(doc, d!, ann, 1);
  changeMyDots(doc, d!, ann, 1);
  changeMyDots(doc, b!, ann, 1);
  changeMyDots(doc, c!, ben, 1);
  closeDotRound(doc);
  return doc;
}

describe('apply dot order', () => {
  it('ranks the backlog by dots, most first; equal totals keep their current order', () => {
    const doc = votedBoard();
    expect(titles(doc)).toEqual(['A', 'B', 'C', 'D', 'E']);
    applyDotOrder(doc);
    // D has 2; B and C 1 each (B was above C); A and E none (A was above E).
    expect(titles(doc)).toEqual(['D', 'B', 'C', 'A', 'E']);
    expect(applyDotOrder(doc)).toBe(0); // already in dot order: writes nothing
  });

  it('is one transaction: one undo step puts the old order back', () => {
    const doc = votedBoard();
    const origin = { local: true };
    const undo = new Y.UndoManager(doc.getMap('items'), { trackedOrigins: new Set([origin]), captureTimeout: 0 });
    const transactions: number[] = [];
    doc.on('afterTransaction', () => transactions.push(1));
    applyDotOrder(doc, origin);
    expect(transactions).toHaveLength(1);
    expect(undo.undoStack).toHaveLength(1);
    undo.undo();
    expect(titles(doc)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });
});
