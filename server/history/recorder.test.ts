/**
 * The recorder's checkpoint pacing (HIS-8): asked for once a board's worth of recorded
 * bytes has gone by, with only settled updates to fold, backing off while nothing is.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type BoardId, newBoardId, type UserId } from '../../shared/ids.ts';
import { addItem } from '../../shared/schema/board.ts';
import type { HistoryStore } from '../storage/types.ts';
import { CHECKPOINT_SETTLE_MS, HistoryRecorder, MIN_CHECKPOINT_BYTES } from './recorder.ts';

function fakeStore(answer: () => number | null) {
  const calls: { settledBefore: number; minBytes: number }[] = [];
  const store = {
    appendHistory: async () => {},
    putHistoryBase: async () => true,
    historyEvents: async () => [],
    historyUpdatesUntil: async () => null,
    noteLatestMove: async () => null,
    checkpointHistory: async (_id: BoardId, settledBefore: number, minBytes: number) => {
      calls.push({ settledBefore, minBytes });
      return answer();
    },
  } satisfies HistoryStore;
  return { store, calls };
}

describe('history recorder', () => {
  it('[HIS-8] asks for a checkpoint after MIN_CHECKPOINT_BYTES recorded, folding only settled updates; backs off when none is made', async () => {
    let now = 1_000_000;
    let made: number | null = null;
    const { store, calls } = fakeStore(() => made);
    const recorder = new HistoryRecorder(newBoardId(), store, () => now, () => {});
    const doc = new Y.Doc();
    recorder.loaded(doc);
    const author = { boardId: newBoardId(), userId: 'u1' as UserId, role: 'dev' as const, name: 'Ada' };
    let sent = 0;
    const write = async () => {
      let update: Uint8Array | null = null;
      const grab = (u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) => {
        update = u;
        recorder.applied(u, doc, tr, author);
      };
      doc.on('update', grab);
      addItem(doc, { title: `Item ${sent++}`, description: 'x'.repeat(8_000), createdBy: 'u1' as UserId });
      doc.off('update', grab);
      expect(recorder.take([update!])).not.toBeNull();
      await recorder.settled();
    };
    while (calls.length === 0) {
      await write();
      now += 10;
      expect(sent).toBeLessThanOrEqual(Math.ceil(MIN_CHECKPOINT_BYTES / 8_000));
    }
    expect(calls[0]).toEqual({ settledBefore: now - 10 - CHECKPOINT_SETTLE_MS, minBytes: MIN_CHECKPOINT_BYTES });
    // Nothing settled yet: no new request until CHECKPOINT_SETTLE_MS has passed.
    await write();
    expect(calls).toHaveLength(1);
    now += CHECKPOINT_SETTLE_MS;
    made = 900_000; // a big board: the next checkpoint waits for a board's worth of updates
    await write();
    expect(calls).toHaveLength(2);
    for (let i = 0; i < 20; i++) await write();
    expect(calls).toHaveLength(2);
  });
});
