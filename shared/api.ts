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

/** Path builders, so neither side spells a route by hand. */
export const apiRoutes = {
  boards: () => '/api/boards',
  board: (id: BoardId | string) => `/api/boards/${encodeURIComponent(id)}`,
  join: (id: BoardId | string) => `/api/boards/${encodeURIComponent(id)}/join`,
  renewToken: (id: BoardId | string) => `/api/boards/${encodeURIComponent(id)}/token`,
  health: () => '/healthz',
} as const;

/** Client-side route of the join page for a board; the link token follows in `#t=`. */
export const joinPagePath = (id: BoardId | string) => `/b/${encodeURIComponent(id)}`;
