/**
 * The history store part of the storage contract (HistoryStore, rules HIS-* in
 * docs/SPEC.md): events and timed updates are kept across compaction and a reopen, paged
 * newest first, coalesced by key, and a note finds the mover's latest move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type BoardId, newBoardId } from '../../shared/ids.ts';
import type { HistoryEventRecord, StorageAdapter } from '../../server/storage/types.ts';
import type { StorageContractOptions, StorageHarness } from './contract.ts';

function event(over: Partial<HistoryEventRecord>): HistoryEventRecord {
  return {
    at: 1_000,
    userId: 'ada',
    userName: 'Ada',
    userRole: 'po',
    kind: 'moved',
    itemId: 'item-1',
    data: JSON.stringify({ from: { position: 2 }, to: { position: 0 } }),
    coalesceKey: null,
    ...over,
  };
}

export function describeHistoryContract(
  name: string,
  makeHarness: () => Promise<StorageHarness>,
  opts: StorageContractOptions = {},
): void {
  describe.skipIf(opts.skip === true)(`history store contract: ${name}`, () => {
    let harness: StorageHarness;
    let store: StorageAdapter;

    beforeAll(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterAll(async () => {
      await harness?.destroy();
    });

    async function board(): Promise<{ id: BoardId; doc: Y.Doc }> {
      const id = newBoardId();
      const doc = new Y.Doc();
      doc.getMap('meta').set('title', 'History');
      await store.createBoard({ id, title: 'History', createdAt: 1 }, Y.encodeStateAsUpdate(doc));
      return { id, doc };
    }

    it('[HIS-1] events are kept across compaction and a reopen, newest first, paged by seq, per item', async () => {
      const { id, doc } = await board();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 5; i++) doc.getMap('items').set(`k${i}`, i);
      await store.appendUpdates(id, updates);
      await store.appendHistory(id, {
        updates: updates.map((data, i) => ({ at: 1_000 + i, data })),
        events: updates.map((_, i) => event({ at: 1_000 + i, itemId: i % 2 === 0 ? 'even' : 'odd', kind: 'added' })),
      });
      await store.compact(id);
      const again = await harness.open();
      const all = await again.historyEvents(id, { limit: 10 });
      expect(all.map((e) => e.at)).toEqual([1_004, 1_003, 1_002, 1_001, 1_000]);
      expect(all[0]).toMatchObject({ userId: 'ada', userName: 'Ada', userRole: 'po', kind: 'added', itemId: 'even', note: null });
      const first = await again.historyEvents(id, { limit: 2 });
      const second = await again.historyEvents(id, { limit: 2, before: first[1]!.seq });
      const third = await again.historyEvents(id, { limit: 2, before: second[1]!.seq });
      expect([...first, ...second, ...third].map((e) => e.at)).toEqual([1_004, 1_003, 1_002, 1_001, 1_000]);
      const even = await again.historyEvents(id, { itemId: 'even', limit: 10 });
      expect(even.map((e) => e.at)).toEqual([1_004, 1_002, 1_000]);
      // Another board's history is its own.
      const other = await board();
      expect(await store.historyEvents(other.id, { limit: 10 })).toEqual([]);
    });

    it('[HIS-2] events with one coalesce key are one event: the later replaces time and data, keeping its place', async () => {
      const { id } = await board();
      await store.appendHistory(id, { updates: [], events: [event({ kind: 'edited', coalesceKey: 'ada|i|title|1', data: '{"n":1}' })] });
      await store.appendHistory(id, { updates: [], events: [event({ kind: 'moved', at: 1_010 })] });
      await store.appendHistory(id, {
        updates: [],
        events: [event({ kind: 'edited', at: 1_020, coalesceKey: 'ada|i|title|1', data: '{"n":2}' })],
      });
      const events = await store.historyEvents(id, { limit: 10 });
      expect(events.map((e) => [e.kind, e.at, e.data])).toEqual([
        ['moved', 1_010, events[0]!.data],
        ['edited', 1_020, '{"n":2}'],
      ]);
    });

    it('[HIS-3] a note lands on the mover’s latest move, not on someone else’s or an old one', async () => {
      const { id } = await board();
      await store.appendHistory(id, {
        updates: [],
        events: [event({ at: 100 }), event({ at: 200, userId: 'bob', userName: 'Bob' }), event({ at: 300, kind: 'estimated' })],
      });
      expect(await store.noteLatestMove(id, 'ada', 'late', 150)).toBeNull();
      const noted = await store.noteLatestMove(id, 'ada', 'customer escalation', 50);
      expect(noted).toMatchObject({ at: 100, userId: 'ada', note: 'customer escalation' });
      const events = await store.historyEvents(id, { limit: 10 });
      expect(events.map((e) => e.note)).toEqual([null, null, 'customer escalation']);
    });

    it('[HIS-4] base and timed updates rebuild the board as it was at any time, after compaction too', async () => {
      const { id, doc } = await board();
      expect(await store.putHistoryBase(id, 500, Y.encodeStateAsUpdate(doc))).toBe(true);
      expect(await store.putHistoryBase(id, 600, new Uint8Array([0, 0]))).toBe(false);
      const updates: { at: number; data: Uint8Array }[] = [];
      doc.on('update', (u: Uint8Array) => updates.push({ at: 1_000 + updates.length * 10, data: u }));
      for (let i = 0; i < 4; i++) doc.getMap('meta').set('title', `t${i}`);
      await store.appendUpdates(id, updates.map((u) => u.data));
      await store.appendHistory(id, { updates, events: [] });
      await store.compact(id);
      expect(await store.historyUpdatesUntil(id, 499)).toBeNull();
      const at = async (t: number) => {
        const r = (await store.historyUpdatesUntil(id, t))!;
        const d = new Y.Doc();
        for (const u of r.updates) Y.applyUpdate(d, u);
        return d.getMap('meta').get('title');
      };
      expect(await at(500)).toBe('History');
      expect(await at(1_000)).toBe('t0');
      expect(await at(1_025)).toBe('t2');
      expect(await at(5_000)).toBe('t3');
      await expect(store.appendHistory(newBoardId(), { updates, events: [] })).rejects.toThrow();
    });

    it('[HIS-8] a checkpoint folds settled updates; as of any time, the board is the same with or without it', async () => {
      const { id, doc } = await board();
      await store.putHistoryBase(id, 100, Y.encodeStateAsUpdate(doc));
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      const titleAt = async (t: number) => {
        const r = await store.historyUpdatesUntil(id, t);
        const d = new Y.Doc();
        for (const u of r!.updates) Y.applyUpdate(d, u);
        return { title: d.getMap('meta').get('title'), parts: r!.updates.length };
      };
      for (let i = 0; i < 10; i++) {
        doc.getMap('meta').set('title', `v${i}`);
        await store.appendUpdates(id, [updates.at(-1)!], { ats: [1_000 + i * 100], events: [] });
      }
      const before = await Promise.all([950, 1_000, 1_450, 1_900, 9_999].map(titleAt));
      // Too few bytes: nothing made. Only what is settled (stamped ≤ 1,450) is folded.
      expect(await store.checkpointHistory(id, 1_450, 1_000_000)).toBeNull();
      const size = await store.checkpointHistory(id, 1_450, 0);
      expect(size).toBeGreaterThan(0);
      const after = await Promise.all([950, 1_000, 1_450, 1_900, 9_999].map(titleAt));
      expect(after.map((a) => a.title)).toEqual(before.map((b) => b.title));
      expect(after.map((a) => a.title)).toEqual(['History', 'v0', 'v4', 'v9', 'v9']);
      // From 1,400 on, as-of starts at the checkpoint: 1 + the updates after it.
      expect(after[4]!.parts).toBe(1 + 5);
      expect(before[4]!.parts).toBe(1 + 10);
      // A second one folds onto the first; nothing new: none made.
      expect(await store.checkpointHistory(id, 9_999, 0)).toBeGreaterThan(0);
      expect((await titleAt(9_999)).parts).toBe(1);
      expect(await store.checkpointHistory(id, 9_999, 0)).toBeNull();
      expect((await titleAt(1_450)).title).toBe('v4');
      expect(await store.checkpointHistory(newBoardId(), 9_999, 0)).toBeNull();
    });

    it('[HIS-7] an append carries its history in the same transaction: both are there, or (unknown board) neither', async () => {
      const { id, doc } = await board();
      await store.putHistoryBase(id, 100, Y.encodeStateAsUpdate(doc));
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      doc.getMap('meta').set('title', 'first');
      doc.getMap('meta').set('title', 'second');
      doc.getMap('meta').set('title', 'not recorded');
      const events = [event({ at: 200, kind: 'added', itemId: 'x1' }), event({ at: 300, kind: 'edited', itemId: 'x1' })];
      await store.appendUpdates(id, updates, { ats: [200, 300, null], events });
      expect((await store.historyEvents(id, { limit: 10 })).map((e) => [e.kind, e.at])).toEqual([
        ['edited', 300],
        ['added', 200],
      ]);
      const until = (await store.historyUpdatesUntil(id, 10_000))!;
      expect(until.updates).toHaveLength(3); // the base and the two recorded updates
      const rebuilt = new Y.Doc();
      for (const u of until.updates) Y.applyUpdate(rebuilt, u);
      expect(rebuilt.getMap('meta').get('title')).toBe('second');
      // The board's own log has all three.
      const state = await store.loadBoard(id);
      expect(state!.updates.length).toBeGreaterThanOrEqual(3);

      const unknown = newBoardId();
      await expect(store.appendUpdates(unknown, [updates[0]!], { ats: [1], events: [event({ at: 1 })] })).rejects.toThrow();
      expect(await store.historyEvents(unknown, { limit: 10 })).toEqual([]);
    });
  });
}
