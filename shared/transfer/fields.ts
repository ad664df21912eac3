/**
 * Turning a file's cell values into item fields, the same for every format: titles and
 * descriptions cut to the limits (with a warning), labels cleaned and capped, estimates
 * checked, statuses mapped. Each takes the row and column for its issue.
 */
import { LIMITS } from '../limits.ts';
import { cleanLabel, isExternalKey, type ItemStatus, MAX_ESTIMATE_LENGTH } from '../schema/item.ts';
import { limitLength, wellFormed } from '../schema/text.ts';
import type { IssueLog } from './record.ts';

export interface Cell {
  row: number;
  column: string | null;
}

/** A title: trimmed, one line, at most maxTitleLength; null (and an error) when empty. */
export function titleField(value: string, at: Cell, log: IssueLog): string | null {
  const title = wellFormed(value.replace(/\s*[\r\n]+\s*/g, ' ').trim());
  if (title === '') {
    log.error(at.row, at.column, 'The title is empty');
    return null;
  }
  if (title.length > LIMITS.maxTitleLength) {
    log.warn(at.row, at.column, `The title has ${title.length} characters; cut to ${LIMITS.maxTitleLength}`);
    return limitLength(title, LIMITS.maxTitleLength);
  }
  return title;
}

export function descriptionField(value: string, at: Cell, log: IssueLog): string {
  const text = wellFormed(value.replace(/\r\n?/g, '\n').trim());
  if (text.length > LIMITS.maxDescriptionLength) {
    log.warn(at.row, at.column, `The description has ${text.length} characters; cut to ${LIMITS.maxDescriptionLength}`);
    return limitLength(text, LIMITS.maxDescriptionLength);
  }
  return text;
}

/** Labels from cells; each cell may hold several separated by `,` or `;`. */
export function labelsField(cells: readonly string[], at: Cell, log: IssueLog, split = true): string[] {
  const out: string[] = [];
  for (const cell of cells) {
    for (const part of split ? cell.split(/[,;]/) : [cell]) {
      const trimmed = part.trim();
      if (trimmed === '') continue;
      const label = cleanLabel(trimmed);
      if (label.length < trimmed.length) log.warn(at.row, at.column, `Label "${trimmed}" cut to ${LIMITS.maxLabelLength} characters`);
      if (!out.includes(label)) out.push(label);
    }
  }
  if (out.length > LIMITS.maxLabelsPerItem) {
    log.warn(at.row, at.column, `${out.length} labels; only the first ${LIMITS.maxLabelsPerItem} are kept`);
    return out.slice(0, LIMITS.maxLabelsPerItem);
  }
  return out;
}

/**
 * An estimate: a number ("3", "0.5", "3.0" → "3", "1,5" → "1.5") or a card of the board's
 * deck ("?", "XL"). Anything else is an error: a story-point column holding "abc" is a
 * mistake in the file, not an estimate. '' → null.
 */
export function estimateField(value: string, deck: readonly string[], at: Cell, log: IssueLog): string | null | undefined {
  const v = value.trim();
  if (v === '') return null;
  if (deck.includes(v)) return v;
  const normal = v.replace(',', '.');
  if (/^\d+(\.\d+)?$/.test(normal)) {
    const n = Number(normal);
    const text = String(n);
    if (Number.isFinite(n) && [...text].length <= MAX_ESTIMATE_LENGTH) return text;
  }
  log.error(at.row, at.column, `"${limitLength(v, 40)}" is not an estimate: expected a number or a card of this board's deck`);
  return undefined;
}

/** An external key as stored, or null (and a warning) when it cannot be one. */
export function keyField(value: string, at: Cell, log: IssueLog): string | null {
  const key = value.trim();
  if (key === '') return null;
  if (!isExternalKey(key)) {
    log.warn(at.row, at.column, `"${limitLength(key, 40)}" cannot be kept as a key (1–${LIMITS.maxExternalKeyLength} characters); re-importing will not recognise this row`);
    return null;
  }
  return key;
}

const STATUS_WORDS: ReadonlyArray<[ItemStatus, readonly string[]]> = [
  ['new', ['new', 'to do', 'todo', 'open', 'backlog', 'triage', 'proposed', 'reopened', 'idea', 'funnel', 'unstarted']],
  [
    'refining',
    ['refining', 'refinement', 'in refinement', 'in progress', 'in review', 'in development', 'active', 'committed', 'started', 'analysis', 'doing', 'review', 'testing', 'qa'],
  ],
  ['ready', ['ready', 'ready for dev', 'ready for development', 'selected for development', 'approved', 'groomed', 'refined', 'ready to start']],
  ['done', ['done', 'closed', 'resolved', 'completed', 'complete', 'canceled', 'cancelled', 'removed', "won't do", 'released']],
];

/**
 * A status from another tool: known words map to ours. An unknown one is null, like an
 * empty cell, with a warning naming it: a new item gets New, an item that `update=1`
 * overwrites keeps its status. '' → null (the file says nothing).
 */
export function statusField(value: string, at: Cell, log: IssueLog): ItemStatus | null {
  const v = value.trim().toLowerCase().replace(/\s+/g, ' ');
  if (v === '') return null;
  for (const [status, words] of STATUS_WORDS) if (words.includes(v)) return status;
  log.warn(at.row, at.column, `Unknown status "${limitLength(value.trim(), 40)}"; imported as New (an item already on the board keeps its status)`);
  return null;
}

/** Acceptance criteria from a text cell: one per line (list markers dropped). */
export function criteriaFromText(text: string, at: Cell, log: IssueLog): { text: string; done: boolean }[] {
  const out: { text: string; done: boolean }[] = [];
  for (const raw of text.split(/\r\n?|\n/)) {
    const m = /^\s*(?:[-*#•]+|\d+[.)])?\s*(?:\[([ xX])\]\s*)?(.*)$/.exec(raw)!;
    const body = (m[2] ?? '').trim();
    if (body === '') continue;
    out.push({ text: limitLength(wellFormed(body), LIMITS.maxTitleLength), done: m[1] === 'x' || m[1] === 'X' });
  }
  if (out.length > LIMITS.maxCriteriaPerItem) {
    log.warn(at.row, at.column, `${out.length} acceptance criteria; only the first ${LIMITS.maxCriteriaPerItem} are kept`);
    return out.slice(0, LIMITS.maxCriteriaPerItem);
  }
  return out;
}

/** Undoes our CSV export's formula escaping: a `'` before = + - @ (csvExport.ts). */
export const unescapeFormula = (value: string): string => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);
