/**
 * Updates the board cannot take in whole, from a modified client that may send any Yjs
 * structs under any clientID: one that throws inside Yjs never leaves the room half
 * applied [SRV-11]; one with missing dependencies is refused before it can sit pending in
 * memory, unstored and uncounted [SRV-12], and an honest client caught with such structs
 * keeps its own edits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { refusalAction } from '../../client/hooks/refusal.ts';
import { addsNothing, decodeUpdateSafe } from '../../server/rooms/updates.ts';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { CloseCode, type ControlMessage, MessageType } from '../../shared/protocol.ts';
import { addItem } from '../../shared/schema/board.ts';
import { addTitled, hasItem } from '../helpers/board.ts';
import type { TestServer } from '../helpers/server.ts';
import {
  connectClient,
  connectSynced,
  controlMessages,
  joinBoard,
  linkToken,
  rawSocket,
  setupBoard,
  startTestServer,
  updateFrame,
} from '../helpers/server.ts';
import { useTeardown } from '../helpers/teardown.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

/** Admits everything: these tests reach Yjs itself, whatever the write policy refuses. */
const permissive = { updateGate: { check: () => ({ ok: true as const }) } };

/** The board as stored (snapshot + log), rebuilt into a doc. */
async function storedDoc(ts: TestServer, boardId: BoardId): Promise<Y.Doc> {
  const stored = await ts.server.storage.loadBoard(boardId);
  if (!stored) throw new Error(`no stored board ${boardId}`);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u.data);
  return doc;
}

async function storedBytes(ts: TestServer, boardId: BoardId): Promise<number> {
  const stored = await ts.server.storage.loadBoard(boardId);
  return (stored?.snapshot?.length ?? 0) + (stored?.updates.reduce((n, u) => n + u.data.length, 0) ?? 0);
}

/** True if `doc` holds nothing (struct or deletion) that the stored board lacks. */
async function onlyStored(ts: TestServer, boardId: BoardId, doc: Y.Doc): Promise<boolean> {
  return addsNothing(await storedDoc(ts, boardId), decodeUpdateSafe(Y.encodeStateAsUpdate(doc))!);
}

/** A hand-made update that deletes `clock` of `client` and carries no structs. */
function deleteOnly(client: number, clock: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, 1); // one client in the delete set
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 1); // one range
  encoding.writeVarUint(e, clock);
  encoding.writeVarUint(e, 1);
  return encoding.toUint8Array(e);
}

/** A scratch doc at the server's state (as `synced` has it), writing under `clientID`. */
function scratchAt(synced: Y.Doc, clientID: number): { doc: Y.Doc; serverState: Uint8Array; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(synced));
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return { doc, serverState: Y.encodeStateVector(synced), updates };
}

function rejections(frames: readonly Uint8Array[]): string[] {
  return controlMessages(frames).flatMap((m) => (m.type === 'update-rejected' ? [m.rule] : []));
}

describe('updates the board cannot take in whole', () => {
  const { track, defer } = useTeardown();

  it('[SRV-11] an update that throws inside Yjs is refused, the room reloads from storage, and no edit is lost or shown unstored', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'board-recovery-'));
    defer(() => rm(dataDir, { recursive: true, force: true }));
    const ts = track(await startTestServer({ dataDir, options: permissive }));
    const { boardId, people } = await setupBoard(ts.baseUrl);
    const a = track(await connectSynced(ts.wsUrl, boardId, people.po.token));
    const b = track(await connectSynced(ts.wsUrl, boardId, people.dev.token));
    addTitled(a.doc, people.po.userId, 'before');
    await waitFor(() => hasItem(b.doc, 'before'), { message: 'b sees the first edit' });

    // A chain of 20,000 nested maps under the offender's own client id: accepted, stored...
    const offender = rawSocket(ts.wsUrl, boardId, people.sm.token);
    await offender.opened;
    const poisonClient = 424_242;
    const scratch = scratchAt(a.doc, poisonClient);
    scratch.doc.transact(() => {
      let cur = scratch.doc.getMap<unknown>('poison');
      for (let i = 0; i < 20_000; i++) {
        const next = new Y.Map<unknown>();
        cur.set('c', next);
        cur = next;
      }
    });
    offender.ws.send(updateFrame(Y.encodeStateAsUpdate(scratch.doc, scratch.serverState)));
    await waitFor(() => a.doc.getMap('poison').has('c'), { message: 'the chain is relayed' });
    // ...then 7 bytes deleting its head: deleting (and collecting) the chain overflows the stack.
    offender.ws.send(updateFrame(deleteOnly(poisonClient, 0)));
    const closed = await withTimeout(offender.closed, 5000, 'offender closed');

    // Everyone else's edits are relayed and stored as before.
    addTitled(b.doc, people.dev.userId, 'after from b');
    await waitFor(() => hasItem(a.doc, 'after from b'), { message: 'a receives b after the poison' });
    addTitled(a.doc, people.po.userId, 'after from a');
    await waitFor(() => hasItem(b.doc, 'after from a'), { message: 'b receives a after the poison' });
    await waitFor(async () => hasItem(await storedDoc(ts, boardId), 'after from b'), { message: 'b stored' });
    await waitFor(async () => hasItem(await storedDoc(ts, boardId), 'after from a'), { message: 'a stored' });

    // A late joiner is sent only what is stored: the chain, not its half-applied deletion.
    const late = track(await connectSynced(ts.wsUrl, boardId, people.viewer.token));
    expect(await onlyStored(ts, boardId, late.doc)).toBe(true);
    expect(late.doc.getMap('poison').has('c')).toBe(true);
    expect(hasItem(late.doc, 'after from a') && hasItem(late.doc, 'after from b')).toBe(true);

    // The offender was told which rule, and closed like any refused writer.
    expect(rejections(offender.messages)).toEqual(['SRV-11']);
    expect(closed.code).toBe(CloseCode.policyViolation);
    // The others were sent away to resync with the reloaded room, and did.
    expect(a.closeCodes).toContain(CloseCode.serviceRestart);
    expect(b.closeCodes).toContain(CloseCode.serviceRestart);

    // Everything acknowledged survives a restart.
    for (const c of [a, b, late]) c.destroy();
    await ts.stop();
    const again = track(await startTestServer({ dataDir, options: permissive }));
    const fresh = track(await connectSynced(again.wsUrl, boardId, people.viewer.token));
    for (const title of ['before', 'after from b', 'after from a']) expect(hasItem(fresh.doc, title), title).toBe(true);
    expect(fresh.doc.getMap('poison').has('c')).toBe(true);
  });

  it('[SRV-11] an update Yjs keeps pending after applying it is refused and the room reloads', async () => {
    const ts = track(await startTestServer({ options: permissive }));
    const { boardId, people } = await setupBoard(ts.baseUrl);
    const a = track(await connectSynced(ts.wsUrl, boardId, people.po.token));
    const b = track(await connectSynced(ts.wsUrl, boardId, people.dev.token));
    // A new item plus a deletion of content nobody has (the write policy would refuse it,
    // POL-13): Yjs applies the item and keeps the deletion pending.
    const offender = rawSocket(ts.wsUrl, boardId, people.sm.token);
    await offender.opened;
    const scratch = scratchAt(a.doc, 515_151);
    addItem(scratch.doc, { title: 'half', createdBy: people.sm.userId as UserId });
    offender.ws.send(updateFrame(Y.mergeUpdates([Y.encodeStateAsUpdate(scratch.doc, scratch.serverState), deleteOnly(999_999, 5)])));
    const closed = await withTimeout(offender.closed, 5000, 'offender closed');
    expect(rejections(offender.messages)).toEqual(['SRV-11']);
    expect(closed.code).toBe(CloseCode.policyViolation);

    addTitled(a.doc, people.po.userId, 'still here');
    await waitFor(() => hasItem(b.doc, 'still here'), { message: 'b receives a' });
    const late = track(await connectSynced(ts.wsUrl, boardId, people.viewer.token));
    expect(await onlyStored(ts, boardId, late.doc)).toBe(true);
    expect(hasItem(late.doc, 'half')).toBe(false);
    expect(hasItem(a.doc, 'half') || hasItem(b.doc, 'half')).toBe(false);
  });

  it('[SRV-12] frames with a gap before their structs are refused: nothing kept pending, the board stays within maxBoardBytes', async () => {
    const maxBoardBytes = 200_000;
    const ts = track(await startTestServer({ config: { limits: { maxBoardBytes } } }));
    const { board, boardId, people } = await setupBoard(ts.baseUrl);
    const a = track(await connectSynced(ts.wsUrl, boardId, people.po.token));
    const b = track(await connectSynced(ts.wsUrl, boardId, people.dev.token));
    const sizeBefore = await storedBytes(ts, boardId);

    // Each attacker (a developer) writes a tiny item, then a big batch; only the batch is
    // sent first, so its structs start after a gap. The tiny items follow, each well within
    // the size limit, and would let Yjs integrate every held-back batch at once.
    const attackers = await Promise.all(
      [0, 1, 2, 3, 4].map(async (k) => {
        const person = await joinBoard(ts.baseUrl, boardId, linkToken(board, 'dev'), `Attacker ${k}`);
        const s = scratchAt(a.doc, 700_000 + k);
        const createdBy = person.userId as UserId;
        addItem(s.doc, { title: `filler ${k}`, createdBy });
        s.doc.transact(() => {
          for (let i = 0; i < 250; i++) addItem(s.doc, { title: `bulk ${k}.${i} ${'x'.repeat(150)}`, createdBy });
        });
        return { token: person.token, filler: s.updates[0]!, gapped: s.updates[1]! };
      }),
    );
    expect(attackers.reduce((n, x) => n + x.gapped.length, 0)).toBeGreaterThan(maxBoardBytes);

    const gappedSockets = attackers.map((x) => rawSocket(ts.wsUrl, boardId, x.token));
    for (const [k, raw] of gappedSockets.entries()) {
      await raw.opened;
      raw.ws.send(updateFrame(attackers[k]!.gapped));
    }
    const fillerSockets = attackers.map((x) => rawSocket(ts.wsUrl, boardId, x.token));
    for (const [k, raw] of fillerSockets.entries()) {
      await raw.opened;
      raw.ws.send(updateFrame(attackers[k]!.filler));
    }
    await waitFor(() => attackers.every((_, k) => hasItem(a.doc, `filler ${k}`)), { message: 'fillers relayed' });

    const stored = await storedDoc(ts, boardId);
    expect(hasItem(stored, 'filler 4')).toBe(true);
    expect([...stored.getMap('items').keys()].length).toBeLessThan(20);
    expect(await storedBytes(ts, boardId)).toBeLessThan(sizeBefore + 10_000);
    for (const raw of gappedSockets) {
      await waitFor(() => rejections(raw.messages).length > 0, { message: 'gapped frame refused' });
      expect(rejections(raw.messages)).toEqual(['SRV-12']);
      expect((await withTimeout(raw.closed, 5000, 'attacker closed')).code).toBe(CloseCode.policyViolation);
    }
    for (const raw of fillerSockets) {
      expect(controlMessages(raw.messages).filter((m) => m.type !== 'welcome')).toEqual([]);
      raw.ws.close();
    }
    expect(a.doc.getMap('items').size).toBeLessThan(20);

    // Everyone else carries on.
    addTitled(b.doc, people.dev.userId, 'unaffected');
    await waitFor(() => hasItem(a.doc, 'unaffected'), { message: 'a receives b' });
    expect(a.closeCodes).toEqual([]);
    expect(b.closeCodes).toEqual([]);
  });

  it('[SRV-12] an honest client holding pending structs drops them on the refusal and gets its own edits through', async () => {
    const ts = track(await startTestServer());
    const { boardId, people } = await setupBoard(ts.baseUrl);
    const a = track(await connectSynced(ts.wsUrl, boardId, people.po.token));
    const dev = people.dev.userId as UserId;

    // Someone else's two edits reached this client out of order: the second sits pending.
    const other = scratchAt(a.doc, 800_001);
    addItem(other.doc, { title: 'theirs first', createdBy: dev });
    addItem(other.doc, { title: 'theirs second', createdBy: dev });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc));
    Y.applyUpdate(doc, other.updates[1]!);
    expect(doc.store.pendingStructs).not.toBeNull();
    // Its own edit, made while offline, waits to be sent.
    addTitled(doc, dev, 'mine offline');

    const h = track(connectClient(ts.wsUrl, boardId, people.dev.token, { doc, reconnectAlways: true }));
    const outcomes: string[] = [];
    // What the app's connection does with a refusal (client/hooks/boardConnection.ts).
    h.provider.messageHandlers[MessageType.control] = (_enc, dec) => {
      const msg = JSON.parse(decoding.readVarString(dec)) as ControlMessage;
      h.controls.push(msg);
      if (msg.type === 'update-rejected') outcomes.push(refusalAction(h.doc, msg));
    };

    await waitFor(() => hasItem(a.doc, 'mine offline'), { message: 'the offline edit arrives' });
    expect(h.controls.filter((m) => m.type === 'update-rejected')).toMatchObject([{ rule: 'SRV-12' }]);
    expect(outcomes).toEqual(['keep']);
    expect(h.closeCodes).toEqual([CloseCode.policyViolation]);
    expect(h.doc.store.pendingStructs).toBeNull();
    addTitled(h.doc, dev, 'mine online');
    await waitFor(() => hasItem(a.doc, 'mine online'), { message: 'a live edit arrives' });
    expect(hasItem(h.doc, 'mine offline')).toBe(true);
    const stored = await storedDoc(ts, boardId);
    expect(hasItem(stored, 'theirs second') || hasItem(a.doc, 'theirs second')).toBe(false);
  });
});
