import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.ts';
import type { ImportReport } from '../../shared/transfer/report.ts';
import {
  DEFAULT_IMPORT_OPTIONS,
  forecastSentence,
  formatBytes,
  importContentType,
  importUrl,
  interpretImportAnswer,
  resultSentence,
} from './importRequest.ts';

const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  format: 'jira',
  dryRun: true,
  imported: 0,
  updated: 0,
  skipped: 0,
  errors: [],
  warnings: [],
  items: [],
  ...over,
});

const query = (url: string) => new URL(url, 'http://x').searchParams;

describe('importUrl', () => {
  it('asks for a dry run of an auto-detected file with the defaults left out', () => {
    const url = importUrl('b1', DEFAULT_IMPORT_OPTIONS);
    expect(url).toBe('/api/boards/b1/import?dryRun=1');
  });

  it('sends every chosen option by the contract’s names', () => {
    const q = query(importUrl('b1', { format: 'csv', dryRun: false, partial: true, update: true, position: 'top', mapping: { title: 'Name', estimate: 'Points' } }));
    expect(q.get('format')).toBe('csv');
    expect(q.get('dryRun')).toBeNull();
    expect(q.get('partial')).toBe('1');
    expect(q.get('update')).toBe('1');
    expect(q.get('position')).toBe('top');
    expect(JSON.parse(q.get('mapping') ?? '')).toEqual({ title: 'Name', estimate: 'Points' });
  });

  it('leaves the mapping out when no field is mapped, and encodes odd header names', () => {
    expect(query(importUrl('b1', { ...DEFAULT_IMPORT_OPTIONS, mapping: { title: '' } })).get('mapping')).toBeNull();
    const q = query(importUrl('b1', { ...DEFAULT_IMPORT_OPTIONS, mapping: { title: 'Name & "title"; #1' } }));
    expect(JSON.parse(q.get('mapping') ?? '')).toEqual({ title: 'Name & "title"; #1' });
  });
});

describe('importContentType', () => {
  it('sends CSV and JSON as such, and anything else as bytes', () => {
    expect(importContentType({ name: 'Jira.csv', type: '' })).toBe('text/csv');
    expect(importContentType({ name: 'trello.json', type: '' })).toBe('application/json');
    expect(importContentType({ name: 'x', type: 'application/json' })).toBe('application/json');
    expect(importContentType({ name: 'backlog.xlsx', type: 'application/vnd.ms-excel' })).toBe('application/octet-stream');
  });
});

describe('interpretImportAnswer', () => {
  it('shows a 422 report like a 200 one (the same body, nothing written)', () => {
    const body = report({ errors: [{ row: 17, column: 'Story Points', message: 'not a number: "abc"' }] });
    const out = interpretImportAnswer(422, JSON.stringify(body), 100);
    expect(out).toEqual({ kind: 'report', status: 422, report: body });
  });

  it('says how large the file is and what the limit is on 413', () => {
    const out = interpretImportAnswer(413, JSON.stringify({ error: 'The import is too large.', code: 'import_too_large' }), 12 * 1024 * 1024);
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.message).toContain('The import is too large.');
    expect(out.message).toContain('12 MB');
    expect(out.message).toContain(formatBytes(LIMITS.maxImportBytes));
  });

  it('explains 400 (what was expected), 403 (who may import) and a lost connection', () => {
    const bad = interpretImportAnswer(400, JSON.stringify({ error: 'Not CSV or JSON: binary data', code: 'unreadable_import' }), 10);
    expect(bad.kind === 'failed' && bad.message).toMatch(/could not be read: Not CSV or JSON: binary data.*Expected a CSV export/);
    const denied = interpretImportAnswer(403, JSON.stringify({ error: 'forbidden', code: 'forbidden_role' }), 10);
    expect(denied.kind === 'failed' && denied.message).toMatch(/Product Owner or the Scrum Master/);
    const offline = interpretImportAnswer(0, '', 10);
    expect(offline.kind === 'failed' && offline.message).toMatch(/Could not reach the server/);
  });

  it('does not mistake an error body or non-JSON for a report', () => {
    expect(interpretImportAnswer(200, '<html>', 10).kind).toBe('failed');
    expect(interpretImportAnswer(500, JSON.stringify({ error: 'boom', code: 'internal' }), 10)).toEqual({ kind: 'failed', status: 500, message: 'boom' });
  });
});

describe('result and forecast lines', () => {
  it('says only the counts that happened', () => {
    expect(resultSentence({ imported: 42, updated: 0, skipped: 3 })).toBe('Imported 42, skipped 3.');
    expect(resultSentence({ imported: 0, updated: 2, skipped: 0 })).toBe('Imported 0, updated 2.');
  });

  it('asks to fix the file or import the good rows while there are errors and no partial import', () => {
    const r = report({ imported: 4, errors: [{ row: 3, column: null, message: 'x' }] });
    expect(forecastSentence(r, false)).toBe('1 problem found. Fix the file, or import only the good rows.');
    expect(forecastSentence({ ...r, skipped: 1 }, true)).toBe('4 items will be added, 1 skipped.');
  });

  it('[XFER-1][XFER-2] says where new items go and how many are updated', () => {
    expect(forecastSentence(report({ imported: 4, updated: 2 }), false, 'top')).toBe('4 items will be added at the top, 2 updated.');
    expect(forecastSentence(report({ imported: 1 }), false, 'bottom')).toBe('1 item will be added after the backlog.');
    expect(forecastSentence(report({ imported: 0, updated: 3 }), false, 'top')).toBe('0 items will be added, 3 updated.');
  });
});

describe('formatBytes', () => {
  it('reads like a person would say it', () => {
    expect(formatBytes(90)).toBe('90 bytes');
    expect(formatBytes(812 * 1024)).toBe('812 KB');
    expect(formatBytes(2.5 * 1024 * 1024)).toBe('2.5 MB');
    expect(formatBytes(8 * 1024 * 1024)).toBe('8 MB');
  });
});
