/**
 * `npx tsx test/bench/profile-summary.ts [--detail] <dir or .cpuprofile files…>`
 *
 * Where a server's time goes, from `node --cpu-prof` profiles (`npm run bench --
 * --cpu-prof` writes one per thread under bench-results/profiles/<server>/). Each sample
 * is charged to the nearest frame of the project's own code on its stack (server/ or
 * shared/), so the Yjs, lib0 and ws work a module asks for counts as that module's; a
 * sample with no project frame on its stack is charged by its leaf (ws and node's socket
 * I/O, the garbage collector, idle). Prints, per profile (thread), the split by step and
 * the top functions by self time (`--detail`: also the top functions inside each step).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The steps of the update path, by the project module (and function) doing the work. */
function step(frame: CallFrame): string | null {
  const url = frame.url;
  const fn = frame.functionName;
  const m = /\/(server|shared)\/(.+)$/.exec(url);
  if (!m || url.includes('node_modules')) return null;
  const file = `${m[1]}/${m[2]}`;
  // Pass-through frames: an encode or a send is charged to whoever asked for it (relay,
  // awareness, sync answers), so keep walking up.
  if (file === 'shared/codec.ts') return fn.startsWith('decode') ? 'decode (frames)' : null;
  if (file === 'server/ws/connection.ts' && (fn === 'send' || fn === 'control')) return null;
  if (file.startsWith('server/policy/')) return 'policy gate';
  if (file === 'server/rooms/apply.ts') return 'apply (Y.applyUpdate)';
  if (/server\/rooms\/(admission|updates|clientIds)\.ts/.test(file)) return 'decode + admission checks (updates)';
  if (file === 'server/rooms/groupCommit.ts' || file.startsWith('server/storage/')) return 'storage hand-off';
  if (file === 'server/rooms/relay.ts' || file.startsWith('server/fanout/')) return 'relay encoding + send';
  if (file === 'server/rooms/awareness.ts') return 'awareness';
  if (/server\/rooms\/(syncAnswers|coldStart|storedState)\.ts/.test(file)) return 'sync answers (joins)';
  if (file === 'server/rooms/compaction.ts') return 'compaction';
  if (file.startsWith('server/history/')) return 'history recording';
  if (/server\/(api|http|auth)\//.test(file)) return 'REST (board creation, joins)';
  if (file.startsWith('server/ws/')) return 'socket handling (ws/connection, rate limit)';
  if (/server\/rooms\/(room|inbox)\.ts/.test(file)) return 'room coordination (inbox, room)';
  if (file.startsWith('shared/schema/') || file.startsWith('shared/policy/')) return 'policy gate';
  return `other project code (${file})`;
}

/** A sample with no project frame above it: what kind of work its leaf is. */
function leafKind(frame: CallFrame): string {
  const { url, functionName: fn } = frame;
  if (fn === '(garbage collector)') return 'garbage collector';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'native / unattributed (program)';
  if (url.includes('node:internal/modules') || url.includes('node_modules/tsx/') || fn === 'compileForInternalLoader')
    return 'startup (module loading)';
  if (url.includes('node_modules/ws/')) return 'ws: receive / frame parsing (no project frame)';
  if (url.includes('better-sqlite3') || fn === 'run' || fn === 'exec') return 'SQLite statements (incl. fsync)';
  if (url.includes('sqlite-worker') || url.includes('sqlite-compactor')) return 'storage worker (JS)';
  if (url.startsWith('node:') || url === '') return 'node internals (net, streams, timers, IPC)';
  if (url.includes('node_modules/')) return `library, no project frame (${url.split('node_modules/')[1]!.split('/')[0]})`;
  return 'other';
}

function summarise(file: string): void {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Charge of each node, cached: its own step if it is project code, else its parent's.
  const charge = new Map<number, string | null>();
  const chargeOf = (id: number): string | null => {
    if (charge.has(id)) return charge.get(id)!;
    const n = byId.get(id)!;
    const own = step(n.callFrame);
    const p = parent.get(id);
    const c = own ?? (p === undefined ? null : chargeOf(p));
    charge.set(id, c);
    return c;
  };

  const steps = new Map<string, number>();
  const self = new Map<string, number>();
  const perStep = new Map<string, Map<string, number>>();
  let total = 0;
  let busy = 0;
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000; // µs → ms
    const n = byId.get(id)!;
    const s = chargeOf(id) ?? leafKind(n.callFrame);
    steps.set(s, (steps.get(s) ?? 0) + dt);
    total += dt;
    if (s !== 'idle') busy += dt;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|server|shared)\//, '$1/')}:${f.lineNumber + 1}`;
    if (s !== 'idle') self.set(key, (self.get(key) ?? 0) + dt);
    const inStep = perStep.get(s) ?? new Map<string, number>();
    inStep.set(key, (inStep.get(key) ?? 0) + dt);
    perStep.set(s, inStep);
  });

  console.log(`\n## ${path.basename(path.dirname(file))}/${path.basename(file)}`);
  console.log(`profile ${(total / 1000).toFixed(1)} s, busy (not idle) ${(busy / 1000).toFixed(2)} s\n`);
  console.log('| step | ms | % of busy |\n|---|---|---|');
  for (const [s, ms] of [...steps].sort((a, b) => b[1] - a[1])) {
    if (s === 'idle') continue;
    console.log(`| ${s} | ${ms.toFixed(0)} | ${((ms / busy) * 100).toFixed(1)} |`);
  }
  if (detail) {
    for (const [s, fns] of [...perStep].sort((a, b) => (steps.get(b[0]) ?? 0) - (steps.get(a[0]) ?? 0))) {
      if (s === 'idle' || (steps.get(s) ?? 0) < busy * 0.02) continue;
      const top = [...fns].sort((a, b) => b[1] - a[1]).slice(0, 6);
      console.log(`\n${s}: ${top.map(([k, ms]) => `\`${k}\` ${ms.toFixed(0)}`).join(', ')}`);
    }
  }
  console.log(`\ntop functions by self time:\n\n| function | ms | % of busy |\n|---|---|---|`);
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`| \`${k}\` | ${ms.toFixed(0)} | ${((ms / busy) * 100).toFixed(1)} |`);
  }
}

const detail = process.argv.includes('--detail');
const inputs = process.argv.slice(2).filter((a) => a !== '--detail');
if (inputs.length === 0) {
  console.error('usage: npx tsx test/bench/profile-summary.ts <dir or .cpuprofile files…>');
  process.exit(2);
}
for (const input of inputs) {
  const files = statSync(input).isDirectory()
    ? readdirSync(input)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
        .map((f) => path.join(input, f))
    : [input];
  for (const f of files) summarise(f);
}
