/** Browser side of the bench (filled in once the client lands). */
import type { Summary } from './lib/stats.ts';

export interface BrowserResult {
  chromium: string;
  items: number;
  firstRenderMs: number;
  frameMs: Summary;
}

export async function browserBench(_quick: boolean): Promise<BrowserResult> {
  throw new Error('browser bench not built yet');
}
