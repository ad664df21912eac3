/**
 * What a 10,000-row import costs, and what another board sees meanwhile [XFER-7].
 * A real server in this process (SQLite; `monitorEventLoopDelay` shows its event loop's
 * longest block); board A gets a 10,000-row Jira CSV
 * (descriptions in wiki markup, repeated Labels, story points, acceptance criteria);
 * on board B one client edits a title every 20 ms and another measures, for each edit, the
 * time until the server relays it (an edit superseded by a later one counts as relayed
 * when the later one arrives). The numbers: rows/s of the import (request to answer), the
 * longest relay delay on board B while A's import runs, and the longest event-loop block
 * (wall time, and the CPU time the process spent in it: all threads, so the update-merge and
 * SQLite threads' work running meanwhile counts too).
 * Run: npx tsx test/bench/import-cost.ts [rows] [--no-criteria]
 */
import os from 'node:os';
import type * as Y from 'yjs';
import { apiPaths } from '../../shared/api.ts';
import type { ItemId } from '../../shared/ids.ts';
import { addItem, getItem, setItemTitle } from '../../shared/schema/board.ts';
import { connectSynced, setupBoard, startTestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const ROWS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10_000);
/** `--no-criteria`: leave the acceptance-criteria column out (the code before issue 12's criteria wrote none). */
const CRITERIA = !process.argv.includes('--no-criteria');
const PING_MS = 20;

function jiraCsv(rows: number): string {
  const lines = [`Issue key,Summary,Issue Type,Status,Labels,Labels,Custom field (Story Points),Description${CRITERIA ? ',Custom field (Acceptance Criteria)' : ''}`];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `LOAD-${i},Item number ${i} of the big import,Story,To Do,load,batch-${i % 20},${(i % 8) + 1},"h2. Goal\n* *fast* path ${i}\n{code}x=${i}{code}"${CRITERIA ? `,"* works for ${i}\n* fails cleanly"` : ''}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

const srv = await startTestServer({ config: { idleUnloadMs: 600_000 } });
/**
 * The event loop's longest block during a run, in wall time and in the CPU time the
 * process spent meanwhile (on a busy machine the wall time stretches; the CPU time less).
 */
function blockWatch() {
  let last = { wall: performance.now(), cpu: cpuMs() };
  let worst = { wall: 0, cpu: 0 };
  const timer = setInterval(() => {
    const now = { wall: performance.now(), cpu: cpuMs() };
    if (now.wall - last.wall > worst.wall) worst = { wall: now.wall - last.wall, cpu: now.cpu - last.cpu };
    last = now;
  }, 5);
  return () => {
    clearInterval(timer);
    return worst;
  };
}
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
try {
  const a = await setupBoard(srv.baseUrl, 'Import target');
  const b = await setupBoard(srv.baseUrl, 'Other board');
  const writer = await connectSynced(srv.wsUrl, b.boardId, b.people.po.token);
  const reader = await connectSynced(srv.wsUrl, b.boardId, b.people.dev.token);
  const itemId = addItem(writer.doc, { title: 'ping 0', createdBy: b.people.po.userId as never }) as ItemId;
  await waitFor(() => getItem(reader.doc, itemId));

  // Each edit carries its send time; the reader notes how long the relay took.
  const delays: { sentAt: number; delay: number }[] = [];
  const sent = new Map<number, number>();
  let seq = 0;
  reader.doc.on('update', (_u: Uint8Array, _o: unknown, doc: Y.Doc) => {
    const m = /^ping (\d+)$/.exec(getItem(doc, itemId)?.title ?? '');
    if (!m) return;
    const now = performance.now();
    for (const [n, at] of sent) {
      if (n > Number(m[1])) continue;
      delays.push({ sentAt: at, delay: now - at });
      sent.delete(n);
    }
  });
  const ticker = setInterval(() => {
    seq++;
    sent.set(seq, performance.now());
    setItemTitle(writer.doc, itemId, `ping ${seq}`);
  }, PING_MS);

  const body = jiraCsv(ROWS);
  await new Promise((r) => setTimeout(r, 1500));
  const post = (query: string) =>
    fetch(`${srv.baseUrl}${apiPaths.boardImport(a.boardId)}${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.people.po.token}`, 'content-type': 'text/csv' },
      body,
    });
  const runs: { name: string; ms: number; from: number; to: number; answer: Record<string, unknown>; block: { wall: number; cpu: number } }[] = [];
  for (const [name, query] of [
    ['dry run', '?dryRun=1'],
    ['import', ''],
  ] as const) {
    const stop = blockWatch();
    const from = performance.now();
    const res = await post(query);
    const answer = (await res.json()) as Record<string, unknown>;
    const to = performance.now();
    runs.push({ name, ms: to - from, from, to, answer, block: stop() });
    await new Promise((r) => setTimeout(r, 1000));
  }
  clearInterval(ticker);
  await new Promise((r) => setTimeout(r, 300));

  const quiet = delays.filter((d) => d.sentAt < runs[0]!.from).map((d) => d.delay).sort((x, y) => x - y);
  console.log(`load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`file: ${ROWS} rows, ${(Buffer.byteLength(body) / 1024 / 1024).toFixed(1)} MiB (Jira CSV)`);
  console.log(`board B before the import: median relay ${quiet[Math.floor(quiet.length / 2)]?.toFixed(0)} ms, max ${quiet.at(-1)?.toFixed(0)} ms (${quiet.length} edits)`);
  for (const run of runs) {
    const during = delays.filter((d) => d.sentAt + d.delay >= run.from && d.sentAt <= run.to).map((d) => d.delay).sort((x, y) => x - y);
    const lost = [...sent.values()].filter((t) => t >= run.from && t <= run.to).length;
    console.log(
      `${run.name}: ${run.ms.toFixed(0)} ms, ${Math.round(ROWS / (run.ms / 1000))} rows/s (imported ${run.answer.imported}, errors ${(run.answer.errors as unknown[]).length}); ` +
        `board B meanwhile: ${during.length} edits relayed, longest relay ${during.at(-1)?.toFixed(0)} ms, median ${during[Math.floor(during.length / 2)]?.toFixed(0)} ms${lost ? `, ${lost} not relayed` : ''}; ` +
        `longest event-loop block ${run.block.wall.toFixed(0)} ms (${run.block.cpu.toFixed(0)} ms CPU)`,
    );
  }
  writer.destroy();
  reader.destroy();
} finally {
  await srv.stop();
}

// ---- Where the time goes, without the server (CPU time, so a busy machine distorts it less).
{
  const { parseImport } = await import('../../shared/transfer/parseImport.ts');
  const { applyImport, buildImport, importSteps, planImport } = await import('../../server/transfer/writeImport.ts');
  const { initBoard } = await import('../../shared/schema/board.ts');
  const { DEFAULT_DECK } = await import('../../shared/schema/meta.ts');
  const Yjs = await import('yjs');
  const cpu = cpuMs;
  const bytes = new TextEncoder().encode(jiraCsv(ROWS));
  const phase = async <T>(fn: () => Promise<T> | T) => {
    const c0 = cpu();
    const t0 = performance.now();
    const value = await fn();
    return { value, cpu: cpu() - c0, wall: performance.now() - t0 };
  };
  let pauses = 0;
  const pause = () => new Promise<void>((r) => setImmediate(r)).then(() => void pauses++);
  const parsed = await phase(() => parseImport(bytes, { deck: DEFAULT_DECK, pause }));
  const parsePauses = pauses;
  const fresh = () => {
    const d = new Yjs.Doc();
    initBoard(d, { title: 'x', createdAt: 0 });
    return d;
  };
  const doc = fresh();
  const options = { by: 'u1' as never, now: 0, update: false, position: 'bottom' as const, fields: parsed.value.fields };
  const plan = await phase(() => planImport(doc, parsed.value.records, false));
  pauses = 0;
  const built = await phase(() => buildImport(doc, plan.value, options, { pause }));
  const buildPauses = pauses;
  // What the server's change does now: the import in steps, one transaction each (Room.changeInSteps).
  const stepCpu: number[] = [];
  const parts: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => parts.push(u));
  const stepped = importSteps(parsed.value.records, options, built.value);
  const apply = await phase(async () => {
    for (const step of stepped.steps(doc)) {
      const c0 = cpu();
      doc.transact(() => step(doc));
      stepCpu.push(cpu() - c0);
      await pause();
    }
  });
  // The steps' updates become the one stored and relayed update on the server's merge thread.
  const merge = await phase(() => Yjs.mergeUpdates(parts));
  // The old way: plan and build inside the one transaction (what the change did before).
  const old = fresh();
  const oneBlock = await phase(() => old.transact(() => applyImport(old, parsed.value.records, options)));
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(`\nwhere the time goes (${ROWS} rows, CPU time; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores):`);
  console.log(`  parse + validate: ${ms(parsed.cpu)} CPU in ${parsePauses + 1} slices (~${ms(parsed.cpu / (parsePauses + 1))} each)`);
  console.log(`  plan (keys, ids): ${ms(plan.cpu)} CPU, one block`);
  console.log(`  build item maps and ranks: ${ms(built.cpu)} CPU in ${buildPauses + 1} slices (~${ms(built.cpu / (buildPauses + 1))} each)`);
  console.log(
    `  apply in ${stepCpu.length} steps: ${ms(apply.cpu)} CPU, longest step ${ms(Math.max(...stepCpu))}  ← the longest stall the import itself causes (plus the history's share of each step in the room)`,
  );
  console.log(`  merge the steps into one update (${(merge.value.length / 1024 / 1024).toFixed(1)} MiB): ${ms(merge.cpu)} CPU, on the server's merge thread`);
  console.log(`  before (plan + build + apply in one change): ${ms(oneBlock.cpu)} CPU, one block`);
}
