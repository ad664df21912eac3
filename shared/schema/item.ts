/**
 * A backlog item (`items.<id>`, format v1, docs/format.md): its fields, keys, shape and
 * limits, and how one is created and read. The backlog's operations (add, move, archive,
 * edit) are in board.ts; questions, comments and criteria have their own records.
 */
import * as Y from 'yjs';
import { isIdLike, type ItemId, type SprintId, type UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { type Comment, COMMENT_SHAPE, readComment } from './comment.ts';
import { CRITERION_SHAPE, type Criterion, readCriterion } from './criterion.ts';
import { DOTS_KEY, DOTS_SHAPE } from './dots.ts';
import { isOpenQuestion, type Question, QUESTION_SHAPE, readQuestion } from './question.ts';
import type { MapOfShape, RecordShape, Shape } from './shape-types.ts';
import { limitLength, wellFormed } from './text.ts';
import {
  asTypedMap,
  newTypedMap,
  readNullableNumber,
  readNullableString,
  readNumber,
  readString,
  readText,
  type TypedMap,
} from './typed-map.ts';
import { exactObject, id, isFiniteNumber, isStringOf, nullable, nullableId, nullableTime, time, value } from './values.ts';

export const ITEM_STATUSES = ['new', 'refining', 'ready', 'done'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_STATUS_LABELS: Readonly<Record<ItemStatus, string>> = {
  new: 'New',
  refining: 'Refining',
  ready: 'Ready',
  done: 'Done',
};
export const isItemStatus = (v: unknown): v is ItemStatus =>
  typeof v === 'string' && (ITEM_STATUSES as readonly string[]).includes(v);
/** The status the ready rule guards [REF-5, POL-15]. */
export const READY_STATUS: ItemStatus = 'ready';

/** Who marked an item ready despite open questions (PO only), shown on the item. */
export interface ReadyOverride {
  by: UserId;
  name: string;
  at: number;
}

export interface ItemFields {
  id: ItemId;
  title: Y.Text;
  description: Y.Text;
  rank: string;
  status: ItemStatus;
  estimate: string | null;
  labels: Y.Map<true>;
  sprintId: SprintId | null;
  createdBy: UserId;
  createdAt: number;
  archivedAt: number | null;
  questions: Y.Array<Y.Map<unknown>>;
  comments: Y.Array<Y.Map<unknown>>;
  dots: Y.Map<number>;
  /** Acceptance criteria checklist (Y.Array of criterion maps, criterion.ts). */
  criteria: Y.Array<Y.Map<unknown>>;
  readyOverride: ReadyOverride | null;
  /** An impediment (SPR-9): who flagged it, when, why; null = not blocked. */
  blocked: Blocked | null;
  /** When the item last became done (for the burndown, SPR-10); null = not done. */
  doneAt: number | null;
  /**
   * The item's key in the system it was imported from (Jira issue key, Linear or Azure
   * id, Trello card id, or the source item's id for our own JSON), or null. Written by the
   * server's import only [POL-20]; absent on items made here.
   */
  externalKey: string | null;
  /**
   * Which of the team's own Definition of Ready entries are ticked on this item: custom
   * check id → true [DOR-6]. Made with every new item; absent on old ones until their
   * first tick: none ticked.
   */
  readyChecks?: Y.Map<true>;
}
export type ItemMap = TypedMap<ItemFields>;

/** Why and by whom an item is blocked. */
export interface Blocked {
  reason: string;
  by: UserId;
  name: string;
  at: number;
}

/** The item's keys by name, so nobody (the gate, the client) spells them as strings. */
export const ITEM_KEYS = {
  id: 'id',
  title: 'title',
  description: 'description',
  rank: 'rank',
  status: 'status',
  estimate: 'estimate',
  labels: 'labels',
  sprintId: 'sprintId',
  createdBy: 'createdBy',
  createdAt: 'createdAt',
  archivedAt: 'archivedAt',
  questions: 'questions',
  comments: 'comments',
  dots: DOTS_KEY,
  criteria: 'criteria',
  readyOverride: 'readyOverride',
  blocked: 'blocked',
  doneAt: 'doneAt',
  externalKey: 'externalKey',
  readyChecks: 'readyChecks',
} as const satisfies { readonly [K in keyof ItemFields]-?: K };

/** Set when the item is created, never changed [POL-4]. */
export const ITEM_IMMUTABLE: ReadonlySet<string> = new Set([ITEM_KEYS.id, ITEM_KEYS.createdBy, ITEM_KEYS.createdAt]);

/**
 * The agreed estimate: a deck card, or free text no longer than one ("2 days"), counted
 * in code points as validateDeck counts cards. One limit for the gate, the poker REST
 * call and the input that sends it [POL-5, EST-6].
 */
export const MAX_ESTIMATE_LENGTH = LIMITS.maxEstimateLength;
export const isEstimate = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 4 * MAX_ESTIMATE_LENGTH && [...v].length <= MAX_ESTIMATE_LENGTH;

/** A label as stored: trimmed and limited; '' means "no label". */
export const cleanLabel = (label: string): string => wellFormed(limitLength(label.trim(), LIMITS.maxLabelLength));
const isReadyOverride = exactObject({ by: isIdLike, name: isStringOf(LIMITS.maxDisplayNameLength), at: isFiniteNumber });
export const isBlocked = exactObject({
  reason: (v) => typeof v === 'string' && v.trim().length > 0 && v.length <= LIMITS.maxBlockedReasonLength,
  by: isIdLike,
  name: isStringOf(LIMITS.maxDisplayNameLength),
  at: isFiniteNumber,
});
/** An external key: 1–64 printable characters, no surrounding spaces [POL-20]. */
export const isExternalKey = (v: unknown): v is string =>
  typeof v === 'string' &&
  v.length > 0 &&
  v.length <= LIMITS.maxExternalKeyLength &&
  v.trim() === v &&
  ![...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const isLabel = (k: string): boolean => k.length > 0 && k.length <= LIMITS.maxLabelLength && k.trim() === k;

export const ITEM_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    title: { kind: 'text', maxLength: LIMITS.maxTitleLength },
    description: { kind: 'text', maxLength: LIMITS.maxDescriptionLength },
    rank: value(`a rank key of at most ${LIMITS.maxRankKeyLength} characters`, isStringOf(LIMITS.maxRankKeyLength)),
    status: value('new, refining, ready or done', isItemStatus),
    estimate: value(`an estimate of at most ${MAX_ESTIMATE_LENGTH} characters, or null`, nullable(isEstimate)),
    labels: {
      kind: 'mapOf',
      key: isLabel,
      keyWhat: `a trimmed label of 1–${LIMITS.maxLabelLength} characters`,
      value: value('true', (v) => v === true),
      maxEntries: LIMITS.maxLabelsPerItem,
    },
    sprintId: nullableId,
    createdBy: id,
    createdAt: time,
    archivedAt: nullableTime,
    questions: { kind: 'listOf', element: QUESTION_SHAPE, maxLength: LIMITS.maxQuestionsPerItem },
    comments: { kind: 'listOf', element: COMMENT_SHAPE, maxLength: LIMITS.maxCommentsPerItem },
    dots: DOTS_SHAPE,
    criteria: { kind: 'listOf', element: CRITERION_SHAPE, maxLength: LIMITS.maxCriteriaPerItem },
    readyOverride: value('null or {by, name, at}', nullable(isReadyOverride)),
    blocked: value(`null or {reason (1–${LIMITS.maxBlockedReasonLength} characters), by, name, at}`, nullable(isBlocked)),
    doneAt: nullableTime,
    externalKey: value(`an external key of 1–${LIMITS.maxExternalKeyLength} characters, or null`, nullable(isExternalKey)),
    readyChecks: {
      kind: 'mapOf',
      key: isIdLike,
      keyWhat: 'a check id',
      value: value('true', (v) => v === true),
      maxEntries: LIMITS.maxCustomReadyChecks,
    },
  } satisfies Record<keyof ItemFields, Shape>,
};

/** Root `items`: item id → item. Entries are never removed (POL-4). */
export const ITEMS_SHAPE: MapOfShape = {
  kind: 'mapOf',
  key: isIdLike,
  keyWhat: 'an item id',
  value: ITEM_SHAPE,
  maxEntries: Number.POSITIVE_INFINITY,
};

/** A plain, immutable read of an item for rendering. */
export interface ItemSnapshot {
  id: ItemId;
  title: string;
  description: string;
  rank: string;
  status: ItemStatus;
  estimate: string | null;
  labels: readonly string[];
  sprintId: SprintId | null;
  createdBy: UserId;
  createdAt: number;
  archivedAt: number | null;
  questions: readonly Question[];
  openQuestionCount: number;
  comments: readonly Comment[];
  criteria: readonly Criterion[];
  dots: Readonly<Record<string, number>>;
  dotTotal: number;
  readyOverride: ReadyOverride | null;
  blocked: Blocked | null;
  doneAt: number | null;
  /** Null for items made on this board (and on boards from before imports). */
  externalKey: string | null;
  /** Ids of the team's Definition of Ready entries ticked on this item [DOR-6], sorted. */
  readyChecks: readonly string[];
}

export interface NewItem {
  id: ItemId;
  title: string;
  rank: string;
  createdBy: UserId;
  createdAt: number;
  status?: ItemStatus;
  description?: string;
  labels?: readonly string[];
  estimate?: string | null;
  /** Only the server's import passes one [POL-20]; otherwise the key is not written. */
  externalKey?: string;
}

/** Builds the Y.Map for a new item with every field present (so readers never guess). */
export function createItemMap(init: NewItem): ItemMap {
  const title = new Y.Text(wellFormed(init.title));
  const description = new Y.Text(wellFormed(init.description ?? ''));
  const labels = new Y.Map<true>();
  for (const label of init.labels ?? []) labels.set(label, true);
  return newTypedMap<ItemFields>({
    id: init.id,
    title,
    description,
    rank: init.rank,
    status: init.status ?? 'new',
    estimate: init.estimate ?? null,
    labels,
    sprintId: null,
    createdBy: init.createdBy,
    createdAt: init.createdAt,
    archivedAt: null,
    questions: new Y.Array(),
    comments: new Y.Array(),
    dots: new Y.Map(),
    criteria: new Y.Array(),
    readyOverride: null,
    blocked: null,
    doneAt: null,
    externalKey: init.externalKey,
    // Made with the item, so two people's first ticks never race to create it [DOR-6].
    readyChecks: new Y.Map(),
  });
}

export const itemMap = (raw: Y.Map<unknown>): ItemMap => asTypedMap<ItemFields>(raw);

/** A ready override only if every field has its type; a half object from a peer is none. */
function readReadyOverride(value: unknown): ReadyOverride | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const { by, name, at } = value as Record<string, unknown>;
  if (typeof by !== 'string' || typeof name !== 'string' || typeof at !== 'number' || !Number.isFinite(at)) return null;
  return { by: by as UserId, name, at };
}

const readExternalKey = (v: unknown): string | null => (isExternalKey(v) ? v : null);

/** Reads only what ordering needs; cheap enough to run on every change. */
export function readRankEntry(raw: unknown, key: string): { id: ItemId; rank: string; archived: boolean } | null {
  if (!(raw instanceof Y.Map)) return null;
  const m = itemMap(raw);
  return { id: key as ItemId, rank: readString(m.get('rank')), archived: readNullableNumber(m.get('archivedAt')) !== null };
}

/** A full snapshot of an item, or null if the entry is not an item map. */
export function readItem(raw: unknown, key: string): ItemSnapshot | null {
  if (!(raw instanceof Y.Map)) return null;
  const m = itemMap(raw);
  const labels = m.get('labels');
  const questionsArr = m.get('questions');
  const commentsArr = m.get('comments');
  const criteriaArr = m.get('criteria');
  const dotsMap = m.get('dots');
  const ticks = m.get('readyChecks');
  const questions = questionsArr instanceof Y.Array ? questionsArr.toArray().map(readQuestion).filter((q) => q !== null) : [];
  const comments = commentsArr instanceof Y.Array ? commentsArr.toArray().map(readComment).filter((c) => c !== null) : [];
  const criteria = criteriaArr instanceof Y.Array ? criteriaArr.toArray().map(readCriterion).filter((c) => c !== null) : [];
  const dots: Record<string, number> = {};
  let dotTotal = 0;
  if (dotsMap instanceof Y.Map) {
    for (const [user, count] of dotsMap.entries()) {
      // Whole numbers only, as dotsUsedBy and the server's budget check count them.
      const n = readNumber(count);
      if (n > 0 && Number.isInteger(n)) {
        dots[user] = n;
        dotTotal += n;
      }
    }
  }
  const status = m.get('status');
  const override = m.get('readyOverride');
  return {
    id: key as ItemId,
    title: readText(m.get('title')),
    description: readText(m.get('description')),
    rank: readString(m.get('rank')),
    status: isItemStatus(status) ? status : 'new',
    estimate: readNullableString(m.get('estimate')),
    labels: labels instanceof Y.Map ? [...labels.keys()].sort() : [],
    sprintId: readNullableString(m.get('sprintId')) as SprintId | null,
    createdBy: readString(m.get('createdBy')) as UserId,
    createdAt: readNumber(m.get('createdAt')),
    archivedAt: readNullableNumber(m.get('archivedAt')),
    questions,
    openQuestionCount: questions.filter(isOpenQuestion).length,
    comments,
    criteria,
    dots,
    dotTotal,
    readyOverride: readReadyOverride(override),
    blocked: isBlocked(m.get('blocked')) ? (m.get('blocked') as Blocked) : null,
    doneAt: readNullableNumber(m.get('doneAt')),
    externalKey: readExternalKey(m.get('externalKey')),
    readyChecks: ticks instanceof Y.Map ? [...ticks.keys()].filter((k) => ticks.get(k) === true).sort() : [],
  };
}
