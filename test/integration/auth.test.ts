/**
 * Who may connect and what the server believes about them: tokens, viewers, awareness.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { newBoardId } from '../../shared/ids.ts';
import type { AwarenessState } from '../../shared/protocol.ts';
import { CloseCode } from '../../shared/protocol.ts';
import {
  connectClient,
  connectSynced,
  controlMessages,
  linkToken,
  rawSocket,
  setupBoard,
  startTestServer,
  updateFrame,
} from '../helpers/server.ts';
import { addTitled, hasItem } from '../helpers/board.ts';
import { waitFor } from '../helpers/wait.ts';
import { useTeardown } from '../helpers/teardown.ts';

describe('auth', () => {
  const { track } = useTeardown();

  it('[AUTH-1] [AUTH-4] a missing, forged or link token is refused with 4401', async () => {
    const server = track(await startTestServer());
    const { board, boardId, people } = await setupBoard(server.baseUrl);
    const missing = rawSocket(server.wsUrl, boardId);
    expect((await missing.closed).code).toBe(CloseCode.unauthorized);

    const [header, payload] = people.po.token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'po', userId: 'mallory123' }),
    ).toString('base64url');
    const forged = rawSocket(server.wsUrl, boardId, `${header}.${forgedPayload}.${people.dev.token.split('.')[2]}`);
    const closed = await forged.closed;
    expect(closed.code).toBe(CloseCode.unauthorized);
    expect(controlMessages(forged.messages)).toEqual([
      { type: 'error', code: CloseCode.unauthorized, reason: 'missing or invalid token' },
    ]);

    // A link token is for joining, not for the socket.
    const link = rawSocket(server.wsUrl, boardId, linkToken(board, 'dev'));
    expect((await link.closed).code).toBe(CloseCode.unauthorized);

    // The provider (app behaviour) gives up instead of retrying forever.
    const client = track(connectClient(server.wsUrl, boardId, 'garbage'));
    expect(await client.firstClose).toBe(CloseCode.unauthorized);
  });

  it('[AUTH-1] a token for another board is refused with 4403; an unknown board with 4404', async () => {
    const server = track(await startTestServer());
    const one = await setupBoard(server.baseUrl, 'one');
    const two = await setupBoard(server.baseUrl, 'two');
    const other = rawSocket(server.wsUrl, two.boardId, one.people.dev.token);
    expect((await other.closed).code).toBe(CloseCode.forbiddenBoard);
    // Nothing of board two was sent before the close.
    expect(other.messages.every((m) => m[0] === 100)).toBe(true);

    const ghostId = newBoardId();
    const ghostToken = await server.server.tokens.signUser({
      boardId: ghostId,
      userId: 'ghost12345' as UserId,
      role: 'po',
      name: 'Ghost',
    });
    const ghost = rawSocket(server.wsUrl, ghostId, ghostToken);
    expect((await ghost.closed).code).toBe(CloseCode.boardNotFound);
  });

  it('[AUTH-3] a viewer write is neither applied nor relayed, even from a modified client', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const dev = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    const viewer = track(await connectSynced(server.wsUrl, boardId, people.viewer.token));
    expect(viewer.doc.getMap('meta').get('title')).toBe('Test board');

    viewer.doc.getMap('meta').set('title', 'Hijacked');
    expect(await viewer.firstClose).toBe(CloseCode.policyViolation);
    expect(viewer.controls.some((c) => c.type === 'update-rejected' && c.rule === 'AUTH-3')).toBe(true);

    // A raw socket skipping the provider entirely gets the same answer.
    const raw = rawSocket(server.wsUrl, boardId, people.viewer.token);
    await raw.opened;
    const evil = new Y.Doc();
    evil.getMap('items').set('injected', 'by a viewer');
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(evil)));
    expect((await raw.closed).code).toBe(CloseCode.policyViolation);

    // The dev's later change arrives, the viewer's never did.
    addTitled(dev.doc, people.dev.userId, 'after');
    const fresh = track(await connectSynced(server.wsUrl, boardId, people.sm.token));
    await waitFor(() => hasItem(fresh.doc, 'after'));
    for (const doc of [dev.doc, fresh.doc]) {
      expect(doc.getMap('meta').get('title')).toBe('Test board');
      expect(doc.getMap('items').has('injected')).toBe(false);
    }
  });

  it('[AUTH-2] [AUTH-5] awareness claiming another identity is overwritten; other sockets\' ids are off limits', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const liar = track(
      await connectSynced(server.wsUrl, boardId, people.dev.token, {
        awareness: { user: { id: people.po.userId, name: 'Paula PO', role: 'po', color: '#000' }, dragging: 'x1' },
      }),
    );
    const observer = track(await connectSynced(server.wsUrl, boardId, people.viewer.token, { awareness: {} }));
    const seen = await waitFor(
      () => observer.provider.awareness.getStates().get(liar.doc.clientID) as AwarenessState | undefined,
      { message: 'observer sees the liar' },
    );
    expect(seen.user.id).toBe(people.dev.userId);
    expect(seen.user.name).toBe('Dana Dev');
    expect(seen.user.role).toBe('dev');
    expect(seen.user.color).not.toBe('#000');
    expect(seen.dragging).toBe('x1');

    // Writing awareness for someone else's client id is dropped.
    const { encodeAwarenessEntries } = await import('../../server/rooms/awareness.ts');
    const raw = rawSocket(server.wsUrl, boardId, people.sm.token);
    await raw.opened;
    const entries = encodeAwarenessEntries([
      { clientId: observer.doc.clientID, clock: 999, state: { user: { name: 'fake' } } },
    ]);
    const frame = new Uint8Array([1, ...varUint(entries.length), ...entries]);
    raw.ws.send(frame);
    // Prove the frame was processed: a later legit entry from the same socket arrives.
    const own = encodeAwarenessEntries([{ clientId: 424242, clock: 1, state: { editing: 'y' } }]);
    raw.ws.send(new Uint8Array([1, ...varUint(own.length), ...own]));
    await waitFor(() => observer.provider.awareness.getStates().has(424242));
    const state = observer.provider.awareness.getStates().get(424242) as AwarenessState;
    expect(state.user.name).toBe('Sam SM');
    const observerAsSeenByLiar = liar.provider.awareness.getStates().get(observer.doc.clientID) as AwarenessState;
    expect(observerAsSeenByLiar.user.name).toBe('Vic Viewer');
    expect(observer.provider.awareness.getLocalState()).not.toMatchObject({ user: { name: 'fake' } });

    // When a socket leaves, its presence goes with it.
    raw.ws.close();
    await waitFor(() => !observer.provider.awareness.getStates().has(424242), { message: 'presence removed' });
  });

  it('[AUTH-2] REST: join gives a personal token whose identity the server keeps', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const claims = await server.server.tokens.verify(people.sm.token);
    expect(claims).toMatchObject({ kind: 'user', board: boardId as BoardId, role: 'sm', name: 'Sam SM' });
  });
});

function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
