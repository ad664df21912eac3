/**
 * The CSV formats (Jira, Linear, Azure DevOps, generic, our own export): each is a list of
 * where its fields live, read by one function, so every format treats titles, limits,
 * labels, estimates and statuses alike (fields.ts).
 */
import type { Columns } from '../columns.ts';
import type { CsvRecord } from '../csvTable.ts';
import {
  criteriaFromText,
  descriptionField,
  estimateField,
  keyField,
  labelsField,
  statusField,
  titleField,
  unescapeFormula,
} from '../fields.ts';
import { htmlToText, looksLikeHtml } from '../html.ts';
import { type IssueLog, type ImportRecord, type Pacing, pacer } from '../record.ts';
import type { ColumnMapping } from '../report.ts';
import { jiraWikiToMarkdown } from '../wiki.ts';

type Markup = 'plain' | 'jira' | 'html';

/** Where one CSV format keeps each field (header names as the file spells them, or null). */
export interface CsvLayout {
  key: string | null;
  title: string | null;
  /** Several title columns (Azure tree queries: "Title 1", "Title 2"): the first non-empty. */
  titles?: string[];
  description: string | null;
  markup: Markup;
  /** Label columns; a repeated column gives one label per cell. */
  labels: string[];
  /** Split label cells on , and ; (generic, Linear, Azure); Jira has one per cell. */
  splitLabels: boolean;
  /** Columns kept as `prefix:value` labels (Jira's Priority, Issue Type, Epic Link…). */
  tagged: { column: string; prefix: string }[];
  status: string | null;
  estimate: string | null;
  criteria: string | null;
  /** Why a row is left out (e.g. "Sub-tasks are not imported"), or null to keep it. */
  skip?: (cols: Columns, record: CsvRecord) => string | null;
  /** Undo our CSV export's formula escaping (generic/our CSV). */
  unescape: boolean;
}

function textOf(markup: Markup, value: string): string {
  if (markup === 'jira') return jiraWikiToMarkdown(value);
  if (markup === 'html' || looksLikeHtml(value)) return markup === 'plain' ? value : htmlToText(value);
  return value;
}

export interface CsvReadResult {
  records: ImportRecord[];
  skipped: number;
}

/** Reads the records, pausing every `yieldEvery` so a big file does not hold the event loop [XFER-7]. */
export async function readCsvRecords(
  cols: Columns,
  records: readonly CsvRecord[],
  layout: CsvLayout,
  deck: readonly string[],
  log: IssueLog,
  pacing: Pacing = {},
): Promise<CsvReadResult> {
  const out: ImportRecord[] = [];
  let skipped = 0;
  const u = (v: string) => (layout.unescape ? unescapeFormula(v) : v);
  const pace = pacer(pacing);
  for (const rec of records) {
    await pace();
    const row = rec.line;
    const why = layout.skip?.(cols, rec) ?? null;
    if (why) {
      skipped++;
      log.warn(row, null, why);
      continue;
    }
    const errorsBefore = log.errors.length;
    let titleColumn = layout.title;
    let rawTitle = cols.one(rec, layout.title);
    for (const t of layout.titles ?? []) {
      if (rawTitle !== '') break;
      titleColumn = t;
      rawTitle = cols.one(rec, t);
    }
    const title = titleField(u(rawTitle), { row, column: titleColumn }, log);
    const description = descriptionField(textOf(layout.markup, u(cols.raw(rec, layout.description))), { row, column: layout.description }, log);
    const labelCells = layout.labels.flatMap((c) => cols.all(rec, c).map(u));
    for (const t of layout.tagged) for (const v of cols.all(rec, t.column)) labelCells.push(`${t.prefix}${v}`);
    const labels = labelsField(
      layout.splitLabels ? labelCells : labelCells.map((l) => l.replace(/[,;]/g, ' ')),
      { row, column: layout.labels[0] ?? null },
      log,
      layout.splitLabels,
    );
    const status = statusField(u(cols.one(rec, layout.status)), { row, column: layout.status }, log);
    const estimate = estimateField(u(cols.one(rec, layout.estimate)), deck, { row, column: layout.estimate }, log);
    const criteriaText = textOf(layout.markup, u(cols.raw(rec, layout.criteria)));
    const criteria = criteriaFromText(criteriaText, { row, column: layout.criteria }, log);
    const externalKey = keyField(u(cols.one(rec, layout.key)), { row, column: layout.key }, log);
    if (title === null || estimate === undefined || log.errors.length > errorsBefore) continue;
    out.push({ row, externalKey, title, description, status, estimate, labels, criteria });
  }
  return { records: out, skipped };
}

const SUBTASK_TYPES = new Set(['sub-task', 'subtask', 'sub task']);

export function jiraLayout(cols: Columns): CsvLayout {
  const type = cols.find('Issue Type');
  const tagged: CsvLayout['tagged'] = [];
  const tag = (column: string | null, prefix: string) => {
    if (column) tagged.push({ column, prefix });
  };
  tag(cols.find('Component/s', 'Components'), '');
  tag(type, 'type:');
  tag(cols.find('Priority'), 'priority:');
  tag(cols.find('Custom field (Epic Link)', 'Epic Link'), 'epic:');
  tag(cols.find('Parent', 'Parent key', 'Parent id'), 'parent:');
  return {
    key: cols.find('Issue key', 'Key'),
    title: cols.find('Summary'),
    description: cols.find('Description'),
    markup: 'jira',
    labels: [cols.find('Labels')].filter((c) => c !== null),
    splitLabels: false,
    tagged,
    status: cols.find('Status'),
    estimate: cols.find(
      'Custom field (Story Points)',
      'Story Points',
      'Custom field (Story point estimate)',
      'Story point estimate',
      'Story points',
    ),
    criteria: cols.find('Custom field (Acceptance Criteria)', 'Acceptance Criteria', 'Custom field (Acceptance criteria)'),
    skip: (c, rec) => (type && SUBTASK_TYPES.has(c.one(rec, type).toLowerCase()) ? 'Sub-tasks are not imported (only their parents are)' : null),
    unescape: false,
  };
}

export function linearLayout(cols: Columns): CsvLayout {
  const archived = cols.find('Archived');
  const tagged: CsvLayout['tagged'] = [];
  const priority = cols.find('Priority');
  if (priority) tagged.push({ column: priority, prefix: 'priority:' });
  const project = cols.find('Project');
  if (project) tagged.push({ column: project, prefix: 'project:' });
  const parent = cols.find('Parent issue');
  if (parent) tagged.push({ column: parent, prefix: 'parent:' });
  return {
    key: cols.find('ID', 'Identifier'),
    title: cols.find('Title'),
    description: cols.find('Description'),
    markup: 'plain',
    labels: [cols.find('Labels')].filter((c) => c !== null),
    splitLabels: true,
    tagged,
    status: cols.find('Status'),
    estimate: cols.find('Estimate'),
    criteria: null,
    skip: (c, rec) => (archived && c.one(rec, archived) !== '' ? 'Archived issues are not imported' : null),
    unescape: false,
  };
}

const AZURE_CHILD_TYPES = new Set(['task']);

export function azureLayout(cols: Columns): CsvLayout {
  const type = cols.find('Work Item Type');
  const titles = cols.matching(/^Title \d+$/);
  const tagged: CsvLayout['tagged'] = [];
  if (type) tagged.push({ column: type, prefix: 'type:' });
  const priority = cols.find('Priority');
  if (priority) tagged.push({ column: priority, prefix: 'priority:' });
  return {
    key: cols.find('ID'),
    title: cols.find('Title') ?? titles[0] ?? null,
    titles,
    description: cols.find('Description', 'Repro Steps'),
    markup: 'html',
    labels: [cols.find('Tags')].filter((c) => c !== null),
    splitLabels: true,
    tagged,
    status: cols.find('State'),
    estimate: cols.find('Story Points', 'Effort', 'Size', 'Microsoft.VSTS.Scheduling.StoryPoints', 'Microsoft.VSTS.Scheduling.Effort'),
    criteria: cols.find('Acceptance Criteria', 'Microsoft.VSTS.Common.AcceptanceCriteria'),
    skip: (c, rec) => (type && AZURE_CHILD_TYPES.has(c.one(rec, type).toLowerCase()) ? 'Tasks are not imported (only their parent work items are)' : null),
    unescape: false,
  };
}

/** Generic CSV (and our own CSV export): names we know, or the caller's mapping. */
export function genericLayout(cols: Columns, mapping: ColumnMapping, log: IssueLog): CsvLayout | null {
  const pick = (field: keyof ColumnMapping, ...names: string[]): string | null => {
    const mapped = mapping[field];
    if (mapped !== undefined) {
      const found = cols.find(mapped);
      if (!found) log.error(1, mapped, `The mapping names a column "${mapped}" that the file does not have`);
      return found;
    }
    return cols.find(...names);
  };
  const title = pick('title', 'title', 'summary', 'name');
  const labels = pick('labels', 'labels', 'label', 'tags');
  const layout: CsvLayout = {
    key: pick('key', 'key', 'external key', 'issue key', 'id'),
    title,
    description: pick('description', 'description', 'body', 'details'),
    markup: 'plain',
    labels: labels ? [labels] : [],
    splitLabels: true,
    tagged: [],
    status: pick('status', 'status', 'state'),
    estimate: pick('estimate', 'estimate', 'story points', 'points', 'size'),
    criteria: pick('criteria', 'acceptance criteria', 'criteria'),
    unescape: true,
  };
  if (title === null) {
    if (mapping.title === undefined) {
      log.error(1, null, 'No title column: expected a column named title, summary or name, or a mapping that names one');
    }
    return null;
  }
  return layout;
}
