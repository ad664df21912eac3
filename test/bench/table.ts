/**
 * The comparison table: every server side by side, each figure also as "× floor", the
 * project's ratio to each peer, the target and whether it holds.
 */

import { ALL_KINDS, DURABLE, LABELS, type ServerKind } from './lib/servers.ts';
import type { BenchResults } from './run.ts';
import type { Sizes, WriteResult } from './scenarios.ts';

/** A target on the project's ratio to a peer: the reference, or the best (lowest) durable peer. */
interface Target {
  vs: 'reference' | 'best durable peer';
  max: number;
}

export interface Row {
  metric: string;
  values: Partial<Record<ServerKind, number | string | null>>;
  /** The project's figure over each peer's (numbers only). */
  ratios: Partial<Record<ServerKind, number | null>>;
  target: string;
  /** true/false when a target applies and its figures exist; null otherwise. */
  holds: boolean | null;
}

const MB = 1024;
const PEERS: readonly ServerKind[] = ALL_KINDS.filter((k) => k !== 'project');
const DURABLE_PEERS: readonly ServerKind[] = PEERS.filter((k) => DURABLE.has(k));
const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

type Per<T> = Partial<Record<ServerKind, T>> | undefined;

/** A numeric row: `pick` reads the figure from each server's result. */
function numRow<T>(
  metric: string,
  res: Per<T>,
  pick: (r: T) => number | undefined,
  targets: Target[] = [],
  digits = 1,
): Row {
  const values: Row['values'] = {};
  const raw: Partial<Record<ServerKind, number>> = {};
  for (const k of ALL_KINDS) {
    const r = res?.[k];
    const v = r === undefined ? undefined : pick(r);
    if (v !== undefined && Number.isFinite(v)) {
      raw[k] = v;
      values[k] = round(v, digits);
    }
  }
  const ratios: Row['ratios'] = {};
  const p = raw.project;
  for (const k of PEERS) {
    const v = raw[k];
    ratios[k] = p !== undefined && v !== undefined && v > 0 ? round(p / v, 2) : null;
  }
  let holds: boolean | null = null;
  for (const t of targets) {
    const peers = t.vs === 'reference' ? ['reference' as const] : DURABLE_PEERS;
    const peerValues = peers.map((k) => raw[k]).filter((v): v is number => v !== undefined && v > 0);
    if (p === undefined || peerValues.length === 0) continue;
    const ok = p / Math.min(...peerValues) <= t.max;
    holds = (holds ?? true) && ok;
  }
  return { metric, values, ratios, target: targets.map((t) => `≤ ${t.max}× ${t.vs}`).join(', '), holds };
}

function textRow(metric: string, values: Row['values'], target = '', holds: boolean | null = null): Row {
  return { metric, values, ratios: {}, target, holds };
}

/** µs per delivered op that one named thread used (the storage threads name themselves: threadName.mjs). */
function threadCpuPerDelivery(r: WriteResult, thread: string): number | undefined {
  const ms = r.serverThreadsCpuMs[thread];
  return ms === undefined ? undefined : (ms * 1000) / Math.max(1, r.expectedDeliveries);
}

const converged = (w: WriteResult) => (w.converged ? 'yes' : `FAILED (${w.missing} lost, ${w.divergentBoards} divergent)`);

function writeRows(key: string, label: string, res: Per<WriteResult>): Row[] {
  if (!res) return [];
  const cpuTargets: Target[] = [
    { vs: 'best durable peer', max: 0.8 },
    { vs: 'reference', max: 1.5 },
  ];
  const rows: Row[] = [
    numRow(`${key} ${label}: fan-out p50 ms`, res, (r) => r.latencyMs.p50),
    numRow(`${key} fan-out p95 ms`, res, (r) => r.latencyMs.p95),
    numRow(`${key} fan-out p99 ms`, res, (r) => r.latencyMs.p99, [{ vs: 'reference', max: 1.0 }]),
    numRow(`${key} server CPU µs per delivered op`, res, (r) => r.cpuPerDeliveryUs, cpuTargets),
    // Where that CPU ran: the event loop, and (the project only) its SQLite storage thread.
    numRow(`${key} … of it on the event loop`, res, (r) => threadCpuPerDelivery(r, 'event loop')),
    numRow(`${key} … of it on the storage thread`, res, (r) => threadCpuPerDelivery(r, 'other sqlite-store')),
    numRow(`${key} ops delivered to clients / s`, res, (r) => r.deliveriesPerSec, [], 0),
    numRow(`${key} peak RSS MB`, res, (r) => r.peakRssKb / MB, [{ vs: 'reference', max: 1.2 }]),
    numRow(`${key} load generator CPU % of its core`, res, (r) => r.loadGenCpuPercent, [], 0),
  ];
  if (key === '(b)') rows.push(numRow(`${key} RSS per connected board KB`, res, (r) => r.rssPerBoardKb, [], 0));
  if (key === '(c)') rows.push(numRow(`${key} burst until converged s`, res, (r) => r.windowMs / 1000, [], 2));
  const values: Row['values'] = {};
  for (const k of ALL_KINDS) if (res[k]) values[k] = converged(res[k]!);
  const p = res.project;
  rows.push(textRow(`${key} converged, nothing lost`, values, 'yes', p ? p.converged : null));
  return rows;
}

export function buildRows(res: BenchResults, sizes: Sizes, kinds: readonly ServerKind[] = ALL_KINDS): Row[] {
  const rows: Row[] = [
    ...writeRows('(a)', `1 board × ${sizes.oneBoardClients}`, res.a),
    ...writeRows('(b)', `${sizes.manyBoards} boards × ${sizes.clientsPerBoard}`, res.b),
    ...writeRows('(c)', `burst ${sizes.burstClients} × ${sizes.burstOps}`, res.c),
  ];
  if (res.d) {
    const d = res.d;
    rows.push(
      numRow(`(d) join ${sizes.joinItems}-item board: p50 ms`, d, (r) => r.joinMs.p50, [{ vs: 'reference', max: 0.5 }]),
      numRow('(d) join p99 ms', d, (r) => r.joinMs.p99, [{ vs: 'reference', max: 0.5 }]),
      numRow('(d) join, socket open p50 ms', d, (r) => r.socketOpenMs.p50),
      numRow('(d) join, server step 2 arrived p50 ms', d, (r) => r.step2Ms.p50, [{ vs: 'reference', max: 0.2 }]),
      numRow('(d) join, server step 2 arrived p99 ms', d, (r) => r.step2Ms.p99, [{ vs: 'reference', max: 0.2 }]),
      numRow('(d) join → every item in the doc p50 ms', d, (r) => r.contentMs?.p50),
      numRow('(d) join after everyone left ms (unloaded, if it unloads)', d, (r) => r.coldJoinMs.p50),
      numRow('(d) … its step 2 arrived ms', d, (r) => r.coldStep2Ms.p50),
      numRow('(d) … every item in the doc ms', d, (r) => r.coldContentMs?.p50),
      numRow('(d) RSS with the board loaded MB', d, (r) => r.rssWithBoardKb / MB),
      numRow('(d) peak RSS MB', d, (r) => r.peakRssKb / MB, [{ vs: 'reference', max: 1.2 }]),
    );
    if (kinds.includes('floor')) rows.push(textRow('(d) floor: not run (it holds no document to give a joiner)', {}));
  }
  if (res.e) {
    const e = res.e;
    rows.push(
      numRow(`(e) ${sizes.idleSockets} idle sockets: RSS per socket KB`, e, (r) => r.rssPerSocketKb),
      numRow('(e) idle server CPU %', e, (r) => r.idleCpuPercent, [], 2),
      numRow('(e) peak RSS MB', e, (r) => r.peakRssKb / MB, [{ vs: 'reference', max: 1.2 }]),
      numRow('(e) sockets connected', e, (r) => r.connected, [], 0),
    );
  }
  for (const [key, per] of [
    ['(b)', res.b],
    ['(e)', res.e],
  ] as const) {
    if (!per) continue;
    const leave: Partial<Record<ServerKind, NonNullable<WriteResult['afterLeave']>>> = {};
    for (const k of ALL_KINDS) {
      const a = per[k]?.afterLeave;
      if (a) leave[k] = a;
    }
    const loaded = numRow(`${key} boards still loaded after all left`, leave, (l) => l.loadedBoards ?? undefined, [], 0);
    loaded.ratios = {};
    loaded.target = 'project 0';
    loaded.holds = leave.project ? leave.project.loadedBoards === 0 : null;
    rows.push(loaded, numRow(`${key} RSS after all left − before MB`, leave, (l) => l.rssDeltaKb / MB));
  }
  if (res.f) {
    const f = res.f;
    const count = (metric: string, pick: (r: NonNullable<typeof f.project>) => number | null, target = '', holds: boolean | null = null) => {
      const values: Row['values'] = {};
      for (const k of ALL_KINDS) if (f[k]) values[k] = pick(f[k]!);
      return textRow(metric, values, target, holds);
    };
    const p = f.project;
    rows.push(
      count(`(f) kill -9 mid-burst (${sizes.durabilityClients} × ${sizes.durabilityOps}): kills`, (r) => r.kills ?? 1),
      count('(f) kill: ms into the burst (mean)', (r) => (r.killedAfterMs === null ? null : round(r.killedAfterMs, 0))),
      count('(f) ops some other client had seen', (r) => r.opsSeen),
      count('(f) … of those, lost by the restarted server', (r) => r.opsLost, '0', p ? p.killed && p.opsLost === 0 : null),
      count('(f) structs seen (whole board, seed included)', (r) => r.structsSeen),
      count('(f) … of those, lost', (r) => r.structsLost, '0', p ? p.killed && p.structsLost === 0 : null),
      count('(f) restart → fresh client synced ms (mean)', (r) => round(r.restartMs, 0)),
    );
    const notKilled = ALL_KINDS.filter((k) => f[k] && !f[k]!.killed);
    if (notKilled.length) rows.push(textRow(`(f) a round NOT killed (no update arrived): ${notKilled.join(', ')}`, {}, '', false));
    const missing = kinds.filter((k) => DURABLE.has(k) && (f[k]?.kills ?? 0) < sizes.kills);
    if (missing.length) rows.push(textRow(`(f) rounds that failed: ${missing.join(', ')} (see the log)`, {}, '', false));
    const notDurable = kinds.filter((k) => !DURABLE.has(k));
    if (notDurable.length) rows.push(textRow(`(f) not run for ${notDurable.map((k) => LABELS[k]).join(', ')}: memory only`, {}));
  }
  const b = res.browser;
  const proj = (metric: string, v: number | string, target = '', holds: boolean | null = null) =>
    textRow(metric, { project: v }, target, holds);
  if (b && !('error' in b)) {
    rows.push(
      proj(`browser: first render, ${b.items} items (join click → painted) ms`, round(b.firstRenderMs, 0)),
      proj('browser: returning member, reload (offline cache) → painted ms', round(b.reloadRenderMs, 0), '≤ 150 ms', b.reloadRenderMs <= 150),
      proj('browser: returning member, reload → scripts run (DOMContentLoaded) ms', round(b.reloadScriptsMs ?? Number.NaN, 0)),
      proj('browser: returning member, reload → first card painted (live or not) ms', round(b.reloadFirstCardMs ?? Number.NaN, 0)),
      proj('browser: cards in the DOM', b.cardsInDom),
      proj(`browser: keyboard drag, ${b.dragSteps} steps: long frames (> 25 ms)`, b.longFrames),
      proj('browser: keyboard drag frame p50 ms', round(b.frameMs.p50, 1)),
      proj('browser: same page idle 2 s: frame p95 ms', round(b.idleFrameMs?.p95 ?? Number.NaN, 1)),
      proj(
        // One 60 Hz frame; an idle page's own p95 jitters up to ~16.8 ms, so that is the floor.
        'browser: keyboard drag frame p95 ms',
        round(b.frameMs.p95, 1),
        '≤ 16.7 ms (or ≤ idle)',
        // rAF timestamps have 0.1 ms resolution; compare at that, not at float noise (16.700000000000728).
        round(b.frameMs.p95, 1) <= Math.max(16.7, round(b.idleFrameMs?.p95 ?? 0, 1)),
      ),
      proj('browser: keyboard drag longest frame ms (the drop)', round(b.frameMs.max, 0)),
    );
  } else if (b) {
    rows.push(proj('browser', `error: ${b.error.split('\n')[0]!.slice(0, 80)}`, '', false));
  }
  return rows;
}

/** A figure, with "× floor" after it when the floor has the same figure. */
function cell(row: Row, k: ServerKind, withFloor: boolean): string {
  const v = row.values[k];
  if (v === undefined || v === null) return '—';
  const f = row.values.floor;
  if (withFloor && k !== 'floor' && typeof v === 'number' && typeof f === 'number' && f > 0 && Object.keys(row.ratios).length) {
    return `${v} (${round(v / f, 2)}×f)`;
  }
  return String(v);
}

export function formatTable(rows: Row[], kinds: readonly ServerKind[] = ALL_KINDS): string {
  const shown = ALL_KINDS.filter((k) => kinds.includes(k));
  const withFloor = shown.includes('floor');
  const ratioKinds = shown.filter((k) => k !== 'project' && k !== 'floor' && shown.includes('project'));
  const head = [
    'metric',
    ...shown.map((k) => (withFloor && k !== 'floor' ? `${LABELS[k]} (×floor)` : LABELS[k])),
    ...ratioKinds.map((k) => `project / ${LABELS[k]}`),
    'target (project)',
    'holds?',
  ];
  const cells = rows.map((r) => [
    r.metric,
    ...shown.map((k) => cell(r, k, withFloor)),
    ...ratioKinds.map((k) => (r.ratios[k] === null || r.ratios[k] === undefined ? '' : `${r.ratios[k]}×`)),
    r.target,
    r.holds === null ? '' : r.holds ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
