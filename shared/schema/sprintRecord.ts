/**
 * The frozen sprint record (docs/format.md): what a sprint committed to when it started
 * (`sprints.<id>.committed`) and what happened by its close (`sprints.<id>.outcome`).
 * Both are plain values written once, each in the transaction that starts or closes the
 * sprint, and never rewritten (SPR-5, the server's gate enforces it).
 */
import { isIdLike, type ItemId, type UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { exactObject, isFiniteNumber, nullable, value } from './values.ts';

/** An item as the record saw it: its id and its points then (null = unestimated). */
export interface RecordedItem {
  id: ItemId;
  points: number | null;
}

export interface CommittedRecord {
  at: number;
  by: UserId;
  items: readonly RecordedItem[];
  /** Sum of the items' points. */
  points: number;
}

export interface SprintOutcome {
  at: number;
  by: UserId;
  /** Done at close; they stay in the sprint. */
  completed: readonly RecordedItem[];
  /** In the sprint at close but not in the committed record. */
  added: readonly RecordedItem[];
  /** Committed, but no longer in the sprint at close (and not done in it). */
  removed: readonly RecordedItem[];
  /** Unfinished at close and sent back to the backlog or into the next sprint. */
  carriedOver: readonly RecordedItem[];
  completedPoints: number;
}

const isPoints = (v: unknown): boolean => isFiniteNumber(v) && v >= 0;
const isRecordedItem = exactObject({ id: isIdLike, points: nullable(isPoints) });
const isItemList = (v: unknown): boolean =>
  Array.isArray(v) && v.length <= LIMITS.maxSprintRecordItems && v.every(isRecordedItem);

export const isCommittedRecord = exactObject({ at: isFiniteNumber, by: isIdLike, items: isItemList, points: isPoints });
export const isSprintOutcome = exactObject({
  at: isFiniteNumber,
  by: isIdLike,
  completed: isItemList,
  added: isItemList,
  removed: isItemList,
  carriedOver: isItemList,
  completedPoints: isPoints,
});

export const COMMITTED_SHAPE = value('null or the committed record {at, by, items, points}', nullable(isCommittedRecord));
export const OUTCOME_SHAPE = value('null or the close record {at, by, completed, added, removed, carriedOver, completedPoints}', nullable(isSprintOutcome));

export const readCommitted = (v: unknown): CommittedRecord | null => (isCommittedRecord(v) ? (v as CommittedRecord) : null);
export const readOutcome = (v: unknown): SprintOutcome | null => (isSprintOutcome(v) ? (v as SprintOutcome) : null);
