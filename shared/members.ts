/**
 * Board members [MEM-1..MEM-3]: the people who joined a board with a link and picked a
 * name, as the server recorded them from their personal tokens (never from awareness,
 * which a client may fill with anything). Used wherever "the team" is listed: sprint
 * capacity, @mentions, the For me inbox. Documented in docs/protocol.md ("Members").
 */
import type { UserId } from './ids.ts';
import type { Role } from './roles.ts';

export interface BoardMember {
  id: UserId;
  /** The name they joined with, or renewed their token with, most recently. */
  name: string;
  role: Role;
  /** First join, ms since epoch. */
  joinedAt: number;
  /** Latest join, token renewal or socket opened, ms since epoch. */
  lastSeenAt: number;
}

/** `GET /api/boards/:id/members` (every role): members by name. */
export interface MembersResponse {
  members: BoardMember[];
}

/**
 * [MEM-3] At most this many members are listed: the most recently seen. A board's team is
 * a dozen people; the cap only bounds what a flood of joins could make one answer cost.
 */
export const MAX_MEMBERS_LISTED = 500;

/** [MEM-4] Who may remove a member: the PO, never themself (a board keeps its PO). */
export const canRemoveMembers = (role: Role): boolean => role === 'po';

/** `DELETE /api/boards/:id/members/:userId` answers this. */
export interface RemoveMemberResponse {
  removed: BoardMember['id'];
}

/** Members sorted for display: by name, then by id so equal names keep a stable order. */
export function byName(members: readonly BoardMember[]): BoardMember[] {
  return [...members].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
