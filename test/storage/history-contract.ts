/**
 * The history store part of the storage contract (HistoryStore, rules HIS-* in
 * docs/SPEC.md): events and timed updates are kept across compaction and a reopen, paged
 * newest first, coalesced by key, and a note finds the mover's latest move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type BoardId, newBoardId } from '../../shared/ids.ts';
import { compactBoard } from '../../server/storage/compaction.ts';
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

    it('[HIS-8] a compaction keeps its snapshot as a history checkpoint; as of any time, the board is the same with or without it', async () => {
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
      const write = async (title: string, at: number) => {
        doc.getMap('meta').set('title', title);
        await store.appendUpdates(id, [updates.at(-1)!], { ats: [at], events: [] });
      };
      const base = Date.now() - 3_600_000;
      for (let i = 0; i < 10; i++) await write(`v${i}`, base + i * 60_000);
      const times = [150, base, base + 4 * 60_000 + 1, base + 9 * 60_000, Date.now() + 60_000];
      const before = await Promise.all(times.map(titleAt));
      expect(before.map((b) => b.title)).toEqual(['History', 'v0', 'v4', 'v9', 'v9']);
      // Not enough history since the base: the snapshot is not kept as a checkpoint.
      await compactBoard(store, id, { checkpointMinBytes: 1_000_000 });
      expect((await titleAt(Date.now() + 60_000)).parts).toBe(before[4]!.parts);
      // Enough: as of now, the checkpoint and, replayed again harmlessly, the one update
      // stamped within the margin before it (HIS-8); earlier times as before.
      for (let i = 10; i < 13; i++) await write(`v${i}`, base + i * 60_000);
      await compactBoard(store, id, { checkpointMinBytes: 0 });
      const now = await titleAt(Date.now() + 60_000);
      expect(now).toEqual({ title: 'v12', parts: 2 });
      const again = await Promise.all(times.slice(0, 4).map(titleAt));
      expect(again.map((a) => a.title)).toEqual(['History', 'v0', 'v4', 'v9']);
      // Later updates apply after the checkpoint.
      await write('after', Date.now() + 30_000);
      expect(await titleAt(Date.now() + 60_000)).toEqual({ title: 'after', parts: 3 });
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
