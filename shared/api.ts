/**
 * REST API request and response shapes, shared by the server's handlers and the client.
 * Endpoints and error codes are described in docs/protocol.md.
 */
import type { BoardId, UserId } from './ids.ts';
import type { Role } from './roles.ts';

export interface CreateBoardRequest {
  title: string;
}

export interface JoinLink {
  role: Role;
  /** Link token: names the board and the role, shared by everyone of that role. */
  token: string;
  /** Absolute URL of the join page; the token travels in the fragment, not to logs. */
  url: string;
}

export interface CreateBoardResponse {
  boardId: BoardId;
  title: string;
  links: JoinLink[];
}

export interface JoinRequest {
  name: string;
}

export interface JoinResponse {
  boardId: BoardId;
  userId: UserId;
  role: Role;
  name: string;
  /** Personal token (board, role, user): for the WebSocket and every REST call. */
  token: string;
  /**
   * When `token` expires, in ms since epoch (its `exp`). Renew it before then with
   * `POST /api/boards/:id/token` [AUTH-9].
   */
  expiresAt: number;
}

/**
 * `POST /api/boards/:id/token` with a valid personal token: a fresh personal token for the
 * same person (board, role, userId, name) with a new lifetime [AUTH-9].
 */
export type RenewTokenResponse = JoinResponse;

export interface BoardInfoResponse {
  boardId: BoardId;
  title: string;
  role: Role;
}

/** Every non-2xx JSON response. `code` is stable; `error` is for people. */
export interface ApiError {
  error: string;
  code: string;
}

/**
 * Every REST path as a pattern: the server's routes are these (`:id` is one path segment,
 * the board id); the client fills them in with `apiPaths`. Neither side spells a route by
 * hand.
 */
export const routePatterns = {
  boards: '/api/boards',
  board: '/api/boards/:id',
  join: '/api/boards/:id/join',
  renewToken: '/api/boards/:id/token',
  estimationStart: '/api/boards/:id/estimation/start',
  /** POST casts (or changes) your vote; GET reads your own. */
  estimationVote: '/api/boards/:id/estimation/vote',
  estimationReveal: '/api/boards/:id/estimation/reveal',
  /** POST: the facilitator drops the open round unrevealed (docs/protocol.md, "Cancel a round"). */
  estimationCancel: '/api/boards/:id/estimation/cancel',
  estimationAgree: '/api/boards/:id/estimation/agree',
  estimationParticipation: '/api/boards/:id/estimation/participation',
  estimationOptions: '/api/boards/:id/estimation/options',
  deck: '/api/boards/:id/deck',
  /** Async poker (EST-12…17): open a round with a deadline; vote (POST) or read your own votes (GET); reveal early. */
  asyncEstimationStart: '/api/boards/:id/estimation/async/start',
  asyncEstimationVote: '/api/boards/:id/estimation/async/vote',
  asyncEstimationReveal: '/api/boards/:id/estimation/async/reveal',
  /** History (HIS-1…5): events, a move's reason, the board as of a time, the digest. */
  historyEvents: '/api/boards/:id/history',
  historyNotes: '/api/boards/:id/history/notes',
  asOf: '/api/boards/:id/as-of',
  digest: '/api/boards/:id/digest',
  digestSeen: '/api/boards/:id/digest/seen',
  /** Invite links [INV-1]: GET (PO, SM) lists them. */
  links: '/api/boards/:id/links',
  /** One role's link [INV-2]: POST (PO) makes a new one, DELETE (PO) revokes it. */
  link: '/api/boards/:id/links/:role',
  /** POST a file to import (PO, SM) [XFER-1]; GET `…/export?format=json|csv|md` (everyone). */
  boardImport: '/api/boards/:id/import',
  boardExport: '/api/boards/:id/export',
  /** GET the people who joined the board (everyone) [MEM-2]. */
  members: '/api/boards/:id/members',
  /** DELETE: the PO removes a person from the board [MEM-4]. */
  member: '/api/boards/:id/members/:userId',
  health: '/healthz',
} as const;

/** The path of a board's route: the pattern with its `:id` filled in (URI-encoded). */
const boardPath =
  (pattern: `${string}:id${string}`) =>
  (id: BoardId | string): string =>
    pattern.replace(':id', () => encodeURIComponent(id));

/** Filled-in paths of `routePatterns`, for the client, so neither side spells a route by hand. */
export const apiPaths = {
  boards: () => routePatterns.boards,
  board: boardPath(routePatterns.board),
  join: boardPath(routePatterns.join),
  renewToken: boardPath(routePatterns.renewToken),
  estimationStart: boardPath(routePatterns.estimationStart),
  estimationVote: boardPath(routePatterns.estimationVote),
  estimationReveal: boardPath(routePatterns.estimationReveal),
  estimationCancel: boardPath(routePatterns.estimationCancel),
  estimationAgree: boardPath(routePatterns.estimationAgree),
  estimationParticipation: boardPath(routePatterns.estimationParticipation),
  estimationOptions: boardPath(routePatterns.estimationOptions),
  deck: boardPath(routePatterns.deck),
  asyncEstimationStart: boardPath(routePatterns.asyncEstimationStart),
  asyncEstimationVote: boardPath(routePatterns.asyncEstimationVote),
  asyncEstimationReveal: boardPath(routePatterns.asyncEstimationReveal),
  historyEvents: boardPath(routePatterns.historyEvents),
  historyNotes: boardPath(routePatterns.historyNotes),
  asOf: boardPath(routePatterns.asOf),
  digest: boardPath(routePatterns.digest),
  digestSeen: boardPath(routePatterns.digestSeen),
  links: boardPath(routePatterns.links),
  boardImport: boardPath(routePatterns.boardImport),
  boardExport: boardPath(routePatterns.boardExport),
  members: boardPath(routePatterns.members),
  health: () => routePatterns.health,
} as const;

/** The path of one role's invite link (`routePatterns.link`, two parameters). */
export const inviteLinkPath = (id: BoardId | string, role: Role): string =>
  boardPath(routePatterns.link)(id).replace(':role', () => encodeURIComponent(role));

/** The path of one member (`routePatterns.member`, two parameters). */
export const memberPath = (id: BoardId | string, userId: string): string =>
  boardPath(routePatterns.member)(id).replace(':userId', () => encodeURIComponent(userId));

/** Client-side route of the join page for a board; the link token follows in `#t=`. */
export const joinPagePath = (id: BoardId | string) => `/b/${encodeURIComponent(id)}`;
