import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, UserId } from '../../shared/ids.ts';
import { addItem, boardRoots, getItem, initBoard, listItems, readMeta } from '../../shared/schema/board.ts';
import { addCriterion } from '../../shared/schema/criteria.ts';
import { DEFAULT_DECK } from '../../shared/schema/meta.ts';
import { askQuestion, answerQuestion, resolveQuestion } from '../../shared/schema/questions.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { closeSprint, createSprint, editSprint, moveItemToSprint, readSprints, startSprint } from '../../shared/schema/sprints.ts';
import { changeMyDots, openDotRound, readDotVoting } from '../../shared/schema/dots.ts';
import { readHistory, readPoker, writeReveal, writeRoundStart } from '../../shared/schema/estimation.ts';
import { PolicyGate } from '../policy/gate.ts';
import { setStatusChecked } from '../../shared/schema/ready.ts';
import { setDefinitionOfReady } from '../../shared/schema/definitionOfReady.ts';
import { exportBoardJson } from '../../shared/transfer/boardExport.ts';
import { parseImport } from '../../shared/transfer/parseImport.ts';
import { applyImport, buildImport, describePlan, type ImportWriteOptions, planImport } from './writeImport.ts';

const po = { userId: 'u-po-0001' as UserId, role: 'po' as const, name: 'Pat' };
const dev = { userId: 'u-dev-0001' as UserId, role: 'dev' as const, name: 'Dana' };
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url)));
const text = (s: string) => new TextEncoder().encode(s);
const noPause = { pause: async () => {} };

function board(titles: string[] = []): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Shop', createdAt: 0 });
  for (const title of titles) addItem(doc, { title, createdBy: po.userId });
  return doc;
}

/** Parses and writes like the route does: plan, build with pauses, apply in one transaction. */
async function importInto(doc: Y.Doc, bytes: Uint8Array, opts: Partial<ImportWriteOptions> & { format?: 'auto' | 'json' | 'trello' | 'csv' | 'jira' } = {}) {
  const parsed = await parseImport(bytes, { format: opts.format ?? 'auto', deck: DEFAULT_DECK, ...noPause });
  const options: ImportWriteOptions = {
    by: po.userId,
    now: 1_700_000_000_000,
    update: opts.update ?? false,
    position: opts.position ?? 'bottom',
    fields: parsed.fields,
    sprints: parsed.sprints,
    board: parsed.board,
  };
  const plan = planImport(doc, parsed.records, options.update);
  const built = await buildImport(doc, plan, options, noPause);
  let updates = 0;
  const count = () => updates++;
  doc.on('update', count);
  let result = describePlan(plan);
  doc.transact(() => {
    result = applyImport(doc, parsed.records, options, built);
  });
  doc.off('update', count);
  return { parsed, result, updates };
}

const JIRA = 'Issue key,Summary,Description,Labels,Story Points,Status,Custom field (Acceptance Criteria)\r\n' +
  'SHOP-1,Pay by card,Card payments,checkout,5,To Do,"* Visa works\n* Declined cards say why"\r\n' +
  'SHOP-2,Ship,,,3,In Progress,\r\n';

describe('import: re-import and update=1', () => {
  it('[XFER-2] without update=1 a row whose key is on the board is skipped and changes nothing', async () => {
    const doc = board();
    await importInto(doc, text(JIRA));
    const before = Y.encodeStateVector(doc);
    const { result, updates } = await importInto(doc, text(JIRA.replace('Pay by card', 'Pay by card v2')));
    expect(result).toMatchObject({ imported: 0, updated: 0, skipped: 2 });
    expect(updates).toBe(0);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(listItems(doc)[0]!.title).toBe('Pay by card');
  });

  it('[XFER-2] update=1 overwrites title, description, estimate, labels and status, counts updated and lists the items as updated', async () => {
    const doc = board(['Mine']);
    await importInto(doc, text(JIRA));
    const changed = JIRA.replace('Pay by card,Card payments,checkout,5,To Do', 'Pay by card (PSP),New text,mobile,8,Done');
    const { result, updates } = await importInto(doc, text(`${changed}SHOP-3,Refunds,,,2,,\r\n`), { update: true });
    expect(result).toMatchObject({ imported: 1, updated: 2, skipped: 0 });
    expect(updates).toBe(1);
    expect(result.items.map((i) => [i.externalKey, i.action])).toEqual([
      ['SHOP-3', 'added'],
      ['SHOP-1', 'updated'],
      ['SHOP-2', 'updated'],
    ]);
    const items = listItems(doc);
    expect(items.map((i) => [i.title, i.description, i.labels, i.estimate, i.status])).toEqual([
      ['Mine', '', [], null, 'new'],
      ['Pay by card (PSP)', 'New text', ['mobile'], '8', 'done'],
      ['Ship', '', [], '3', 'refining'],
      ['Refunds', '', [], '2', 'new'],
    ]);
    expect(items[1]!.doneAt).toBe(1_700_000_000_000);
    // Criteria are not part of an update: the board's stay as they were.
    expect(items[1]!.criteria.map((c) => c.text)).toEqual(['Visa works', 'Declined cards say why']);
  });

  it('[XFER-2] update=1 leaves alone what the file has no column for, and keeps a status the ready rule refuses (warned)', async () => {
    const doc = board();
    await importInto(doc, text(JIRA));
    const id = listItems(doc)[0]!.id;
    askQuestion(doc, id, dev, { text: 'Which PSP?' });
    const { result } = await importInto(doc, text('Issue key,Summary,Status\r\nSHOP-1,Pay by card!,Ready for dev\r\n'), { update: true });
    expect(result.updated).toBe(1);
    const item = getItem(doc, id)!;
    expect([item.title, item.description, item.labels, item.estimate, item.status]).toEqual(['Pay by card!', 'Card payments', ['checkout'], '5', 'new']);
    expect(result.warnings).toContainEqual({ row: 2, column: 'status', message: expect.stringMatching(/open question/) });
    // A status word we do not know leaves the item's status alone (a new item would get New).
    const second = listItems(doc)[1]!;
    await importInto(doc, text('Issue key,Summary,Status\r\nSHOP-2,Ship,Waiting for QA\r\n'), { update: true });
    expect(getItem(doc, second.id)!.status).toBe('refining');
  });

  it('[XFER-2] a key twice in one file: the second row is skipped with a warning', async () => {
    const doc = board();
    const { result } = await importInto(doc, text('title,key\nA,K-1\nB,K-1\n'));
    expect(result).toMatchObject({ imported: 1, skipped: 1 });
    expect(result.warnings).toEqual([{ row: 3, column: null, message: expect.stringMatching(/K-1 appears earlier/) }]);
  });
});

describe('import: position', () => {
  it('[XFER-1] default: after the existing backlog, in file order; position=top: above it, in file order; one update each', async () => {
    const doc = board(['Old 1', 'Old 2']);
    const bottom = await importInto(doc, text('title\nA\nB\n'));
    expect(bottom.updates).toBe(1);
    const top = await importInto(doc, text('title\nX\nY\nZ\n'), { position: 'top' });
    expect(top.updates).toBe(1);
    expect(listItems(doc).map((i) => i.title)).toEqual(['X', 'Y', 'Z', 'Old 1', 'Old 2', 'A', 'B']);
  });
});

describe('import: ranks planned while building', () => {
  it('[XFER-7][XFER-1] 1,200 rows ranked in chunks keep file order at the top and after the backlog; an item added meanwhile is respected', async () => {
    for (const position of ['top', 'bottom'] as const) {
      const doc = board(['Old']);
      let csv = 'title\n';
      for (let i = 0; i < 1200; i++) csv += `Row ${i}\n`;
      const parsed = await parseImport(text(csv), { deck: DEFAULT_DECK, ...noPause });
      const options: ImportWriteOptions = { by: po.userId, now: 1, update: false, position, fields: parsed.fields };
      const plan = planImport(doc, parsed.records, false);
      let pauses = 0;
      const built = await buildImport(doc, plan, options, { pause: async () => void pauses++ });
      expect(pauses).toBeGreaterThanOrEqual(4);
      // Someone adds an item at the same end before the change runs: the ranks are planned again.
      addItem(doc, { title: 'Late', createdBy: dev.userId, placement: position });
      doc.transact(() => applyImport(doc, parsed.records, options, built));
      const titles = listItems(doc).map((i) => i.title);
      const rows = Array.from({ length: 1200 }, (_, i) => `Row ${i}`);
      expect(titles).toEqual(position === 'top' ? [...rows, 'Late', 'Old'] : ['Old', 'Late', ...rows]);
    }
  });
});

describe('import: criteria', () => {
  it('[XFER-3] the Jira acceptance-criteria field becomes criteria items; generic CSV "[x]" lines are checked ones', async () => {
    const doc = board();
    await importInto(doc, text(JIRA));
    expect(listItems(doc)[0]!.criteria.map((c) => [c.text, c.done])).toEqual([
      ['Visa works', false],
      ['Declined cards say why', false],
    ]);
    await importInto(doc, text('title,acceptance criteria\nC,"[x] done one\n[ ] open one"\n'));
    expect(listItems(doc)[2]!.criteria.map((c) => [c.text, c.done])).toEqual([
      ['done one', true],
      ['open one', false],
    ]);
  });
});

describe('import: our JSON export', () => {
  it('[XFER-12] export json → import into a new board: identical content and order (criteria, questions with answers, comments, sprints)', async () => {
    const src = board(['Pay by card', 'Ship', 'Refunds']);
    const [a, b, c] = listItems(src).map((i) => i.id) as [ItemId, ItemId, ItemId];
    const items = boardRoots(src).items;
    items.get(a)!.set('estimate', '5');
    (items.get(a)!.get('labels') as Y.Map<true>).set('checkout', true);
    (items.get(a)!.get('description') as Y.Text).insert(0, '## Goal\n- fast');
    addCriterion(src, a, po, 'Visa works');
    addCriterion(src, a, po, 'Declined cards say why');
    const q = askQuestion(src, b, dev, { text: 'Which carrier?', now: 10 });
    if (!q.ok) throw new Error('ask');
    answerQuestion(src, b, q.value, po, 'DHL', 20);
    resolveQuestion(src, b, q.value, po, true, 30);
    askQuestion(src, b, dev, { text: 'Still open?', now: 40 });
    addComment(src, c, dev, 'Needs legal', 50);
    setStatusChecked(src, a, 'ready', po);
    const sprint = createSprint(src, po, { name: 'Sprint 1', goal: 'Pay', startsAt: 1_000, endsAt: 2_000 });
    if (!sprint.ok) throw new Error('sprint');
    items.get(a)!.set('sprintId', sprint.value);
    const exported = exportBoardJson(src, 1);
    // The file carries what the test claims to round-trip.
    expect(exported.items.map((i) => [i.title, i.status, i.criteria.length, i.questions.length, i.comments.length, i.sprint !== null])).toEqual([
      ['Pay by card', 'ready', 2, 0, 0, true],
      ['Ship', 'new', 0, 2, 0, false],
      ['Refunds', 'new', 0, 0, 1, false],
    ]);
    expect(exported.items[1]!.questions[0]).toMatchObject({ answer: 'DHL', resolvedAt: 30 });
    const bytes = text(JSON.stringify(exported));

    const dst = board();
    const { parsed, result, updates } = await importInto(dst, bytes);
    expect(parsed.format).toBe('json');
    expect(parsed.errors).toEqual([]);
    expect(result.imported).toBe(3);
    expect(updates).toBe(1);
    const strip = (e: ReturnType<typeof exportBoardJson>) => ({
      ...e,
      exportedAt: 0,
      board: { ...e.board, title: '' },
      sprints: e.sprints.map((s) => ({ ...s, key: '' })),
      // Item ids are new on the copy (remapped); its items keep the old ids as key.
      items: e.items.map((i) => ({ ...i, id: '', sprint: i.sprint === null ? null : 'sprint' })),
    });
    // Item keys: the new board's items remember the old ids as externalKey, and export them as their key.
    expect(strip(exportBoardJson(dst, 1))).toEqual(strip(exported));
    expect(readSprints(dst).map((s) => s.name)).toEqual(['Sprint 1']);
    // Re-importing the same file into the same board adds nothing.
    const again = await importInto(dst, bytes);
    expect(again.result).toMatchObject({ imported: 0, skipped: 3 });
    expect(readSprints(dst)).toHaveLength(1);
  });

  it('[XFER-12] a hostile JSON export: bad question fields are errors at the item, junk estimates refused', async () => {
    const bad = {
      format: 'refinement-board',
      version: 1,
      items: [
        { key: 'a1', title: 'Ok', questions: [{ text: 'q', authorId: 'not an id!', authorName: 'x', createdAt: 1 }] },
        { key: 'a2', title: 'Big', estimate: 'x'.repeat(50) },
        { key: 'a3', title: 'Fine', status: 'ready' },
      ],
    };
    const parsed = await parseImport(text(JSON.stringify(bad)), { deck: DEFAULT_DECK, ...noPause });
    expect(parsed.errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'questions[0].authorId'],
      [2, 'estimate'],
    ]);
    expect(parsed.records.map((r) => [r.title, r.status])).toEqual([['Fine', 'ready']]);
  });
});

describe('import: Trello', () => {
  it('[XFER-13] cards in list order then card order, labels by name or colour, checklists → criteria, archived cards and lists skipped', async () => {
    const doc = board(['Existing']);
    const { parsed, result } = await importInto(doc, fixture('trello-board.json'));
    expect(parsed.format).toBe('trello');
    expect(result).toMatchObject({ imported: 4, skipped: 0 });
    expect(parsed.skipped).toBe(2);
    expect(parsed.warnings.map((w) => [w.row, w.message])).toEqual([
      [3, expect.stringMatching(/Archived cards/)],
      [6, expect.stringMatching(/archived list "Old ideas"/)],
    ]);
    const items = listItems(doc).slice(1);
    expect(items.map((i) => [i.title, i.status, i.labels, i.externalKey])).toEqual([
      ['Pay by card', 'new', ['checkout', 'mobile', 'yellow'], '65a1f0c2e4b0a1b2c3d4e801'],
      ['Guest checkout', 'new', ['checkout'], '65a1f0c2e4b0a1b2c3d4e803'],
      ['Fix rounding in totals', 'refining', ['bug'], '65a1f0c2e4b0a1b2c3d4e805'],
      ['Newsletter signup', 'done', [], '65a1f0c2e4b0a1b2c3d4e806'],
    ]);
    expect(items[0]!.description).toBe('Card payments via the PSP.\n\n- Visa\n- Mastercard');
    expect(items[0]!.criteria.map((c) => [c.text, c.done])).toEqual([
      ['3-D Secure challenge works', true],
      ['Declined cards show a reason', false],
      ['PSP contract signed', false],
    ]);
    const again = await importInto(doc, fixture('trello-board.json'));
    expect(again.result).toMatchObject({ imported: 0, skipped: 4 });
  });

  it('[XFER-13] JSON that is neither ours nor Trello, or not JSON at all, is unreadable', async () => {
    await expect(parseImport(text('{"hello": 1}'), { deck: DEFAULT_DECK })).rejects.toThrow(/neither a board export/);
    await expect(parseImport(text('{"cards": [1,'), { deck: DEFAULT_DECK })).rejects.toThrow(/not valid JSON/);
  });
});

describe('import: the Definition of Ready', () => {
  it('[DOR-4][XFER-2] an imported Ready item that fails a required check lands as Refining, with a warning naming it', async () => {
    const doc = board();
    setDefinitionOfReady(doc, po, { required: ['noOpenQuestions', 'estimate'], custom: [] });
    const { result } = await importInto(doc, text('title,status,estimate\r\nNo estimate yet,ready,\r\nEstimated,ready,3\r\n'), { format: 'csv' });
    expect(result.imported).toBe(2);
    expect(listItems(doc).map((i) => [i.title, i.status])).toEqual([
      ['No estimate yet', 'refining'],
      ['Estimated', 'ready'],
    ]);
    expect(result.warnings).toContainEqual({ row: 2, column: 'status', message: expect.stringContaining('“An agreed estimate”') });
  });
});

describe('import: the parts of our JSON beyond items [XFER-12]', () => {
  /** A source board with an anonymous dot round, a closed sprint and a revealed poker round. */
  async function source() {
    const src = board(['Pay', 'Ship']);
    const [a, b] = listItems(src).map((i) => i.id) as [ItemId, ItemId];
    openDotRound(src, { budget: 2, anonymous: true, now: 5 });
    changeMyDots(src, a, dev.userId, 1);
    changeMyDots(src, b, dev.userId, 1);
    changeMyDots(src, b, po.userId, 1);
    const s = createSprint(src, po, { name: 'Sprint 1', goal: '', startsAt: 1_000, endsAt: 2_000 });
    if (!s.ok) throw new Error('sprint');
    moveItemToSprint(src, po, a, s.value);
    startSprint(src, po, s.value, 1_001);
    closeSprint(src, po, s.value, { all: 'backlog', now: 2_000 });
    src.transact(() => {
      writeRoundStart(src, { round: 7, itemId: b, deck: ['1', '2', '3'], now: 10 });
      writeReveal(src, { [dev.userId]: '2' }, 20);
    });
    return { src, a, b, sprint: s.value };
  }

  it('[XFER-12][POL-8] an anonymous round exports pseudonyms (one per person, budget kept); the copy takes the round, the dots and the poker round under the new ids', async () => {
    const { src, b } = await source();
    const exported = exportBoardJson(src, 1);
    expect(JSON.stringify(exported.items.map((i) => i.dots))).not.toContain(dev.userId);
    expect(exported.items.map((i) => i.dots)).toEqual([{ 'voter-1': 1 }, { 'voter-1': 1, 'voter-2': 1 }]);
    const dst = board();
    const { result } = await importInto(dst, text(JSON.stringify(exported)));
    expect(result.warnings).toEqual([]);
    expect(readDotVoting(dst)).toMatchObject({ open: true, anonymous: true, budget: 2 });
    expect(listItems(dst).map((i) => i.dotTotal)).toEqual([1, 2]);
    const copyOfB = listItems(dst).find((i) => i.externalKey === b)!;
    expect(readHistory(dst, copyOfB.id)).toEqual([expect.objectContaining({ round: 7, itemId: copyOfB.id, results: { [dev.userId]: '2' } })]);
    // The next live round gets a number the file's rounds never had.
    expect(readPoker(dst).round).toBe(7);
  });

  it('[XFER-12][SPR-5][POL-7] the imported board keeps its rules: the closed sprint is read-only, and a member votes within the round as usual', async () => {
    const { src } = await source();
    const dst = board();
    await importInto(dst, text(JSON.stringify(exportBoardJson(src, 1))));
    const gate = new PolicyGate();
    const closed = readSprints(dst).find((s) => s.state === 'closed')!;
    expect(closed.outcome?.completed).toEqual([]);
    expect(closed.committed?.items).toEqual([{ id: listItems(dst)[0]!.id, points: null }]);
    const attempt = (user: { userId: UserId; role: 'po' | 'dev'; name: string }, fn: (doc: Y.Doc) => void) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(dst));
      const before = Y.encodeStateVector(doc);
      fn(doc);
      return gate.check({ doc: dst, user: { ...user, boardId: 'board1' as never }, update: Y.encodeStateAsUpdate(doc, before) });
    };
    // editSprint itself refuses a closed sprint; a hostile client writes the key directly.
    expect(editSprint(dst, po, closed.id, { name: 'Renamed' })).toMatchObject({ ok: false });
    expect(attempt(po, (doc) => boardRoots(doc).sprints.get(closed.id)!.set('name', 'Renamed'))).toMatchObject({ ok: false, reason: 'a closed sprint is read-only' });
    const item = listItems(dst)[1]!.id;
    expect(attempt(dev, (doc) => changeMyDots(doc, item, dev.userId, 1))).toEqual({ ok: true });
  });

  it('[XFER-12] a board with its own dot round and settings keeps them; the file says so in warnings', async () => {
    const { src } = await source();
    setDefinitionOfReady(src, po, { required: ['estimate'], custom: [] });
    const dst = board(['Mine']);
    openDotRound(dst, { budget: 5, now: 1 });
    setDefinitionOfReady(dst, po, { required: ['description'], custom: [] });
    const { result } = await importInto(dst, text(JSON.stringify(exportBoardJson(src, 1))));
    expect(result.imported).toBe(2);
    expect(readDotVoting(dst)).toMatchObject({ budget: 5, anonymous: false });
    expect(listItems(dst).map((i) => i.dotTotal)).toEqual([0, 0, 0]);
    expect(readMeta(dst).definitionOfReady.required).toEqual(['description']);
    expect(result.warnings.map((w) => w.column)).toEqual(expect.arrayContaining(['dotVoting', 'board.definitionOfReady']));
  });

  it('[XFER-12] a hostile file: records a sprint state cannot have, dots over the budget and junk poker rounds are left out, with warnings', async () => {
    const file = {
      format: 'refinement-board',
      version: 1,
      exportedAt: 1,
      board: { title: 'x', deck: DEFAULT_DECK },
      dotVoting: { round: { round: 1, open: true, anonymous: false, budget: 1, openedAt: 1, closedAt: null }, budget: 1, stakeholderDots: false },
      sprints: [{ key: 's-planned-1', name: 'Planned', goal: '', capacity: null, startsAt: null, endsAt: null, state: 'planned', committed: { at: 1, by: 'someone1', items: [], points: 0 }, availability: { 'not an id!': {} } }],
      items: [
        { key: 'k-000001', title: 'A', dots: { 'voter-1': 1, 'voter-2': 1 }, pokerRounds: [{ round: 1, deck: ['1'], results: { 'voter-1': 'x'.repeat(40) }, names: {}, startedAt: null, revealedAt: 1 }] },
        { key: 'k-000002', title: 'B', dots: { 'voter-1': 1 }, readyChecks: 'all' },
      ],
    };
    const dst = board();
    const { parsed, result } = await importInto(dst, text(JSON.stringify(file)));
    expect(parsed.errors).toEqual([]);
    expect(result.imported).toBe(2);
    expect(readSprints(dst)[0]).toMatchObject({ state: 'planned', committed: null, availability: new Map() });
    // voter-1 has 2 dots in a round of budget 1: theirs are left out; voter-2's stay.
    expect(listItems(dst).map((i) => i.dots)).toEqual([{ 'voter-2': 1 }, {}]);
    expect(readHistory(dst, listItems(dst)[0]!.id)).toEqual([]);
    expect(parsed.warnings.map((w) => w.column)).toEqual(
      expect.arrayContaining(['sprints[0].availability', 'sprints[0].committed', 'dots', 'pokerRounds[0]', 'readyChecks']),
    );
  });
});
