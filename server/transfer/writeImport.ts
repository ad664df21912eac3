/**
 * Writes parsed import records into a board: one server change, so one update, stored
 * before it is relayed (SRV-2) and seen by everyone at once [XFER-1].
 *
 * Three steps, so a 10,000-row file holds the event loop only for the last [XFER-7]:
 * `planImport` (which rows are new, which update an item, which are skipped: cheap),
 * `buildImport` (the new items' Y.Maps, not yet in any doc, built with pauses), and
 * `applyImport`, inside the change: it plans again against the board as it is now, puts
 * the built maps in (or builds anew if the board changed meanwhile), ranks them at the
 * top or after the backlog in file order, and overwrites the updated items (`update=1`).
 * A row whose key (an item's externalKey, or its id) is already on the board is skipped
 * unless `update=1` [XFER-2].
 */
import { generateNJitteredKeysBetween as generateNKeysBetween } from 'fractional-indexing-jittered';
import * as Y from 'yjs';
import type { CommentId, CriterionId, ItemId, QuestionId, SprintId, UserId } from '../../shared/ids.ts';
import { newSprintId } from '../../shared/ids.ts';
import { idPool } from './idPool.ts';
import { LIMITS } from '../../shared/limits.ts';
import { isValidRank, planAppendAll, type Ranked, type RankPlan } from '../../shared/ranking.ts';
import { boardRoots, rankedActiveEntries } from '../../shared/schema/board.ts';
import { createCommentMap } from '../../shared/schema/comment.ts';
import { createCriterionMap } from '../../shared/schema/criterion.ts';
import { createItemMap, type ItemMap, isExternalKey, itemMap, READY_STATUS } from '../../shared/schema/item.ts';
import { createQuestionMap } from '../../shared/schema/question.ts';
import { readSprint, type SprintFields } from '../../shared/schema/sprint.ts';
import { replaceText } from '../../shared/schema/text.ts';
import { newTypedMap, readNullableNumber } from '../../shared/schema/typed-map.ts';
import { type ImportedSprint, type ImportRecord, macrotask, type Pacing, pacer, type UpdatableField } from '../../shared/transfer/record.ts';
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
}

/** The neighbour the new items are ranked against (first item for top, last for bottom). */
function anchorOf(ordered: readonly Ranked[], position: ImportPosition): string | null {
  const at = position === 'top' ? ordered[0] : ordered.at(-1);
  return at ? `${at.id}\u0000${at.rank}` : null;
}

function planRanks(ordered: readonly Ranked[], ids: readonly string[], position: ImportPosition): RankPlan {
  return position === 'top' ? planPrependAll(ordered, ids) : planAppendAll(ordered, ids);
}

/** One new item's map, with its criteria, questions and comments (our JSON carries the last two). */
function buildItem(id: ItemId, rec: ImportRecord, by: UserId, now: number): ItemMap {
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
export async function buildImport(doc: Y.Doc, plan: ImportPlan, options: Pick<ImportWriteOptions, 'by' | 'now' | 'position'>, pacing: Pacing = {}): Promise<BuiltImport> {
  const maps = new Map<ItemId, ItemMap>();
  const pace = pacer(pacing);
  for (const { id, rec } of plan.fresh) {
    await pace();
    maps.set(id, buildItem(id, rec, options.by, options.now));
  }
  const ordered = rankedActiveEntries(doc);
  const ids = plan.fresh.map((f) => f.id);
  const ranks = (await chainedRanks(ordered, ids, options.position, pacing.pause ?? macrotask)) ?? planRanks(ordered, ids, options.position);
  return { plan, maps, ranks, anchor: anchorOf(ordered, options.position) };
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

/** Adds the file's sprints (our JSON) that the board does not have yet (same name and dates); file key → sprint id. */
function writeSprints(doc: Y.Doc, sprints: readonly ImportedSprint[], warnings: ImportIssue[]): Map<string, SprintId> {
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
      availability: new Y.Map(),
      committed: null,
      outcome: null,
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
  const plan = planImport(doc, records, options.update, built?.plan);
  const reuse = built !== undefined && sameFresh(built.plan, plan);
  const maps = reuse ? built.maps : new Map(plan.fresh.map(({ id, rec }) => [id, buildItem(id, rec, options.by, options.now)]));
  const warnings = [...plan.warnings];
  const { items } = boardRoots(doc);
  const sprintIds = options.sprints && options.sprints.length > 0 ? writeSprints(doc, options.sprints, warnings) : new Map<string, SprintId>();
  if (plan.fresh.length > 0) {
    const ordered = rankedActiveEntries(doc);
    // The built ranks still fit if the neighbour they were planned against is unchanged.
    const ranks = new Map(
      reuse && built.anchor === anchorOf(ordered, options.position)
        ? built.ranks
        : planRanks(
            ordered,
            plan.fresh.map((f) => f.id),
            options.position,
          ),
    );
    for (const { id, rec } of plan.fresh) {
      const map = maps.get(id)!;
      map.set('rank', ranks.get(id)!);
      const sprint = rec.full?.sprintKey ? sprintIds.get(rec.full.sprintKey) : undefined;
      if (sprint) map.set('sprintId', sprint);
      items.set(id, map as unknown as Y.Map<unknown>);
      ranks.delete(id);
    }
    // A re-spread list: the existing items' new ranks.
    for (const [id, rank] of ranks) items.get(id)?.set('rank', rank);
  }
  for (const { id, rec } of plan.updates) {
    const raw = items.get(id);
    if (raw instanceof Y.Map) updateItem(itemMap(raw), rec, options.fields, options.now, warnings);
  }
  return { ...describePlan(plan), warnings };
}
