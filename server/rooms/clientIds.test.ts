import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import { ClientIdOwners, newStructClients, SERVER_OWNER } from './clientIds.ts';
import { decodeUpdateSafe } from './updates.ts';

const boardId = 'board-clientids' as BoardId;

/** An in-memory claimClientIds that counts its calls. */
function memoryStore(initial: Array<[number, string]> = []) {
  const owners = new Map(initial);
  const calls: number[][] = [];
  return {
    calls,
    async claimClientIds(_id: BoardId, owner: string, ids: readonly number[]) {
      calls.push([...ids]);
      for (const id of ids) if (!owners.has(id)) owners.set(id, owner);
      return new Map(ids.map((id) => [id, owners.get(id)!]));
    },
  };
}

function docWith(clientID: number, fn: (doc: Y.Doc) => void, base?: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  doc.clientID = clientID;
  fn(doc);
  return doc;
}

describe('[AUTH-6] clientID owners', () => {
  it('counts only the clientIDs of new structs, not known ones or deletions', () => {
    const server = docWith(1, (d) => d.getMap('items').set('a', 'by 1'));
    const editor = docWith(2, (d) => d.getMap('items').set('a', 'by 2'), server); // deletes 1's value
    const update = Y.encodeStateAsUpdate(editor); // also carries 1's (known) struct
    expect([...newStructClients(server, decodeUpdateSafe(update)!)]).toEqual([2]);
    const deletionOnly = docWith(3, (d) => d.getMap('items').delete('a'), server);
    expect(newStructClients(server, decodeUpdateSafe(Y.encodeStateAsUpdate(deletionOnly, Y.encodeStateVector(server)))!).size).toBe(0);
  });

  it('claims a never-seen clientID once, then answers from memory', async () => {
    const store = memoryStore([[7, 'bert']]);
    const owners = new ClientIdOwners(boardId, store);
    expect(await owners.foreign('dana', [5])).toEqual([]);
    expect(await owners.foreign('dana', [5])).toEqual([]);
    expect(await owners.foreign('bert', [5])).toEqual([5]);
    expect(await owners.foreign('dana', [5, 7])).toEqual([7]);
    expect(await owners.foreign('dana', [7])).toEqual([7]);
    expect(store.calls).toEqual([[5], [7]]);
  });

  it('an id announced in presence is claimed ahead of the first write, which then waits on that claim only', async () => {
    const store = memoryStore([[11, 'bert']]);
    const owners = new ClientIdOwners(boardId, store);
    owners.prefetch('dana', 5);
    owners.prefetch('dana', 5); // one claim per id
    owners.prefetch('dana', 11); // someone else's already: the claim learns that
    expect(await owners.foreign('dana', [5])).toEqual([]);
    expect(await owners.foreign('dana', [11])).toEqual([11]);
    expect(await owners.foreign('bert', [5])).toEqual([5]);
    expect(store.calls).toEqual([[5], [11]]);
  });

  it('an id announced in presence by another user is theirs until someone writes with it', async () => {
    const store = memoryStore();
    const owners = new ClientIdOwners(boardId, store);
    const announcedBy = (id: number) => (id === 9 ? 'dana' : undefined);
    expect(await owners.foreign('bert', [9], announcedBy)).toEqual([9]);
    expect(store.calls).toEqual([]); // refused without binding anything
    expect(await owners.foreign('dana', [9], announcedBy)).toEqual([]);
    expect(owners.ownerOf(9)).toBe('dana');
  });

  it('the server’s clientID is held in memory at once and claimed before it writes; a taken one is replaced', async () => {
    const doc = new Y.Doc();
    const store = memoryStore([[doc.clientID, 'dana']]);
    const owners = new ClientIdOwners(boardId, store);
    const taken = doc.clientID;
    owners.reserveForServer(taken);
    expect(await owners.foreign('bert', [taken])).toEqual([taken]); // from memory: no claim yet
    expect(store.calls).toEqual([]);
    await owners.serverClientId(doc);
    expect(doc.clientID).not.toBe(taken);
    expect(owners.ownerOf(taken)).toBe('dana');
    expect(owners.ownerOf(doc.clientID)).toBe(SERVER_OWNER);
    expect(await store.claimClientIds(boardId, 'bert', [doc.clientID])).toEqual(new Map([[doc.clientID, SERVER_OWNER]]));
    const before = store.calls.length;
    await owners.serverClientId(doc);
    expect(store.calls.length).toBe(before); // claimed once
  });
});
