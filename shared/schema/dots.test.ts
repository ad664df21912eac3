import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../ids.ts';
import { addItem, getItem, initBoard, listItems } from './board.ts';
import { changeMyDots, closeDotRound, dotsUsedBy, openDotRound, readDotVoting, sortByDots } from './dots.ts';

const ann = 'userAnn00001' as UserId;

function board() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 't', createdAt: 1 });
  const a = addItem(doc, { title: 'A', createdBy: ann });
  const b = addItem(doc, { title: 'B', createdBy: ann });
  const c = addItem(doc, { title: 'C', createdBy: ann });
  return { doc, a, b, c };
}

describe('dot voting', () => {
  it('[EST-10] no dots without an open round; the budget caps a person across items', () => {
    const { doc, a, b } = board();
    expect(changeMyDots(doc, a, ann, 1)).toBe('no-round');
    openDotRound(doc, { budget: 2 });
    expect(changeMyDots(doc, a, ann, 1)).toBeNull();
    expect(changeMyDots(doc, b, ann, 1)).toBeNull();
    expect(changeMyDots(doc, b, ann, 1)).toBe('budget');
    expect(dotsUsedBy(doc, ann)).toBe(2);
    expect(changeMyDots(doc, a, ann, -1)).toBeNull();
    expect(getItem(doc, a)?.dots).toEqual({});
    expect(changeMyDots(doc, a, ann, -1)).toBe('none-placed');
  });

  it('[EST-10] opening a new round clears the last one; closing keeps the dots', () => {
    const { doc, a } = board();
    openDotRound(doc, { budget: 3, anonymous: true });
    changeMyDots(doc, a, ann, 1);
    closeDotRound(doc);
    expect(readDotVoting(doc)).toMatchObject({ round: 1, open: false, anonymous: true });
    expect(getItem(doc, a)?.dotTotal).toBe(1);
    openDotRound(doc, {});
    expect(readDotVoting(doc)).toMatchObject({ round: 2, open: true, budget: 3, anonymous: false });
    expect(getItem(doc, a)?.dotTotal).toBe(0);
  });

  it('[EST-10] sort by dots orders a copy and writes no rank', () => {
    const { doc, b, c } = board();
    openDotRound(doc, { budget: 3 });
    changeMyDots(doc, c, ann, 1);
    changeMyDots(doc, c, ann, 1);
    changeMyDots(doc, b, ann, 1);
    const before = Y.encodeStateVector(doc);
    const items = listItems(doc);
    expect(sortByDots(items).map((i) => i.title)).toEqual(['C', 'B', 'A']);
    expect(items.map((i) => i.title)).toEqual(['A', 'B', 'C']);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});
