/**
 * [AUTH-6] A Yjs clientID belongs to the user who first wrote a struct with it. Every
 * clientID is visible in the document, so without this a modified client could write at a
 * victim's next clock: the server would then take the victim's later (offline) edit, which
 * has the same ids, as already known, and it would be silently lost. The attacker here is
 * a raw socket sending a hand-built update; everyone else is an unmodified WebsocketProvider.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { randomId } from '../../shared/ids.ts';
import type { ControlMessage } from '../../shared/protocol.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { archiveItem, listItems, setItemTitle } from '../../shared/schema/board.ts';
import { createRedisFanout } from '../../server/fanout/redis.ts';
import { createPostgresStorage } from '../../server/storage/postgres.ts';
import type { Storage } from '../../server/storage/types.ts';
import { addTitled, hasItem, itemTitles } from '../helpers/board.ts';
import {
  type ConnectOptions,
  connectSynced,
  controlMessages,
  joinBoard,
  linkToken,
  rawSocket,
  setupBoard,
  startTestServer,
  type TestBoard,
  type TestClient,
  type TestServer,
  updateFrame,
} from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

interface Forgery {
  /** Close code, or null if the server kept the socket open (accepted the update). */
  code: number | null;
  controls: ControlMessage[];
}

/**
 * Builds, on a scratch doc holding the server's state, an item added under `clientId`
 * (at that client's next clock as the server knows it), and sends it from a raw socket
 * with `token`. The item is otherwise valid (the attacker's own `createdBy`), so only the
 * clientID can make the server refuse it. Resolves once the socket closed, or once the
 * server's doc holds the forged structs (accepted).
 */
async function forge(
  ts: TestServer,
  boardId: BoardId,
  token: string,
  attackerId: UserId,
  clientId: number,
  title: string,
): Promise<Forgery> {
  const view = await connectSynced(ts.wsUrl, boardId, token);
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(view.doc));
  const serverState = Y.encodeStateVector(scratch);
  const clockBefore = Y.getState(scratch.store, clientId);
  view.destroy();
  scratch.clientID = clientId;
  addTitled(scratch, attackerId, title);
  const forged = Y.encodeStateAsUpdate(scratch, serverState);
  scratch.destroy();

  const raw = rawSocket(ts.wsUrl, boardId, token);
  await raw.opened;
  raw.ws.send(updateFrame(forged));
  let closed: { code: number } | null = null;
  void raw.closed.then((c) => {
    closed = c;
  });
  await waitFor(
    () => {
      if (closed) return true;
      const doc = ts.server.rooms.get(boardId)?.doc;
      return doc !== undefined && Y.getState(doc.store, clientId) > clockBefore;
    },
    { message: 'forged update refused or accepted' },
  );
  const code = (closed as { code: number } | null)?.code ?? null;
  if (code === null) raw.ws.close();
  return { code, controls: controlMessages(raw.messages) };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'client-ids-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function server(dataDir?: string): Promise<TestServer> {
  const ts = await startTestServer(dataDir ? { dataDir } : {});
  cleanups.push(() => ts.stop());
  return ts;
}

async function client(ts: TestServer, boardId: BoardId, token: string, opts: ConnectOptions = {}): Promise<TestClient> {
  const c = await connectSynced(ts.wsUrl, boardId, token, opts);
  cleanups.push(() => c.destroy());
  return c;
}

/** A second developer: same role (and link) as `tb.people.dev`, another person. */
async function secondDev(ts: TestServer, tb: TestBoard) {
  return joinBoard(ts.baseUrl, tb.boardId, linkToken(tb.board, 'dev'), 'Bert Dev');
}

function expectNeverRefused(c: TestClient): void {
  expect(c.closeCodes).not.toContain(CloseCode.policyViolation);
  expect(c.controls.filter((m) => m.type === 'update-rejected')).toEqual([]);
}

const idOf = (doc: Y.Doc, title: string) => listItems(doc).find((i) => i.title === title)!.id;

function expectRefused(f: Forgery): void {
  expect(f.code).toBe(CloseCode.policyViolation);
  expect(f.controls).toContainEqual(expect.objectContaining({ type: 'update-rejected', rule: 'AUTH-6' }));
}

describe('[AUTH-6] clientIDs are bound to the user who first wrote with them', () => {
  it('[AUTH-6] writing at a victim’s next clock is refused, and the victim’s offline edit arrives and survives a restart', async () => {
    const dataDir = await tempDir();
    let ts = await server(dataDir);
    const tb = await setupBoard(ts.baseUrl, 'Clock theft');
    const bert = await secondDev(ts, tb);
    const victim = await client(ts, tb.boardId, tb.people.dev.token);
    const observer = await client(ts, tb.boardId, tb.people.po.token);
    addTitled(victim.doc, tb.people.dev.userId, 'written online');
    await waitFor(() => hasItem(observer.doc, 'written online'), { message: 'online edit relayed' });

    // The victim goes offline and keeps working.
    victim.provider.disconnect();
    addTitled(victim.doc, tb.people.dev.userId, 'written offline by Dana');

    const attack = await forge(ts, tb.boardId, bert.token, bert.userId, victim.doc.clientID, 'forged by Bert');

    victim.provider.connect();
    await waitFor(() => hasItem(observer.doc, 'written offline by Dana'), {
      message: 'the victim’s offline edit reaches the others',
    });
    expect(hasItem(observer.doc, 'forged by Bert')).toBe(false);
    expectRefused(attack);

    // Stored, not only relayed: a restarted server has it, and never had the forgery.
    await ts.stop();
    ts = await server(dataDir);
    const fresh = await client(ts, tb.boardId, tb.people.sm.token);
    expect(itemTitles(fresh.doc)).toEqual(expect.arrayContaining(['written online', 'written offline by Dana']));
    expect(hasItem(fresh.doc, 'forged by Bert')).toBe(false);
  });

  it('[AUTH-6] the binding is stored: after a restart the attacker is still refused', async () => {
    const dataDir = await tempDir();
    let ts = await server(dataDir);
    const tb = await setupBoard(ts.baseUrl, 'Restart');
    const bert = await secondDev(ts, tb);
    const victim = await client(ts, tb.boardId, tb.people.dev.token);
    addTitled(victim.doc, tb.people.dev.userId, 'mine');
    await waitFor(() => hasItem(ts.server.rooms.get(tb.boardId)!.doc, 'mine'));
    const victimClientId = victim.doc.clientID;
    victim.destroy();
    await ts.stop();

    ts = await server(dataDir);
    expectRefused(await forge(ts, tb.boardId, bert.token, bert.userId, victimClientId, 'forged after restart'));
    const fresh = await client(ts, tb.boardId, tb.people.po.token);
    expect(hasItem(fresh.doc, 'forged after restart')).toBe(false);
  });

  it('[AUTH-6] a user may write under their own clientIDs: after reconnecting, and from a new document', async () => {
    const ts = await server();
    const tb = await setupBoard(ts.baseUrl, 'Own ids');
    const dana = await client(ts, tb.boardId, tb.people.dev.token);
    const observer = await client(ts, tb.boardId, tb.people.po.token);
    addTitled(dana.doc, tb.people.dev.userId, 'first');
    await waitFor(() => hasItem(observer.doc, 'first'));
    dana.provider.disconnect();
    addTitled(dana.doc, tb.people.dev.userId, 'same clientID, after reconnecting');
    dana.provider.connect();
    await waitFor(() => hasItem(observer.doc, 'same clientID, after reconnecting'));
    // A second tab (or a reload): a new doc, so a new clientID, for the same user.
    const tab = await client(ts, tb.boardId, tb.people.dev.token);
    expect(tab.doc.clientID).not.toBe(dana.doc.clientID);
    addTitled(tab.doc, tb.people.dev.userId, 'new clientID, same user');
    await waitFor(() => hasItem(observer.doc, 'new clientID, same user'));
    // Writing into someone else's content (a deletion under their clientID) is not
    // writing under their clientID: the PO renames and archives the developer's items.
    setItemTitle(observer.doc, idOf(observer.doc, 'first'), 'renamed by the PO');
    archiveItem(observer.doc, idOf(observer.doc, 'new clientID, same user'));
    await waitFor(() => hasItem(dana.doc, 'renamed by the PO') && !hasItem(dana.doc, 'new clientID, same user'));
    for (const c of [dana, tab, observer]) expectNeverRefused(c);
  });

  it('[AUTH-6] nobody may write under the server’s clientID, and the server still writes', async () => {
    const ts = await server();
    const tb = await setupBoard(ts.baseUrl, 'Server id');
    const observer = await client(ts, tb.boardId, tb.people.po.token);
    await ts.server.withBoard(tb.boardId, (b) => b.change((doc) => addTitled(doc, tb.people.po.userId, 'by the server')));
    await waitFor(() => hasItem(observer.doc, 'by the server'));
    const serverClientId = ts.server.rooms.get(tb.boardId)!.doc.clientID;
    const attack = await forge(ts, tb.boardId, tb.people.dev.token, tb.people.dev.userId, serverClientId, 'forged as server');
    expectRefused(attack);
    await ts.server.withBoard(tb.boardId, (b) => b.change((doc) => addTitled(doc, tb.people.po.userId, 'server again')));
    await waitFor(() => hasItem(observer.doc, 'server again'));
    expect(hasItem(observer.doc, 'forged as server')).toBe(false);
  });

  it('[AUTH-6] a clientID someone announced in presence cannot be taken before they write', async () => {
    const ts = await server();
    const tb = await setupBoard(ts.baseUrl, 'Squatting');
    const bert = await secondDev(ts, tb);
    const dana = await client(ts, tb.boardId, tb.people.dev.token, { awareness: { dragging: null } });
    const observer = await client(ts, tb.boardId, tb.people.po.token);
    // Dana's presence (the same clientID as her doc) is visible before she writes anything.
    await waitFor(() => observer.provider.awareness.getStates().has(dana.doc.clientID));
    expectRefused(await forge(ts, tb.boardId, bert.token, bert.userId, dana.doc.clientID, 'squatted'));
    addTitled(dana.doc, tb.people.dev.userId, 'Dana’s first edit');
    await waitFor(() => hasItem(observer.doc, 'Dana’s first edit'));
    expectNeverRefused(dana);
  });

  it('[AUTH-3] a viewer is still refused as a viewer, whatever the clientID', async () => {
    const ts = await server();
    const tb = await setupBoard(ts.baseUrl, 'Viewer');
    const dana = await client(ts, tb.boardId, tb.people.dev.token);
    addTitled(dana.doc, tb.people.dev.userId, 'x');
    await waitFor(() => hasItem(ts.server.rooms.get(tb.boardId)!.doc, 'x'));
    const own = await forge(ts, tb.boardId, tb.people.viewer.token, tb.people.viewer.userId, 123_456, 'viewer own id');
    const theirs = await forge(ts, tb.boardId, tb.people.viewer.token, tb.people.viewer.userId, dana.doc.clientID, 'viewer');
    for (const f of [own, theirs]) {
      expect(f.code).toBe(CloseCode.policyViolation);
      expect(f.controls).toContainEqual(expect.objectContaining({ type: 'update-rejected', rule: 'AUTH-3' }));
    }
  });
});

const dbUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const multi = Boolean(dbUrl && redisUrl);
if (!multi) console.log('skipped: DATABASE_URL or REDIS_URL not set, multi-instance clientID tests not run');

describe.skipIf(!multi)('[AUTH-6] clientID bindings across instances sharing PostgreSQL', () => {
  let schema = '';
  /** A schema of this test's own, dropped after everything else is torn down. */
  function ownSchema(): void {
    schema = `ci_${randomId(10).toLowerCase()}`;
    const dropped = schema;
    cleanups.push(async () => {
      const admin = new pg.Client({ connectionString: dbUrl });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${dropped}" CASCADE`);
      } finally {
        await admin.end();
      }
    });
  }

  /** One instance with its own pool and Redis connections, like a separate process. */
  async function instance(prefix: string): Promise<{ ts: TestServer; storage: Storage }> {
    const storage = await createPostgresStorage(dbUrl!, { schema, maxConnections: 4 });
    let ts: TestServer | null = null;
    const fanout = await createRedisFanout(redisUrl!, { channelPrefix: prefix, onResync: (id) => ts?.server.rooms.resync(id) });
    ts = await startTestServer({ options: { storage, fanout } });
    cleanups.push(async () => {
      await ts!.stop();
      await fanout.close();
      await storage.close();
    });
    return { ts, storage };
  }

  it('[AUTH-6] a clientID bound on one instance is refused to another user on another instance', async () => {
    ownSchema();
    const prefix = `rbtest:${randomId(8)}:`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    const tb = await setupBoard(a.ts.baseUrl, 'Two instances');
    const bert = await secondDev(a.ts, tb);
    const victim = await client(a.ts, tb.boardId, tb.people.dev.token);
    const observer = await client(b.ts, tb.boardId, tb.people.po.token);
    addTitled(victim.doc, tb.people.dev.userId, 'via instance A');
    await waitFor(() => hasItem(observer.doc, 'via instance A'));
    victim.provider.disconnect();
    addTitled(victim.doc, tb.people.dev.userId, 'offline, then via A');

    expectRefused(await forge(b.ts, tb.boardId, bert.token, bert.userId, victim.doc.clientID, 'forged via B'));
    victim.provider.connect();
    await waitFor(() => hasItem(observer.doc, 'offline, then via A'));
    expect(hasItem(observer.doc, 'forged via B')).toBe(false);
  });
});
