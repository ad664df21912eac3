/**
 * The board document's shape as data (format v1, docs/format.md): which keys each record
 * has, which of them are plain values and which are shared types, how deep they nest, and
 * the limits on each. The server's write gate admits a client's struct only where this
 * says it may stand [POL-16, POL-17]; the record modules (item.ts, question.ts, …) write
 * exactly these fields. A field added to the format is added here, once.
 */
import { isIdLike } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { isDotCount, MAX_DOT_BUDGET } from './dots.ts';
import { validateDeck } from './estimation.ts';
import { isItemStatus } from './item.ts';
import { isPhase } from './session.ts';

/** A plain JSON value in its parent map (Yjs `ContentAny` of one element). */
export interface ValueShape {
  kind: 'value';
  accepts: (value: unknown) => boolean;
  /** For refusals: what the field holds, in words. */
  what: string;
}
/** A `Y.Text`; only plain string content, no formatting or embeds. */
export interface TextShape {
  kind: 'text';
  maxLength: number;
}
/** A `Y.Map` with a fixed set of keys. */
export interface RecordShape {
  kind: 'record';
  fields: Readonly<Record<string, Shape>>;
}
/** A `Y.Map` keyed by ids (or labels) with one shape of value. */
export interface MapOfShape {
  kind: 'mapOf';
  key: (key: string) => boolean;
  keyWhat: string;
  value: Shape;
  maxEntries: number;
}
/** A `Y.Array` of one shape of element. */
export interface ListOfShape {
  kind: 'listOf';
  element: Shape;
  maxLength: number;
}
export type Shape = ValueShape | TextShape | RecordShape | MapOfShape | ListOfShape;
/** The shapes that are Yjs shared types (they can contain structs). */
export type TypeShape = TextShape | RecordShape | MapOfShape | ListOfShape;

export const isTypeShape = (s: Shape): s is TypeShape => s.kind !== 'value';

// ---------------------------------------------------------------- value checks

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringOf = (max: number) => (v: unknown): v is string => typeof v === 'string' && v.length <= max;
const nullable =
  (check: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === null || check(v);

/** A plain object with exactly these keys (missing keys allowed when `optional`). */
function exactObject(fields: Record<string, (v: unknown) => boolean>, optional: readonly string[] = []) {
  const keys = Object.keys(fields);
  return (v: unknown): boolean => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!Object.hasOwn(fields, k)) return false;
    return keys.every((k) => (Object.hasOwn(o, k) ? fields[k]!(o[k]) : optional.includes(k)));
  };
}

const value = (what: string, accepts: (v: unknown) => boolean): ValueShape => ({ kind: 'value', accepts, what });

const id = value('an id (6–64 letters, digits, - or _)', isIdLike);
const nullableId = value('an id or null', nullable(isIdLike));
const time = value('a time (ms since the epoch)', isFiniteNumber);
const nullableTime = value('a time or null', nullable(isFiniteNumber));
const name = value(`a name of at most ${LIMITS.maxDisplayNameLength} characters`, isStringOf(LIMITS.maxDisplayNameLength));
const nullableName = value('a name or null', nullable(isStringOf(LIMITS.maxDisplayNameLength)));
const longText = value(`text of at most ${LIMITS.maxCommentLength} characters`, isStringOf(LIMITS.maxCommentLength));
const nullableLongText = value('text or null', nullable(isStringOf(LIMITS.maxCommentLength)));
const field = value(`text of at most ${LIMITS.maxFieldLength} characters`, isStringOf(LIMITS.maxFieldLength));

/** Cards are counted in code points, as validateDeck counts them. */
const isCard = (v: unknown): boolean => typeof v === 'string' && v.length <= 4 * LIMITS.maxCardLength && [...v].length <= LIMITS.maxCardLength;
const isLabel = (k: string): boolean => k.length > 0 && k.length <= LIMITS.maxLabelLength && k.trim() === k;
const isReadsKey = (k: string): boolean => {
  const at = k.indexOf(':');
  return at > 0 && isIdLike(k.slice(0, at)) && isIdLike(k.slice(at + 1));
};

// ---------------------------------------------------------------- records

export const QUESTION_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    text: longText,
    authorId: id,
    authorName: name,
    createdAt: time,
    assigneeId: nullableId,
    assigneeName: nullableName,
    answer: nullableLongText,
    answeredBy: nullableId,
    answeredByName: nullableName,
    answeredAt: nullableTime,
    resolvedAt: nullableTime,
    resolvedBy: nullableId,
  },
};

export const COMMENT_SHAPE: RecordShape = {
  kind: 'record',
  fields: { id, text: longText, authorId: id, authorName: name, createdAt: time, editedAt: nullableTime, deletedAt: nullableTime },
};

export const CRITERION_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    text: value(`text of at most ${LIMITS.maxTitleLength} characters`, isStringOf(LIMITS.maxTitleLength)),
    done: value('true or false', (v) => typeof v === 'boolean'),
  },
};

export const ITEM_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    title: { kind: 'text', maxLength: LIMITS.maxTitleLength },
    description: { kind: 'text', maxLength: LIMITS.maxDescriptionLength },
    rank: value(`a rank key of at most ${LIMITS.maxRankKeyLength} characters`, isStringOf(LIMITS.maxRankKeyLength)),
    status: value('new, refining, ready or done', isItemStatus),
    estimate: value(`a card of at most ${LIMITS.maxCardLength} characters, or null`, nullable(isCard)),
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
    dots: {
      kind: 'mapOf',
      key: isIdLike,
      keyWhat: 'a user id',
      value: value('a whole number ≥ 0', isDotCount),
      maxEntries: LIMITS.maxConnectionsPerBoard * 4,
    },
    criteria: { kind: 'listOf', element: CRITERION_SHAPE, maxLength: LIMITS.maxCriteriaPerItem },
    readyOverride: value(
      'null or {by, name, at}',
      nullable(exactObject({ by: isIdLike, name: isStringOf(LIMITS.maxDisplayNameLength), at: isFiniteNumber })),
    ),
  },
};

export const SPRINT_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    name: field,
    goal: longText,
    capacity: value('a number or null', nullable(isFiniteNumber)),
    startsAt: nullableTime,
    endsAt: nullableTime,
  },
};

const isTimer = exactObject({
  startedAt: nullable(isFiniteNumber),
  durationMs: (v) => isFiniteNumber(v) && v >= 0,
  pausedRemainingMs: nullable(isFiniteNumber),
});
const isBudget = (v: unknown): boolean => isDotCount(v) && v >= 1 && v <= MAX_DOT_BUDGET;
const isDotVoting = exactObject({
  round: isDotCount,
  open: (v) => typeof v === 'boolean',
  anonymous: (v) => typeof v === 'boolean',
  budget: isBudget,
  openedAt: isFiniteNumber,
  closedAt: nullable(isFiniteNumber),
});

export const SESSION_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    phase: value('refinement, estimation or planning', isPhase),
    focusItemId: nullableId,
    timer: value('null or {startedAt, durationMs, pausedRemainingMs}', nullable(isTimer)),
    dotBudget: value(`a whole number 1–${MAX_DOT_BUDGET}`, isBudget),
    dotVoting: value('a dot-voting round', isDotVoting),
  },
};

export const META_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    title: value(`text of at most ${LIMITS.maxBoardTitleLength} characters`, isStringOf(LIMITS.maxBoardTitleLength)),
    createdAt: time,
    formatVersion: value('a number', isFiniteNumber),
    deck: value('a deck of cards', (v) => validateDeck(v).ok),
  },
};

/**
 * The roots. `estimation` is the server's (POL-2): no client struct is ever admitted
 * there, so its shape is not spelled out for the gate.
 */
export const BOARD_SHAPE: Readonly<Record<string, TypeShape>> = {
  meta: META_SHAPE,
  items: { kind: 'mapOf', key: isIdLike, keyWhat: 'an item id', value: ITEM_SHAPE, maxEntries: Number.POSITIVE_INFINITY },
  sprints: { kind: 'mapOf', key: isIdLike, keyWhat: 'a sprint id', value: SPRINT_SHAPE, maxEntries: 1_000 },
  session: SESSION_SHAPE,
  estimation: { kind: 'record', fields: {} },
  reads: {
    kind: 'mapOf',
    key: isReadsKey,
    keyWhat: 'userId:itemId',
    value: value('a whole number ≥ 0', isDotCount),
    maxEntries: Number.POSITIVE_INFINITY,
  },
};

/** The deepest type nesting the format has: items → item → questions → question. */
export const MAX_TYPE_DEPTH = 3;

/**
 * The shape of what may stand under `key` (a map key; null for an array element) in a
 * type of shape `parent`, or null if nothing may.
 */
export function slotShape(parent: TypeShape, key: string | null): Shape | null {
  switch (parent.kind) {
    case 'record':
      return key !== null && Object.hasOwn(parent.fields, key) ? parent.fields[key]! : null;
    case 'mapOf':
      return key !== null && parent.key(key) ? parent.value : null;
    case 'listOf':
      return key === null ? parent.element : null;
    case 'text':
      return null;
  }
}
