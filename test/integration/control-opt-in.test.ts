/**
 * Control messages (type 100) only for sockets that ask for them [SRV-15]: an unmodified
 * y-websocket client sees a clean protocol — no frame it cannot compute, so no
 * "Unable to compute message" line — through a welcome, a refusal and a close.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { decodeServerFrame, encodeQueryAwareness } from '../../shared/codec.ts';
import { CloseCode, MessageType } from '../../shared/protocol.ts';
import { readMeta } from '../../shared/schema/board.ts';
import { addTitled, hasItem } from '../helpers/board.ts';
import { connectSynced, rawSocket, setupBoard, startTestServer } from '../helpers/server.ts';
import { useTeardown } from '../helpers/teardown.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

/** A stock WebsocketProvider (params: token only) whose socket records every frame it receives. */
function stockClient(wsUrl: string, boardId: string, token: string) {
  const frames: Uint8Array[] = [];
  class RecordingSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    params: { token },
    disableBc: true,
    // biome-ignore lint/suspicious/noExplicitAny: ws stands in for the DOM WebSocket
    WebSocketPolyfill: RecordingSocket as any,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => closeCodes.push(event?.code ?? 0));
  const synced = new Promise<void>((resolve) => {
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) resolve();
    });
  });
  return {
    doc,
    provider,
    frames,
    closeCodes,
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

const controlFrames = (frames: readonly Uint8Array[]) => frames.filter((f) => f[0] === MessageType.control);

describe('control messages are opt-in', () => {
  const { track, defer } = useTeardown();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('[SRV-15] a stock provider gets no type-100 frame across welcome, a refusal and a close, and still syncs', async () => {
    const logged = vi.spyOn(console, 'error');
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl, 'Opt-in board');
    // The app's way (and the test helper's): with the parameter, a welcome comes first.
    const app = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    await waitFor(() => app.controls.some((c) => c.type === 'welcome'), { message: 'welcome for the opted-in client' });

    // Welcome: a stock provider syncs the board and is sent only sync and awareness frames.
    const dev = stockClient(server.wsUrl, boardId, people.dev.token);
    defer(() => dev.destroy());
    await withTimeout(dev.synced, 5000, 'stock provider syncs');
    expect(readMeta(dev.doc).title).toBe('Opt-in board');
    addTitled(app.doc, people.po.userId, 'from the app');
    await waitFor(() => hasItem(dev.doc, 'from the app'), { message: 'stock provider receives an edit' });
    addTitled(dev.doc, people.dev.userId, 'from a stock client');
    await waitFor(() => hasItem(app.doc, 'from a stock client'), { message: 'the app receives the stock edit' });

    // A refusal: a viewer's write is refused with 4422 and no update-rejected frame.
    const viewer = stockClient(server.wsUrl, boardId, people.viewer.token);
    defer(() => viewer.destroy());
    await withTimeout(viewer.synced, 5000, 'stock viewer syncs');
    addTitled(viewer.doc, people.viewer.userId, 'a viewer may not write');
    await waitFor(() => viewer.closeCodes.includes(CloseCode.policyViolation), { message: 'viewer refused with 4422' });

    // A malformed frame on a bare socket without the parameter: 4400, and nothing of type 100.
    const raw = rawSocket(server.wsUrl, boardId, people.sm.token, { control: false });
    await raw.opened;
    raw.ws.send(new Uint8Array([42, 1, 2, 3]));
    expect((await raw.closed).code).toBe(CloseCode.malformedFrame);

    // A refusal before the board: a bad token, without the parameter.
    const forged = rawSocket(server.wsUrl, boardId, 'not-a-token', { control: false });
    expect((await forged.closed).code).toBe(CloseCode.unauthorized);

    // A close: the server shuts down (1012); the stock provider is told by the code alone.
    await server.stop();
    await waitFor(() => dev.closeCodes.includes(CloseCode.serviceRestart), { message: 'stock provider sees 1012' });
    dev.provider.disconnect();

    for (const frames of [dev.frames, viewer.frames, raw.messages, forged.messages]) {
      expect(controlFrames(frames)).toEqual([]);
      for (const frame of frames) expect(['sync-step-1', 'sync-step-2', 'sync-update', 'awareness']).toContain(decodeServerFrame(frame).type);
    }
    expect(logged.mock.calls.filter((args) => String(args[0]).includes('Unable to compute message'))).toEqual([]);
    // The opted-in client did get control messages all along.
    expect(app.controls.map((c) => c.type)).toContain('welcome');
    expect(app.controls.at(-1)).toMatchObject({ type: 'error', code: CloseCode.serviceRestart });
  });

  it('[SRV-15] a bare socket that asks for control messages gets its welcome first', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const raw = rawSocket(server.wsUrl, boardId, people.dev.token);
    await raw.opened;
    raw.ws.send(encodeQueryAwareness());
    await waitFor(() => raw.messages.length >= 2, { message: 'welcome and sync step 1' });
    const first = decodeServerFrame(raw.messages[0]!);
    expect(first).toMatchObject({ type: 'control', message: { type: 'welcome', userId: people.dev.userId } });
    raw.ws.close();
  });
});
