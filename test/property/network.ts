/**
 * An in-memory mesh of Y.Doc peers for property tests. Every local update is queued
 * once per peer pair; a test delivers queued updates in any order it likes. A peer that
 * goes offline loses its queues both ways (like a closed socket) and, when it comes
 * back, syncs with every online peer through the y-protocols sync step 1 / step 2
 * handshake (state vector out, diff back).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';

const REMOTE = Symbol('remote');

export class Network {
  readonly docs: Y.Doc[];
  private readonly online: boolean[];
  /** queues[from][to]: updates `from` made that `to` has not been handed yet. */
  private readonly queues: Uint8Array[][][];
  delivered = 0;

  constructor(peers: number, seedDoc?: Y.Doc) {
    this.docs = Array.from({ length: peers }, (_, i) => {
      const doc = new Y.Doc();
      // Fixed client ids: Yjs breaks concurrent-insert ties by client id, and a replayed
      // counterexample must resolve them the same way.
      doc.clientID = i + 1;
      if (seedDoc) Y.applyUpdate(doc, Y.encodeStateAsUpdate(seedDoc), REMOTE);
      return doc;
    });
    this.online = this.docs.map(() => true);
    this.queues = this.docs.map(() => this.docs.map(() => []));
    this.docs.forEach((doc, from) => {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === REMOTE || !this.online[from]) return;
        this.docs.forEach((_, to) => {
          if (to !== from && this.online[to]) this.queues[from]![to]!.push(update);
        });
      });
    });
  }

  isOnline(peer: number): boolean {
    return this.online[peer]!;
  }

  /** Hands `to` up to `count` queued updates from `from`, each picked anywhere in the queue. */
  deliver(from: number, to: number, pick: number, count: number): void {
    const queue = this.queues[from]![to]!;
    for (let i = 0; i < count && queue.length > 0; i++) {
      const [update] = queue.splice(pick % queue.length, 1);
      Y.applyUpdate(this.docs[to]!, update!, REMOTE);
      this.delivered++;
    }
  }

  disconnect(peer: number): void {
    if (!this.online[peer]) return;
    this.online[peer] = false;
    this.docs.forEach((_, other) => {
      this.queues[peer]![other] = [];
      this.queues[other]![peer] = [];
    });
  }

  reconnect(peer: number): void {
    if (this.online[peer]) return;
    this.online[peer] = true;
    this.docs.forEach((_, other) => {
      if (other !== peer && this.online[other]) this.syncPair(peer, other);
    });
  }

  /**
   * The y-protocols handshake both ways, with its real encoders: each side sends sync
   * step 1 (its state vector) and applies the step 2 (the diff) the other answers.
   */
  private syncPair(a: number, b: number): void {
    const [docA, docB] = [this.docs[a]!, this.docs[b]!];
    const stepsFromA = this.handshake(docA, docB);
    const stepsFromB = this.handshake(docB, docA);
    this.receive(docA, stepsFromA);
    this.receive(docB, stepsFromB);
  }

  /** `asker` sends step 1 to `answerer`; returns the step 2 message the answerer sends back. */
  private handshake(asker: Y.Doc, answerer: Y.Doc): Uint8Array {
    const step1 = encoding.createEncoder();
    sync.writeSyncStep1(step1, asker);
    const reply = encoding.createEncoder();
    sync.readSyncMessage(decoding.createDecoder(encoding.toUint8Array(step1)), reply, answerer, REMOTE);
    return encoding.toUint8Array(reply);
  }

  private receive(doc: Y.Doc, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = sync.readSyncMessage(decoder, encoding.createEncoder(), doc, REMOTE);
    if (type !== sync.messageYjsSyncStep2) throw new Error(`expected sync step 2, got ${type}`);
  }

  pending(): number {
    return this.queues.reduce((sum, row) => sum + row.reduce((s, q) => s + q.length, 0), 0);
  }

  /** Everyone back online, then every queue drained, oldest pair first, random within. */
  settle(pick: number): void {
    for (const peer of this.docs.keys()) this.reconnect(peer);
    let round = pick;
    while (this.pending() > 0) {
      for (const [from, row] of this.queues.entries()) {
        for (const [to, queue] of row.entries()) {
          if (queue.length > 0) this.deliver(from, to, round++, 1);
        }
      }
    }
  }
}
