/**
 * [SRV-12][FLT-6] A reconnecting y-websocket client that keeps editing: it sends its sync
 * step 1, then a live edit that builds on edits it made while away, which reach the
 * server only with its step 2 (the answer to the server's step 1). The live edit waits
 * for the step 2 instead of being refused, so a fast writer is not refused on every
 * reconnect (the kill-loop test's writers were, under load, before this).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeServerFrame, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '../../shared/codec.ts';
import { addTitled, hasItem } from '../helpers/board.ts';
import { controlMessages, connectSynced, rawSocket, setupBoard, startTestServer } from '../helpers/server.ts';
import { useTeardown } from '../helpers/teardown.ts';
import { waitFor } from '../helpers/wait.ts';

describe('a live edit that arrives before the reconnecting client\'s step 2', () => {
  const { track, defer } = useTeardown();

  it('[SRV-12][FLT-6] waits for the step 2 and is applied after it; nothing is refused', async () => {
    const ts = track(await startTestServer());
    const { boardId, people } = await setupBoard(ts.baseUrl);
    const watcher = track(await connectSynced(ts.wsUrl, boardId, people.po.token));

    // The developer's copy: the board as last synced, one edit made while away, one live edit.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(watcher.doc));
    addTitled(doc, people.dev.userId, 'made while away');
    const before = Y.encodeStateVector(doc);
    addTitled(doc, people.dev.userId, 'made while reconnecting');
    const live = Y.encodeStateAsUpdate(doc, before);

    const raw = rawSocket(ts.wsUrl, boardId, people.dev.token);
    defer(() => raw.ws.close());
    await raw.opened;
    // What WebsocketProvider does on open, with an edit racing the server's step 1.
    raw.ws.send(encodeSyncStep1(doc));
    raw.ws.send(encodeSyncUpdate(live));
    const serverStep1 = await waitFor(() =>
      raw.messages.map(decodeServerFrame).find((m) => m.type === 'sync-step-1'),
    );
    raw.ws.send(encodeSyncStep2(doc, (serverStep1 as { stateVector: Uint8Array }).stateVector));

    await waitFor(() => hasItem(watcher.doc, 'made while away') && hasItem(watcher.doc, 'made while reconnecting'), {
      message: 'both edits relayed',
    });
    expect(controlMessages(raw.messages).filter((m) => m.type !== 'welcome')).toEqual([]);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
  });

  it('[SRV-12] a socket that never sent a step 1 is still refused at once', async () => {
    const ts = track(await startTestServer());
    const { boardId, people } = await setupBoard(ts.baseUrl);
    const watcher = track(await connectSynced(ts.wsUrl, boardId, people.po.token));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(watcher.doc));
    addTitled(doc, people.dev.userId, 'never sent');
    const before = Y.encodeStateVector(doc);
    addTitled(doc, people.dev.userId, 'gapped');
    const raw = rawSocket(ts.wsUrl, boardId, people.dev.token);
    defer(() => raw.ws.close());
    await raw.opened;
    raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc, before)));
    await waitFor(() => controlMessages(raw.messages).some((m) => m.type === 'update-rejected'));
    expect(controlMessages(raw.messages).find((m) => m.type === 'update-rejected')).toMatchObject({ rule: 'SRV-12' });
  });
});
