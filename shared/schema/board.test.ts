import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { isValidRank } from '../ranking.ts';
import {
  addItem,
  appendItems,
  archiveItem,
  boardRoots,
  getItem,
  getItemMap,
  initBoard,
  isInitialised,
  listItems,
  moveItem,
  rankedActiveEntries,
  readMeta,
  restoreItem,
  setItemDescription,
  setItemEstimate,
  setItemField,
  setItemLabel,
  setItemStatus,
  setItemTitle,
} from './board.ts';
import { readEstimation } from './estimation.ts';
import { readSession } from './session.ts';
import { readItem } from './item.ts';
import { DEFAULT_DECK, FORMAT_VERSION } from './meta.ts';
import { DEFAULT_DEFINITION_OF_READY } from './readiness.ts';

const user = 'user000001' as UserId;

function boardWith(titles: readonly string[]): { doc: Y.Doc; ids: ItemId[] } {
  const doc = new Y.Doc();
  const ids = appendItems(
    doc,
    titles.map((title, i) => ({ title, createdBy: user, now: 1000 + i, id: `item${String(i).padStart(4, '0')}` as ItemId })),
  );
  return { doc, ids };
}

const titles = (doc: Y.Doc): string[] => listItems(doc).map((i) => i.title);

/** Counts the updates a call produces: an operation that changes nothing must write nothing. */
function updatesDuring(doc: Y.Doc, body: () => void): number {
  let n = 0;
  const count = () => n++;
  doc.on('update', count);
  body();
  doc.off('update', count);
  return n;
}

/** Syncs two docs both ways (full state exchange). */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('board setup', () => {
  it('[SRV-3] initBoard writes meta, session and estimation defaults once; readMeta reads them back', () => {
    const doc = new Y.Doc();
    expect(isInitialised(doc)).toBe(false);
    expect(updatesDuring(doc, () => initBoard(doc, { title: 'Sprint 12', createdAt: 42 }))).toBe(1);
    expect(isInitialised(doc)).toBe(true);
    expect(readMeta(doc)).toEqual({ title: 'Sprint 12', createdAt: 42, formatVersion: FORMAT_VERSION, deck: DEFAULT_DECK, productGoal: '', developersMayPlan: false, definitionOfReady: DEFAULT_DEFINITION_OF_READY });
    expect(readSession(doc)).toEqual({ phase: 'refinement', focusItemId: null, timer: null, dotBudget: 3 });
    expect(readEstimation(doc)).toEqual({ itemId: null, round: 0, state: 'voting', voted: [], results: {} });
  });

  it('initBoard keeps a custom deck', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 't', createdAt: 1, deck: ['S', 'M', 'L'] });
    expect(readMeta(doc).deck).toEqual(['S', 'M', 'L']);
  });

  it('[ITEM-5] readMeta of an empty or junk document falls back to defaults', () => {
    const doc = new Y.Doc();
    expect(readMeta(doc)).toEqual({ title: 'Untitled board', createdAt: 0, formatVersion: FORMAT_VERSION, deck: DEFAULT_DECK, productGoal: '', developersMayPlan: false, definitionOfReady: DEFAULT_DEFINITION_OF_READY });
    const meta = doc.getMap('meta');
    meta.set('title', 7);
    meta.set('deck', ['1', 2, null, '3']);
    meta.set('createdAt', 'yesterday');
    expect(readMeta(doc)).toMatchObject({ title: 'Untitled board', createdAt: 0, deck: ['1', '3'] });
  });

  it('[ITEM-5] readSession and readEstimation tolerate junk', () => {
    const doc = new Y.Doc();
    const { session, estimation } = boardRoots(doc);
    const rawSession = session as unknown as Y.Map<unknown>;
    rawSession.set('phase', 'party');
    rawSession.set('dotBudget', Number.NaN);
    rawSession.set('timer', 'soon');
    const rawEstimation = estimation as unknown as Y.Map<unknown>;
    rawEstimation.set('state', 'exploded');
    rawEstimation.set('voted', ['x']);
    expect(readSession(doc)).toEqual({ phase: 'refinement', focusItemId: null, timer: null, dotBudget: 3 });
    expect(readEstimation(doc)).toMatchObject({ state: null, voted: [], results: {} });
  });
});

describe('adding items', () => {
  it('addItem defaults to the bottom; top and an index place exactly', () => {
    const { doc } = boardWith(['a', 'b', 'c']);
    addItem(doc, { title: 'bottom', createdBy: user });
    addItem(doc, { title: 'top', createdBy: user, placement: 'top' });
    addItem(doc, { title: 'third', createdBy: user, placement: { index: 2 } });
    expect(titles(doc)).toEqual(['top', 'a', 'third', 'b', 'c', 'bottom']);
  });

  it('[ORD-8] addItem into an empty board, out-of-range index clamps', () => {
    const doc = new Y.Doc();
    addItem(doc, { title: 'one', createdBy: user, placement: { index: 5 } });
    addItem(doc, { title: 'zero', createdBy: user, placement: { index: -3 } });
    expect(titles(doc)).toEqual(['zero', 'one']);
  });

  it('addItem writes every field, trims and limits the title, in one update', () => {
    const doc = new Y.Doc();
    let id = '' as ItemId;
    const n = updatesDuring(doc, () => {
      id = addItem(doc, {
        title: `  ${'x'.repeat(LIMITS.maxTitleLength + 50)}  `,
        createdBy: user,
        now: 5,
        labels: ['ux', 'api'],
        description: 'why',
      });
    });
    expect(n).toBe(1);
    const item = getItem(doc, id)!;
    expect(item).toMatchObject({
      id,
      title: 'x'.repeat(LIMITS.maxTitleLength),
      description: 'why',
      status: 'new',
      estimate: null,
      labels: ['api', 'ux'],
      sprintId: null,
      createdBy: user,
      createdAt: 5,
      archivedAt: null,
      questions: [],
      comments: [],
      criteria: [],
      dots: {},
      dotTotal: 0,
      readyOverride: null,
    });
    expect(isValidRank(item.rank)).toBe(true);
    const raw = getItemMap(doc, id)!;
    for (const key of ['title', 'description', 'labels', 'questions', 'comments', 'dots', 'criteria', 'readyOverride', 'sprintId']) {
      expect(raw.has(key as never), key).toBe(true);
    }
  });

  it('addItem uses a given id, and random ids otherwise', () => {
    const doc = new Y.Doc();
    expect(addItem(doc, { title: 'a', createdBy: user, id: 'fixed00001' as ItemId })).toBe('fixed00001');
    const a = addItem(doc, { title: 'b', createdBy: user });
    const b = addItem(doc, { title: 'c', createdBy: user });
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9A-Za-z]{16}$/);
  });

  it('[ORD-10] appendItems adds many after the current last item in one update', () => {
    const { doc } = boardWith(['a', 'b']);
    const n = updatesDuring(doc, () => appendItems(doc, [1, 2, 3, 4].map((i) => ({ title: `n${i}`, createdBy: user }))));
    expect(n).toBe(1);
    expect(titles(doc)).toEqual(['a', 'b', 'n1', 'n2', 'n3', 'n4']);
  });

  it('[ORD-10] appendItems after a junk last rank still appends at the end', () => {
    const { doc, ids } = boardWith(['a', 'b']);
    getItemMap(doc, ids[1]!)!.set('rank', 'zzzzzzzz~');
    appendItems(doc, [{ title: 'c', createdBy: user }]);
    expect(titles(doc)).toEqual(['a', 'b', 'c']);
    expect(listItems(doc).every((i) => isValidRank(i.rank))).toBe(true);
  });

  it('[ITEM-8] addItem with an id already on the board keeps the existing item and writes nothing', () => {
    const { doc, ids } = boardWith(['original']);
    setItemDescription(doc, ids[0]!, 'notes');
    expect(updatesDuring(doc, () => addItem(doc, { title: 'impostor', createdBy: user, id: ids[0]! }))).toBe(0);
    expect(getItem(doc, ids[0]!)).toMatchObject({ title: 'original', description: 'notes' });
  });

  it('[ITEM-8] appendItems skips ids already on the board or repeated in the batch; every item gets a rank', () => {
    const { doc, ids } = boardWith(['original']);
    const twice = 'twice00001' as ItemId;
    const out = appendItems(doc, [
      { title: 'impostor', createdBy: user, id: ids[0]! },
      { title: 'first', createdBy: user, id: twice },
      { title: 'second', createdBy: user, id: twice },
      { title: 'new', createdBy: user },
    ]);
    expect(out).toHaveLength(4);
    expect(out.slice(0, 3)).toEqual([ids[0], twice, twice]);
    expect(titles(doc)).toEqual(['original', 'first', 'new']);
    expect(listItems(doc).every((i) => isValidRank(i.rank))).toBe(true);
    expect(updatesDuring(doc, () => appendItems(doc, [{ title: 'again', createdBy: user, id: twice }]))).toBe(0);
  });

  it('[ORD-4] addItem into the middle of tied ranks lands exactly there', () => {
    const { doc, ids } = boardWith(['a', 'b', 'c', 'd']);
    for (const id of ids) getItemMap(doc, id)!.set('rank', 'a5');
    addItem(doc, { title: 'new', createdBy: user, placement: { index: 2 } });
    expect(titles(doc)).toEqual(['a', 'b', 'new', 'c', 'd']);
  });
});

describe('moving items', () => {
  it('[ORD-3] moveItem to top, bottom and an index writes ranks only', () => {
    const { doc, ids } = boardWith(['a', 'b', 'c', 'd']);
    const before = boardRoots(doc).items.size;
    expect(moveItem(doc, ids[3]!, 'top')).toBe(true);
    expect(titles(doc)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(doc, ids[3]!, 'bottom')).toBe(true);
    expect(titles(doc)).toEqual(['a', 'b', 'c', 'd']);
    expect(moveItem(doc, ids[0]!, { index: 2 })).toBe(true);
    expect(titles(doc)).toEqual(['b', 'c', 'a', 'd']);
    expect(boardRoots(doc).items.size).toBe(before);
  });

  it('[ORD-3] a move changes only the moved item\'s rank when no tie is involved', () => {
    const { doc, ids } = boardWith(['a', 'b', 'c', 'd']);
    const ranksBefore = new Map(listItems(doc).map((i) => [i.id, i.rank]));
    moveItem(doc, ids[0]!, { index: 2 });
    const changed = listItems(doc).filter((i) => ranksBefore.get(i.id) !== i.rank).map((i) => i.title);
    expect(changed).toEqual(['a']);
  });

  it('[ORD-9][ORD-8] moveItem where the item already is writes nothing and returns false', () => {
    const { doc, ids } = boardWith(['a', 'b', 'c']);
    for (const [id, placement] of [
      [ids[0]!, 'top'],
      [ids[2]!, 'bottom'],
      [ids[1]!, { index: 1 }],
      [ids[2]!, { index: 99 }],
      [ids[0]!, { index: -1 }],
    ] as const) {
      let moved = true;
      expect(updatesDuring(doc, () => (moved = moveItem(doc, id, placement))), JSON.stringify(placement)).toBe(0);
      expect(moved).toBe(false);
    }
    expect(titles(doc)).toEqual(['a', 'b', 'c']);
  });

  it('moveItem of a missing or archived item is refused', () => {
    const { doc, ids } = boardWith(['a', 'b']);
    expect(moveItem(doc, 'nope000000' as ItemId, 'top')).toBe(false);
    archiveItem(doc, ids[1]!, 9);
    expect(moveItem(doc, ids[1]!, 'top')).toBe(false);
    expect(titles(doc)).toEqual(['a']);
  });

  it('[ORD-4] moving next to a tied run lands at the dropped index', () => {
    const { doc, ids } = boardWith(['a', 'b', 'c', 'd', 'e']);
    for (const id of ids.slice(1, 4)) getItemMap(doc, id)!.set('rank', 'a7');
    const order = titles(doc);
    moveItem(doc, ids[4]!, { index: 2 });
    const expected = order.filter((t) => t !== 'e');
    expected.splice(2, 0, 'e');
    expect(titles(doc)).toEqual(expected);
  });

  it('[ORD-5] moving next to an item with a junk rank heals the whole backlog', () => {
    const { doc, ids } = boardWith(['a', 'b', 'c']);
    getItemMap(doc, ids[1]!)!.set('rank', 'hello');
    const order = titles(doc);
    moveItem(doc, ids[0]!, { index: order.indexOf('b') });
    expect(listItems(doc).every((i) => isValidRank(i.rank))).toBe(true);
    expect(titles(doc)).toHaveLength(3);
  });

  it('[ORD-3] two docs moving the same item concurrently leave one copy at one position', () => {
    const { doc: a, ids } = boardWith(['a', 'b', 'c', 'd']);
    const b = new Y.Doc();
    sync(a, b);
    moveItem(a, ids[0]!, 'bottom');
    moveItem(b, ids[0]!, { index: 1 });
    sync(a, b);
    expect(titles(a)).toEqual(titles(b));
    expect(titles(a).filter((t) => t === 'a')).toHaveLength(1);
    expect(titles(a)).toHaveLength(4);
  });
});

describe('archive and restore', () => {
  it('[ITEM-1] archive hides the item from the backlog but keeps its content; restore brings it back in place', () => {
    const { doc, ids } = boardWith(['a', 'b', 'c']);
    setItemDescription(doc, ids[1]!, 'details');
    archiveItem(doc, ids[1]!, 77);
    expect(titles(doc)).toEqual(['a', 'c']);
    expect(rankedActiveEntries(doc).map((e) => e.id)).toEqual([ids[0], ids[2]]);
    expect(getItem(doc, ids[1]!)).toMatchObject({ title: 'b', description: 'details', archivedAt: 77 });
    expect(listItems(doc, { includeArchived: true }).map((i) => i.title)).toEqual(['a', 'b', 'c']);
    restoreItem(doc, ids[1]!);
    expect(titles(doc)).toEqual(['a', 'b', 'c']);
    expect(getItem(doc, ids[1]!)!.archivedAt).toBeNull();
  });

  it('[ITEM-1] an edit made concurrently with an archive is kept', () => {
    const { doc: a, ids } = boardWith(['story']);
    const b = new Y.Doc();
    sync(a, b);
    archiveItem(a, ids[0]!, 5);
    setItemTitle(b, ids[0]!, 'story, refined');
    sync(a, b);
    for (const doc of [a, b]) expect(getItem(doc, ids[0]!)).toMatchObject({ title: 'story, refined', archivedAt: 5 });
    restoreItem(a, ids[0]!);
    expect(titles(a)).toEqual(['story, refined']);
  });

  it('archive or restore of a missing item is a no-op', () => {
    const doc = new Y.Doc();
    expect(updatesDuring(doc, () => archiveItem(doc, 'missing000' as ItemId))).toBe(0);
    expect(updatesDuring(doc, () => restoreItem(doc, 'missing000' as ItemId))).toBe(0);
  });
});

describe('item fields', () => {
  it('[ITEM-2] setItemTitle writes a minimal diff: concurrent edits in one title keep both insertions', () => {
    const { doc: a, ids } = boardWith(['Login page']);
    const b = new Y.Doc();
    sync(a, b);
    setItemTitle(a, ids[0]!, 'New login page');
    setItemTitle(b, ids[0]!, 'Login page with SSO');
    sync(a, b);
    expect(getItem(a, ids[0]!)!.title).toBe('New login page with SSO');
    expect(getItem(b, ids[0]!)!.title).toBe('New login page with SSO');
  });

  it('[ITEM-2] setItemDescription merges concurrent edits the same way', () => {
    const { doc: a, ids } = boardWith(['x']);
    setItemDescription(a, ids[0]!, 'As a user I want');
    const b = new Y.Doc();
    sync(a, b);
    setItemDescription(a, ids[0]!, 'As a user I want to log in');
    setItemDescription(b, ids[0]!, 'As a busy user I want');
    sync(a, b);
    expect(getItem(a, ids[0]!)!.description).toBe('As a busy user I want to log in');
  });

  it('setItemTitle to the same text writes nothing; titles are limited in length', () => {
    const { doc, ids } = boardWith(['same']);
    expect(updatesDuring(doc, () => setItemTitle(doc, ids[0]!, 'same'))).toBe(0);
    setItemTitle(doc, ids[0]!, 'y'.repeat(LIMITS.maxTitleLength + 10));
    expect(getItem(doc, ids[0]!)!.title).toHaveLength(LIMITS.maxTitleLength);
  });

  it('[ITEM-3] a title cut at the length limit never ends in half an emoji', () => {
    const long = `${'x'.repeat(LIMITS.maxTitleLength - 1)}😀`;
    const doc = new Y.Doc();
    const id = addItem(doc, { title: long, createdBy: user });
    expect(getItem(doc, id)!.title).toBe('x'.repeat(LIMITS.maxTitleLength - 1));
    setItemTitle(doc, id, `y${long}`);
    expect(getItem(doc, id)!.title).toBe(`y${'x'.repeat(LIMITS.maxTitleLength - 1)}`);
    expect(getItem(doc, id)!.title).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('[ITEM-4] titles, descriptions and labels with a lone surrogate read the same on a peer', () => {
    const a = new Y.Doc();
    const id = addItem(a, { title: 'a\uD83D', description: '\uDE00', labels: ['x\uD83D'], createdBy: user });
    const b = new Y.Doc();
    sync(a, b);
    expect(getItem(b, id)).toEqual(getItem(a, id));
    expect(getItem(a, id)).toMatchObject({ title: 'a\uFFFD', description: '\uFFFD', labels: ['x\uFFFD'] });
  });

  it('[ITEM-6] setItemStatus accepts only known statuses', () => {
    const { doc, ids } = boardWith(['a']);
    setItemStatus(doc, ids[0]!, 'refining');
    expect(getItem(doc, ids[0]!)!.status).toBe('refining');
    expect(updatesDuring(doc, () => setItemStatus(doc, ids[0]!, 'shipped' as never))).toBe(0);
    expect(getItem(doc, ids[0]!)!.status).toBe('refining');
  });

  it('[ITEM-7] labels: added trimmed and limited, removed, sorted, empty ignored', () => {
    const { doc, ids } = boardWith(['a']);
    const id = ids[0]!;
    setItemLabel(doc, id, '  backend ', true);
    setItemLabel(doc, id, 'api', true);
    setItemLabel(doc, id, 'l'.repeat(LIMITS.maxLabelLength + 5), true);
    expect(updatesDuring(doc, () => setItemLabel(doc, id, '   ', true))).toBe(0);
    expect(getItem(doc, id)!.labels).toEqual(['api', 'backend', 'l'.repeat(LIMITS.maxLabelLength)]);
    setItemLabel(doc, id, 'api', false);
    expect(getItem(doc, id)!.labels).toEqual(['backend', 'l'.repeat(LIMITS.maxLabelLength)]);
  });

  it('[ITEM-7] labels given to addItem are cleaned like setItemLabel cleans them', () => {
    const doc = new Y.Doc();
    const id = addItem(doc, { title: 't', createdBy: user, labels: [' ux ', '', 'l'.repeat(LIMITS.maxLabelLength + 1)] });
    expect(getItem(doc, id)!.labels).toEqual(['l'.repeat(LIMITS.maxLabelLength), 'ux']);
  });

  it('estimate, sprint and ready override round-trip', () => {
    const { doc, ids } = boardWith(['a']);
    const id = ids[0]!;
    setItemEstimate(doc, id, '5');
    setItemField(doc, id, 'sprintId', 'sprint0001' as never);
    setItemField(doc, id, 'readyOverride', { by: user, name: 'Pat', at: 3 });
    expect(getItem(doc, id)).toMatchObject({ estimate: '5', sprintId: 'sprint0001', readyOverride: { by: user, name: 'Pat', at: 3 } });
    setItemEstimate(doc, id, null);
    expect(getItem(doc, id)!.estimate).toBeNull();
  });

  it('operations on a missing item do nothing', () => {
    const doc = new Y.Doc();
    const missing = 'missing000' as ItemId;
    const n = updatesDuring(doc, () => {
      setItemTitle(doc, missing, 'x');
      setItemDescription(doc, missing, 'x');
      setItemStatus(doc, missing, 'ready');
      setItemEstimate(doc, missing, '1');
      setItemLabel(doc, missing, 'x', true);
    });
    expect(n).toBe(0);
    expect(getItem(doc, missing)).toBeNull();
  });
});

describe('reading malformed items', () => {
  /** An item map as a buggy or hostile peer might write it. */
  function junkItem(fields: Record<string, unknown>): Y.Map<unknown> {
    const doc = new Y.Doc();
    const map = new Y.Map<unknown>();
    doc.getMap('items').set('junk', map);
    for (const [k, v] of Object.entries(fields)) map.set(k, v);
    return map;
  }

  it('[ITEM-5] readItem of a non-map is null; listItems skips such entries', () => {
    expect(readItem('hello', 'x')).toBeNull();
    expect(readItem(new Y.Array(), 'x')).toBeNull();
    const doc = new Y.Doc();
    doc.getMap('items').set('bad', 'not a map');
    doc.getMap('items').set('arr', new Y.Array());
    appendItems(doc, [{ title: 'ok', createdBy: user }]);
    expect(titles(doc)).toEqual(['ok']);
    expect(getItem(doc, 'bad')).toBeNull();
  });

  it('[ITEM-5] a peer writing junk into every field never crashes a reader', () => {
    const values: unknown[] = [null, 3, Number.NaN, 'str', true, [], {}, ['a'], new Y.Map(), new Y.Array(), new Y.Text('t')];
    const fields = [
      'id', 'title', 'description', 'rank', 'status', 'estimate', 'labels', 'sprintId', 'createdBy', 'createdAt',
      'archivedAt', 'questions', 'comments', 'dots', 'criteria', 'readyOverride',
    ];
    for (const field of fields) {
      for (const value of values) {
        const fresh = value instanceof Y.AbstractType ? new (value.constructor as new () => Y.AbstractType<unknown>)() : value;
        const item = readItem(junkItem({ [field]: fresh }), 'junk');
        const label = value instanceof Y.AbstractType ? value.constructor.name : JSON.stringify(value);
        expect(item, `${field}=${label}`).not.toBeNull();
        expect(typeof item!.title).toBe('string');
        expect(typeof item!.rank).toBe('string');
        expect(Array.isArray(item!.labels)).toBe(true);
        expect(item!.archivedAt === null || typeof item!.archivedAt === 'number').toBe(true);
      }
    }
  });

  it('[ITEM-5] junk inside questions, comments, criteria and dots is skipped or zeroed', () => {
    const questions = new Y.Array<unknown>();
    questions.push(['text', 5, new Y.Map()]);
    const dots = new Y.Map<unknown>();
    const item = junkItem({ questions, dots });
    dots.set('u1', 2);
    dots.set('u2', 'many');
    dots.set('u3', -4);
    dots.set('u4', 2.5);
    const read = readItem(item, 'junk')!;
    expect(read.questions).toEqual([]);
    expect(read.dots).toEqual({ u1: 2 });
    expect(read.dotTotal).toBe(2);
  });

  it('[ITEM-5] a malformed readyOverride reads as null rather than a half object', () => {
    for (const junk of [{}, [], { by: 5 }, { by: 'u', name: 'n' }, 'yes']) {
      expect(readItem(junkItem({ readyOverride: junk }), 'junk')!.readyOverride, JSON.stringify(junk)).toBeNull();
    }
  });

  it('[ITEM-5] a non-finite archivedAt counts as not archived, everywhere alike', () => {
    const doc = new Y.Doc();
    const [id] = appendItems(doc, [{ title: 'a', createdBy: user }]);
    getItemMap(doc, id!)!.set('archivedAt', Number.POSITIVE_INFINITY as number);
    expect(titles(doc)).toEqual(['a']);
    expect(rankedActiveEntries(doc)).toHaveLength(1);
  });
});
