/**
 * The member store part of the storage contract (MemberStore, MEM-1): who joined a board,
 * first join kept, latest name/role/sighting taken, visible to another connection, gone
 * with an unknown board.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BoardId, newBoardId } from '../../shared/ids.ts';
import type { StorageAdapter } from '../../server/storage/types.ts';
import type { StorageContractOptions, StorageHarness } from './contract.ts';

export function describeMembersContract(
  name: string,
  makeHarness: () => Promise<StorageHarness>,
  opts: StorageContractOptions = {},
): void {
  describe.skipIf(opts.skip === true)(`member store contract: ${name}`, () => {
    let harness: StorageHarness;
    let store: StorageAdapter;

    beforeAll(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterAll(async () => {
      await harness?.destroy();
    });

    async function board(): Promise<BoardId> {
      const id = newBoardId();
      await store.createBoard({ id, title: 'Members', createdAt: 1 }, new Uint8Array([0, 0]));
      return id;
    }

    it('[MEM-1] keeps the first join, takes the latest name and role, never moves lastSeenAt back', async () => {
      const id = await board();
      await store.touchMember(id, { userId: 'ada', name: 'Ada', role: 'dev' }, 1_000);
      await store.touchMember(id, { userId: 'bo', name: 'Bo', role: 'po' }, 2_000);
      await store.touchMember(id, { userId: 'ada', name: 'Ada L.', role: 'sm' }, 3_000);
      await store.touchMember(id, { userId: 'ada', name: 'Ada L.', role: 'sm' }, 2_500);
      expect(await store.listMembers(id, 10)).toEqual([
        { userId: 'ada', name: 'Ada L.', role: 'sm', joinedAt: 1_000, lastSeenAt: 3_000 },
        { userId: 'bo', name: 'Bo', role: 'po', joinedAt: 2_000, lastSeenAt: 2_000 },
      ]);
      // The most recently seen first, at most `limit`.
      expect((await store.listMembers(id, 1)).map((m) => m.userId)).toEqual(['ada']);
    });

    it('[MEM-1] a member written on one connection is listed on another; boards are apart', async () => {
      const id = await board();
      const other = await board();
      await store.touchMember(id, { userId: 'cy', name: 'Cy', role: 'viewer' }, 5);
      const second = await harness.open();
      try {
        expect((await second.listMembers(id, 10)).map((m) => m.name)).toEqual(['Cy']);
        expect(await second.listMembers(other, 10)).toEqual([]);
      } finally {
        await second.close();
      }
    });

    it('[MEM-4] a removed member is no longer listed, stays removed when seen again, and is removed only once', async () => {
      const id = await board();
      await store.touchMember(id, { userId: 'dee', name: 'Dee', role: 'dev' }, 1);
      await store.touchMember(id, { userId: 'eve', name: 'Eve', role: 'dev' }, 2);
      expect(await store.memberRemoved(id, 'dee')).toBe(false);
      expect(await store.removeMember(id, 'dee', 3)).toBe(true);
      expect(await store.removeMember(id, 'dee', 4)).toBe(false);
      expect(await store.removeMember(id, 'nobody', 4)).toBe(false);
      await store.touchMember(id, { userId: 'dee', name: 'Dee', role: 'dev' }, 5);
      expect(await store.memberRemoved(id, 'dee')).toBe(true);
      expect(await store.memberRemoved(id, 'eve')).toBe(false);
      expect((await store.listMembers(id, 10)).map((m) => m.userId)).toEqual(['eve']);
    });

    it('[MEM-1] a member belongs to a board: an unknown board is refused', async () => {
      await expect(store.touchMember(newBoardId(), { userId: 'x', name: 'X', role: 'dev' }, 1)).rejects.toThrow();
    });
  });
}
