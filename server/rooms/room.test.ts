/**
 * Room loading, driven step by step with a storage whose read we release by hand: what a
 * joiner receives while the board's doc is still being built from the stored bytes.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeFrame, decodeServerFrame, encodeControl, encodeSyncStep1, encodeSyncUpdate } from '../../shared/codec.ts';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { CloseCode, type ControlMessage } from '../../shared/protocol.ts';
import { addItem, listItems, setItemTitle } from '../../shared/schema/board.ts';
import { defineConfig } from '../config.ts';
import type { FanoutHandler } from '../fanout/types.ts';
import type { AuthUser, UpdateGate } from '../extensions.ts';
import type { Storage, StoredBoardState } from '../storage/types.ts';
import { FakeClock } from '../../test/helpers/fakeClock.ts';
import { waitFor } from '../../test/helpers/wait.ts';
import { type Clock, systemClock } from './clock.ts';
import { Room, type RoomClient } from './room.ts';

const boardId = 'board1234567' as BoardId;
const dev: AuthUser = { boardId, userId: 'user1234567' as UserId, role: 'dev', name: 'Dana Dev' };

interface Frame {
  kind: 'control' | 'server step 1' | 'step 2' | 'update' | 'awareness';
  payload: Uint8Array;
}

function parse(frame: Uint8Array): Frame {
  const message = decodeServerFrame(frame);
  switch (message.type) {
    case 'control':
    case 'awareness':
      return { kind: message.type, payload: frame };
    case 'sync-step-1':
      return { kind: 'server step 1', payload: message.stateVector };
    case 'sync-step-2':
      return { kind: 'step 2', payload: message.update };
    case 'sync-update':
      return { kind: 'update', payload: message.update };
  }
}

class FakeClient implements RoomClient {
  readonly frames: Frame[] = [];
  closedWith: number | null = null;
  closedByServer = false;
  /** Called on each frame sent, with the room's doc as it is at that moment. */
  onSend: (frame: Frame) => void = () => {};
  constructor(readonly user: AuthUser = dev) {}
  get isOpen(): boolean {
    return this.closedWith === null;
  }
  send(frame: Uint8Array): void {
    const f = parse(frame);
    this.frames.push(f);
    this.onSend(f);
  }
  control(message: ControlMessage): void {
    this.send(encodeControl(message));
  }
  close(code: number): void {
    this.closedWith = code;
    this.closedByServer = true;
  }
  /** What this socket's client would hold after applying every update it was sent. */
  docFromFrames(base?: Y.Doc): Y.Doc {
    const doc = base ?? new Y.Doc();
    for (const f of this.frames) if (f.kind === 'step 2' || f.kind === 'update') Y.applyUpdate(doc, f.payload);
    return doc;
  }
}

/** A board with `n` items, and the stored state of it as one snapshot. */
function boardWith(n: number): { doc: Y.Doc; snapshot: Uint8Array } {
  const doc = new Y.Doc();
  for (let i = 0; i < n; i++) addItem(doc, { title: `story ${i}`, createdBy: dev.userId });
  return { doc, snapshot: Y.encodeStateAsUpdate(doc) };
}

/** A room over a storage whose loadBoard resolves only when `release()` is called. */
function coldRoom(stored: StoredBoardState, gate: UpdateGate | null = null, compactionThreshold = 1000, clock: Clock = systemClock) {
  const config = defineConfig();
  let release: () => void = () => {};
  const read = new Promise<void>((resolve) => {
    release = resolve;
  });
  const appended: Uint8Array[] = [];
  /** How many updates had been appended at each compaction. */
  const compactions: number[] = [];
  const missing = () => Promise.reject(new Error('not used by rooms'));
  const owners = new Map<number, string>();
  const storage: Storage = {
    createBoard: missing,
    getBoard: missing,
    async loadBoard() {
      await read;
      return stored;
    },
    async appendUpdates(_id, updates) {
      appended.push(...updates);
      return appended.length;
    },
    async compact() {
      compactions.push(appended.length);
      return { updatesFolded: appended.length, snapshotBytes: 0 };
    },
    async pendingUpdateCount() {
      return 0;
    },
    async claimClientIds(_id, owner, clientIds) {
      for (const c of clientIds) if (!owners.has(c)) owners.set(c, owner);
      return new Map(clientIds.map((c) => [c, owners.get(c)!]));
    },
    healthy: async () => true,
    close: async () => {},
  };
  let fromOtherInstance: FanoutHandler = () => {};
  const room = new Room({
    boardId,
    storage,
    fanout: {
      publish() {},
      async subscribe(_id, handler) {
        fromOtherInstance = handler;
        return async () => {};
      },
      async close() {},
    },
    gate,
    limits: config.limits,
    timings: {
      compactionThreshold,
      compactQuietMs: config.compactQuietMs,
      compactNowFactor: config.compactNowFactor,
      coldFirstFrameWaitMs: config.coldFirstFrameWaitMs,
    },
    clock,
    log: () => {},
    onIdle: () => {},
  });
  return {
    room,
    quietMs: config.compactQuietMs,
    release: () => release(),
    appended,
    compactions,
    otherInstance: (u: Uint8Array) => fromOtherInstance('update', u),
  };
}

/** What a socket's frames reach the room as: decoded by the connection. */
const step1Of = (doc: Y.Doc) => decodeFrame(encodeSyncStep1(doc));
const updateOf = (update: Uint8Array) => decodeFrame(encodeSyncUpdate(update));
const emptyStep1 = step1Of(new Y.Doc());
const kinds = (c: FakeClient) => c.frames.map((f) => f.kind);

describe('Room: joining while the stored state is turned into a doc', () => {
  it('[SRV-1] a fresh joiner gets the stored snapshot as its step 2 before the doc is built', async () => {
    const { doc, snapshot } = boardWith(40);
    const { room, release } = coldRoom({ snapshot, updates: [] });
    release();
    await room.joinable;
    const client = new FakeClient();
    let itemsInRoomAtStep2 = -1;
    client.onSend = (f) => {
      if (f.kind === 'step 2') itemsInRoomAtStep2 = listItems(room.doc).length;
    };
    room.addClient(client);
    room.receive(client, emptyStep1);
    await room.loaded;
    await room.settle();

    expect(itemsInRoomAtStep2).toBe(0);
    expect(kinds(client)).toEqual(['control', 'step 2', 'server step 1']);
    expect(listItems(client.docFromFrames())).toEqual(listItems(doc));
    expect(listItems(room.doc)).toEqual(listItems(doc));
    // The server's step 1 carries the built doc's state vector, so the client sends only what the server lacks.
    expect(client.frames[2]!.payload).toEqual(Y.encodeStateVector(doc));
    room.removeClient(client);
    await room.close({ compact: false });
  });

  it('[SRV-1] a snapshot and later updates reach a fresh joiner as one step 2 with all of them', async () => {
    const { doc, snapshot } = boardWith(10);
    const later: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => later.push(u));
    addItem(doc, { title: 'appended by another instance', createdBy: dev.userId });
    setItemTitle(doc, listItems(doc)[0]!.id, 'renamed: structs and deletions after the snapshot');
    const { room, release } = coldRoom({ snapshot, updates: later.map((data, i) => ({ seq: i + 1, data })) });
    release();
    await room.joinable;
    const client = new FakeClient();
    room.addClient(client);
    room.receive(client, emptyStep1);
    await room.loaded;
    await room.settle();

    expect(kinds(client).filter((k) => k === 'step 2')).toHaveLength(1);
    expect(client.docFromFrames().getMap('items').toJSON()).toEqual(doc.getMap('items').toJSON());
    expect(room.doc.getMap('items').toJSON()).toEqual(doc.getMap('items').toJSON());
    room.removeClient(client);
    await room.close({ compact: false });
  });

  it('[SRV-2] an update from another instance queued before the step 1 is in what the joiner gets, in order', async () => {
    const { doc, snapshot } = boardWith(5);
    const { room, release, otherInstance } = coldRoom({ snapshot, updates: [] });
    const before = Y.encodeStateVector(doc);
    addItem(doc, { title: 'from another instance', createdBy: dev.userId });
    release();
    await room.joinable;
    // It was published after this instance read the store, and reaches the inbox first.
    otherInstance(Y.encodeStateAsUpdate(doc, before));
    const client = new FakeClient();
    room.addClient(client);
    room.receive(client, emptyStep1);
    await room.loaded;
    await room.settle();

    expect(listItems(client.docFromFrames()).map((i) => i.title)).toContain('from another instance');
    expect(listItems(room.doc)).toEqual(listItems(doc));
    // Nothing was answered from the stored bytes alone: the step 2 came from the built doc.
    expect(kinds(client).indexOf('server step 1')).toBeLessThan(kinds(client).indexOf('step 2'));
    room.removeClient(client);
    await room.close({ compact: false });
  });

  it('[SRV-2] a write sent right after a cold step 1 is checked against the whole board, stored, then relayed', async () => {
    const { doc, snapshot } = boardWith(25);
    const seenByGate: number[] = [];
    const gate: UpdateGate = {
      check({ doc: boardDoc }) {
        seenByGate.push(listItems(boardDoc).length);
        return { ok: true };
      },
    };
    const { room, release, appended } = coldRoom({ snapshot, updates: [] }, gate);
    release();
    await room.joinable;
    const writer = new FakeClient();
    const other = new FakeClient({ ...dev, userId: 'user7654321' as UserId });
    room.addClient(writer);
    room.addClient(other);
    room.receive(writer, emptyStep1);
    room.receive(other, emptyStep1);
    // The writer's client applies its step 2, then writes (simulated on a copy of the board).
    const local = new Y.Doc();
    Y.applyUpdate(local, snapshot);
    const sv = Y.encodeStateVector(local);
    addItem(local, { title: 'written right after joining', createdBy: dev.userId });
    const write = Y.encodeStateAsUpdate(local, sv);
    room.receive(writer, updateOf(write));
    await room.loaded;
    await room.settle();

    expect(seenByGate).toEqual([25]);
    expect(appended).toHaveLength(1);
    expect(listItems(other.docFromFrames()).map((i) => i.title)).toContain('written right after joining');
    expect(listItems(room.doc)).toHaveLength(26);
    expect(listItems(doc)).toHaveLength(25);
    for (const c of [writer, other]) room.removeClient(c);
    await room.close({ compact: false });
  });

  it('[SRV-10] a client with an offline copy is answered from the built doc with only what it lacks', async () => {
    const { doc, snapshot } = boardWith(3);
    const offline = new Y.Doc();
    Y.applyUpdate(offline, snapshot);
    addItem(doc, { title: 'added while it was offline', createdBy: dev.userId });
    const { room, release } = coldRoom({ snapshot: Y.encodeStateAsUpdate(doc), updates: [] });
    release();
    await room.joinable;
    const client = new FakeClient();
    room.addClient(client);
    room.receive(client, step1Of(offline));
    await room.loaded;
    await room.settle();

    expect(kinds(client)).toEqual(['control', 'server step 1', 'step 2']);
    expect(client.frames[2]!.payload.length).toBeLessThan(Y.encodeStateAsUpdate(doc).length);
    expect(listItems(client.docFromFrames(offline))).toEqual(listItems(doc));
    room.removeClient(client);
    await room.close({ compact: false });
  });

  it('a stored state that cannot be read closes the sockets that joined meanwhile', async () => {
    const { room, release } = coldRoom({ snapshot: new Uint8Array([3, 200, 7, 1]), updates: [] });
    release();
    await room.joinable;
    const client = new FakeClient();
    room.addClient(client);
    await expect(room.loaded).rejects.toThrow();
    expect(client.closedWith).toBe(CloseCode.internalError);
  });
});

describe('Room: relaying a stored batch', () => {
  it('[SRV-2] updates stored together reach a reader as one frame, and each writer gets only the others', async () => {
    const { doc, snapshot } = boardWith(5);
    const { room, release, appended } = coldRoom({ snapshot, updates: [] });
    release();
    await room.loaded;
    const [anna, ben, cleo] = ['user1111111', 'user2222222', 'user3333333'].map(
      (id) => new FakeClient({ ...dev, userId: id as UserId }),
    ) as [FakeClient, FakeClient, FakeClient];
    for (const c of [anna, ben, cleo]) {
      room.addClient(c);
      room.receive(c, emptyStep1);
    }
    await room.settle();
    const writeOn = (title: string): Uint8Array => {
      const local = new Y.Doc();
      Y.applyUpdate(local, snapshot);
      const sv = Y.encodeStateVector(local);
      addItem(local, { title, createdBy: dev.userId });
      return Y.encodeStateAsUpdate(local, sv);
    };
    const seen = (c: FakeClient) => c.frames.length;
    const before = new Map([anna, ben, cleo].map((c) => [c, seen(c)]));
    // Frames that arrive while the room is busy (here: answering Cleo's step 1; under load:
    // the previous commit) are judged, stored in one commit and relayed together.
    room.receive(cleo, emptyStep1);
    room.receive(anna, updateOf(writeOn('from Anna')));
    room.receive(ben, updateOf(writeOn('from Ben')));
    await room.settle();

    const sentSince = (c: FakeClient) => c.frames.slice(before.get(c)).filter((f) => f.kind === 'update');
    expect(appended).toHaveLength(2);
    expect(sentSince(cleo)).toHaveLength(1);
    const titles = (c: FakeClient) =>
      listItems(c.docFromFrames())
        .map((i) => i.title)
        .filter((t) => t.startsWith('from'))
        .sort();
    expect(titles(cleo)).toEqual(['from Anna', 'from Ben']);
    // Writers are not sent their own update back, only the other one.
    expect(sentSince(anna)).toHaveLength(1);
    expect(sentSince(ben)).toHaveLength(1);
    const onlyNew = (c: FakeClient) => {
      const d = new Y.Doc();
      for (const f of sentSince(c)) Y.applyUpdate(d, f.payload);
      return [...d.getMap('items').values()].length;
    };
    expect(onlyNew(anna)).toBe(1);
    expect(listItems(room.doc)).toHaveLength(7);
    expect(listItems(doc)).toHaveLength(5);
    for (const c of [anna, ben, cleo]) room.removeClient(c);
    await room.close({ compact: false });
  });
});

describe('Room: background compaction', () => {
  it('[SRV-5] waits for a quiet moment instead of compacting again and again during a burst', async () => {
    const { snapshot } = boardWith(3);
    const clock = new FakeClock();
    const { room, release, compactions, quietMs } = coldRoom({ snapshot, updates: [] }, null, 10, clock);
    release();
    await room.loaded;
    const writer = new FakeClient();
    room.addClient(writer);
    room.receive(writer, emptyStep1);
    await room.settle();
    const local = new Y.Doc();
    Y.applyUpdate(local, snapshot);
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const sv = Y.encodeStateVector(local);
        addItem(local, { title: `burst ${i}`, createdBy: dev.userId });
        room.receive(writer, updateOf(Y.encodeStateAsUpdate(local, sv)));
        await room.settle();
      }
    };
    // 39 updates, past the threshold of 10 but short of 4 × 10: nothing compacts mid-burst.
    await write(39);
    expect(compactions).toEqual([]);
    // Still nothing just before the quiet period ends...
    clock.advance(quietMs - 1);
    expect(compactions).toEqual([]);
    // ...and once it has, the whole log is folded at once.
    clock.advance(1);
    await waitFor(() => compactions.length > 0, { message: 'compaction after the quiet period' });
    expect(compactions).toEqual([39]);
    // A burst that keeps going compacts when the log reaches 4 × the threshold.
    await write(40);
    expect(compactions).toEqual([39, 79]);
    room.removeClient(writer);
    await room.close({ compact: false });
  });
});

describe('Room: a server change in steps', () => {
  /** A loaded two-item board with a synced reader; `before` counts the frames it got so far. */
  async function loadedWithReader() {
    const { snapshot } = boardWith(2);
    const { room, release, appended } = coldRoom({ snapshot, updates: [] });
    release();
    await room.loaded;
    const reader = new FakeClient();
    room.addClient(reader);
    room.receive(reader, emptyStep1);
    await room.settle();
    return { snapshot, room, appended, reader, before: reader.frames.length };
  }

  it('[SRV-2][XFER-1] three steps are stored as one update and only then reach a reader, as one update; nothing of them leaves before', async () => {
    const { snapshot, room, appended, reader, before } = await loadedWithReader();
    const storedWhenRelayed: number[] = [];
    reader.onSend = (f) => {
      if (f.kind === 'update') storedWhenRelayed.push(appended.length);
    };
    const sentDuringSteps: number[] = [];
    await room.changeInSteps(function* (doc) {
      for (const title of ['one', 'two', 'three']) {
        yield () => {
          sentDuringSteps.push(reader.frames.length - before);
          addItem(doc, { title, createdBy: dev.userId });
        };
      }
    });
    await room.settle();
    expect(sentDuringSteps).toEqual([0, 0, 0]);
    expect(appended).toHaveLength(1);
    const updates = reader.frames.slice(before).filter((f) => f.kind === 'update');
    expect(updates).toHaveLength(1);
    expect(storedWhenRelayed).toEqual([1]);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, snapshot);
    Y.applyUpdate(stored, appended[0]!);
    expect(listItems(stored).map((i) => i.title).slice(2)).toEqual(['one', 'two', 'three']);
    room.removeClient(reader);
    await room.close({ compact: false });
  });

  it('[SRV-11] a step that throws: the change is refused, nothing is stored or relayed, and the room reloads from storage', async () => {
    const { room, appended, reader, before } = await loadedWithReader();
    const change = room.changeInSteps(function* (doc) {
      yield () => addItem(doc, { title: 'half', createdBy: dev.userId });
      yield () => {
        throw new Error('step two fails');
      };
    });
    await expect(change).rejects.toThrow('step two fails');
    await waitFor(() => reader.closedWith !== null);
    expect(reader.closedWith).toBe(CloseCode.serviceRestart);
    expect(appended).toEqual([]);
    expect(reader.frames.slice(before).filter((f) => f.kind === 'update')).toEqual([]);
  });
});
