/**
 * Awareness (presence) from a socket is rewritten before anyone sees it [AUTH-2]: only
 * client ids the socket may write pass [AUTH-5, AUTH-7], states larger than
 * LIMITS.maxAwarenessStateBytes are dropped [SRV-14], and each state's `user` is replaced
 * with the one from its token. The functions are pure; AwarenessGuard is what a room
 * holds: its awareness, who owns which id, and who is present.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { colorForUser, RoomColors } from '../../shared/colors.ts';
import type { UserId } from '../../shared/ids.ts';
import type { AwarenessUser } from '../../shared/protocol.ts';
import type { Role } from '../../shared/roles.ts';
import type { AuthUser, PresentUser } from '../extensions.ts';

/** Each socket may speak for a few awareness client ids at once (a reloaded doc gets a new one). */
export const MAX_AWARENESS_IDS_PER_SOCKET = 8;

/**
 * Client ids remembered per room (bound to their first user). Past it, the oldest binding
 * whose id no socket holds is forgotten, so a room that lives for days stays small.
 */
export const MAX_BOUND_AWARENESS_IDS = 10_000;

export function pinnedUser(user: AuthUser, color: string = colorForUser(user.userId)): AwarenessUser {
  return { id: user.userId, name: user.name, role: user.role, color };
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

const utf8 = new TextDecoder();

/**
 * Decodes a y-protocols awareness update; throws on malformed input. A state whose JSON is
 * longer than `maxStateBytes` (UTF-8) is not parsed: its entry comes back with state
 * `undefined`, which pinAwareness drops [SRV-14].
 */
export function decodeAwarenessUpdate(update: Uint8Array, maxStateBytes = Number.POSITIVE_INFINITY): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarUint8Array(decoder);
    const state: unknown = json.length > maxStateBytes ? undefined : JSON.parse(utf8.decode(json));
    entries.push({ clientId, clock, state });
  }
  return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Keeps the entries whose client id `mayUse` allows, with `user` pinned; a null state
 * (the client leaving) passes as is. Non-object (and too large, `undefined`) states are
 * dropped before `mayUse` is asked, so they claim nothing.
 */
export function pinAwareness(
  entries: readonly AwarenessEntry[],
  user: AwarenessUser,
  mayUse: (clientId: number, removal: boolean) => boolean,
): AwarenessEntry[] {
  const out: AwarenessEntry[] = [];
  for (const entry of entries) {
    if (entry.state === null) {
      if (mayUse(entry.clientId, true)) out.push(entry);
    } else if (typeof entry.state === 'object' && !Array.isArray(entry.state)) {
      if (mayUse(entry.clientId, false)) {
        out.push({ ...entry, state: { ...(entry.state as Record<string, unknown>), user } });
      }
    }
  }
  return out;
}

/**
 * Who may write which awareness client id on one board, for the room's lifetime.
 *
 * - A client id is **bound** to the user who first wrote a state for it [AUTH-7]: no other
 *   user may ever write or remove it, even after that user left. (y-websocket keeps its
 *   awareness id, doc.clientID, across reconnects, and every peer echoes each awareness
 *   change it hears — removals included — so an id freed on leave would otherwise be
 *   claimed by whichever peer's echo came first, hiding the person when they return.)
 * - It is **held** by the socket that last wrote it: that socket's close removes its state
 *   [AUTH-5]. Another socket of the same user may take it over (a reconnect the server has
 *   not noticed as a drop yet); a socket holds at most `maxIdsPerSocket` ids.
 * - A removal (null state) passes only from the socket holding the id, and claims nothing.
 */
export class AwarenessOwners<S> {
  private readonly boundTo = new Map<number, UserId>();
  private readonly holder = new Map<number, S>();
  private readonly held = new Map<S, Set<number>>();
  private readonly maxIdsPerSocket: number;
  private readonly maxBoundIds: number;
  private readonly reserved: ReadonlySet<number>;

  constructor(opts: { maxIdsPerSocket?: number; maxBoundIds?: number; reserved?: Iterable<number> } = {}) {
    this.maxIdsPerSocket = opts.maxIdsPerSocket ?? MAX_AWARENESS_IDS_PER_SOCKET;
    this.maxBoundIds = opts.maxBoundIds ?? MAX_BOUND_AWARENESS_IDS;
    this.reserved = new Set(opts.reserved ?? []);
  }

  /**
   * Whether `socket` (of `userId`) may write `clientId` now — a state, or with `removal`
   * a null state. Allowing a state binds and holds the id for this socket.
   */
  claim(clientId: number, socket: S, userId: UserId, removal: boolean): boolean {
    if (this.reserved.has(clientId)) return false;
    const bound = this.boundTo.get(clientId);
    if (bound !== undefined && bound !== userId) return false;
    const current = this.holder.get(clientId);
    if (current === socket) return true;
    if (removal) return false;
    const mine = this.held.get(socket) ?? new Set<number>();
    if (mine.size >= this.maxIdsPerSocket) return false;
    if (current !== undefined) this.held.get(current)?.delete(clientId);
    if (bound === undefined) this.bind(clientId, userId);
    this.holder.set(clientId, socket);
    mine.add(clientId);
    this.held.set(socket, mine);
    return true;
  }

  /** The socket left: the ids it held (their states go with it). Bindings stay. */
  release(socket: S): number[] {
    const mine = this.held.get(socket);
    if (!mine) return [];
    this.held.delete(socket);
    for (const id of mine) this.holder.delete(id);
    return [...mine];
  }

  /** The user an id is bound to, if any (tests, diagnostics). */
  boundUser(clientId: number): UserId | undefined {
    return this.boundTo.get(clientId);
  }

  private bind(clientId: number, userId: UserId): void {
    if (this.boundTo.size >= this.maxBoundIds) {
      // Oldest first (Map order); ids someone holds are never forgotten.
      for (const id of this.boundTo.keys()) {
        if (!this.holder.has(id)) {
          this.boundTo.delete(id);
          break;
        }
      }
    }
    this.boundTo.set(clientId, userId);
  }
}

export class MalformedAwareness extends Error {}

/** What the room's awareness knows of a client id: its clock, and whether it has a state. */
export type KnownAwareness = (clientId: number) => { clock: number; hasState: boolean } | undefined;

export interface AwarenessFilter<S> {
  owners: AwarenessOwners<S>;
  /** LIMITS.maxAwarenessStateBytes. */
  maxStateBytes: number;
  /** The room's current meta per id; lets a returning person's state through (see below). */
  known?: KnownAwareness;
  /** The colour the room gives this user (RoomColors); colorForUser when absent. */
  color?: string;
  /** Told the ids that pass with a state: the ids the socket's user now speaks for. */
  onAdmitted?: (clientIds: number[]) => void;
}

/**
 * One awareness frame's payload from `socket`, as the room applies it: decoded (throws
 * MalformedAwareness), oversize states dropped [SRV-14], ids the socket may not write
 * dropped [AUTH-5, AUTH-7], `user` pinned from the token [AUTH-2]. Null when nothing is left.
 *
 * A person who reconnects sends their state with the clock they had, which is not newer
 * than the clock of the removal the room recorded when they left (y-websocket sends its
 * leaving null state with the same clock), so awareness would ignore it until their next
 * heartbeat. When the id has no state and the socket may write it, the entry's
 * clock is moved just past the room's, so they reappear at once [AUTH-7].
 */
export function filterAwarenessUpdate<S>(
  update: Uint8Array,
  from: { socket: S; user: AuthUser },
  filter: AwarenessFilter<S>,
): Uint8Array | null {
  let entries: AwarenessEntry[];
  try {
    entries = decodeAwarenessUpdate(update, filter.maxStateBytes);
  } catch {
    throw new MalformedAwareness('bad awareness update');
  }
  const { socket, user } = from;
  const { owners, known } = filter;
  const pinned = pinAwareness(entries, pinnedUser(user, filter.color), (id, removal) => owners.claim(id, socket, user.userId, removal));
  if (pinned.length === 0) return null;
  filter.onAdmitted?.(pinned.filter((e) => e.state !== null).map((e) => e.clientId));
  const out = known
    ? pinned.map((entry) => {
        if (entry.state === null) return entry;
        const meta = known(entry.clientId);
        return meta && !meta.hasState && entry.clock <= meta.clock ? { ...entry, clock: meta.clock + 1 } : entry;
      })
    : pinned;
  return encodeAwarenessEntries(out);
}

/** What changed in the room's awareness, with the encoded update of those ids. */
export interface AwarenessChange {
  update: Uint8Array;
  origin: unknown;
  /** Some state was removed (someone left or timed out). */
  removed: boolean;
}

/**
 * A room's presence: its Awareness (the server has no state of its own), and the only way
 * a socket's awareness frame gets into it — filtered and pinned (filterAwarenessUpdate),
 * with the server's own client id off limits. The room relays what `onChange` reports.
 */
export class AwarenessGuard<S> {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly owners: AwarenessOwners<S>;
  /** Distinct colours for the people present here (one instance's view). */
  private readonly colors = new RoomColors();

  constructor(
    doc: Y.Doc,
    private readonly opts: { maxStateBytes: number; onChange: (change: AwarenessChange) => void },
  ) {
    this.owners = new AwarenessOwners<S>({ reserved: [doc.clientID] });
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onUpdate);
  }

  /** An awareness frame's payload from `socket` (throws MalformedAwareness). */
  /** Applies what passes of `socket`'s frame; returns the ids it now holds a state under. */
  receive(socket: S, user: AuthUser, update: Uint8Array): number[] {
    let ids: number[] = [];
    const admitted = filterAwarenessUpdate(
      update,
      { socket, user },
      {
        owners: this.owners,
        maxStateBytes: this.opts.maxStateBytes,
        color: this.colors.colorFor(user.userId),
        known: (id) => {
          const meta = this.awareness.meta.get(id);
          return meta && { clock: meta.clock, hasState: this.awareness.states.has(id) };
        },
        onAdmitted: (admittedIds) => {
          ids = admittedIds;
        },
      },
    );
    if (admitted) awarenessProtocol.applyAwarenessUpdate(this.awareness, admitted, socket);
    return ids;
  }

  /** An awareness update another instance already filtered, applied with `origin`. */
  applyRemote(update: Uint8Array, origin: unknown): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, origin);
  }

  /** `socket` left: the states it held go with it [AUTH-5]. */
  release(socket: S): void {
    const owned = this.owners.release(socket);
    if (owned.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, owned, null);
  }

  /** The user an awareness id is bound to, if any. */
  boundUser(clientId: number): UserId | undefined {
    return this.owners.boundUser(clientId);
  }

  /** Every awareness id with a state. */
  ids(): number[] {
    return [...this.awareness.getStates().keys()];
  }

  /** Everyone present (here or, through fan-out, on other instances), once each. */
  presentUsers(): PresentUser[] {
    const byId = new Map<UserId, PresentUser>();
    for (const state of this.awareness.getStates().values()) {
      const user = (state as { user?: Partial<AwarenessUser> } | null)?.user;
      if (typeof user?.id !== 'string' || byId.has(user.id)) continue;
      if (typeof user.name !== 'string' || typeof user.role !== 'string') continue;
      byId.set(user.id, { userId: user.id, name: user.name, role: user.role as Role });
    }
    return [...byId.values()];
  }

  destroy(): void {
    this.awareness.off('update', this.onUpdate);
    this.awareness.destroy();
  }

  private readonly onUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    if (removed.length > 0) this.colors.keepOnly(new Set(this.presentUsers().map((u) => u.userId)));
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    this.opts.onChange({ update, origin, removed: removed.length > 0 });
  };
}
