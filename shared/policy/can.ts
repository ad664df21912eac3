/**
 * Pure questions about the write policy (shared/policy/table.ts), asked by the server's
 * gate and by the UI alike, so a button is greyed out exactly when the server would
 * refuse the change.
 */
import type { UserId } from '../ids.ts';
import type { Role } from '../roles.ts';
import { FACILITATORS, NON_VIEWERS, POLICY, type PolicyRow, type Region, TEAM, type Writers } from './table.ts';

const ROWS: ReadonlyMap<Region, PolicyRow> = new Map(POLICY.map((row) => [row.region, row]));

export function policyRow(region: Region): PolicyRow {
  const row = ROWS.get(region);
  if (!row) throw new Error(`no policy row for ${region}`);
  return row;
}

export const writersOf = (region: Region): Writers => policyRow(region).writers;

/**
 * Viewers see everything and change nothing: the one viewer rule. The room refuses a
 * viewer's document update under AUTH-3 before any other judgement; the UI hides every
 * editing control.
 */
export const canWriteDocument = (role: Role): boolean => NON_VIEWERS.includes(role);

/** PO, SM and developers: the people who shape, order and estimate the backlog. */
export const isTeamMember = (role: Role): boolean => TEAM.includes(role);

/** PO and SM run the session: phase, timer, focus, estimation rounds, decks. */
export const isFacilitator = (role: Role): boolean => FACILITATORS.includes(role);

/** May a client with `role` change `region` at all (before per-value conditions)? */
export function canChange(role: Role, region: Region): boolean {
  if (!canWriteDocument(role)) return false;
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
/** Resolve or reopen a question: the asker or the PO. */
export const canResolveQuestion = (a: Actor, q: { authorId: string }): boolean =>
  canChange(a.role, 'item.questions') && (q.authorId === a.userId || a.role === 'po');

/**
 * Dots (POL-7): your own, while a round is open. A stakeholder only while the facilitator
 * lets stakeholders vote (`session.stakeholderDots`, POL-19). Facilitators may clear anyone's.
 */
export const canPlaceDots = (a: Actor, roundOpen: boolean, stakeholderDots = false): boolean =>
  canChange(a.role, 'item.dots') && roundOpen && (a.role !== 'stakeholder' || stakeholderDots);
export const canClearDots = (a: Actor): boolean => canChange(a.role, 'session');

export const canSetEstimate = (role: Role): boolean => canChange(role, 'item.estimate');
export const canOverrideReady = (role: Role): boolean => canChange(role, 'item.readyOverride');
export const canEditItems = (role: Role): boolean => canChange(role, 'items.edit');
/** The Definition of Ready setting: the PO only [DOR-5]; ticking its team entries: the team [DOR-6]. */
export const canSetDefinitionOfReady = (role: Role): boolean => canChange(role, 'meta.definitionOfReady');
export const canTickReadyChecks = (role: Role): boolean => canChange(role, 'item.readyChecks');
export const canRunSession = (role: Role): boolean => canChange(role, 'session');

/** Planning poker (EST-2): facilitators start and reveal rounds and change its options. */
export const canRunEstimation = (role: Role): boolean => isFacilitator(role);
/**
 * The team votes and may mark themselves non-voting (EST-2, EST-8); viewers and
 * stakeholders do not estimate (POL-19).
 */
export const canVote = (role: Role): boolean => isTeamMember(role);
