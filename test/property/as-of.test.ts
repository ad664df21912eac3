/**
 * [HIS-4] "As of" is exact: a seeded random history (two people adding, moving,
 * re-estimating, archiving and restoring items through real WebsocketProvider clients),
 * with what a client actually held recorded at 50 random moments; GET …/as-of at each
 * moment must return exactly that backlog, after the board was compacted and reloaded, with
 * history checkpoints (HIS-8) made at random steps in between.
 * The seed is printed (FC_SEED=<n> replays it).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AsOfItem, AsOfResponse } from '../../shared/history.ts';
import { historyPaths } from '../../shared/history.ts';
import type { ItemId } from '../../shared/ids.ts';
import { ITEM_STATUSES } from '../../shared/schema/item.ts';
import { addItem, archiveItem, listItems, moveItem, restoreItem, setItemEstimate, setItemStatus } from '../../shared/schema/board.ts';
import { api, connectSynced, setupBoard, startTestServer, type TestServer, waitForConvergence } from '../helpers/server.ts';
import type * as Y from 'yjs';
import { runSeed } from './arbitraries.ts';
import { compactBoard } from '../../server/storage/compaction.ts';
import type { StorageAdapter } from '../../server/storage/types.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(() => srv?.stop());

const backlog = (doc: Y.Doc): AsOfItem[] =>
  listItems(doc).map((item, i) => ({
    id: item.id,
    position: i + 1,
    title: item.title,
    status: item.status,
    estimate: item.estimate,
    labels: [...item.labels],
    sprintId: item.sprintId,
  }));

it('[HIS-4][HIS-8] as-of equals what a client held at 50 random moments of a seeded random history, with checkpoints along the way', async () => {
  const seed = runSeed();
  const rand = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { seed, numRuns: 2_000 });
  let r = 0;
  const pick = (n: number) => rand[r++ % rand.length]! % n;
  const tb = await setupBoard(srv.baseUrl, 'As of');
  const po = await connectSynced(srv.wsUrl, tb.boardId, tb.people.po.token);
  const dev = await connectSynced(srv.wsUrl, tb.boardId, tb.people.dev.token);
  const steps = 80;
  const moments = new Set<number>();
  while (moments.size < 50) moments.add(pick(steps));
  const held: { at: number; items: AsOfItem[] }[] = [];
  const ids: ItemId[] = [];
  for (let step = 0; step < steps; step++) {
    const writer = pick(2) === 0 ? po : dev;
    const who = writer === po ? tb.people.po.userId : tb.people.dev.userId;
    const op = ids.length < 3 ? 0 : pick(6);
    const target = ids[pick(ids.length || 1)]!;
    if (op === 0) ids.push(addItem(writer.doc, { title: `Item ${step}`, createdBy: who }));
    else if (op === 1 || op === 2) moveItem(writer.doc, target, { index: pick(ids.length) });
    else if (op === 3) setItemStatus(writer.doc, target, ITEM_STATUSES[pick(ITEM_STATUSES.length)]!);
    else if (op === 4) setItemEstimate(po.doc, target, String(pick(13)));
    else if (listItems(writer.doc, { includeArchived: true }).find((i) => i.id === target)?.archivedAt === null) archiveItem(writer.doc, target);
    else restoreItem(writer.doc, target);
    await waitForConvergence([po, dev]);
    // [HIS-8] Compactions that keep their snapshot as a history checkpoint, at random steps:
    // as-of must start from them and stay exact.
    if (pick(8) === 0) await compactBoard(srv.server.storage as StorageAdapter, tb.boardId, { checkpointMinBytes: 0 });
    if (moments.has(step)) {
      held.push({ at: Date.now(), items: backlog(dev.doc) });
      await new Promise((res) => setTimeout(res, 3));
    }
  }
  po.destroy();
  dev.destroy();
  const room = srv.server.rooms.get(tb.boardId);
  await room?.close({ compact: true });
  expect(held).toHaveLength(50);
  for (const moment of held) {
    const res = await api<AsOfResponse>(srv.baseUrl, `${historyPaths.asOf(tb.boardId)}?at=${moment.at}`, { token: tb.people.viewer.token });
    expect(res.status, `seed ${seed}, at ${moment.at}`).toBe(200);
    expect(res.body.items, `seed ${seed}, at ${moment.at}`).toEqual(moment.items);
  }
  const before = await api(srv.baseUrl, `${historyPaths.asOf(tb.boardId)}?at=1`, { token: tb.people.viewer.token });
  expect(before.status).toBe(404);
}, 120_000);
