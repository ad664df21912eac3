/**
 * Who owns each Yjs clientID of a board [AUTH-6]. Every clientID is visible in the
 * document, and Yjs takes a struct whose id it already has as known: someone writing at
 * another person's next clock would make the server drop that person's later edit. So a
 * clientID belongs to the user who first wrote a struct with it (bound in storage, so it
 * holds across restarts and instances), and new structs under someone else's are refused.
 *
 * A room keeps the owners it has learnt in memory; bindings never change, so the cache is
 * never stale and only a clientID the room has not seen yet costs a storage round trip.
 */
import * as random from 'lib0/random';
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import type { Storage } from '../storage/types.ts';
import type { DecodedUpdate } from './updates.ts';

/** The owner of the clientIDs the server writes under; no user id can look like it. */
export const SERVER_OWNER = '@server';

/** The clientIDs under which `decoded` adds structs (items or GCs) that `doc` lacks. Deletions do not count. */
export function newStructClients(doc: Y.Doc, decoded: DecodedUpdate): Set<number> {
  const clients = new Set<number>();
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    if (clock + struct.length > Y.getState(doc.store, client)) clients.add(client);
  }
  return clients;
}

export class ClientIdOwners {
  /** Owners confirmed by storage. */
  private readonly owners = new Map<number, string>();
  /** ClientIDs the server holds for itself but has not claimed in storage yet. */
  private readonly reserved = new Set<number>();
  /** Claims started ahead of a first write (prefetch), by clientID. */
  private readonly inflight = new Map<number, Promise<unknown>>();

  constructor(
    private readonly boardId: BoardId,
    private readonly storage: Pick<Storage, 'claimClientIds'>,
  ) {}

  /** The owner this room knows of (the server for its reserved ids), or undefined. */
  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId) ?? (this.reserved.has(clientId) ? SERVER_OWNER : undefined);
  }

  /**
   * The ids of `clientIds` that are someone else's: owned by another user as far as this
   * room knows or `claimedBy` says (a socket that announced it in presence), else after
   * claiming the unknown ones for `owner` in storage. Ids claimed for `owner` stay bound
   * even if the update is then refused for another id: that takes nothing from anyone.
   */
  async foreign(
    owner: string,
    clientIds: Iterable<number>,
    claimedBy: (clientId: number) => string | undefined = () => undefined,
  ): Promise<number[]> {
    const ids = [...clientIds];
    const pending = ids.flatMap((id) => this.inflight.get(id) ?? []);
    if (pending.length > 0) await Promise.all(pending);
    const out: number[] = [];
    const unknown: number[] = [];
    for (const id of ids) {
      const known = this.ownerOf(id);
      if (known !== undefined) {
        if (known !== owner) out.push(id);
        continue;
      }
      const announcer = claimedBy(id);
      if (announcer !== undefined && announcer !== owner) out.push(id);
      else unknown.push(id);
    }
    if (out.length > 0 || unknown.length === 0) return out;
    const stored = await this.claim(owner, unknown);
    for (const id of unknown) if (stored.get(id) !== owner) out.push(id);
    return out;
  }

  /**
   * Claims `clientId` for `owner` in the background: a socket announced it in presence, so
   * it is that person's, and their first write then finds the owner known. A failed claim
   * is simply forgotten; the write claims again.
   */
  prefetch(owner: string, clientId: number): void {
    if (this.ownerOf(clientId) !== undefined || this.inflight.has(clientId)) return;
    const claim = this.claim(owner, [clientId])
      .catch(() => {})
      .finally(() => this.inflight.delete(clientId));
    this.inflight.set(clientId, claim);
  }

  /** Holds `clientId` for the server in memory, until serverClientId() claims it. */
  reserveForServer(clientId: number): void {
    if (!this.owners.has(clientId)) this.reserved.add(clientId);
  }

  /**
   * Makes sure the server may write under `doc.clientID`: claims it in storage for
   * SERVER_OWNER before the server's first change under it. Should it belong to a user
   * already (a random collision), the doc gets another clientID.
   */
  async serverClientId(doc: Y.Doc): Promise<void> {
    for (;;) {
      const id = doc.clientID;
      if (this.owners.get(id) === SERVER_OWNER) return;
      this.reserveForServer(id);
      const stored = await this.claim(SERVER_OWNER, [id]);
      this.reserved.delete(id);
      if (stored.get(id) === SERVER_OWNER) return;
      if (doc.clientID === id) {
        doc.clientID = freshClientId(doc);
        this.reserveForServer(doc.clientID);
      }
    }
  }

  private async claim(owner: string, clientIds: readonly number[]): Promise<Map<number, string>> {
    const stored = await this.storage.claimClientIds(this.boardId, owner, clientIds);
    for (const [id, who] of stored) this.owners.set(id, who);
    return stored;
  }
}

/** A random clientID nobody has written with in `doc`. */
function freshClientId(doc: Y.Doc): number {
  for (;;) {
    const id = random.uint32();
    if (!doc.store.clients.has(id)) return id;
  }
}
