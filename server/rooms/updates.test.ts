import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addsNothing, decodeUpdateSafe, missingDependency } from './updates.ts';

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

describe('missing dependencies [SRV-12]', () => {
  /** Each transaction's update on `doc`, in order. */
  function recorder(doc: Y.Doc): Uint8Array[] {
    const out: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => out.push(u));
    return out;
  }

  /** missingDependency's verdict, checked against what Yjs itself does with the update. */
  function verdict(server: Y.Doc, update: Uint8Array): string | null {
    const found = missingDependency(server, decode(update));
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(copy, update);
    expect(copy.store.pendingStructs !== null, 'Yjs keeps part of it pending').toBe(found !== null);
    return found;
  }

  function writer(clientID: number) {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    return { doc, updates: recorder(doc) };
  }

  it('[SRV-12] honest updates, resends and contiguous merges have no missing dependency', () => {
    const server = new Y.Doc();
    const w = writer(1);
    w.doc.getText('t').insert(0, 'abc');
    Y.applyUpdate(server, w.updates[0]!);
    w.doc.getText('t').insert(1, 'x');
    w.doc.getMap('m').set('k', new Y.Map());
    (w.doc.getMap('m').get('k') as Y.Map<number>).set('n', 1);
    w.doc.getText('t').delete(0, 2);
    expect(verdict(server, Y.mergeUpdates(w.updates.slice(1)))).toBeNull();
    expect(verdict(server, Y.encodeStateAsUpdate(w.doc))).toBeNull();
    expect(verdict(server, Y.encodeStateAsUpdate(w.doc, Y.encodeStateVector(server)))).toBeNull();
    for (const u of w.updates.slice(1)) {
      expect(verdict(server, u)).toBeNull();
      Y.applyUpdate(server, u);
    }
  });

  it('[SRV-12] structs that start past the board\'s clock for their client are a gap', () => {
    const server = new Y.Doc();
    const w = writer(2);
    w.doc.getText('t').insert(0, 'first');
    w.doc.getText('t').insert(5, 'second');
    expect(verdict(server, w.updates[1]!)).toMatch(/client 2 skips from clock 0 to 5/);
    Y.applyUpdate(server, w.updates[0]!);
    expect(verdict(server, w.updates[1]!)).toBeNull();
  });

  it('[SRV-12] a Skip inside a merged update is a gap unless the board has what was skipped', () => {
    const server = new Y.Doc();
    const w = writer(3);
    for (const s of ['a', 'b', 'c', 'd']) w.doc.getArray('a').push([s]);
    const [u0, u1, u2, u3] = w.updates as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    Y.applyUpdate(server, u0);
    const gapped = Y.mergeUpdates([u1, u3]);
    expect(decode(gapped).structs.some((s) => s instanceof Y.Skip)).toBe(true);
    expect(verdict(server, gapped)).toMatch(/client 3 skips from clock 2 to 3/);
    Y.applyUpdate(server, u1);
    Y.applyUpdate(server, u2);
    expect(verdict(server, gapped)).toBeNull();
  });

  it('[SRV-12] a neighbour or parent the board lacks is a missing dependency', () => {
    const server = new Y.Doc();
    const other = writer(4);
    other.doc.getText('t').insert(0, 'theirs');
    other.doc.getMap('m').set('inner', new Y.Map());
    // The writer has another client's content the board never received, and builds on it.
    const [left, parent] = [writer(5), writer(6)];
    for (const w of [left, parent]) {
      Y.applyUpdate(w.doc, Y.encodeStateAsUpdate(other.doc));
      w.updates.length = 0;
    }
    left.doc.getText('t').insert(6, ' mine'); // origin: the other client's last character
    (parent.doc.getMap('m').get('inner') as Y.Map<number>).set('n', 1); // parent: the other client's map
    const mine = [left.updates[0]!, parent.updates[0]!];
    expect(verdict(server, mine[0]!)).toMatch(/struct 5:0 refers to unknown 4:5/);
    expect(verdict(server, mine[1]!)).toMatch(/struct 6:0 refers to unknown 4:6/);
    // With the other client's structs in the same update, nothing is missing.
    expect(verdict(server, Y.mergeUpdates([Y.encodeStateAsUpdate(other.doc), ...mine]))).toBeNull();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(other.doc));
    for (const u of mine) expect(verdict(server, u)).toBeNull();
  });
});
