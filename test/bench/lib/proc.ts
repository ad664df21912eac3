/** Reads a process's CPU time and memory from /proc (Linux), for server-side figures. */
import { readdirSync, readFileSync } from 'node:fs';

/** Ticks per second of utime/stime; 100 on every Linux this runs on (getconf CLK_TCK). */
const CLK_TCK = 100;

/** User + system CPU time of `pid` so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLK_TCK;
}

export interface Mem {
  /** Resident set size now, in KiB. */
  rssKb: number;
  /** Peak resident set size since the process started, in KiB. */
  hwmKb: number;
}

export function memory(pid: number): Mem {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/** CPU time of `pid`'s event-loop thread and of its other threads (V8 helpers, libuv pool...), in microseconds. */
export function cpuByThread(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Node names most of its threads "node"; the event loop is the thread whose id is the pid.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = tid === String(pid) ? 'event loop' : `other ${comm}`;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLK_TCK;
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
