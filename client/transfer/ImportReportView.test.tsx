import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/transfer/report.ts';
import { ColumnMappingFields, IssueList, issueWhere, LISTED_ISSUES, PREVIEW_ROWS, PreviewTable, rowNoun } from './ImportReportView.tsx';

const report = (n: number): ImportReport => ({
  format: 'jira',
  dryRun: true,
  imported: n,
  updated: 0,
  skipped: 0,
  errors: [],
  warnings: [],
  items: Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    title: `Story ${i + 1}`,
    externalKey: `SHOP-${i + 1}`,
    estimate: i === 0 ? '5' : null,
    status: 'refining' as const,
    labels: i === 0 ? ['checkout', 'mobile'] : [],
  })),
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('PreviewTable', () => {
  it('shows the first rows as they will land: key, title, estimate, status, labels', () => {
    const html = renderToStaticMarkup(<PreviewTable report={report(3)} />);
    expect(text(html)).toContain('SHOP-1 Story 1 5 Refining checkout mobile');
    expect(html.match(/<tr>/g)).toHaveLength(4); // header + 3 rows
  });

  it('keeps to the first rows of a big file and says how many more there are', () => {
    const html = renderToStaticMarkup(<PreviewTable report={report(10_000)} />);
    expect(html.match(/<tr>/g)).toHaveLength(PREVIEW_ROWS + 1);
    expect(text(html)).toContain(`…and ${(10_000 - PREVIEW_ROWS).toLocaleString('en')} more.`);
  });

  it('[XFER-2] marks the rows that update an item already on the board', () => {
    const r = report(2);
    r.items[1] = { ...r.items[1]!, action: 'updated' };
    const html = renderToStaticMarkup(<PreviewTable report={r} />);
    expect(text(html)).toContain('SHOP-2 updates Story 2');
    expect(text(html)).not.toContain('SHOP-1 updates');
  });

  it('says so when nothing would be imported', () => {
    expect(text(renderToStaticMarkup(<PreviewTable report={report(0)} />))).toContain('No items would be imported');
  });
});

describe('IssueList', () => {
  it('names the row (as a spreadsheet numbers it) and the column of each problem', () => {
    const html = renderToStaticMarkup(
      <IssueList kind="error" issues={[{ row: 17, column: 'Story Points', message: 'not a number: abc' }, { row: 20, column: null, message: 'too many columns' }]} />,
    );
    expect(text(html)).toContain('2 problems');
    expect(text(html)).toContain('Row 17, Story Points: not a number: abc');
    expect(text(html)).toContain('Row 20: too many columns');
  });

  it('lists a bounded number and counts the rest', () => {
    const issues = Array.from({ length: LISTED_ISSUES + 7 }, (_, i) => ({ row: i + 2, column: 'Status', message: 'unknown status' }));
    const html = renderToStaticMarkup(<IssueList kind="warning" issues={issues} />);
    expect(html.match(/<li>/g)).toHaveLength(LISTED_ISSUES);
    expect(text(html)).toContain('…and 7 more.');
    expect(renderToStaticMarkup(<IssueList kind="warning" issues={[]} />)).toBe('');
  });

  it('issueWhere leaves the column out when the whole row is meant', () => {
    expect(issueWhere({ row: 3, column: null, message: '' })).toBe('Row 3');
    // JSON files count cards or items; row 0 is the file as a whole [XFER-5].
    expect(issueWhere({ row: 3, column: 'name', message: '' }, rowNoun('trello'))).toBe('Card 3, name');
    expect(issueWhere({ row: 0, column: 'sprints', message: '' }, rowNoun('json'))).toBe('File, sprints');
  });
});

describe('ColumnMappingFields', () => {
  it('offers every column of the file for each field, once, with the current choice selected', () => {
    const html = renderToStaticMarkup(
      <ColumnMappingFields columns={['Name', 'Body', 'Tags', 'Tags']} mapping={{ title: 'Name' }} onChange={() => {}} />,
    );
    expect(html.match(/<select/g)).toHaveLength(7);
    // React renders the chosen option of a controlled select as selected
    expect(html).toContain('<option value="Name" selected="">Name</option>');
    expect(html.match(/<option value="Tags"/g)).toHaveLength(7);
  });
});
