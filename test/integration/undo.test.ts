import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItemId } from '../../shared/ids.ts';
import { addItem, archiveItem, getItem, listItems, moveItem, setItemStatus, setItemTitle } from '../../shared/schema/board.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
import { UndoController } from '../../client/hooks/undo.ts';
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

async function twoPeople() {
  const board = await setupBoard(server.baseUrl);
  const a = await connectSynced(server.wsUrl, board.boardId, board.people.dev.token);
  const b = await connectSynced(server.wsUrl, board.boardId, board.people.po.token);
  clients.push(a, b);
  const originA = { local: 'A' };
  const originB = { local: 'B' };
  // captureTimeout 0: every operation is its own undo step, as when a person pauses between them
  const undoA = new UndoController(a.doc, originA, { captureTimeout: 0 });
  return { board, a, b, originA, originB, undoA, userA: board.people.dev.userId, userB: board.people.po.userId };
}

const titles = (c: TestClient) => listItems(c.doc).map((i) => i.title);

describe('per-user undo with real clients', () => {
  it('[REF-15] A undoes A’s move; B’s edits, on the same item and others, stay', async () => {
    const { a, b, originA, originB, undoA, userB } = await twoPeople();
    const ids = ['X', 'Y', 'Z'].map((t) => addItem(b.doc, { title: t, createdBy: userB }, originB));
    await waitForConvergence([a, b]);
    expect(titles(a)).toEqual(['X', 'Y', 'Z']);

    moveItem(a.doc, ids[2] as ItemId, 'top', originA); // A: Z to the top
    await waitForConvergence([a, b]);
    setItemTitle(b.doc, ids[2] as ItemId, 'Z (renamed by B)', originB); // B edits the moved item
    setItemTitle(b.doc, ids[0] as ItemId, 'X (renamed by B)', originB);
    await waitForConvergence([a, b]);

    expect(undoA.undo()).toBe(true);
    await waitForConvergence([a, b]);
    for (const c of [a, b]) expect(titles(c)).toEqual(['X (renamed by B)', 'Y', 'Z (renamed by B)']);
    expect(undoA.undo()).toBe(false); // A has nothing else to undo: B's edits are not A's
    for (const c of [a, b]) expect(titles(c)).toEqual(['X (renamed by B)', 'Y', 'Z (renamed by B)']);

    expect(undoA.redo()).toBe(true);
    await waitForConvergence([a, b]);
    expect(titles(b)).toEqual(['Z (renamed by B)', 'X (renamed by B)', 'Y']);
  });

  it('[REF-15] undo covers archives and status changes, and undoing a creation archives (never removes)', async () => {
    const { a, b, originA, undoA, userA } = await twoPeople();
    const mine = addItem(a.doc, { title: 'Mine', createdBy: userA }, originA);
    await waitForConvergence([a, b]);
    setItemStatus(a.doc, mine, 'refining', originA);
    archiveItem(a.doc, mine, Date.now(), originA);
    await waitForConvergence([a, b]);
    expect(getItem(b.doc, mine)?.archivedAt).not.toBeNull();

    undoA.undo(); // un-archive
    await waitFor(() => getItem(b.doc, mine)?.archivedAt === null, { message: 'restore reaches B' });
    undoA.undo(); // status back to new
    await waitFor(() => getItem(b.doc, mine)?.status === 'new', { message: 'status undo reaches B' });
    undoA.undo(); // the creation: archived, still there
    await waitFor(() => getItem(b.doc, mine)?.archivedAt !== null, { message: 'creation undo archives on B' });
    expect(getItem(b.doc, mine)?.title).toBe('Mine');
    // the server accepted every undo (none broke the write policy)
    expect(a.controls.filter((m) => m.type === 'update-rejected')).toEqual([]);
  });

  it('[REF-15] concurrent: B edits while A undoes; nobody loses B’s change', async () => {
    const { a, b, originA, originB, undoA, userB } = await twoPeople();
    const id = addItem(b.doc, { title: 'Shared', createdBy: userB }, originB);
    await waitForConvergence([a, b]);
    setItemStatus(a.doc, id, 'refining', originA);
    await waitForConvergence([a, b]);
    // B changes the title while A (not yet seeing it) undoes the status
    setItemTitle(b.doc, id, 'Shared, edited by B', originB);
    undoA.undo();
    await waitForConvergence([a, b]);
    for (const c of [a, b]) expect(getItem(c.doc, id)).toMatchObject({ title: 'Shared, edited by B', status: 'new' });
  });
});
