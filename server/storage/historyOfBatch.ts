/** Pairs each appended update with its history time (HIS-7); updates with no time are not recorded. */
import type { HistoryOfBatch } from './types.ts';

export function timedUpdates(updates: readonly Uint8Array[], history: HistoryOfBatch): { at: number; data: Uint8Array }[] {
  if (history.ats.length !== updates.length) throw new Error('history of a batch must give one time (or null) per update');
  const out: { at: number; data: Uint8Array }[] = [];
  for (let i = 0; i < updates.length; i++) {
    const at = history.ats[i];
    if (at !== null && at !== undefined) out.push({ at, data: updates[i]! });
  }
  return out;
}
