/** A backlog item (format v1, docs/format.md). */
import * as Y from 'yjs';
import type { ItemId, SprintId, UserId } from '../ids.ts';
import { type Comment, readComment } from './comment.ts';
import { isOpenQuestion, type Question, readQuestion } from './question.ts';
import { wellFormed } from './text.ts';
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

/** Who marked an item ready despite open questions (PO only), shown on the item. */
export interface ReadyOverride {
  by: UserId;
  name: string;
  at: number;
}

export interface CriterionFields {
  id: string;
  text: string;
  done: boolean;
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
  /** Acceptance criteria checklist (Y.Array of {id, text, done} maps). */
  criteria: Y.Array<Y.Map<unknown>>;
  readyOverride: ReadyOverride | null;
}
export type ItemMap = TypedMap<ItemFields>;

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
  criteria: readonly { id: string; text: string; done: boolean }[];
  dots: Readonly<Record<string, number>>;
  dotTotal: number;
  readyOverride: ReadyOverride | null;
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
  const questions = questionsArr instanceof Y.Array ? questionsArr.toArray().map(readQuestion).filter((q) => q !== null) : [];
  const comments = commentsArr instanceof Y.Array ? commentsArr.toArray().map(readComment).filter((c) => c !== null) : [];
  const criteria =
    criteriaArr instanceof Y.Array
      ? criteriaArr
          .toArray()
          .filter((c): c is Y.Map<unknown> => c instanceof Y.Map)
          .map((c) => ({ id: readString(c.get('id')), text: readString(c.get('text')), done: c.get('done') === true }))
      : [];
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
  };
}
