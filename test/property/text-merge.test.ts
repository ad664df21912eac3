/**
 * [ITEM-2] Concurrent edits of one Y.Text through replaceText, by 2-3 peers with random
 * delivery order and disconnects: every character anyone typed survives unless someone
 * deleted it, nothing appears twice, and each typed run keeps its order.
 *
 * Every inserted character is unique (a fresh CJK code point), so "who typed it" and
 * "who deleted it" can be checked exactly; with unique characters replaceText's minimal
 * diff is exactly the edit the person made.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { replaceText } from '../../shared/schema/text.ts';
import { runSeed } from './arbitraries.ts';
import { Network } from './network.ts';

const seed = runSeed();
const BASE = 'ABCDEFGH';

type Op =
  | { kind: 'edit'; peer: number; at: number; del: number; ins: number }
  | { kind: 'deliver'; from: number; to: number; pick: number; count: number }
  | { kind: 'disconnect'; peer: number }
  | { kind: 'reconnect'; peer: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), peer: fc.nat(2), at: fc.nat(30), del: fc.nat(3), ins: fc.nat(3) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), from: fc.nat(2), to: fc.nat(2), pick: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), peer: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), peer: fc.nat(2) }) },
);

describe('replaceText under concurrency', () => {
  it('[ITEM-2] every typed character survives unless someone deleted it; runs keep their order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }), fc.array(opArb, { minLength: 5, maxLength: 40, size: 'max' }), fc.nat(), (peers, ops, settlePick) => {
        const origin = new Y.Doc();
        origin.clientID = 1000; // fixed, so a replay builds the same structs
        origin.getText('t').insert(0, BASE);
        const net = new Network(peers, origin);
        let next = 0x4e00;
        const runs: string[] = [];
        const deleted = new Set<string>();
        for (const op of ops) {
          if (op.kind === 'edit') {
            const text = net.docs[op.peer % peers]!.getText('t');
            const before = text.toString();
            const at = Math.min(op.at, before.length);
            const end = Math.min(at + op.del, before.length);
            let typed = '';
            for (let i = 0; i < op.ins; i++) typed += String.fromCodePoint(next++);
            for (const c of before.slice(at, end)) deleted.add(c);
            if (typed) runs.push(typed);
            replaceText(text, before.slice(0, at) + typed + before.slice(end));
          } else if (op.kind === 'deliver') {
            net.deliver(op.from % peers, op.to % peers, op.pick, op.count);
          } else if (op.kind === 'disconnect') {
            net.disconnect(op.peer % peers);
          } else {
            net.reconnect(op.peer % peers);
          }
        }
        net.settle(settlePick);

        const final = net.docs[0]!.getText('t').toString();
        for (const doc of net.docs) expect(doc.getText('t').toString()).toBe(final);
        const chars = [...final];
        expect(new Set(chars).size, 'no character twice').toBe(chars.length);
        const expected = [...BASE, ...runs.join('')].filter((c) => !deleted.has(c));
        expect([...chars].sort()).toEqual([...expected].sort());
        // Each run someone typed keeps its internal order (what survives of it).
        for (const run of runs) {
          const kept = [...run].filter((c) => !deleted.has(c));
          const positions = kept.map((c) => final.indexOf(c));
          expect(positions).toEqual([...positions].sort((a, b) => a - b));
        }
        // The untouched base keeps its order too.
        const base = [...BASE].filter((c) => !deleted.has(c)).map((c) => final.indexOf(c));
        expect(base).toEqual([...base].sort((a, b) => a - b));
      }),
      { seed, numRuns: 300 },
    );
  });
});
