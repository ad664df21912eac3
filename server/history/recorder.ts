/**
 * A loaded board's history recorder (HIS-1, HIS-4). The room tells it three things: the doc
 * is loaded (it stores the base if the board has none and builds its item views), an update
 * was applied (with its author from the token, AUTH-2, and the time; events are derived
 * now, on the event loop, and held), and a batch is being appended: the held updates and
 * events go into the same storage transaction as the batch (HIS-7), so history has every
 * stored update and nothing of one that was not stored (SRV-2), whenever the process dies.
 */
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import type { AuthUser } from '../extensions.ts';
import type { HistoryEventRecord, HistoryOfBatch, HistoryStore } from '../storage/types.ts';
import { allViews, type DerivedEvent, deriveEvents, ItemViews, joinAdded, touchedItems } from './derive.ts';

/** The server's own changes (poker agreement, estimation) are recorded under this user. */
export const SERVER_AUTHOR = { userId: 'server', name: 'Server', role: 'server' } as const;

interface Held {
  at: number;
  events: HistoryEventRecord[];
}

export class HistoryRecorder {
  private views = new ItemViews();
  private readonly held = new Map<Uint8Array, Held>();
  private chain: Promise<void> = Promise.resolve();
  private ready = false;
  /** Events of the steps of a change made in steps, until the steps are one update. */
  private stepEvents: DerivedEvent[] = [];

  constructor(
    private readonly boardId: BoardId,
    private readonly store: HistoryStore,
    private readonly now: () => number,
    private readonly log: (message: string) => void,
  ) {}

  /** The doc holds the stored state: the base, when the board has none yet, is exactly it. */
  loaded(doc: Y.Doc): void {
    this.views = allViews(doc);
    this.ready = true;
    const state = Y.encodeStateAsUpdate(doc);
    this.enqueue(() => this.store.putHistoryBase(this.boardId, this.now(), state).then(() => {}));
  }

  /**
   * An update was applied. `author` null: it came from another instance (which records it);
   * only the views follow it.
   */
  applied(update: Uint8Array, doc: Y.Doc, transaction: Y.Transaction, author: AuthUser | typeof SERVER_AUTHOR | null): void {
    if (!this.ready) return;
    const derived = deriveEvents(doc, touchedItems(doc, transaction), this.views, author === SERVER_AUTHOR);
    if (author === null) return;
    this.hold(update, derived, author);
  }

  /**
   * One step of a server change made in steps (Room.changeInSteps): its events are derived
   * now, from the items this step touched (so no step re-reads the whole board), and held
   * until `steps` names the one update the steps became.
   */
  step(doc: Y.Doc, transaction: Y.Transaction): void {
    if (!this.ready) return;
    this.stepEvents.push(...deriveEvents(doc, touchedItems(doc, transaction), this.views, true));
  }

  /** The steps so far are one update: their events as one change's, the items they added as one `imported`. */
  steps(update: Uint8Array, author: AuthUser | typeof SERVER_AUTHOR): void {
    const events = this.stepEvents;
    this.stepEvents = [];
    if (!this.ready) return;
    this.hold(update, joinAdded(events), author);
  }

  /** Steps that will not be stored (the change failed; the room reloads): their events go. */
  dropSteps(): void {
    this.stepEvents = [];
  }

  private hold(update: Uint8Array, derived: readonly DerivedEvent[], author: AuthUser | typeof SERVER_AUTHOR): void {
    const at = this.now();
    const minute = Math.floor(at / 60_000);
    this.held.set(update, {
      at,
      events: derived.map((e) => ({
        at,
        userId: author.userId,
        userName: author.name,
        userRole: author.role,
        kind: e.kind,
        itemId: e.itemId,
        data: JSON.stringify(e.fields),
        coalesceKey: e.coalesceField ? `${author.userId}|${e.itemId}|${e.coalesceField}|${minute}` : null,
      })),
    });
  }

  /**
   * These updates are about to be appended: hands over what was held for them, to be stored
   * in the same transaction (HIS-7), and forgets the rest, which no append will carry (an
   * apply that was rolled back, SRV-11). Null when none of them is recorded.
   */
  take(updates: readonly Uint8Array[]): HistoryOfBatch | null {
    const ats: (number | null)[] = [];
    const events: HistoryEventRecord[] = [];
    let any = false;
    for (const u of updates) {
      const held = this.held.get(u);
      ats.push(held ? held.at : null);
      if (!held) continue;
      any = true;
      for (const e of held.events) events.push(e);
    }
    this.held.clear();
    return any ? { ats, events } : null;
  }

  /** Resolves once everything stored so far is in the history store. */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((err: unknown) => this.log(`history append failed: ${String(err)}`));
  }
}
