/**
 * Pure questions about the write policy (shared/policy/table.ts), asked by the server's
 * gate and by the UI alike, so a button is greyed out exactly when the server would
 * refuse the change.
 */
import type { UserId } from '../ids.ts';
import type { Role } from '../roles.ts';
import { POLICY, type PolicyRow, type Region, type Writers } from './table.ts';

const ROWS: ReadonlyMap<Region, PolicyRow> = new Map(POLICY.map((row) => [row.region, row]));

export function policyRow(region: Region): PolicyRow {
  const row = ROWS.get(region);
  if (!row) throw new Error(`no policy row for ${region}`);
  return row;
}

export const writersOf = (region: Region): Writers => policyRow(region).writers;

/** May a client with `role` change `region` at all (before per-value conditions)? */
export function canChange(role: Role, region: Region): boolean {
  if (role === 'viewer') return false;
  const writers = writersOf(region);
  return writers !== 'server' && writers.includes(role);
}

export interface Actor {
  role: Role;
  userId: UserId | string;
}

/** Comments: anyone but a viewer writes one; only its author edits or deletes it (POL-9). */
export const canAddComment = (a: Actor): boolean => canChange(a.role, 'item.comments');
export const canEditComment = (a: Actor, comment: { authorId: string }): boolean =>
  canChange(a.role, 'item.comments') && comment.authorId === a.userId;

/** Questions (POL-10). */
export const canAskQuestion = (a: Actor): boolean => canChange(a.role, 'item.questions');
export const canAnswerQuestion = (a: Actor): boolean => canChange(a.role, 'item.questions');
export const canResolveQuestion = (a: Actor, q: { authorId: string }): boolean =>
  canChange(a.role, 'item.questions') && (q.authorId === a.userId || a.role === 'po');
/** Edit the question's text or assignee, or delete it: the asker or the PO. */
export const canEditQuestion = canResolveQuestion;

/** Dots (POL-7): your own, while a round is open. Facilitators may clear anyone's. */
export const canPlaceDots = (a: Actor, roundOpen: boolean): boolean => canChange(a.role, 'item.dots') && roundOpen;
export const canClearDots = (a: Actor): boolean => canChange(a.role, 'session');

export const canSetEstimate = (role: Role): boolean => canChange(role, 'item.estimate');
export const canOverrideReady = (role: Role): boolean => canChange(role, 'item.readyOverride');
export const canEditItems = (role: Role): boolean => canChange(role, 'items.edit');
export const canRunSession = (role: Role): boolean => canChange(role, 'session');
