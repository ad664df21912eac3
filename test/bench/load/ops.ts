/**
 * The board's real operations (shared/schema/board.ts), picked at random in a fixed mix:
 * add item, move (rank change), edit title, dot vote.
 */
import type * as Y from 'yjs';
import type { ItemId, UserId } from '../../../shared/ids.ts';
import { addItem, boardRoots, moveItem, setItemTitle } from '../../../shared/schema/board.ts';
import { changeMyDots } from '../../../shared/schema/dots.ts';

export type OpKind = 'add' | 'move' | 'title' | 'dot';

const MIX: readonly [OpKind, number][] = [
  ['add', 0.15],
  ['move', 0.4],
  ['title', 0.3],
  ['dot', 0.15],
];

export function pickOp(rand: number): OpKind {
  let acc = 0;
  for (const [kind, p] of MIX) {
    acc += p;
    if (rand < acc) return kind;
  }
  return 'move';
}

function randomItemId(doc: Y.Doc): ItemId | null {
  const { items } = boardRoots(doc);
  const n = items.size;
  if (n === 0) return null;
  // Y.Map has no index access; walking keys is O(n) but boards in the write scenarios are small.
  let k = Math.floor(Math.random() * n);
  for (const key of items.keys()) if (k-- === 0) return key as ItemId;
  return null;
}

/** Per-client state the dot vote needs: which items hold this person's dots. */
export interface OpState {
  userId: UserId;
  seq: number;
  dotted: ItemId[];
}

/**
 * Dots through shared/schema/dots.ts (the round is opened when the board is seeded).
 * Once the budget is spent, a vote moves one dot: remove + place in one transaction.
 */
function dotVote(doc: Y.Doc, st: OpState, origin: unknown): void {
  const target = randomItemId(doc);
  if (!target || st.dotted.includes(target)) return;
  doc.transact(() => {
    if (changeMyDots(doc, target, st.userId, 1) === 'budget') {
      const old = st.dotted.shift();
      if (old) changeMyDots(doc, old, st.userId, -1);
      if (changeMyDots(doc, target, st.userId, 1) !== null) return;
    }
    st.dotted.push(target);
  }, origin);
}

export function runOp(doc: Y.Doc, kind: OpKind, st: OpState, origin: unknown): void {
  st.seq++;
  switch (kind) {
    case 'add':
      addItem(doc, { title: `Story ${st.userId.slice(0, 4)}-${st.seq}`, createdBy: st.userId }, origin);
      return;
    case 'move': {
      const id = randomItemId(doc);
      if (!id) return;
      const n = boardRoots(doc).items.size;
      moveItem(doc, id, { index: Math.floor(Math.random() * n) }, origin);
      return;
    }
    case 'title': {
      const id = randomItemId(doc);
      if (id) setItemTitle(doc, id, `As a user I want ${st.seq} things (${st.userId.slice(0, 4)})`, origin);
      return;
    }
    case 'dot':
      dotVote(doc, st, origin);
      return;
  }
}
