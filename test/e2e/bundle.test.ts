/**
 * The board's first screen loads only what it shows (issue 16, the returning member): the
 * planning view, the item panel, the import and summary dialogs and the QR encoder are
 * chunks of their own, fetched when first opened (or when the page is idle), and axe-core
 * never ships. Reads the built client (`npx vite build`), the scripts index.html loads and
 * their source maps.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(process.env.CLIENT_DIR ?? path.join(import.meta.dirname, '../../dist/client'));
const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
/** The scripts the page loads before anything renders: the entry and its module preloads. */
const firstScripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
const sourcesOf = (file: string): string[] => JSON.parse(readFileSync(path.join(dir, `${file}.map`), 'utf8')).sources;
const entry = readFileSync(path.join(dir, firstScripts[0] ?? 'index.html'), 'utf8');

const LEFT_OUT = [
  'client/planning/PlanningView.tsx',
  'client/refinement/ItemDetailPanel.tsx',
  'client/refinement/CommentsThread.tsx',
  'client/transfer/ImportDialog.tsx',
  'client/transfer/SummaryView.tsx',
  'node_modules/qrcode/',
  'node_modules/axe-core/',
];

describe('the first screen’s scripts (issue 16)', () => {
  it('leave out the views a returning member does not see first', () => {
    expect(firstScripts.length).toBeGreaterThan(0);
    const sources = firstScripts.flatMap(sourcesOf);
    expect(sources.some((s) => s.includes('client/board/Backlog.tsx'))).toBe(true);
    for (const part of LEFT_OUT) expect(sources.filter((s) => s.includes(part)), part).toEqual([]);
  });

  it('name a chunk for each part left out, all from this origin', () => {
    // The entry's preload list names each chunk ("assets/PlanningView-<hash>.js").
    const named = [...entry.matchAll(/"assets\/([\w]+)-[\w-]+\.js"/g)].map((m) => m[1]);
    expect(named).toEqual(expect.arrayContaining(['PlanningView', 'ItemDetailPanel', 'ImportDialog', 'SummaryView', 'QrCode']));
    // Only relative or /assets/ module specifiers: the CSP's script-src 'self' covers them.
    expect(/import\(\s*["'`]https?:/.test(entry)).toBe(false);
  });

  it('stay within 600 kB (694 kB as one chunk before the split)', () => {
    const bytes = firstScripts.reduce((n, f) => n + readFileSync(path.join(dir, f)).length, 0);
    expect(bytes).toBeLessThan(600_000);
  });
});
