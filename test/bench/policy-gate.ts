/**
 * How long the policy gate takes per typical update on a 2,000-item board.
 * Run: npx tsx test/bench/policy-gate.ts
 * Updates are made first (on a client doc synced from the board), then only the
 * gate's check is timed, since that is what the server adds to every update.
 */
import * as Y from 'yjs';
import type { BoardId, ItemId, UserId } from '../../shared/ids.ts';
import { addItem, appendItems, initBoard, moveItem, rankedActiveEntries, setItemTitle } from '../../shared/schema/board.ts';
import { changeMyDots, openDotRound } from '../../shared/schema/dots.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
import type { AuthUser } from '../../server/extensions.ts';

const ITEMS = 2000;
const RUNS = 2000;
const user: AuthUser = { boardId: 'bench' as BoardId, userId: 'benchUser001' as UserId, role: 'dev', name: 'Bench' };

const server = new Y.Doc();
initBoard(server, { title: 'Bench', createdAt: 1 });
appendItems(
  server,
  Array.from({ length: ITEMS }, (_, i) => ({ title: `Item ${i}`, createdBy: user.userId, description: 'Some text' })),
);
openDotRound(server, { budget: 3 });
const ids: ItemId[] = rankedActiveEntries(server).map((e) => e.id as ItemId);
const gate = new PolicyGate();

function makeUpdates(fn: (doc: Y.Doc, i: number) => void): Uint8Array[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < RUNS; i++) fn(doc, i);
  return out;
}

const pick = (i: number): ItemId => ids[(i * 7919) % ids.length]!;
const cases: Record<string, Uint8Array[]> = {
  'add item (top)': makeUpdates((d, i) => addItem(d, { title: `New ${i}`, createdBy: user.userId, placement: 'top' })),
  'move item': makeUpdates((d, i) => moveItem(d, pick(i), { index: (i * 31) % ITEMS })),
  'title keystroke': makeUpdates((d, i) => {
    // Spread over items: one title past LIMITS.maxTitleLength would be refused [POL-17].
    const id = pick(i);
    const t = d.getMap('items').get(id) as Y.Map<Y.Text>;
    t.get('title')!.insert(t.get('title')!.length, String.fromCharCode(97 + (i % 26)));
  }),
  'rename (replace title)': makeUpdates((d, i) => setItemTitle(d, pick(i), `Renamed ${i}`)),
  'add comment': makeUpdates((d, i) =>
    addComment(d, pick(i), { userId: user.userId, role: 'dev', name: 'Bench' }, `comment ${i}`),
  ),
  'place + remove a dot (budget scan)': makeUpdates((d, i) =>
    changeMyDots(d, pick(i - (i % 2)), user.userId, i % 2 === 0 ? 1 : -1),
  ),
};

console.log(`policy gate on a ${ITEMS}-item board, ${RUNS} updates per case (µs per check)`);
for (const [name, updates] of Object.entries(cases)) {
  // Check each update against the board it was made for: apply accepted ones in order.
  const board = new Y.Doc();
  Y.applyUpdate(board, Y.encodeStateAsUpdate(server));
  const times: number[] = [];
  const applyTimes: number[] = [];
  let refused = 0;
  for (const update of updates) {
    const t0 = process.hrtime.bigint();
    const verdict = gate.check({ doc: board, user, update });
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    if (!verdict.ok) refused++;
    const t1 = process.hrtime.bigint();
    Y.applyUpdate(board, update);
    applyTimes.push(Number(process.hrtime.bigint() - t1) / 1000);
  }
  applyTimes.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  const mean = (times.reduce((a, b) => a + b, 0) / times.length).toFixed(1);
  console.log(
    `${name.padEnd(36)} n=${updates.length}  mean ${mean}  p50 ${q(0.5)}  p95 ${q(0.95)}  p99 ${q(0.99)}  (Y.applyUpdate p50 ${applyTimes[Math.floor(applyTimes.length / 2)]!.toFixed(1)})${refused ? `  refused ${refused}` : ''}`,
  );
}

// A hostile update: a new item whose unknown key holds a chain of nested maps. Refused
// [POL-16]; what matters is that the check costs time linear in the update's size (before
// the shape check it walked every struct to the root, so its cost grew with depth squared).
console.log('\nnested-map chain under a new item (refused), µs per check incl. decoding');
for (const depth of [10, 1_000, 20_000]) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  const sv = Y.encodeStateVector(doc);
  doc.transact(() => {
    const id = addItem(doc, { title: 'poison', createdBy: user.userId });
    let m = doc.getMap('items').get(id) as Y.Map<unknown>;
    for (let i = 0; i < depth; i++) {
      const next = new Y.Map<unknown>();
      m.set('x', next);
      m = next;
    }
  });
  const update = Y.encodeStateAsUpdate(doc, sv);
  const runs = depth > 5_000 ? 20 : 200;
  const times: number[] = [];
  let verdict = '';
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const v = gate.check({ doc: server, user, update });
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    verdict = v.ok ? 'accepted' : `refused ${v.rule}`;
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(0);
  console.log(`depth ${String(depth).padEnd(8)} ${String(update.length).padStart(7)} bytes  p50 ${q(0.5)}  p99 ${q(0.99)}  ${verdict}`);
}
