import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addsNothing, decodeUpdateSafe } from './updates.ts';

function pair() {
  const server = new Y.Doc();
  const client = new Y.Doc();
  client.getText('t').insert(0, 'hello world');
  client.getText('t').delete(0, 6);
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
  return { server, client };
}

const decode = (u: Uint8Array) => decodeUpdateSafe(u)!;

describe('update analysis', () => {
  it('[SRV-4] rejects bytes that are not a Yjs update', () => {
    expect(decodeUpdateSafe(new Uint8Array([9, 9, 9, 9]))).toBeNull();
    expect(decodeUpdateSafe(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBeNull();
    expect(decodeUpdateSafe(Y.encodeStateAsUpdate(pair().client))).not.toBeNull();
  });

  it('[SRV-9] a full resend, deletions included, adds nothing', () => {
    const { server, client } = pair();
    expect(addsNothing(server, decode(Y.encodeStateAsUpdate(client)))).toBe(true);
    // What a reconnecting client sends as sync step 2: structs past the server's state + its delete set.
    expect(addsNothing(server, decode(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))))).toBe(true);
  });

  it('[SRV-9] new content or a new deletion is not redundant', () => {
    const { server, client } = pair();
    const sv = Y.encodeStateVector(client);
    client.getText('t').insert(0, '!');
    expect(addsNothing(server, decode(Y.encodeStateAsUpdate(client, sv)))).toBe(false);

    const { server: s2, client: c2 } = pair();
    const sv2 = Y.encodeStateVector(c2);
    c2.getText('t').delete(0, 1); // a pure deletion: no new structs, only a delete set
    const update = Y.encodeStateAsUpdate(c2, sv2);
    expect(addsNothing(s2, decode(update))).toBe(false);
    Y.applyUpdate(s2, update);
    expect(addsNothing(s2, decode(update))).toBe(true);
  });

  it('an update about items the server has never seen is not redundant', () => {
    const server = new Y.Doc();
    const stranger = new Y.Doc();
    stranger.getMap('m').set('k', 1);
    expect(addsNothing(server, decode(Y.encodeStateAsUpdate(stranger)))).toBe(false);
  });
});
