import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addItem, getItem, listItems, moveItem, setItemDescription, setItemTitle } from '../../shared/schema/board.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { askQuestion } from '../../shared/schema/questions.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
import { connectSynced, setupBoard, startTestServer, type TestClient, type TestServer, waitForConvergence } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let server: TestServer;
const clients: TestClient[] = [];

beforeEach(async () => {
  server = await startTestServer({ options: { updateGate: new PolicyGate() } });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server.stop();
});

describe('offline edits', () => {
  it('[REF-16] edits made while disconnected merge with others’ edits on reconnect', async () => {
    const board = await setupBoard(server.baseUrl);
    const dev = board.people.dev;
    const po = board.people.po;
    const a = await connectSynced(server.wsUrl, board.boardId, dev.token);
    const b = await connectSynced(server.wsUrl, board.boardId, po.token);
    clients.push(a, b);
    const first = addItem(b.doc, { title: 'First', createdBy: po.userId });
    const second = addItem(b.doc, { title: 'Second', createdBy: po.userId, description: 'Shared text' });
    await waitForConvergence([a, b]);

    a.provider.disconnect();
    await waitFor(() => !a.provider.wsconnected, { message: 'A offline' });
    // A, offline: a new item, a move, a description edit, a question
    const offlineItem = addItem(a.doc, { title: 'Made offline', createdBy: dev.userId });
    moveItem(a.doc, second, 'top');
    setItemDescription(a.doc, second, 'Shared text, and A’s offline note');
    askQuestion(a.doc, first, { userId: dev.userId, name: dev.name, role: 'dev' }, { text: 'Asked offline?' });
    // B, online meanwhile: edits the same description and another field
    setItemDescription(b.doc, second, 'B first: Shared text');
    setItemTitle(b.doc, first, 'First (B)');
    addComment(b.doc, first, { userId: po.userId, name: po.name, role: 'po' }, 'B’s comment');
    expect(getItem(b.doc, offlineItem)).toBeNull(); // B has not seen A’s offline work

    a.provider.connect();
    await waitForConvergence([a, b]);
    for (const c of [a, b]) {
      const items = listItems(c.doc);
      expect(items.map((i) => i.title)).toEqual(['Second', 'First (B)', 'Made offline']);
      const desc = getItem(c.doc, second)!.description;
      expect(desc).toContain('B first: ');
      expect(desc).toContain('A’s offline note');
      expect(getItem(c.doc, first)!.questions.map((q) => q.text)).toEqual(['Asked offline?']);
      expect(getItem(c.doc, first)!.comments.map((q) => q.text)).toEqual(['B’s comment']);
    }
    // and the server stored the merge: a fresh client sees it all
    const fresh = await connectSynced(server.wsUrl, board.boardId, board.people.sm.token);
    clients.push(fresh);
    expect(listItems(fresh.doc).map((i) => i.title)).toEqual(['Second', 'First (B)', 'Made offline']);
    expect(a.controls.filter((m) => m.type === 'update-rejected')).toEqual([]);
  });

  it('[REF-16] a cached copy (as IndexedDB keeps it) opened offline, edited, then connected, merges', async () => {
    const board = await setupBoard(server.baseUrl);
    const dev = board.people.dev;
    const a = await connectSynced(server.wsUrl, board.boardId, dev.token);
    clients.push(a);
    const b = await connectSynced(server.wsUrl, board.boardId, board.people.po.token);
    clients.push(b);
    const id = addItem(a.doc, { title: 'Cached', createdBy: dev.userId });
    await waitFor(() => getItem(b.doc, id) !== null, { message: 'B has the item' });
    // what y-indexeddb keeps for the board: the encoded document state
    const cached = Y.encodeStateAsUpdate(a.doc);
    a.destroy();
    clients.splice(clients.indexOf(a), 1);
    setItemTitle(b.doc, id, 'Cached, renamed by B');

    // "reload while offline": a new document from the cache only, edited before any socket
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, cached);
    expect(getItem(reloaded, id)?.title).toBe('Cached');
    addItem(reloaded, { title: 'Added after reload', createdBy: dev.userId });
    const again = await connectSynced(server.wsUrl, board.boardId, dev.token, { doc: reloaded });
    clients.push(again);
    await waitForConvergence([again, b]);
    for (const c of [again, b]) expect(listItems(c.doc).map((i) => i.title)).toEqual(['Cached, renamed by B', 'Added after reload']);
  });
});
