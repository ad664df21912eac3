import { useSyncExternalStore } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, UserId } from '../../shared/ids.ts';
import { addItem, archiveItem, initBoard } from '../../shared/schema/board.ts';
import { BoardStore } from '../hooks/boardStore.ts';
import { BoardContext, type BoardContextValue } from '../hooks/useBoard.ts';
import { ItemPicker, MAX_MATCHES, matchItems } from './ItemPicker.tsx';

// Server rendering (no DOM here) needs a server snapshot, which the app's useItem omits.
vi.mock('../hooks/useBoard.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../hooks/useBoard.ts')>()),
  useItem: (store: BoardStore, id: string) => {
    const get = () => store.getItem(id);
    return useSyncExternalStore(store.subscribe, get, get);
  },
}));

const ids = (n: number) => Array.from({ length: n }, (_, i) => `item-${i + 1}` as ItemId);
const titles: Record<string, string> = {
  'item-1': 'Checkout with saved cards',
  'item-2': 'Order history page',
  'item-3': 'Retry failed card payments',
  'item-4': 'Export orders as CSV',
  'item-5': 'Card reader for 12 stores',
};
const titleOf = (id: ItemId) => titles[id] ?? `Item ${id}`;

describe('matchItems', () => {
  it('lists the first items in backlog order, with their rank, when nothing is typed', () => {
    const order = ids(2000);
    const { matches, total } = matchItems(order, titleOf, '  ');
    expect(total).toBe(2000);
    expect(matches).toHaveLength(MAX_MATCHES);
    expect(matches[0]).toEqual({ id: 'item-1', rank: 1 });
    expect(matches[49]).toEqual({ id: 'item-50', rank: 50 });
  });

  it('keeps titles containing every typed word, in any case and order, in backlog order', () => {
    const order = ids(5);
    expect(matchItems(order, titleOf, 'CARD').matches.map((m) => m.id)).toEqual(['item-1', 'item-3', 'item-5']);
    expect(matchItems(order, titleOf, 'payments card').matches).toEqual([{ id: 'item-3', rank: 3 }]);
    const none = matchItems(order, titleOf, 'refund');
    expect(none).toEqual({ matches: [], total: 0 });
  });

  it('puts the item at a typed rank number (also "#n") first, then titles containing the digits', () => {
    const order = ids(20);
    expect(matchItems(order, titleOf, '12').matches.map((m) => m.id)).toEqual(['item-12', 'item-5']);
    expect(matchItems(order, titleOf, '#3').matches[0]).toEqual({ id: 'item-3', rank: 3 });
    // a number beyond the backlog is only a title search
    expect(matchItems(order, titleOf, '99').total).toBe(0);
  });

  it('renders at most the limit but counts every match', () => {
    const order = ids(2000);
    const { matches, total } = matchItems(order, () => 'Same words', 'same');
    expect(matches).toHaveLength(MAX_MATCHES);
    expect(total).toBe(2000);
  });
});

function boardWith(n: number) {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Picker test', createdAt: 1 });
  const created: ItemId[] = [];
  for (let i = 0; i < n; i++) created.push(addItem(doc, { title: `Story ${i + 1}`, createdBy: 'u' as UserId }));
  const store = new BoardStore(doc);
  return { doc, store, created };
}

function render(store: BoardStore, value: string | null, noneLabel?: string): string {
  const ctx = { store } as unknown as BoardContextValue;
  return renderToStaticMarkup(
    <BoardContext.Provider value={ctx}>
      <ItemPicker value={value} onChange={() => {}} label="Focus item" noneLabel={noneLabel} />
    </BoardContext.Provider>,
  );
}

describe('ItemPicker (closed)', () => {
  it('shows the chosen item in a collapsed combobox and renders no options, however big the board', () => {
    const small = boardWith(3);
    const big = boardWith(2000);
    const smallHtml = render(small.store, small.created[1]!);
    const bigHtml = render(big.store, big.created[1]!);
    expect(bigHtml).toContain('role="combobox"');
    expect(bigHtml).toContain('aria-expanded="false"');
    expect(bigHtml).toContain('value="Story 2"');
    expect(bigHtml).not.toContain('role="option"');
    // nothing in the markup grows with the board
    expect(bigHtml.length).toBe(smallHtml.length);
  });

  it('shows the "none" text when nothing is chosen, and an archived choice by its title', () => {
    const { doc, store, created } = boardWith(3);
    expect(render(store, null, 'No focus')).toContain('value="No focus"');
    archiveItem(doc, created[0]!);
    expect(render(store, created[0]!, 'No focus')).toContain('value="Story 1"');
  });
});
