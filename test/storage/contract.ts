/**
 * The one acceptance suite every storage adapter must pass (rules STO-* in docs/SPEC.md),
 * in two parts: `storage contract` (Storage and the SnapshotStore compaction is built
 * from) and `private store contract` (PrivateStore). An adapter's test file calls
 * `describeStorageContract` with a harness that opens storages on one shared store: two
 * `open()` calls behave like two server instances (or two processes) sharing it, which is
 * how the concurrency rules are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type BoardId, newBoardId } from '../../shared/ids.ts';
import { defaultBoardLinks, readBoardLinks, regenerated, revoked, writeBoardLinks } from '../../server/auth/links.ts';
import type { BoardRecord, StorageAdapter, StoredBoardState } from '../../server/storage/types.ts';
import { describeHistoryContract } from './history-contract.ts';
import { describeMembersContract } from './members-contract.ts';

type Storage = StorageAdapter;

export interface StorageHarness {
  /** Opens a storage on the shared store; each call is an independent connection. */
  open(): Promise<StorageAdapter>;
  /** Closes whatever is still open and removes the store. */
  destroy(): Promise<void>;
}

export interface StorageContractOptions {
  /** Skip the whole suite (the caller prints why). */
  skip?: boolean;
}

/** Rebuilds a document from stored state, as a server loading the board would. */
export function docFromState(state: StoredBoardState): Y.Doc {
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const u of state.updates) Y.applyUpdate(doc, u.data);
  return doc;
}

function record(id: BoardId, title = 'Sprint 12 refinement'): BoardRecord {
  return { id, title, createdAt: 1_764_000_000_000 };
}

/** A doc with some content plus a helper that records each change as one update. */
function writer(seedTitle = 'board') {
  const doc = new Y.Doc();
  doc.getMap('meta').set('title', seedTitle);
  const initial = Y.encodeStateAsUpdate(doc);
  const pending: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => pending.push(u));
  return {
    doc,
    initial,
    /** Runs `fn` as one transaction and returns the update(s) it produced. */
    change(fn: (d: Y.Doc) => void): Uint8Array[] {
      doc.transact(() => fn(doc));
      return pending.splice(0);
    },
  };
}

function sameDoc(a: Y.Doc, b: Y.Doc): void {
  expect(b.getMap('meta').toJSON()).toEqual(a.getMap('meta').toJSON());
  expect(b.getMap('items').toJSON()).toEqual(a.getMap('items').toJSON());
  expect(Y.encodeStateVector(b)).toEqual(Y.encodeStateVector(a));
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function describeStorageContract(
  name: string,
  makeHarness: () => Promise<StorageHarness>,
  opts: StorageContractOptions = {},
): void {
  describe.skipIf(opts.skip === true)(`storage contract: ${name}`, () => {
    let harness: StorageHarness;
    let store: Storage;

    beforeAll(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterAll(async () => {
      await harness?.destroy();
    });

    it('[STO-1] a created board can be read back, and creating its id again is rejected', async () => {
      const id = newBoardId();
      const w = writer();
      await store.createBoard(record(id), w.initial);
      expect(await store.getBoard(id)).toEqual(record(id));

      await expect(store.createBoard(record(id, 'impostor'), writer('impostor').initial)).rejects.toThrow();
      expect(await store.getBoard(id)).toEqual(record(id));

      // Two instances creating one id at once: exactly one wins.
      const other = await harness.open();
      try {
        const raced = newBoardId();
        const results = await Promise.allSettled([
          store.createBoard(record(raced, 'first'), writer('first').initial),
          other.createBoard(record(raced, 'second'), writer('second').initial),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const winner = (await other.getBoard(raced))!.title;
        const state = (await store.loadBoard(raced))!;
        expect(docFromState(state).getMap('meta').get('title')).toBe(winner);
      } finally {
        await other.close();
      }
      const loaded = await store.loadBoard(id);
      expect(loaded).not.toBeNull();
      expect(docFromState(loaded!).getMap('meta').get('title')).toBe('board');
    });

    it('[STO-2] an unknown board reads as null, and appending to it is rejected', async () => {
      const id = newBoardId();
      expect(await store.getBoard(id)).toBeNull();
      expect(await store.loadBoard(id)).toBeNull();
      await expect(store.appendUpdates(id, [writer().initial])).rejects.toThrow();
      expect(await store.getBoard(id)).toBeNull();
    });

    it('[STO-3] appended updates load in append order with strictly increasing seqs', async () => {
      const id = newBoardId();
      const w = writer();
      await store.createBoard(record(id), w.initial);
      const appended: Uint8Array[] = [];
      const lastSeqs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const ups = w.change((d) => d.getMap('items').set(`item${i}`, i));
        appended.push(...ups);
        lastSeqs.push(await store.appendUpdates(id, ups));
      }
      // A batch is one call; its returned seq is that of its last update.
      const batch = [
        ...w.change((d) => d.getMap('items').set('b1', 1)),
        ...w.change((d) => d.getMap('items').set('b2', 2)),
      ];
      appended.push(...batch);
      lastSeqs.push(await store.appendUpdates(id, batch));

      for (let i = 1; i < lastSeqs.length; i++) expect(lastSeqs[i]!).toBeGreaterThan(lastSeqs[i - 1]!);
      const loaded = (await store.loadBoard(id))!;
      const tail = loaded.updates.slice(-appended.length);
      expect(tail.map((u) => u.data)).toEqual(appended);
      for (let i = 1; i < loaded.updates.length; i++) {
        expect(loaded.updates[i]!.seq).toBeGreaterThan(loaded.updates[i - 1]!.seq);
      }
      expect(tail.at(-1)!.seq).toBe(lastSeqs.at(-1));
      expect(tail.at(-2)!.seq).toBe(lastSeqs.at(-1)! - 1);
    });

    it('[STO-2][STO-3] appends to several boards requested at once all land; one to an unknown board fails alone', async () => {
      const boards = Array.from({ length: 5 }, () => ({ id: newBoardId(), w: writer() }));
      for (const b of boards) await store.createBoard(record(b.id), b.w.initial);
      const unknown = newBoardId();
      const sent = new Map<BoardId, Uint8Array[]>(boards.map((b) => [b.id, []]));
      // Two rounds; in each, every board's append (and the unknown board's) is requested before any settles.
      for (let round = 0; round < 2; round++) {
        const calls: Array<{ id: BoardId; result: Promise<number> }> = [];
        for (const [i, b] of boards.entries()) {
          const ups = b.w.change((d) => d.getMap('items').set(`r${round}`, i));
          sent.get(b.id)!.push(...ups);
          calls.push({ id: b.id, result: store.appendUpdates(b.id, ups) });
          if (i === 2) calls.push({ id: unknown, result: store.appendUpdates(unknown, [writer().initial]) });
        }
        const settled = await Promise.allSettled(calls.map((c) => c.result));
        expect(settled.map((r) => r.status)).toEqual(calls.map((c) => (c.id === unknown ? 'rejected' : 'fulfilled')));
      }
      expect(await store.getBoard(unknown)).toBeNull();
      for (const b of boards) {
        const loaded = (await store.loadBoard(b.id))!;
        expect(loaded.updates.map((u) => u.data)).toEqual(sent.get(b.id));
        sameDoc(b.w.doc, docFromState(loaded));
      }
    });

    it('[STO-4] snapshot plus later updates rebuild exactly the document that was written', async () => {
      const id = newBoardId();
      const w = writer('rebuild me');
      await store.createBoard(record(id), w.initial);
      const ups = [
        ...w.change((d) => {
          const item = new Y.Map<unknown>();
          d.getMap('items').set('a', item);
          const text = new Y.Text();
          item.set('title', text);
          text.insert(0, 'As a PO I want ünïcødé 🚀 titles');
        }),
        ...w.change((d) => d.getMap('items').set('b', { rank: 'a1', status: 'new' })),
        ...w.change((d) => ((d.getMap('items').get('a') as Y.Map<unknown>).get('title') as Y.Text).delete(0, 5)),
        ...w.change((d) => d.getMap('items').delete('b')),
      ];
      await store.appendUpdates(id, ups);
      sameDoc(w.doc, docFromState((await store.loadBoard(id))!));
    });

    it('[STO-5] compaction folds every update into the snapshot and keeps later appends', async () => {
      const id = newBoardId();
      const w = writer();
      await store.createBoard(record(id), w.initial);
      let lastSeq = 0;
      for (let i = 0; i < 20; i++) {
        lastSeq = await store.appendUpdates(id, w.change((d) => d.getMap('items').set(`i${i}`, i)));
      }
      expect(await store.pendingUpdateCount(id)).toBe(20);

      const result = await store.compact(id);
      expect(result.updatesFolded).toBe(20);
      expect(result.snapshotBytes).toBeGreaterThan(0);
      expect(await store.pendingUpdateCount(id)).toBe(0);
      const afterCompact = (await store.loadBoard(id))!;
      expect(afterCompact.updates).toEqual([]);
      expect(afterCompact.snapshot?.byteLength).toBe(result.snapshotBytes);
      sameDoc(w.doc, docFromState(afterCompact));

      // Nothing new: a second compaction folds nothing and changes nothing.
      expect(await store.compact(id)).toEqual({ updatesFolded: 0, snapshotBytes: result.snapshotBytes });
      sameDoc(w.doc, docFromState((await store.loadBoard(id))!));

      const later = await store.appendUpdates(id, w.change((d) => d.getMap('items').set('later', true)));
      expect(later).toBeGreaterThan(lastSeq);
      expect(await store.pendingUpdateCount(id)).toBe(1);
      const loaded = (await store.loadBoard(id))!;
      expect(loaded.updates.map((u) => u.seq)).toEqual([later]);
      sameDoc(w.doc, docFromState(loaded));
    });

    it('[STO-6] compaction running alongside appends and loads from two instances loses no update', async () => {
      const other = await harness.open();
      try {
        const id = newBoardId();
        const base = writer();
        await store.createBoard(record(id), base.initial);
        // Two clients, each writing through its own instance, while both instances compact.
        const a = new Y.Doc();
        const b = new Y.Doc();
        Y.applyUpdate(a, base.initial);
        Y.applyUpdate(b, base.initial);
        const perWriter = 60;
        let writersDone = 0;
        const write = async (doc: Y.Doc, via: Storage, tag: string) => {
          for (let i = 0; i < perWriter; i++) {
            const captured: Uint8Array[] = [];
            const h = (u: Uint8Array) => captured.push(u);
            doc.on('update', h);
            doc.getMap('items').set(`${tag}${i}`, i);
            doc.off('update', h);
            await via.appendUpdates(id, captured);
          }
          writersDone++;
        };
        let compactions = 0;
        const compactLoop = async (via: Storage) => {
          while (writersDone < 2) {
            await via.compact(id);
            compactions++;
          }
        };
        // Loads racing the compactions must never see fewer items than an earlier load.
        let loads = 0;
        let regressions = 0;
        const loadLoop = async (via: Storage) => {
          let seen = 0;
          while (writersDone < 2) {
            const size = docFromState((await via.loadBoard(id))!).getMap('items').size;
            if (size < seen) regressions++;
            seen = Math.max(seen, size);
            loads++;
          }
        };
        await Promise.all([
          write(a, store, 'a'),
          write(b, other, 'b'),
          compactLoop(store),
          compactLoop(other),
          loadLoop(store),
          loadLoop(other),
        ]);
        expect(compactions).toBeGreaterThan(1);
        expect(loads).toBeGreaterThan(1);
        expect(regressions).toBe(0);

        for (const via of [store, other]) {
          const items = docFromState((await via.loadBoard(id))!).getMap('items');
          expect(items.size).toBe(2 * perWriter);
          for (let i = 0; i < perWriter; i++) {
            expect(items.get(`a${i}`)).toBe(i);
            expect(items.get(`b${i}`)).toBe(i);
          }
        }
        await other.compact(id);
        expect(docFromState((await store.loadBoard(id))!).getMap('items').size).toBe(2 * perWriter);
      } finally {
        await other.close();
      }
    });

    it('[STO-5] the snapshot swap is refused once another compaction folded the same updates, and nothing is lost', async () => {
      const other = await harness.open();
      try {
        const id = newBoardId();
        const w = writer();
        await store.createBoard(record(id), w.initial);
        for (let i = 0; i < 3; i++) await store.appendUpdates(id, w.change((d) => d.getMap('items').set(`i${i}`, i)));
        const read = await store.readFolded(id);
        expect(read.folded?.range.count).toBe(3);
        // Another instance compacts between this read and its swap; then one more update lands.
        expect((await other.compact(id)).updatesFolded).toBe(3);
        const later = await store.appendUpdates(id, w.change((d) => d.getMap('items').set('later', true)));
        const swap = await store.replaceSnapshot(id, read.folded!.range, read.folded!.snapshot);
        expect(swap.replaced).toBe(false);
        const loaded = (await store.loadBoard(id))!;
        expect(swap.snapshotBytes).toBe(loaded.snapshot?.byteLength);
        expect(loaded.updates.map((u) => u.seq)).toEqual([later]);
        sameDoc(w.doc, docFromState(loaded));
      } finally {
        await other.close();
      }
    });

    it('[STO-5] a snapshot swap keeps the updates appended after its read', async () => {
      const id = newBoardId();
      const w = writer();
      await store.createBoard(record(id), w.initial);
      for (let i = 0; i < 3; i++) await store.appendUpdates(id, w.change((d) => d.getMap('items').set(`i${i}`, i)));
      const read = await store.readFolded(id);
      const later = await store.appendUpdates(id, w.change((d) => d.getMap('items').set('later', true)));
      const swap = await store.replaceSnapshot(id, read.folded!.range, read.folded!.snapshot);
      expect(swap).toEqual({ replaced: true, snapshotBytes: read.folded!.snapshot.byteLength });
      const loaded = (await store.loadBoard(id))!;
      expect(loaded.updates.map((u) => u.seq)).toEqual([later]);
      expect(await store.pendingUpdateCount(id)).toBe(1);
      sameDoc(w.doc, docFromState(loaded));
      // Nothing stored after the snapshot: nothing to fold.
      await store.compact(id);
      expect((await store.readFolded(id)).folded).toBeNull();
      await expect(store.readFolded(newBoardId())).rejects.toThrow();
    });

    it('[STO-8] bytes come back exactly as written, including zeros and every byte value', async () => {
      const id = newBoardId();
      await store.createBoard(record(id), writer().initial);
      const every = new Uint8Array(512).map((_, i) => i % 256);
      const zeros = new Uint8Array(1000);
      const highs = new Uint8Array([0xff, 0xfe, 0x00, 0x5c, 0x27, 0x22, 0x0a, 0x0d]); // \ ' " \n \r
      // A view into a larger buffer: only the viewed bytes may be stored.
      const backing = new Uint8Array(64).fill(7);
      backing.set([1, 2, 3], 10);
      const view = backing.subarray(10, 13);
      await store.appendUpdates(id, [every, zeros, highs, view]);
      const loaded = (await store.loadBoard(id))!;
      const tail = loaded.updates.slice(-4).map((u) => Array.from(u.data));
      expect(tail).toEqual([Array.from(every), Array.from(zeros), Array.from(highs), [1, 2, 3]]);
      expect(loaded.updates.at(-1)!.data).toBeInstanceOf(Uint8Array);
    });

    it('[STO-9] a 1 MiB update is stored, compacted and reloaded intact', async () => {
      const id = newBoardId();
      const w = writer();
      await store.createBoard(record(id), w.initial);
      const big = 'x'.repeat(512 * 1024) + 'ü'.repeat(256 * 1024); // 1 MiB of UTF-8
      const ups = w.change((d) => d.getText('description').insert(0, big));
      expect(ups.reduce((n, u) => n + u.byteLength, 0)).toBeGreaterThan(1024 * 1024);
      await store.appendUpdates(id, ups);
      expect(docFromState((await store.loadBoard(id))!).getText('description').toString()).toBe(big);
      await store.compact(id);
      expect(docFromState((await store.loadBoard(id))!).getText('description').toString()).toBe(big);
    });

    it('[STO-10] state written through one connection survives it closing and is read by a new one', async () => {
      const first = await harness.open();
      const id = newBoardId();
      const w = writer();
      await first.createBoard(record(id), w.initial);
      await first.appendUpdates(id, w.change((d) => d.getMap('items').set('kept', 1)));
      await first.putPrivate(id, 'k', '"v"');
      await first.close();

      const second = await harness.open();
      try {
        expect(await second.getBoard(id)).toEqual(record(id));
        sameDoc(w.doc, docFromState((await second.loadBoard(id))!));
        expect(await second.getPrivate(id, 'k')).toBe('"v"');
      } finally {
        await second.close();
      }
    });

    it('[STO-15] [AUTH-6] a clientID is bound to the first user who claims it, per board', async () => {
      const id = newBoardId();
      const otherBoard = newBoardId();
      await store.createBoard(record(id), writer().initial);
      await store.createBoard(record(otherBoard), writer().initial);
      const MAX = 2 ** 32 - 1; // Yjs clientIDs are unsigned 32-bit
      expect(await store.claimClientIds(id, 'dana', [1, 2, 0, MAX, 2])).toEqual(
        new Map([
          [1, 'dana'],
          [2, 'dana'],
          [0, 'dana'],
          [MAX, 'dana'],
        ]),
      );
      // Bert's claim binds only the id nobody has; the others stay Dana's.
      expect(await store.claimClientIds(id, 'bert', [2, 3, MAX])).toEqual(
        new Map([
          [2, 'dana'],
          [3, 'bert'],
          [MAX, 'dana'],
        ]),
      );
      expect(await store.claimClientIds(id, 'dana', [3])).toEqual(new Map([[3, 'bert']]));
      // Another board's ids are its own.
      expect(await store.claimClientIds(otherBoard, 'bert', [1])).toEqual(new Map([[1, 'bert']]));
      expect(await store.claimClientIds(id, 'bert', [])).toEqual(new Map());
      // Bindings stay out of the document.
      const loaded = (await store.loadBoard(id))!;
      const bytes = [loaded.snapshot, ...loaded.updates.map((u) => u.data)].filter((x) => x !== null);
      expect(new TextDecoder().decode(Buffer.concat(bytes))).not.toContain('dana');
    });

    it('[STO-15] [AUTH-6] two connections claiming the same clientIDs at once agree on one owner for each', async () => {
      const other = await harness.open();
      try {
        const id = newBoardId();
        await store.createBoard(record(id), writer().initial);
        const ids = Array.from({ length: 40 }, (_, i) => 1000 + i);
        // Many overlapping claims from both connections, all requested before any settles.
        const claims: Array<Promise<Map<number, string>>> = [];
        for (let round = 0; round < 8; round++) {
          const slice = ids.slice(round * 4, round * 4 + 12);
          claims.push(store.claimClientIds(id, 'dana', slice), other.claimClientIds(id, 'bert', [...slice].reverse()));
        }
        const results = await Promise.all(claims);
        const owner = new Map<number, string>();
        for (const result of results) {
          for (const [clientId, who] of result) {
            expect(['dana', 'bert']).toContain(who);
            if (owner.has(clientId)) expect(who).toBe(owner.get(clientId));
            else owner.set(clientId, who);
          }
        }
        expect(owner.size).toBe(ids.length);
        // Both connections read the same, settled bindings.
        const late = await other.claimClientIds(id, 'carol', ids);
        expect(late).toEqual(owner);
        expect(await store.claimClientIds(id, 'carol', ids)).toEqual(owner);
      } finally {
        await other.close();
      }
    });

    it('[STO-15] [AUTH-6] bindings outlive the connection that made them; an unknown board is rejected', async () => {
      const first = await harness.open();
      const id = newBoardId();
      await first.createBoard(record(id), writer().initial);
      expect(await first.claimClientIds(id, 'dana', [42])).toEqual(new Map([[42, 'dana']]));
      await first.close();
      const second = await harness.open();
      try {
        expect(await second.claimClientIds(id, 'bert', [42])).toEqual(new Map([[42, 'dana']]));
        const unknown = newBoardId();
        await expect(second.claimClientIds(unknown, 'bert', [42])).rejects.toThrow();
        expect(await second.getBoard(unknown)).toBeNull();
      } finally {
        await second.close();
      }
    });

    it('[STO-11] healthy is true while open and false once closed', async () => {
      const s = await harness.open();
      expect(await s.healthy()).toBe(true);
      await s.close();
      expect(await waitFor('healthy() to turn false', async () => ((await s.healthy()) ? undefined : false))).toBe(
        false,
      );
    });
  });

  describe.skipIf(opts.skip === true)(`private store contract: ${name}`, () => {
    let harness: StorageHarness;
    let store: Storage;

    beforeAll(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterAll(async () => {
      await harness?.destroy();
    });

    it('[STO-7] private values are stored per board, overwritten, deleted, and kept out of the document', async () => {
      const id = newBoardId();
      const otherId = newBoardId();
      await store.createBoard(record(id), writer().initial);
      await store.createBoard(record(otherId), writer().initial);
      expect(await store.getPrivate(id, 'votes:item1')).toBeNull();

      await store.putPrivate(id, 'votes:item1', JSON.stringify({ u1: '5' }));
      await store.putPrivate(otherId, 'votes:item1', JSON.stringify({ u9: '13' }));
      await store.putPrivate(id, 'votes:item1', JSON.stringify({ u1: '8', u2: '3' }));
      expect(JSON.parse((await store.getPrivate(id, 'votes:item1'))!)).toEqual({ u1: '8', u2: '3' });
      expect(JSON.parse((await store.getPrivate(otherId, 'votes:item1'))!)).toEqual({ u9: '13' });

      const loaded = (await store.loadBoard(id))!;
      const bytes = [loaded.snapshot, ...loaded.updates.map((u) => u.data)].filter((x) => x !== null);
      const text = new TextDecoder().decode(Buffer.concat(bytes));
      expect(text).not.toContain('votes:item1');

      await store.deletePrivate(id, 'votes:item1');
      expect(await store.getPrivate(id, 'votes:item1')).toBeNull();
      expect(await store.getPrivate(otherId, 'votes:item1')).not.toBeNull();
      await store.deletePrivate(id, 'never-set'); // deleting a missing key is not an error
    });

    it('[STO-7] a value put through one connection is read and deleted through another', async () => {
      const other = await harness.open();
      try {
        const id = newBoardId();
        await store.createBoard(record(id), writer().initial);
        await store.putPrivate(id, 'votes:item2', '{"u1":"3"}');
        expect(await other.getPrivate(id, 'votes:item2')).toBe('{"u1":"3"}');
        await other.deletePrivate(id, 'votes:item2');
        expect(await store.getPrivate(id, 'votes:item2')).toBeNull();
      } finally {
        await other.close();
      }
    });

    it('[STO-7] [INV-3] a board\'s link generations are stored durably: written on one connection, read on a new one', async () => {
      const id = newBoardId();
      await store.createBoard(record(id), writer().initial);
      expect(await readBoardLinks(store, id)).toEqual(defaultBoardLinks());
      const changed = revoked(regenerated(regenerated(defaultBoardLinks(), 'dev', 1_900_000_000_000), 'dev', null), 'viewer');
      await writeBoardLinks(store, id, changed);
      const other = await harness.open();
      try {
        const read = await readBoardLinks(other, id);
        expect(read).toEqual(changed);
        expect(read.dev).toEqual({ generation: 2, revoked: false, expiresAt: null });
        expect(read.viewer).toEqual({ generation: 1, revoked: true, expiresAt: null });
      } finally {
        await other.close();
      }
    });

    it('[STO-7] a value belongs to a board: an unknown board has none and cannot get one', async () => {
      const unknown = newBoardId();
      expect(await store.getPrivate(unknown, 'votes:item1')).toBeNull();
      await expect(store.putPrivate(unknown, 'votes:item1', '"5"')).rejects.toThrow();
      expect(await store.getPrivate(unknown, 'votes:item1')).toBeNull();
    });
  });
  describeHistoryContract(name, makeHarness, opts);
  describeMembersContract(name, makeHarness, opts);
}
