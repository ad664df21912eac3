import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { addItem, boardRoots, initBoard, listItems } from '../schema/board.ts';
import { escapeFormula, exportBoardCsv } from './csvExport.ts';
import { DEFAULT_DECK } from '../schema/meta.ts';
import { parseCsvImport } from './parseCsv.ts';
import { summarize } from './summary.ts';
import { summaryMarkdown } from './summaryMarkdown.ts';
import { jiraWikiToMarkdown } from './wiki.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/import/${name}`, import.meta.url)));
const parse = (bytes: Uint8Array, format: 'auto' | 'csv' = 'auto') => parseCsvImport(bytes, { deck: DEFAULT_DECK, format, pause: async () => {} });

describe('CSV import', () => {
  it('[XFER-3] Jira: BOM, repeated Labels, story points, wiki markup, sub-tasks skipped, unknown status warned, "abc" an error at its line', async () => {
    const r = await parse(fixture('jira-basic.csv'));
    expect(r.format).toBe('jira');
    expect(r.records).toHaveLength(1);
    const [pay] = r.records;
    expect(pay).toMatchObject({ row: 2, externalKey: 'SHOP-1', title: 'Pay by card', status: 'new', estimate: '5' });
    expect(pay!.labels).toEqual(['checkout', 'mobile', 'type:Story']);
    expect(pay!.description).toBe('## Goal\n- **fast** checkout\n```\nx=1\n```\nSee [docs](https://example.com)');
    expect(r.skipped).toBe(1);
    // The description spans file lines 2–5 but is one spreadsheet row (2): the sub-task is row 3, the broken row 4 [XFER-5].
    expect(r.warnings).toContainEqual({ row: 3, column: null, message: expect.stringMatching(/Sub-tasks/) });
    expect(r.warnings).toContainEqual({ row: 4, column: 'Status', message: expect.stringMatching(/Waiting for QA/) });
    expect(r.errors).toEqual([{ row: 4, column: 'Custom field (Story Points)', message: expect.stringMatching(/"abc" is not an estimate/) }]);
  });

  it('[XFER-4] generic CSV: ";" detected, doubled quotes, labels split on , and ;', async () => {
    const r = await parse(fixture('semicolon.csv'));
    expect(r.format).toBe('csv');
    expect(r.records.map((x) => [x.title, x.labels, x.estimate])).toEqual([
      ['A "quoted"', ['x', 'y'], '3'],
      ['B', [], null],
    ]);
  });

  it('[XFER-6] encodings: UTF-16 LE with BOM, Windows-1252 when not UTF-8 (warned)', async () => {
    const u16 = await parse(fixture('utf16le.csv'));
    expect(u16.records.map((x) => [x.title, x.labels])).toEqual([['Über straße', ['ä']]]);
    const cp = await parse(fixture('windows-1252.csv'));
    expect(cp.records[0]!.title).toBe('Café crème');
    expect(cp.warnings[0]!.message).toMatch(/Windows-1252/);
  });

  it('[XFER-4] broken rows: unclosed quote, too many cells, a 5,000-character title cut with a warning', async () => {
    const long = 'x'.repeat(5000);
    const text = `title,estimate\r\n${long},1\r\ntoo,many,cells\r\nok,2\r\n"open,3\r\nlost,4\r\n`;
    const r = await parse(new TextEncoder().encode(text));
    expect(r.records.map((x) => x.title.length)).toEqual([LIMITS.maxTitleLength, 2]);
    expect(r.warnings).toContainEqual({ row: 2, column: 'title', message: expect.stringMatching(/cut to 500/) });
    expect(r.errors.map((e) => e.row)).toEqual([3, 5]);
  });

  it('[XFER-4] a generic file without a title column is an error naming the columns for the mapping', async () => {
    const r = await parse(new TextEncoder().encode('Name of thing,Points\nA,3\n'));
    expect(r.errors[0]!.row).toBe(1);
    expect(r.columns).toEqual(['Name of thing', 'Points']);
    const mapped = await parseCsvImport(new TextEncoder().encode('Name of thing,Points\nA,3\n'), {
      deck: DEFAULT_DECK,
      mapping: { title: 'Name of thing', estimate: 'Points' },
    });
    expect(mapped.records.map((x) => [x.title, x.estimate])).toEqual([['A', '3']]);
  });

  it('[XFER-7] 10,000 rows parse with pauses in between', async () => {
    let text = 'title,description,estimate\n';
    for (let i = 0; i < 10_000; i++) text += `Item ${i},"line one\nline ""two""",3\n`;
    let pauses = 0;
    const started = performance.now();
    const r = await parseCsvImport(new TextEncoder().encode(text), { deck: DEFAULT_DECK, pause: async () => void pauses++ });
    const ms = performance.now() - started;
    expect(r.records).toHaveLength(10_000);
    expect(r.records[9_999]).toMatchObject({ row: 10_001, title: 'Item 9999', description: 'line one\nline "two"' });
    expect(pauses).toBeGreaterThanOrEqual(19);
    console.log(`[XFER-7] 10,000 rows parsed in ${ms.toFixed(0)} ms (${Math.round(10_000 / (ms / 1000))} rows/s)`);
  });
});

describe('acceptance criteria on import', () => {
  it('[XFER-3][XFER-4] Jira wiki lists, Azure HTML lists, generic [x] lines become criteria; Linear has no such column', async () => {
    const jira = await parse(new TextEncoder().encode('Issue key,Summary,Custom field (Acceptance Criteria)\nS-1,A,"# *Visa* works\n# Declined cards say why"\n'));
    expect(jira.records[0]!.criteria).toEqual([
      { text: '**Visa** works', done: false },
      { text: 'Declined cards say why', done: false },
    ]);
    const azure = await parse(
      new TextEncoder().encode('ID,Work Item Type,Title,Acceptance Criteria\n7,User Story,B,"<div><ul><li>Refund in 3 days</li><li>Mail &amp; SMS</li></ul></div>"\n'),
    );
    expect(azure.format).toBe('azure');
    expect(azure.records[0]!.criteria.map((c) => c.text)).toEqual(['Refund in 3 days', 'Mail & SMS']);
    const generic = await parse(new TextEncoder().encode('title,criteria\nC,"[x] one\n[ ] two"\n'));
    expect(generic.records[0]!.criteria).toEqual([
      { text: 'one', done: true },
      { text: 'two', done: false },
    ]);
  });
});

describe('Jira wiki markup', () => {
  it('[XFER-3] numbered lists, nested bullets, monospace and links', () => {
    expect(jiraWikiToMarkdown('# one\n## two\n** deep\nuse {{npm ci}} and [https://x.org]')).toBe(
      '1. one\n   1. two\n   - deep\nuse `npm ci` and <https://x.org>',
    );
  });
});

describe('refinement summary', () => {
  it('[XFER-9] lists the backlog in order and renders plain CommonMark tables', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'Shop', createdAt: 0 });
    addItem(doc, { title: 'Pay | card', createdBy: 'u1' as UserId, now: 1_000 });
    addItem(doc, { title: 'Ship', createdBy: 'u1' as UserId, now: Date.UTC(2026, 11, 1, 9) });
    const s = summarize(doc, { now: Date.UTC(2026, 11, 1, 12) });
    expect(s.items.map((i) => i.title)).toEqual(['Pay | card', 'Ship']);
    expect(s.changes.added.map((i) => i.title)).toEqual(['Ship']);
    const md = summaryMarkdown(s);
    expect(md).toContain('| 1 | Pay \\| card | New | — |  |');
    expect(md).toContain('# Shop — refinement summary');
  });
});

describe('CSV export', () => {
  it('[XFER-11] a cell starting with = + - @ is written with a leading quote; plain text is not', () => {
    expect(['=1+1', '+A', '-2', '@SUM(A1)', 'ok', ''].map(escapeFormula)).toEqual(["'=1+1", "'+A", "'-2", "'@SUM(A1)", 'ok', '']);
  });

  it('[XFER-10] BOM, CRLF rows, quoted multi-line cells; imports back with the same titles, descriptions, labels, estimates and order', async () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'Shop', createdAt: 0 });
    const by = 'u1' as UserId;
    const a = addItem(doc, { title: '=HYPERLINK("x")', description: 'Line one\nLine "two"', createdBy: by });
    addItem(doc, { title: 'Ship, fast', createdBy: by });
    addItem(doc, { title: '@home', description: '- a list', createdBy: by });
    const item = boardRoots(doc).items.get(a)!;
    item.set('estimate', '5');
    const labels = item.get('labels') as Y.Map<true>;
    labels.set('checkout', true);
    labels.set('mobile', true);
    const csv = exportBoardCsv(doc);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('"Line one\nLine ""two"""');
    expect(csv.split('\r\n')[0]).toBe('\uFEFF"Key","Title","Description","Status","Estimate","Labels","Acceptance Criteria"');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const back = await parse(new TextEncoder().encode(csv));
    expect(back.format).toBe('csv');
    expect(back.errors).toEqual([]);
    expect(back.records.map((r) => [r.title, r.description, r.labels, r.estimate])).toEqual(
      listItems(doc).map((i) => [i.title, i.description, [...i.labels], i.estimate]),
    );
  });
});
