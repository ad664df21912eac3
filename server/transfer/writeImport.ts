/**
 * Writes parsed import records into a board: one server change, so one update, stored
 * before it is relayed (SRV-2) and seen by everyone at once [XFER-1].
 *
 * Three parts, so a 10,000-row file never holds the event loop for long [XFER-7]:
 * `planImport` (which rows are new, which update an item, which are skipped: cheap),
 * `buildImport` (the new items' Y.Maps, not yet in any doc, built with pauses), and
 * `importSteps`, the change itself in steps of IMPORT_STEP_ITEMS items for
 * Room.changeInSteps (which stores and relays them as one update): it plans again against
 * the board as it is now, puts the built maps in (or builds anew if the board changed
 * meanwhile), ranks them at the top or after the backlog in file order, and overwrites the
 * updated items (`update=1`). `applyImport` runs the same steps in one transaction.
 * A row whose key (an item's externalKey, or its id) is already on the board is skipped
 * unless `update=1` [XFER-2]. Our own JSON also brings sprints with their records, the
 * dot round, poker rounds and board settings (docs/protocol.md, "Import and export").
 */
import { generateNJitteredKeysBetween as generateNKeysBetween } from 'fractional-indexing-jittered';
import * as Y from 'yjs';
import type { CommentId, CriterionId, ItemId, QuestionId, SprintId, UserId } from '../../shared/ids.ts';
import { newSprintId } from '../../shared/ids.ts';
import { idPool } from './idPool.ts';
import { LIMITS } from '../../shared/limits.ts';
import { isValidRank, planAppendAll, type Ranked, type RankPlan } from '../../shared/ranking.ts';
import { boardRoots, rankedActiveEntries, readMeta } from '../../shared/schema/board.ts';
import { createCommentMap } from '../../shared/schema/comment.ts';
import { createCriterionMap } from '../../shared/schema/criterion.ts';
import { createItemMap, type ItemMap, type ItemSnapshot, isExternalKey, itemMap, READY_STATUS, readItem } from '../../shared/schema/item.ts';
import { type DefinitionOfReady, failingChecks, readinessLabel } from '../../shared/schema/readiness.ts';
import { createQuestionMap } from '../../shared/schema/question.ts';
import { readSprint, type SprintFields } from '../../shared/schema/sprint.ts';
import type { Availability } from '../../shared/schema/capacity.ts';
import { ASYNC_COUNTER_KEY } from '../../shared/schema/asyncRound.ts';
import { DOT_VOTING_KEY, readDotVoting, readStakeholderDots, STAKEHOLDER_DOTS_KEY } from '../../shared/schema/dots.ts';
import { estimationMap } from '../../shared/schema/estimation.ts';
import { DEFAULT_DECK } from '../../shared/schema/meta.ts';
import type { RecordedItem } from '../../shared/schema/sprintRecord.ts';
import { replaceText } from '../../shared/schema/text.ts';
import { newTypedMap, readNullableNumber, readNumber } from '../../shared/schema/typed-map.ts';
import { type ImportedBoardParts, type ImportedSprint, type ImportRecord, macrotask, type Pacing, pacer, type UpdatableField } from '../../shared/transfer/record.ts';
import type { ImportedItem, ImportIssue, ImportPosition } from '../../shared/transfer/report.ts';

const nextId = idPool();
const newItemId = () => nextId() as ItemId;
const newCriterionId = () => nextId() as CriterionId;
const newQuestionId = () => nextId() as QuestionId;
const newCommentId = () => nextId() as CommentId;

export interface ImportWriteOptions {
  by: UserId;
  now: number;
  /** Overwrite items whose key is already on the board (else skip those rows). */
  update: boolean;
  position: ImportPosition;
  /** The fields the file carries; `update` overwrites only these. */
  fields: ReadonlySet<UpdatableField>;
  /** Sprints of our own JSON export. */
  sprints?: readonly ImportedSprint[];
  /** Board settings and the dot round of our own JSON export. */
  board?: ImportedBoardParts;
}

export interface ImportPlan {
  fresh: { id: ItemId; rec: ImportRecord }[];
  updates: { id: ItemId; rec: ImportRecord }[];
  skipped: number;
  warnings: ImportIssue[];
}

export interface WriteResult {
  imported: number;
  updated: number;
  skipped: number;
  items: ImportedItem[];
  warnings: ImportIssue[];
}

/** Every key an item answers to: its externalKey and its id (our JSON export names items by id). */
function keysOnBoard(doc: Y.Doc): Map<string, ItemId> {
  const keys = new Map<string, ItemId>();
  boardRoots(doc).items.forEach((raw, id) => {
    if (!(raw instanceof Y.Map)) return;
    if (!keys.has(id)) keys.set(id, id as ItemId);
    const key = raw.get('externalKey');
    if (isExternalKey(key)) keys.set(key, id as ItemId);
  });
  return keys;
}

/** Sorts the records into new, update and skipped, against the board as it is. Pure but for new ids. */
export function planImport(doc: Y.Doc, records: readonly ImportRecord[], update: boolean, reuse?: ImportPlan): ImportPlan {
  const known = keysOnBoard(doc);
  const seen = new Set<string>();
  const plan: ImportPlan = { fresh: [], updates: [], skipped: 0, warnings: [] };
  const reusable = reuse?.fresh[Symbol.iterator]();
  for (const rec of records) {
    if (rec.externalKey && seen.has(rec.externalKey)) {
      plan.skipped++;
      plan.warnings.push({ row: rec.row, column: null, message: `The key ${rec.externalKey} appears earlier in the file; this row is skipped` });
      continue;
    }
    if (rec.externalKey) seen.add(rec.externalKey);
    const existing = rec.externalKey ? known.get(rec.externalKey) : undefined;
    if (existing) {
      if (update) plan.updates.push({ id: existing, rec });
      else plan.skipped++;
      continue;
    }
    // Keep the ids of an earlier plan for the same rows, so built maps and the preview match.
    const earlier = reusable?.next().value;
    plan.fresh.push({ id: earlier && earlier.rec === rec ? earlier.id : newItemId(), rec });
  }
  return plan;
}

/** True when two plans add the same rows (the built maps fit the second). */
const sameFresh = (a: ImportPlan, b: ImportPlan): boolean =>
  a.fresh.length === b.fresh.length && a.fresh.every((f, i) => f.rec === b.fresh[i]!.rec && f.id === b.fresh[i]!.id);

export interface BuiltImport {
  plan: ImportPlan;
  maps: Map<ItemId, ItemMap>;
  /** Ranks planned while building (10,000 jittered keys take ~0.3 s), valid while `anchor` holds. */
  ranks: RankPlan;
  anchor: string | null;
  /** Whether the maps carry the file's dots (the board had no dot round of its own). */
  withDots: boolean;
}

/** The neighbour the new items are ranked against (first item for top, last for bottom). */
function anchorOf(ordered: readonly Ranked[], position: ImportPosition): string | null {
  const at = position === 'top' ? ordered[0] : ordered.at(-1);
  return at ? `${at.id}\u0000${at.rank}` : null;
}

function planRanks(ordered: readonly Ranked[], ids: readonly string[], position: ImportPosition): RankPlan {
  return position === 'top' ? planPrependAll(ordered, ids) : planAppendAll(ordered, ids);
}

/** One new item's map, with its criteria, questions and comments (our JSON carries the last two), ticks and dots. */
function buildItem(id: ItemId, rec: ImportRecord, by: UserId, now: number, withDots: boolean): ItemMap {
  const full = rec.full;
  const status = rec.status ?? 'new';
  const map = createItemMap({
    id,
    title: rec.title,
    rank: '',
    createdBy: (full?.createdBy as UserId | null) ?? by,
    createdAt: full?.createdAt ?? now,
    status,
    description: rec.description,
    labels: rec.labels,
    estimate: rec.estimate,
    ...(rec.externalKey ? { externalKey: rec.externalKey } : {}),
  });
  // A map not yet in a doc cannot be read (Yjs keeps its content aside), so lists are made here and set.
  const list = (entries: Y.Map<unknown>[]) => {
    const arr = new Y.Array<Y.Map<unknown>>();
    arr.push(entries);
    return arr;
  };
  if (rec.criteria.length > 0) {
    map.set('criteria', list(rec.criteria.map((c) => createCriterionMap({ id: newCriterionId(), text: c.text, done: c.done }) as unknown as Y.Map<unknown>)));
  }
  // The burndown counts an item done from doneAt (SPR-10): keep the file's, else now.
  if (status === 'done') map.set('doneAt', full?.doneAt ?? now);
  if (full) {
    if (full.questions.length > 0) {
      map.set('questions', list(full.questions.map((q) => createQuestionMap({ ...q, id: newQuestionId() } as never) as unknown as Y.Map<unknown>)));
    }
    if (full.comments.length > 0) {
      map.set(
        'comments',
        list(
          full.comments.map((c) => {
            const comment = createCommentMap({ id: newCommentId(), text: c.text, authorId: c.authorId as UserId, authorName: c.authorName, createdAt: c.createdAt });
            comment.set('editedAt', c.editedAt);
            comment.set('deletedAt', c.deletedAt);
            return comment as unknown as Y.Map<unknown>;
          }),
        ),
      );
    }
    if (full.readyChecks.length > 0) {
      const ticks = new Y.Map<true>();
      for (const check of full.readyChecks) ticks.set(check, true);
      map.set('readyChecks', ticks);
    }
    if (withDots && Object.keys(full.dots).length > 0) {
      const dots = new Y.Map<number>();
      for (const [user, n] of Object.entries(full.dots)) dots.set(user, n);
      map.set('dots', dots);
    }
    if (full.readyOverride) map.set('readyOverride', full.readyOverride);
    if (full.archivedAt !== null) map.set('archivedAt', full.archivedAt);
    if (full.blocked) map.set('blocked', full.blocked);
  }
  return map;
}

/**
 * Builds the new items' maps outside any doc and plans their ranks against the backlog as
 * it is, pausing between batches so other boards are served.
 */
export async function buildImport(doc: Y.Doc, plan: ImportPlan, options: Pick<ImportWriteOptions, 'by' | 'now' | 'position' | 'board'>, pacing: Pacing = {}): Promise<BuiltImport> {
  const maps = new Map<ItemId, ItemMap>();
  const pace = pacer(pacing);
  const withDots = takesDotRound(doc, options.board);
  for (const { id, rec } of plan.fresh) {
    await pace();
    maps.set(id, buildItem(id, rec, options.by, options.now, withDots));
  }
  const ordered = rankedActiveEntries(doc);
  const ids = plan.fresh.map((f) => f.id);
  const ranks = (await chainedRanks(ordered, ids, options.position, pacing.pause ?? macrotask)) ?? planRanks(ordered, ids, options.position);
  return { plan, maps, ranks, anchor: anchorOf(ordered, options.position), withDots };
}

const RANK_CHUNK = 500;
const fits = (k: string) => isValidRank(k) && k.length <= LIMITS.maxRankLength;

/**
 * The new items' ranks in chunks with pauses (10,000 jittered keys cost ~0.3 s at once):
 * after the last item, each chunk after the one before; at the top, chunks from the end,
 * each before the one after it, down from the first item. Null when a key does not fit
 * (odd neighbours): the caller then plans at once, re-spreading the list if it must.
 */
async function chainedRanks(ordered: readonly Ranked[], ids: readonly string[], position: ImportPosition, pause: () => Promise<void>): Promise<RankPlan | null> {
  const keys: string[] = new Array(ids.length);
  try {
    if (position === 'bottom') {
      let lo = ordered.at(-1)?.rank ?? null;
      if (lo !== null && !isValidRank(lo)) return null;
      for (let from = 0; from < ids.length; from += RANK_CHUNK) {
        if (from > 0) await pause();
        const chunk = generateNKeysBetween(lo, null, Math.min(RANK_CHUNK, ids.length - from));
        chunk.forEach((k, i) => {
          keys[from + i] = k;
        });
        lo = chunk.at(-1)!;
      }
    } else {
      let hi = ordered[0]?.rank ?? null;
      if (hi !== null && !isValidRank(hi)) return null;
      for (let to = ids.length; to > 0; to -= RANK_CHUNK) {
        if (to < ids.length) await pause();
        const from = Math.max(0, to - RANK_CHUNK);
        const chunk = generateNKeysBetween(null, hi, to - from);
        chunk.forEach((k, i) => {
          keys[from + i] = k;
        });
        hi = chunk[0]!;
      }
    }
  } catch {
    return null;
  }
  return keys.every(fits) ? new Map(ids.map((id, i) => [id, keys[i]!])) : null;
}

/** Ranks for `newIds` before the first of `ordered`; the whole list re-spread when they do not fit [ORD-5]. */
function planPrependAll(ordered: readonly Ranked[], newIds: readonly string[]): RankPlan {
  const first = ordered[0]?.rank ?? null;
  if (first === null || isValidRank(first)) {
    try {
      const keys = generateNKeysBetween(null, first, newIds.length);
      if (keys.every((k) => isValidRank(k) && k.length <= LIMITS.maxRankLength)) return new Map(newIds.map((id, i) => [id, keys[i]!]));
    } catch {
      // an odd first key: re-spread below
    }
  }
  const ids = [...newIds, ...ordered.map((e) => e.id)];
  const keys = generateNKeysBetween(null, null, ids.length);
  return new Map(ids.map((id, i) => [id, keys[i]!]));
}

/**
 * Adds the file's sprints (our JSON) that the board does not have yet (same name and dates),
 * in the state the file has, with their availability and frozen records, the records'
 * item ids mapped to this board's (`itemIds`: the file's item id → the item here; an id
 * the file does not have stays as it was, and reads as an item no longer on the board).
 * The gate's rules for clients (a new sprint is planned, records are written when it
 * starts or closes, a closed sprint is read-only, SPR-1, SPR-5) describe the steps of a
 * sprint's life; the server writes the end of those steps at once, as the source board
 * had it, and the reader let through only records the sprint's state has. File key → sprint id.
 */
function writeSprints(doc: Y.Doc, sprints: readonly ImportedSprint[], itemIds: ReadonlyMap<string, ItemId>, warnings: ImportIssue[]): Map<string, SprintId> {
  const ids = new Map<string, SprintId>();
  const { sprints: root } = boardRoots(doc);
  const existing: { id: SprintId; name: string; startsAt: number | null; endsAt: number | null; state: string }[] = [];
  root.forEach((raw, key) => {
    const s = readSprint(raw, key);
    if (s) existing.push(s);
  });
  let active = existing.some((s) => s.state === 'active');
  for (const s of sprints) {
    const same = existing.find((e) => e.name === s.name && e.startsAt === s.startsAt && e.endsAt === s.endsAt);
    if (same) {
      ids.set(s.key, same.id);
      continue;
    }
    let state = s.state ?? 'planned';
    if (state === 'active' && active) {
      warnings.push({ row: 0, column: 'sprints', message: `The board already has an active sprint; "${s.name}" is imported as planned` });
      state = 'planned';
    }
    if (state === 'active') active = true;
    const id = newSprintId();
    const availability = new Y.Map<Availability>();
    for (const [user, a] of Object.entries(s.availability ?? {})) availability.set(user, { ...a });
    const remap = (list: readonly RecordedItem[]): RecordedItem[] => list.map((r) => ({ id: itemIds.get(r.id) ?? r.id, points: r.points }));
    const committed = state !== 'planned' && s.committed ? { ...s.committed, items: remap(s.committed.items) } : null;
    const outcome =
      state === 'closed' && s.outcome
        ? { ...s.outcome, completed: remap(s.outcome.completed), added: remap(s.outcome.added), removed: remap(s.outcome.removed), carriedOver: remap(s.outcome.carriedOver) }
        : null;
    const map = newTypedMap<SprintFields>({
      id,
      name: s.name,
      goal: s.goal,
      capacity: s.capacity,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      state,
      focusFactor: s.focusFactor ?? 1,
      pointsPerDay: s.pointsPerDay ?? null,
      availability,
      committed,
      outcome,
    });
    root.set(id, map as unknown as Y.Map<unknown>);
    ids.set(s.key, id);
  }
  return ids;
}

/** Overwrites one item from its row (`update=1`): only the fields the file carries. */
function updateItem(item: ItemMap, rec: ImportRecord, fields: ReadonlySet<UpdatableField>, now: number, warnings: ImportIssue[]): void {
  const title = item.get('title');
  if (title instanceof Y.Text && title.toString() !== rec.title) replaceText(title, rec.title);
  const description = item.get('description');
  if (fields.has('description') && description instanceof Y.Text && description.toString() !== rec.description) replaceText(description, rec.description);
  if (fields.has('estimate') && item.get('estimate') !== rec.estimate) item.set('estimate', rec.estimate);
  const labels = item.get('labels');
  if (fields.has('labels') && labels instanceof Y.Map) {
    const want = new Set(rec.labels);
    for (const l of [...labels.keys()]) if (!want.has(l)) labels.delete(l);
    for (const l of want) if (!labels.has(l)) labels.set(l, true);
  }
  const status = rec.status;
  if (fields.has('status') && status !== null && item.get('status') !== status) {
    const questions = item.get('questions');
    const open = questions instanceof Y.Array ? questions.toArray().filter((q) => q instanceof Y.Map && readNullableNumber(q.get('resolvedAt')) === null).length : 0;
    if (status === READY_STATUS && open > 0) {
      // The ready rule (REF-5): open questions block ready unless the PO overrides on the board.
      warnings.push({ row: rec.row, column: 'status', message: `${open} open question${open === 1 ? '' : 's'} on the board: the status stays as it is, not Ready` });
    } else {
      const wasDone = item.get('status') === 'done';
      item.set('status', status);
      if (status === 'done' && !wasDone) item.set('doneAt', now);
      if (status !== 'done' && wasDone) item.set('doneAt', null);
      if (item.get('readyOverride') != null) item.set('readyOverride', null);
    }
  }
}

const itemOf = (id: ItemId, rec: ImportRecord, action: 'added' | 'updated'): ImportedItem => ({
  id,
  title: rec.title,
  externalKey: rec.externalKey,
  estimate: rec.estimate,
  status: rec.status ?? 'new',
  labels: rec.labels,
  action,
});

/** What the plan will do, for a dry run's answer. */
export function describePlan(plan: ImportPlan): WriteResult {
  return {
    imported: plan.fresh.length,
    updated: plan.updates.length,
    skipped: plan.skipped,
    items: [...plan.fresh.map((f) => itemOf(f.id, f.rec, 'added')), ...plan.updates.map((u) => itemOf(u.id, u.rec, 'updated'))],
    warnings: plan.warnings,
  };
}

/**
 * Writes the import; call inside one transaction (the room's change). `built` comes from
 * `buildImport` on an earlier plan: its maps are used when the board still gives the same
 * plan, else the items are built here (someone added one of the keys meanwhile).
 */
export function applyImport(doc: Y.Doc, records: readonly ImportRecord[], options: ImportWriteOptions, built?: BuiltImport): WriteResult {
  const stepped = importSteps(records, options, built);
  for (const step of stepped.steps(doc)) step(doc);
  return stepped.result();
}

/** New items per step of a stepped import: ~15–30 ms of Yjs and history work each for Jira-sized rows (measured: docs/benchmarks.md). */
export const IMPORT_STEP_ITEMS = 250;

/**
 * The import as steps for Room.changeInSteps [XFER-1, XFER-7]: the first plans against the
 * board as it is then (nothing else of the board runs until the last step), writes the
 * sprints and board settings and the first items; each further step puts the next
 * `itemsPerStep` items in, with their poker rounds; the last re-spreads existing ranks if
 * it must and overwrites the updated items. Stored and relayed as one update, so run in
 * one transaction (applyImport) or in steps, the board ends the same. `result` after the last step.
 */
export function importSteps(
  records: readonly ImportRecord[],
  options: ImportWriteOptions,
  built?: BuiltImport,
  itemsPerStep = IMPORT_STEP_ITEMS,
): { steps: (doc: Y.Doc) => Generator<(doc: Y.Doc) => void>; result: () => WriteResult } {
  let result: WriteResult | null = null;
  function* steps(doc: Y.Doc): Generator<(doc: Y.Doc) => void> {
    let plan!: ImportPlan;
    let maps!: Map<ItemId, ItemMap>;
    let withDots = false;
    let sprintIds = new Map<string, SprintId>();
    let ranks = new Map<string, string>();
    let dor!: DefinitionOfReady;
    const warnings: ImportIssue[] = [];
    const { items } = boardRoots(doc);
    const insert = (from: number) => {
      for (const { id, rec } of plan.fresh.slice(from, from + itemsPerStep)) {
        const map = maps.get(id) ?? buildItem(id, rec, options.by, options.now, withDots);
        map.set('rank', ranks.get(id)!);
        const sprint = rec.full?.sprintKey ? sprintIds.get(rec.full.sprintKey) : undefined;
        if (sprint) map.set('sprintId', sprint);
        holdNewToDefinitionOfReady(map, rec, dor, warnings);
        items.set(id, map as unknown as Y.Map<unknown>);
        ranks.delete(id);
      }
      writePokerRounds(doc, plan.fresh.slice(from, from + itemsPerStep));
    };
    yield () => {
      plan = planImport(doc, records, options.update, built?.plan);
      withDots = takesDotRound(doc, options.board);
      const reuse = built !== undefined && sameFresh(built.plan, plan) && built.withDots === withDots;
      maps = reuse ? built.maps : new Map();
      warnings.push(...plan.warnings);
      if (options.sprints && options.sprints.length > 0) sprintIds = writeSprints(doc, options.sprints, sourceIds(doc, plan), warnings);
      // Before the items, so the ready rule judges them by the file's Definition of Ready when it is applied.
      if (options.board) writeBoardParts(doc, options.board, withDots, plan, warnings);
      dor = readMeta(doc).definitionOfReady;
      if (plan.fresh.length > 0) {
        const ordered = rankedActiveEntries(doc);
        // The built ranks still fit if the neighbour they were planned against is unchanged.
        const fresh = plan.fresh.map((f) => f.id);
        ranks = new Map(reuse && built.anchor === anchorOf(ordered, options.position) ? built.ranks : planRanks(ordered, fresh, options.position));
      }
    };
    // The plan above is a step of its own: with the first items in it, it was the longest.
    for (let from = 0; from < plan.fresh.length; from += itemsPerStep) yield () => insert(from);
    yield () => {
      // A re-spread list: the existing items' new ranks.
      for (const [id, rank] of ranks) items.get(id)?.set('rank', rank);
      for (const { id, rec } of plan.updates) {
        const raw = items.get(id);
        if (raw instanceof Y.Map) updateItem(itemMap(raw), rec, options.fields, options.now, warnings);
      }
      holdToDefinitionOfReady(doc, plan.updates, warnings);
      raiseRoundCounters(doc, plan);
      result = { ...describePlan(plan), warnings };
    };
  }
  return {
    steps,
    result: () => {
      if (!result) throw new Error('the import has not run all its steps');
      return result;
    },
  };
}

/**
 * [DOR-4] A new item marked Ready that fails a required check of the board's Definition of
 * Ready (and has no PO override from the file) goes in as Refining, judged from its record
 * before it is in the doc (so no step re-reads the items it wrote).
 */
function holdNewToDefinitionOfReady(map: ItemMap, rec: ImportRecord, dor: DefinitionOfReady, warnings: ImportIssue[]): void {
  if ((rec.status ?? 'new') !== READY_STATUS || rec.full?.readyOverride) return;
  const input = {
    openQuestionCount: (rec.full?.questions ?? []).filter((q) => q.resolvedAt === null).length,
    estimate: rec.estimate,
    criteria: rec.criteria as unknown as ItemSnapshot['criteria'],
    description: rec.description,
  };
  const failing = failingChecks(input, dor, new Set(rec.full?.readyChecks ?? []));
  if (failing.length === 0) return;
  map.set('status', 'refining');
  warnings.push(notReadyWarning(rec, failing, dor));
}

const notReadyWarning = (rec: ImportRecord, failing: readonly string[], dor: DefinitionOfReady): ImportIssue => ({
  row: rec.row,
  column: 'status',
  message: `Not Ready on this board: the Definition of Ready still needs ${failing.map((k) => `“${readinessLabel(k, dor)}”`).join(', ')}; imported as Refining`,
});

/** The file's item ids (our JSON's `id`, else its key) → the item on this board: a new one, or the one already here with that key. */
function sourceIds(doc: Y.Doc, plan: ImportPlan): Map<string, ItemId> {
  const out = keysOnBoard(doc);
  for (const { id, rec } of plan.fresh) {
    if (rec.externalKey) out.set(rec.externalKey, id);
    if (rec.full?.sourceId) out.set(rec.full.sourceId, id);
  }
  return out;
}

/**
 * The file's dot round comes along only to a board that never had one: a board's dots
 * belong to its own round (opening one clears every dot), so mixing two rounds' dots
 * would count votes against the wrong budget (POL-8).
 */
function takesDotRound(doc: Y.Doc, board: ImportedBoardParts | undefined): boolean {
  return !!board?.dotVoting && readDotVoting(doc) === null;
}

/**
 * Revealed poker rounds of new items into `estimation.history` (a root only the server
 * writes, POL-2), under the items' new ids.
 */
function writePokerRounds(doc: Y.Doc, fresh: readonly { id: ItemId; rec: ImportRecord }[]): void {
  const estimation = estimationMap(doc);
  let history: Y.Map<unknown> | null = null;
  for (const { id, rec } of fresh) {
    const rounds = rec.full?.pokerRounds ?? [];
    if (rounds.length === 0) continue;
    if (!history) {
      const existing = estimation.get('history');
      history = existing instanceof Y.Map ? existing : new Y.Map<unknown>();
      if (!(existing instanceof Y.Map)) estimation.set('history', history);
    }
    const list = new Y.Array<unknown>();
    list.push(rounds.map((r) => ({ ...r, itemId: id })));
    history.set(id, list);
  }
}

/** The round counters past the file's round numbers when no live round is shown, so a later round on an imported item never repeats one. */
function raiseRoundCounters(doc: Y.Doc, plan: ImportPlan): void {
  let maxLive = 0;
  let maxAsync = 0;
  for (const { rec } of plan.fresh) {
    for (const r of rec.full?.pokerRounds ?? []) {
      if (r.async) maxAsync = Math.max(maxAsync, r.round);
      else maxLive = Math.max(maxLive, r.round);
    }
  }
  const estimation = estimationMap(doc);
  if (maxLive > readNumber(estimation.get('round')) && estimation.get('itemId') === null) estimation.set('round', maxLive);
  if (maxAsync > readNumber(estimation.get(ASYNC_COUNTER_KEY))) estimation.set(ASYNC_COUNTER_KEY, maxAsync);
}

/**
 * Board settings from the file (deck, product goal, developers may plan, Definition of
 * Ready, stakeholders' dots) where the board still has its default, so an export comes back
 * whole into a new board without overwriting what a board already set (warned); the title
 * stays the board's own. The dot round with its budget when the items' dots came along.
 */
function writeBoardParts(doc: Y.Doc, parts: ImportedBoardParts, withDots: boolean, plan: ImportPlan, warnings: ImportIssue[]): void {
  const { meta, session } = boardRoots(doc);
  const current = readMeta(doc);
  const setting = <T>(column: string, file: T | null, now: T, unset: boolean, write: (v: T) => void) => {
    if (file === null || JSON.stringify(file) === JSON.stringify(now)) return;
    if (unset) write(file);
    else warnings.push({ row: 0, column, message: `The board has its own ${column.replace(/^\w+\./, '')}; the file's is not applied` });
  };
  const deckUnset = JSON.stringify(current.deck) === JSON.stringify(DEFAULT_DECK);
  setting('board.deck', parts.deck, current.deck, deckUnset, (v) => meta.set('deck', [...v]));
  setting('board.productGoal', parts.productGoal, current.productGoal, current.productGoal === '', (v) => meta.set('productGoal', v));
  setting('board.developersMayPlan', parts.developersMayPlan, current.developersMayPlan, !meta.has('developersMayPlan'), (v) => meta.set('developersMayPlan', v));
  setting('board.definitionOfReady', parts.definitionOfReady, current.definitionOfReady, !meta.has('definitionOfReady'), (v) => meta.set('definitionOfReady', v));
  setting('dotVoting.stakeholderDots', parts.stakeholderDots, readStakeholderDots(doc), !session.has(STAKEHOLDER_DOTS_KEY), (v) => session.set(STAKEHOLDER_DOTS_KEY, v));
  if (withDots && parts.dotVoting) {
    session.set(DOT_VOTING_KEY, { ...parts.dotVoting });
    if (parts.dotBudget !== null) session.set('dotBudget', parts.dotBudget);
  } else if (parts.dotVoting && plan.fresh.some((f) => Object.keys(f.rec.full?.dots ?? {}).length > 0)) {
    warnings.push({ row: 0, column: 'dotVoting', message: "The board has a dot round of its own; the file's dots are not imported" });
  }
}

/**
 * [DOR-4] The server's own writes follow the board's Definition of Ready like anyone's: an
 * updated item (update=1) marked Ready that fails a required check (and has no PO
 * override) becomes Refining, with a warning naming the checks. New items: holdNewToDefinitionOfReady.
 */
function holdToDefinitionOfReady(doc: Y.Doc, touched: readonly { id: ItemId; rec: ImportRecord }[], warnings: ImportIssue[]): void {
  const dor = readMeta(doc).definitionOfReady;
  const { items } = boardRoots(doc);
  for (const { id, rec } of touched) {
    const raw = items.get(id);
    const item = readItem(raw, id);
    if (!item || item.status !== READY_STATUS || item.readyOverride !== null) continue;
    const failing = failingChecks(item, dor, new Set(item.readyChecks));
    if (failing.length === 0) continue;
    (raw as Y.Map<unknown>).set('status', 'refining');
    warnings.push(notReadyWarning(rec, failing, dor));
  }
}
