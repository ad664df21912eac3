/**
 * Seeded fuzz [SRV-4]: random and mutated frames (including corrupted but decodable Yjs
 * updates) from a writer's socket. Whatever happens to that socket, the server stays up,
 * the other clients keep syncing, and the board still loads from storage afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { addItem } from '../../shared/schema/board.ts';
import { addTitled, hasItem, itemTitles } from '../helpers/board.ts';
import { connectSynced, rawSocket, setupBoard, startTestServer, updateFrame } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { useTeardown } from '../helpers/teardown.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

describe('frame fuzz', () => {
  const { track } = useTeardown();

  it('[SRV-4] mutated and random frames never break the board or the other clients', async () => {
    console.log(`frame fuzz seed: ${SEED} (rerun with FUZZ_SEED=${SEED})`);
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const a = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    const b = track(await connectSynced(server.wsUrl, boardId, people.sm.token));

    // A real update the dev could send: adding an item on top of the current board.
    const base = new Y.Doc();
    Y.applyUpdate(base, Y.encodeStateAsUpdate(a.doc));
    const sv = Y.encodeStateVector(base);
    addItem(base, { title: 'fuzz seed item', createdBy: people.dev.userId as UserId });
    const valid = updateFrame(Y.encodeStateAsUpdate(base, sv));

    const frameArb = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 64 }),
      fc
        .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
        .map((edits) => {
          const copy = valid.slice();
          for (const [at, byte] of edits) copy[at] = byte;
          return copy;
        }),
      fc.nat(valid.length - 1).map((cut) => valid.slice(0, Math.max(1, cut))),
    );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(frameArb, async (frame) => {
        round++;
        const raw = rawSocket(server.wsUrl, boardId, people.dev.token);
        await raw.opened;
        raw.ws.send(frame);
        // Either the server closes this socket, or it answers a follow-up query: both mean handled.
        raw.ws.send(new Uint8Array([3]));
        await waitFor(() => raw.ws.readyState !== raw.ws.OPEN || raw.messages.some((m) => m[0] === 1), {
          timeout: 3000,
        }).catch(() => undefined);
        raw.ws.terminate();
        addTitled(a.doc, people.po.userId, `check ${round}`);
        await waitFor(() => hasItem(b.doc, `check ${round}`), { message: `b syncs after fuzz round ${round}` });
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
    expect(a.closeCodes).toEqual([]);
    expect(b.closeCodes).toEqual([]);

    // The stored board still loads and matches what the clients hold.
    await server.server.stop();
    const again = track(await startTestServer({ dataDir: server.dataDir }));
    const fresh = track(await connectSynced(again.wsUrl, boardId, people.viewer.token));
    expect(itemTitles(fresh.doc)).toEqual(itemTitles(a.doc));
  });
});
