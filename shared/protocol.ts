/**
 * The wire contract between client and server, declared once for both sides.
 * Messages 0–3 are the y-websocket protocol (y-protocols/PROTOCOL.md), so an unmodified
 * WebsocketProvider syncs a board. Message 100 carries JSON control messages
 * (`ControlMessage`) from the server, only to sockets that ask for them (CONTROL_PARAM):
 * an unmodified provider would log a line for each. Frames are encoded and decoded in
 * shared/codec.ts only. Human-readable version: docs/protocol.md.
 */
import type { BoardId, UserId } from './ids.ts';
import type { Role } from './roles.ts';

export const PROTOCOL_VERSION = 1;

/** WebSocket path prefix: a board's socket is `${WS_PATH}/${boardId}`. */
export const WS_PATH = '/ws';
export const API_PATH = '/api';

/** First varUint of every binary frame. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  control: 100,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * The query parameter by which a client says it reads control messages
 * (`?control=1`). A socket without it is sent no MessageType.control frame; its close
 * code and reason still say what happened.
 */
export const CONTROL_PARAM = { name: 'control', value: '1' } as const;

/**
 * Close codes the server uses. 4000–4999 are application codes; a client must not
 * reconnect after one marked `final` (the same token would be refused again).
 */
export const CloseCode = {
  /** Server is restarting or shutting down; reconnect with backoff. */
  serviceRestart: 1012,
  /** Frame larger than LIMITS.maxFrameBytes (sent by ws itself). */
  messageTooBig: 1009,
  /**
   * The server could not do its part: storage refused a write, or the board could not be
   * loaded. Nothing the socket sent is lost by it; reconnect with backoff.
   */
  internalError: 1011,
  /** Frame that is not a valid y-websocket message. */
  malformedFrame: 4400,
  /** Missing, expired or invalid token. Final. */
  unauthorized: 4401,
  /** Token is valid but for another board. Final. */
  forbiddenBoard: 4403,
  /** No board with this id. Final. */
  boardNotFound: 4404,
  /** An update would grow the board past LIMITS.maxBoardBytes. */
  boardTooLarge: 4413,
  /** Update broke the write policy (docs/SPEC.md, POL rules); the client should resync. */
  policyViolation: 4422,
  /** Too many messages per second from this socket. */
  rateLimited: 4429,
  /** Board has LIMITS.maxConnectionsPerBoard sockets already. */
  boardFull: 4430,
  /**
   * This person (userId of the personal token) already holds LIMITS.maxSocketsPerUser
   * sockets on the board [SRV-13]. Not final: closing another tab or device frees a slot,
   * so the client retries with backoff.
   */
  tooManySockets: 4431,
  /**
   * The socket stopped reading: more than LIMITS.maxSocketBufferBytes (8 MiB) waited
   * unsent, or more than slowSocketStallBytes (1 MiB) waited with nothing drained for
   * slowSocketStallMs (5 s) [LIM-2]. Not final: reconnect; the sync resends what it missed.
   * Outside 4400–4499 on purpose: an unmodified y-websocket client stops reconnecting on
   * those (the HTTP 4xx mirror), and this one should come back.
   */
  slowConsumer: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting with the same token can never succeed. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.unauthorized,
  CloseCode.forbiddenBoard,
  CloseCode.boardNotFound,
]);

/** `update-rejected` rules the room itself decides (docs/SPEC.md, Server). */
export const ServerRule = {
  /** The update failed to apply (Yjs threw, or kept part of it pending): the board reloads. */
  applyFailed: 'SRV-11',
  /** The update builds on content the board lacks; an honest client drops its pending structs. */
  missingDependency: 'SRV-12',
} as const;

/** JSON control messages the server sends on MessageType.control. */
export type ControlMessage =
  | {
      /** Sent once after the socket is accepted: who the server thinks you are. */
      type: 'welcome';
      protocolVersion: number;
      boardId: BoardId;
      userId: UserId;
      role: Role;
      name: string;
      /** Server clock (ms since epoch) when sent; clients correct timer display by it. */
      serverTime: number;
    }
  | {
      /** An update was refused and not applied; `rule` is a docs/SPEC.md rule id. */
      type: 'update-rejected';
      rule: string;
      reason: string;
    }
  | {
      /** The socket is about to be closed; `code` is the CloseCode that follows. */
      type: 'error';
      code: number;
      reason: string;
    };

/** The awareness `user` field; the server overwrites name, role and id from the token. */
export interface AwarenessUser {
  id: UserId;
  name: string;
  role: Role;
  color: string;
}

/** What a client may put in its awareness state besides `user`. */
export interface AwarenessActivity {
  /** Item the person is dragging, if any. */
  dragging?: string | null;
  /** Item whose title/description the person is editing, if any. */
  editing?: string | null;
  /** Item the person has open in the detail panel, if any. */
  viewing?: string | null;
}

export interface AwarenessState extends AwarenessActivity {
  user: AwarenessUser;
}
