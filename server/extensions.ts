/**
 * Extension points between the server core (rooms, sockets, REST) and the features
 * built on it (write policy, estimation). The core calls these; features implement them.
 */
import type * as Y from 'yjs';
import type { BoardId, UserId } from '../shared/ids.ts';
import type { Role } from '../shared/roles.ts';

/** Who is behind a socket or a REST call: always taken from a verified token. */
export interface AuthUser {
  boardId: BoardId;
  userId: UserId;
  role: Role;
  name: string;
}

export type UpdateVerdict = { ok: true } | { ok: false; rule: string; reason: string };

/**
 * Decides whether a client's document update may be applied. Called with the board's
 * current state before the update is applied, persisted or relayed; a rejected update is
 * none of those, and its sender is told why (control message) and closed with 4422.
 */
export interface UpdateGate {
  /**
   * `decoded`, when given, is `Y.decodeUpdate(update)` already done by the caller (the
   * room decodes every update once); gates may use it instead of decoding again.
   */
  check(input: { doc: Y.Doc; user: AuthUser; update: Uint8Array; decoded?: unknown }): UpdateVerdict;
}

/** A change the server itself makes to a loaded board (estimation, defaults). */
export interface BoardHandle {
  readonly boardId: BoardId;
  readonly doc: Y.Doc;
  /**
   * Runs `fn` in one transaction with the server's origin, then persists the resulting
   * update and relays it to every client, like an accepted client update.
   */
  change(fn: (doc: Y.Doc) => void): Promise<void>;
  /**
   * A change too big for one turn of the event loop (a 10,000-row import): each step runs
   * in its own transaction with a pause between, nothing else of this board runs meanwhile,
   * and the steps are stored and relayed as one update, like `change`'s.
   */
  changeInSteps(steps: (doc: Y.Doc) => Iterable<(doc: Y.Doc) => void>): Promise<void>;
  /**
   * Who is on the board now, once per person: the `user` of each awareness state (the
   * server pins it from the token, AUTH-2), from this instance and, through fan-out, others.
   */
  presentUsers(): PresentUser[];
}

/** One person present on a board (BoardHandle.presentUsers), as their token names them. */
export interface PresentUser {
  userId: UserId;
  name: string;
  role: Role;
}
