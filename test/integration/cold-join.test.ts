/**
 * Joining a board nobody has open (unloaded from memory): a fresh client is answered from
 * the stored bytes while the server builds the board's doc, and must get exactly what was
 * stored; a client with an offline copy takes the normal path. Either way nothing is lost
 * and edits made right after joining reach everyone [SRV-1, SRV-10].
 */
import * as decoding from 'lib0/decoding';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, ItemId, UserId } from '../../shared/ids.ts';
import { randomId } from '../../shared/ids.ts';
import { addItem, archiveItem, listItems, moveItem, setItemDescription, setItemTitle } from '../../shared/schema/board.ts';
import { createRedisFanout } from '../../server/fanout/redis.ts';
import { createPostgresStorage } from '../../server/storage/postgres.ts';
import { docFromState } from '../storage/contract.ts';
import type { TestClient, TestServer } from '../helpers/server.ts';
import {
  connectClient,
  connectSynced,
  joinBoard,
  linkToken,
  setupBoard,
  startTestServer,
  waitForConvergence,
} from '../helpers/server.ts';
import { addTitled, hasItem, itemTitles } from '../helpers/board.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';
import { useTeardown } from '../helpers/teardown.ts';

const loaded = (server: TestServer, boardId: string) => server.server.rooms.loadedBoardIds().includes(boardId as BoardId);

async function waitUnloaded(server: TestServer, boardId: string): Promise<void> {
  await waitFor(() => !loaded(server, boardId), { message: 'board unloaded' });
}

/** What a person sees of the whole board (every root, items with all their fields). */
const content = (doc: Y.Doc) =>
  Object.fromEntries(['meta', 'items', 'sprints', 'session', 'estimation'].map((root) => [root, doc.getMap(root).toJSON()]));

describe('joining an unloaded board', () => {
  const { track } = useTeardown();

  it('[SRV-1] a fresh client gets the whole board exactly as the last writer left it, and its edits converge', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const writer = await connectSynced(server.wsUrl, boardId, people.po.token);
    const po = people.po.userId as UserId;
    const ids: ItemId[] = [];
    // One transaction, as an import would be: 300 separate ones in a few milliseconds would
    // exceed the per-socket burst allowance (4429), which is not what this test is about.
    writer.doc.transact(() => {
      for (let i = 0; i < 300; i++) ids.push(addItem(writer.doc, { title: `story ${i}`, createdBy: po }));
    });
    setItemTitle(writer.doc, ids[7]!, 'story 7, renamed');
    setItemDescription(writer.doc, ids[8]!, 'As a PO I want the CSV export to keep ranks');
    moveItem(writer.doc, ids[299]!, 'top');
    archiveItem(writer.doc, ids[3]!);
    // A second client having it all means the server stored it all.
    const reader = await connectSynced(server.wsUrl, boardId, people.viewer.token);
    await waitForConvergence([writer, reader]);
    const expected = content(writer.doc);
    writer.destroy();
    reader.destroy();
    await waitUnloaded(server, boardId);
    // Unloading compacted the board: it is one snapshot, which is what a fresh joiner gets.
    expect((await server.server.storage.loadBoard(boardId as BoardId))?.updates).toEqual([]);

    // Two fresh people join the cold board at once and start editing straight away.
    const dev = track(connectClient(server.wsUrl, boardId, people.dev.token));
    const sm = track(connectClient(server.wsUrl, boardId, people.sm.token));
    await withTimeout(Promise.all([dev.synced, sm.synced]), 5000, 'both synced');
    expect(content(dev.doc)).toEqual(expected);
    expect(content(sm.doc)).toEqual(expected);
    expect(itemTitles(dev.doc)).toHaveLength(299);
    expect(itemTitles(dev.doc)[0]).toBe('story 299');

    addTitled(dev.doc, people.dev.userId, 'written right after joining');
    setItemTitle(sm.doc, ids[10]!, 'story 10, edited by the SM');
    await waitFor(() => hasItem(sm.doc, 'written right after joining') && hasItem(dev.doc, 'story 10, edited by the SM'), {
      message: 'edits cross',
    });
    await waitForConvergence([dev, sm]);
    // Both edits were accepted and stored, not just relayed.
    const later = track(await connectSynced(server.wsUrl, boardId, people.viewer.token));
    expect(content(later.doc)).toEqual(content(dev.doc));
  });

  it('[SRV-10] a client with an offline copy gets what it missed, and its offline edits land', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const offline = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    const writer = await connectSynced(server.wsUrl, boardId, people.po.token);
    for (let i = 0; i < 20; i++) addTitled(writer.doc, people.po.userId, `before ${i}`);
    await waitFor(() => itemTitles(offline.doc).length === 20, { message: 'offline copy has the first items' });

    offline.provider.disconnect();
    for (let i = 0; i < 5; i++) addTitled(writer.doc, people.po.userId, `missed ${i}`);
    const renamed = listItems(writer.doc)[0]!.id;
    setItemTitle(writer.doc, renamed, 'renamed while the dev was away');
    const reader = await connectSynced(server.wsUrl, boardId, people.viewer.token);
    await waitForConvergence([writer, reader]);
    writer.destroy();
    reader.destroy();
    await waitUnloaded(server, boardId);

    // Offline edits, then back online while a fresh person joins the cold board too.
    addTitled(offline.doc, people.dev.userId, 'written offline');
    setItemTitle(offline.doc, listItems(offline.doc)[1]!.id, 'renamed offline');
    offline.provider.connect();
    const fresh = track(connectClient(server.wsUrl, boardId, people.sm.token));
    await waitFor(() => hasItem(offline.doc, 'missed 4') && hasItem(offline.doc, 'renamed while the dev was away'), {
      message: 'the offline copy catches up',
    });
    await withTimeout(fresh.synced, 5000, 'fresh client synced');
    await waitFor(() => hasItem(fresh.doc, 'written offline') && hasItem(fresh.doc, 'renamed offline'), {
      message: 'offline edits reach the fresh client',
    });
    await waitForConvergence([offline, fresh]);
    expect(itemTitles(fresh.doc)).toHaveLength(26);

    // And they were stored: the board unloads again and a newcomer sees them.
    offline.destroy();
    fresh.destroy();
    await waitUnloaded(server, boardId);
    const later = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    expect(itemTitles(later.doc).sort()).toEqual(itemTitles(fresh.doc).sort());
  });

  it('[SRV-1] updates stored after the last snapshot (another instance wrote them) are in a fresh joiner’s board', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const writer = await connectSynced(server.wsUrl, boardId, people.po.token);
    for (let i = 0; i < 30; i++) addTitled(writer.doc, people.po.userId, `story ${i}`);
    const reader = await connectSynced(server.wsUrl, boardId, people.viewer.token);
    await waitForConvergence([writer, reader]);
    writer.destroy();
    reader.destroy();
    await waitUnloaded(server, boardId);

    // Another instance accepts edits (an item, a rename: new structs and deletions) while
    // this one has the board unloaded; they sit in the log after the snapshot.
    const storage = server.server.storage;
    const elsewhere = docFromState((await storage.loadBoard(boardId as BoardId))!);
    const appended: Uint8Array[] = [];
    elsewhere.on('update', (u: Uint8Array) => appended.push(u));
    addTitled(elsewhere, people.dev.userId, 'written on another instance');
    setItemTitle(elsewhere, listItems(elsewhere)[0]!.id, 'renamed on another instance');
    await storage.appendUpdates(boardId as BoardId, appended);
    expect((await storage.loadBoard(boardId as BoardId))?.updates.length).toBe(2);

    const fresh = track(await connectSynced(server.wsUrl, boardId, people.sm.token));
    expect(content(fresh.doc)).toEqual(content(elsewhere));
    // The server's own doc holds them too: an edit building on them is accepted and relayed.
    const other = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    const item = listItems(fresh.doc).find((i) => i.title === 'written on another instance')!;
    setItemTitle(fresh.doc, item.id, 'written elsewhere, edited here');
    await waitFor(() => hasItem(other.doc, 'written elsewhere, edited here'), { message: 'edit relayed' });
    await waitForConvergence([fresh, other]);
  });

  it('[SRV-1] a fresh joiner is answered from the stored state before the server builds its doc', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const writer = await connectSynced(server.wsUrl, boardId, people.po.token);
    for (let i = 0; i < 50; i++) addTitled(writer.doc, people.po.userId, `story ${i}`);
    const reader = await connectSynced(server.wsUrl, boardId, people.viewer.token);
    await waitForConvergence([writer, reader]);
    writer.destroy();
    reader.destroy();
    await waitUnloaded(server, boardId);

    // The answer to the joiner's step 1 comes before the server's own step 1, which needs
    // the built doc; and it holds the whole board.
    const joiner: TestClient = track(connectClient(server.wsUrl, boardId, people.dev.token));
    const order: string[] = [];
    const received = joiner.provider.messageHandlers[0]!;
    joiner.provider.messageHandlers[0] = (encoder, decoder, provider, emitSynced, messageType) => {
      const step = decoder.arr[decoder.pos];
      order.push(step === 0 ? 'server step 1' : step === 1 ? 'step 2' : 'update');
      if (step === 1) order.push(`items: ${itemsInStep2(decoder)}`);
      received(encoder, decoder, provider, emitSynced, messageType);
    };
    await withTimeout(joiner.synced, 5000, 'joiner synced');
    await waitFor(() => order.includes('server step 1'), { message: 'server step 1 arrives' });
    expect(order.slice(0, 3)).toEqual(['step 2', 'items: 50', 'server step 1']);
  });
});

const dbUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const multiInstance = Boolean(dbUrl && redisUrl);
if (!multiInstance) console.log('skipped: DATABASE_URL or REDIS_URL not set, multi-instance cold join not run');

describe.skipIf(!multiInstance)('joining a board unloaded on one instance while another has it open', () => {
  const { track, defer } = useTeardown();

  it('[STO-14] a fresh joiner on the idle instance gets every update the busy one stored', async () => {
    const schema = `cj_${randomId(10).toLowerCase()}`;
    const prefix = `rbtest:${randomId(8)}:`;
    defer(async () => {
      const admin = new pg.Client({ connectionString: dbUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.end());
    });
    const instance = async (): Promise<TestServer> => {
      const storage = await createPostgresStorage(dbUrl!, { schema, maxConnections: 4 });
      let ts: TestServer | null = null;
      const fanout = await createRedisFanout(redisUrl!, {
        channelPrefix: prefix,
        onResync: (boardId) => ts?.server.rooms.resync(boardId),
      });
      ts = await startTestServer({ options: { storage, fanout } });
      defer(async () => {
        await fanout.close();
        await storage.close();
      });
      return track(ts);
    };
    const idle = await instance();
    const busy = await instance();
    const { boardId, board, people } = await setupBoard(idle.baseUrl);
    const viaBusy = await joinBoard(busy.baseUrl, boardId, linkToken(board, 'po'), 'Paula PO');
    const writer = track(await connectSynced(busy.wsUrl, boardId, viaBusy.token));
    const leaver = await connectSynced(idle.wsUrl, boardId, people.dev.token);
    for (let i = 0; i < 20; i++) addTitled(writer.doc, viaBusy.userId, `story ${i}`);
    await waitForConvergence([writer, leaver]);
    leaver.destroy();
    await waitUnloaded(idle, boardId);
    // Unloading folded the busy instance's appends too, though the idle one wrote none.
    expect((await idle.server.storage.loadBoard(boardId as BoardId))?.updates).toEqual([]);

    // The busy instance keeps writing: these sit in the log after the idle one's snapshot.
    addTitled(writer.doc, viaBusy.userId, 'written after the idle instance unloaded');
    setItemTitle(writer.doc, listItems(writer.doc)[0]!.id, 'renamed after the idle instance unloaded');
    await waitFor(async () => ((await idle.server.storage.loadBoard(boardId as BoardId))?.updates.length ?? 0) >= 2, {
      message: 'busy instance stored its edits',
    });

    const fresh = track(await connectSynced(idle.wsUrl, boardId, people.sm.token));
    expect(content(fresh.doc)).toEqual(content(writer.doc));
    addTitled(fresh.doc, people.sm.userId, 'written on the idle instance right after joining');
    await waitFor(() => hasItem(writer.doc, 'written on the idle instance right after joining'), {
      message: 'edit crosses instances',
    });
    await waitForConvergence([fresh, writer]);
    expect(itemTitles(fresh.doc)).toHaveLength(22);
  });
});

/** Active items in the step 2 that `decoder` is positioned at (without consuming it). */
function itemsInStep2(decoder: decoding.Decoder): number {
  const copy = decoding.clone(decoder);
  decoding.readVarUint(copy);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoding.readVarUint8Array(copy));
  return listItems(doc).length;
}
