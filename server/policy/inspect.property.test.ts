/**
 * The inspector must never miss a change: whatever an update really changes when applied
 * must be among the paths the inspector predicted without applying it (otherwise the gate
 * could be bypassed). Random peers edit stale copies of a board and send their updates to
 * a "server" document in random interleavings; for every update the predicted paths are
 * compared with the Yjs events its application really fires. Seeded; the seed is printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, UserId } from '../../shared/ids.ts';
import {
  addItem,
  archiveItem,
  getItemMap,
  initBoard,
  moveItem,
  rankedActiveEntries,
  setItemEstimate,
  setItemLabel,
  setItemTitle,
} from '../../shared/schema/board.ts';
import { createCommentMap } from '../../shared/schema/comment.ts';
import { openDotRound } from '../../shared/schema/dots.ts';
import { type Container, inspectUpdate, pathOf } from './inspect.ts';

const ROOTS = ['meta', 'items', 'sprints', 'session', 'estimation'];
const DEPTH = 3;

type Op =
  | { kind: 'add'; title: string }
  | { kind: 'move'; pick: number; to: number }
  | { kind: 'title'; pick: number; text: string }
  | { kind: 'archive'; pick: number }
  | { kind: 'estimate'; pick: number; value: string | null }
  | { kind: 'label'; pick: number; label: string; on: boolean }
  | { kind: 'comment'; pick: number; text: string }
  | { kind: 'editComment'; pick: number; text: string }
  | { kind: 'deleteComment'; pick: number }
  | { kind: 'dot'; pick: number; n: number }
  | { kind: 'undot'; pick: number }
  | { kind: 'session'; value: string }
  | { kind: 'addAndRemove'; title: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), title: fc.string({ maxLength: 6 }) }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('title' as const), pick: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('archive' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('estimate' as const), pick: fc.nat(), value: fc.option(fc.constantFrom('1', '3', '8')) }),
  fc.record({ kind: fc.constant('label' as const), pick: fc.nat(), label: fc.constantFrom('a', 'b'), on: fc.boolean() }),
  fc.record({ kind: fc.constant('comment' as const), pick: fc.nat(), text: fc.string({ maxLength: 5 }) }),
  fc.record({ kind: fc.constant('editComment' as const), pick: fc.nat(), text: fc.string({ maxLength: 5 }) }),
  fc.record({ kind: fc.constant('deleteComment' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('dot' as const), pick: fc.nat(), n: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('undot' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('session' as const), value: fc.constantFrom('refinement', 'planning') }),
  fc.record({ kind: fc.constant('addAndRemove' as const), title: fc.string({ maxLength: 4 }) }),
);

const user = 'peerUser0001' as UserId;

function apply(doc: Y.Doc, op: Op): void {
  const ids = rankedActiveEntries(doc).map((e) => e.id as ItemId);
  const pick = (n: number) => ids[n % Math.max(1, ids.length)];
  const id = 'pick' in op ? pick(op.pick) : undefined;
  const item = id ? getItemMap(doc, id) : null;
  switch (op.kind) {
    case 'add':
      addItem(doc, { title: op.title, createdBy: user });
      return;
    case 'move':
      if (id) moveItem(doc, id, { index: op.to % (ids.length + 1) });
      return;
    case 'title':
      if (id) setItemTitle(doc, id, op.text);
      return;
    case 'archive':
      if (id) archiveItem(doc, id);
      return;
    case 'estimate':
      if (id) setItemEstimate(doc, id, op.value);
      return;
    case 'label':
      if (id) setItemLabel(doc, id, op.label, op.on);
      return;
    case 'comment':
      item?.get('comments')?.push([
        createCommentMap({ id: 'c' as never, text: op.text, authorId: user, authorName: 'p', createdAt: 1 }) as unknown as Y.Map<unknown>,
      ]);
      return;
    case 'editComment': {
      const c = item?.get('comments')?.get(0);
      if (c instanceof Y.Map) c.set('text', op.text);
      return;
    }
    case 'deleteComment': {
      const arr = item?.get('comments');
      if (arr && arr.length > 0) arr.delete(0, 1);
      return;
    }
    case 'dot':
      item?.get('dots')?.set(user, op.n);
      return;
    case 'undot':
      item?.get('dots')?.delete(user);
      return;
    case 'session':
      doc.getMap('session').set('phase', op.value);
      return;
    case 'addAndRemove':
      doc.transact(() => {
        const fresh = addItem(doc, { title: op.title, createdBy: user });
        setItemTitle(doc, fresh, `${op.title}!`);
        doc.getMap('items').delete(fresh);
      });
      return;
  }
}

const key = (path: readonly (string | number)[]) =>
  path
    .slice(0, DEPTH)
    .map((p) => (typeof p === 'number' ? '#' : p))
    .join('/');

/** Paths the update really changes, from the events it fires on a copy of `server`. */
function actualPaths(server: Y.Doc, update: Uint8Array): Set<string> {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
  const out = new Set<string>();
  for (const root of ROOTS) {
    copy.getMap(root).observeDeep((events) => {
      for (const ev of events) {
        const base = [root, ...ev.path];
        if (ev instanceof Y.YMapEvent) for (const k of ev.keysChanged) out.add(key([...base, k]));
        else out.add(key(base));
      }
    });
  }
  Y.applyUpdate(copy, update);
  return out;
}

function predictedPaths(server: Y.Doc, update: Uint8Array): Set<string> {
  const inspection = inspectUpdate(server, update);
  if (!inspection.ok) throw new Error(`inspection failed: ${inspection.reason}`);
  const out = new Set<string>();
  const norm = (c: Container, k: string | null) => [...pathOf(c), ...(k === null ? [] : [k])].map((p) => (p.startsWith('[') ? '#' : p));
  for (const ch of inspection.changes) {
    const full = norm(ch.container, ch.key);
    // A change deep inside also "changes" each shorter prefix as far as events go.
    for (let d = 1; d <= Math.min(DEPTH, full.length); d++) out.add(full.slice(0, d).join('/'));
  }
  return out;
}

describe('update inspector', () => {
  it('predicts every path an update really changes, for random concurrent peers', () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
    console.log(`inspect property seed: ${seed}`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), opArb, fc.boolean()), { minLength: 1, maxLength: 40 }),
        (script) => {
          const server = new Y.Doc();
          initBoard(server, { title: 'p', createdAt: 1 });
          openDotRound(server, { budget: 3 });
          addItem(server, { title: 'seed', createdBy: user });
          const peers = [0, 1, 2].map(() => {
            const d = new Y.Doc();
            Y.applyUpdate(d, Y.encodeStateAsUpdate(server));
            return { doc: d, outbox: [] as Uint8Array[] };
          });
          for (const p of peers) p.doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && p.outbox.push(u));
          for (const [who, op, deliver] of script) {
            const peer = peers[who]!;
            apply(peer.doc, op);
            if (!deliver) continue;
            // Deliver this peer's pending updates to the server, checking each one.
            for (const update of peer.outbox.splice(0)) {
              const predicted = predictedPaths(server, update);
              const actual = actualPaths(server, update);
              for (const path of actual) expect(predicted, `missed ${path}`).toContain(path);
              Y.applyUpdate(server, update);
            }
            // The peer catches up with everything the server has (others' edits included).
            Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(peer.doc)), 'sync');
          }
        },
      ),
      { seed, numRuns: 60 },
    );
  });
});
