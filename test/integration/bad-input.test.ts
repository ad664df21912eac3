/**
 * Bad input closes one socket with a documented code; the process and every board stay
 * intact [SRV-4, SRV-7].
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.ts';
import type { TestServer } from '../helpers/server.ts';
import {
  connectSynced,
  controlMessages,
  rawSocket,
  setupBoard,
  startTestServer,
  updateFrame,
} from '../helpers/server.ts';
import { addTitled, hasItem } from '../helpers/board.ts';
import { waitFor } from '../helpers/wait.ts';
import { useTeardown } from '../helpers/teardown.ts';

describe('bad input', () => {
  const { track } = useTeardown();

  /** Two providers on the board, and a check that they still sync with each other. */
  async function pair(server: TestServer) {
    const { boardId, people } = await setupBoard(server.baseUrl);
    const a = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    const b = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    let round = 0;
    const stillSyncing = async () => {
      round++;
      addTitled(a.doc, people.po.userId, `check${round}`);
      await waitFor(() => hasItem(b.doc, `check${round}`), { message: 'b still receives a' });
      expect(a.closeCodes).toEqual([]);
      expect(b.closeCodes).toEqual([]);
    };
    return { boardId, people, a, b, stillSyncing };
  }

  it('[SRV-4] garbage frames close only that socket with 4400; everyone else keeps syncing', async () => {
    const server = track(await startTestServer());
    const { boardId, people, stillSyncing } = await pair(server);
    const garbage: Uint8Array[] = [
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), // varint overflow
      new Uint8Array([42, 1, 2, 3]), // unknown message type
      new Uint8Array([0, 7, 1, 0]), // unknown sync step
      new Uint8Array([0, 2, 200, 1, 2]), // update length past the end
      updateFrame(new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9])), // not a Yjs update
      new Uint8Array([1, 5, 1]), // truncated awareness
      new Uint8Array([0, 0, 3, 0xff, 0xff, 0xff]), // step 1 with a broken state vector
    ];
    for (const frame of garbage) {
      const raw = rawSocket(server.wsUrl, boardId, people.sm.token);
      await raw.opened;
      raw.ws.send(frame);
      const closed = await raw.closed;
      expect(closed.code, `frame ${Array.from(frame).join(',')}`).toBe(CloseCode.malformedFrame);
      expect(controlMessages(raw.messages).at(-1)).toMatchObject({ type: 'error', code: CloseCode.malformedFrame });
      await stillSyncing();
    }
    const text = rawSocket(server.wsUrl, boardId, people.sm.token);
    await text.opened;
    text.ws.send('hello');
    expect((await text.closed).code).toBe(CloseCode.malformedFrame);
    await stillSyncing();
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it('[SRV-4] an oversized frame closes that socket with 1009 and changes nothing', async () => {
    const server = track(await startTestServer({ config: { limits: { maxFrameBytes: 64 * 1024 } } }));
    const { boardId, people, a, stillSyncing } = await pair(server);
    const big = new Y.Doc();
    big.getText('huge').insert(0, 'x'.repeat(100 * 1024));
    const raw = rawSocket(server.wsUrl, boardId, people.sm.token);
    await raw.opened;
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(big)));
    expect((await raw.closed).code).toBe(CloseCode.messageTooBig);
    await stillSyncing();
    expect(a.doc.getText('huge').length).toBe(0);
  });

  it('[SRV-7] a socket sending faster than the rate limit is closed with 4429', async () => {
    const server = track(
      await startTestServer({ config: { limits: { messagesPerSecond: 5, messageBurst: 10 } } }),
    );
    const { boardId, people, stillSyncing } = await pair(server);
    const raw = rawSocket(server.wsUrl, boardId, people.sm.token);
    await raw.opened;
    for (let i = 0; i < 40; i++) raw.ws.send(new Uint8Array([3])); // query awareness
    const closed = await raw.closed;
    expect(closed.code).toBe(CloseCode.rateLimited);
    await stillSyncing();
  });

  it('[SRV-7] the socket past maxConnectionsPerBoard is refused with 4430', async () => {
    const server = track(await startTestServer({ config: { limits: { maxConnectionsPerBoard: 2 } } }));
    const { boardId, people, stillSyncing } = await pair(server);
    const third = rawSocket(server.wsUrl, boardId, people.sm.token);
    expect((await third.closed).code).toBe(CloseCode.boardFull);
    await stillSyncing();
  });

  it('[SRV-7] an update that would grow the board past maxBoardBytes is refused with 4413 and not stored', async () => {
    const server = track(await startTestServer({ config: { limits: { maxBoardBytes: 20_000 } } }));
    const { boardId, people, stillSyncing } = await pair(server);
    const writer = track(await connectSynced(server.wsUrl, boardId, people.sm.token));
    addTitled(writer.doc, people.sm.userId, 'essay', 'y'.repeat(30_000));
    expect(await writer.firstClose).toBe(CloseCode.boardTooLarge);
    await stillSyncing();
    const fresh = track(await connectSynced(server.wsUrl, boardId, people.viewer.token));
    expect(hasItem(fresh.doc, 'essay')).toBe(false);
  });
});
