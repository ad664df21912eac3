/**
 * Backlog search and filters [REF-14] as a pure predicate, so the board list (and tests)
 * can use it without React. An empty criteria object matches everything.
 */
import type { ItemSnapshot, ItemStatus } from '../../shared/schema/item.ts';

export interface BacklogCriteria {
  /** Words that must all appear in the title, description, labels or criteria (any case). */
  text: string;
  /** Every one of these labels must be on the item. */
  labels: readonly string[];
  /** The item's status must be one of these (none selected: any status). */
  statuses: readonly ItemStatus[];
  /** Only items with at least one unresolved question. */
  openQuestions: boolean;
}

export const EMPTY_CRITERIA: BacklogCriteria = { text: '', labels: [], statuses: [], openQuestions: false };

export const isEmptyCriteria = (c: BacklogCriteria): boolean =>
  c.text.trim() === '' && c.labels.length === 0 && c.statuses.length === 0 && !c.openQuestions;

const fold = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

export function matchesCriteria(item: ItemSnapshot, c: BacklogCriteria): boolean {
  if (c.statuses.length > 0 && !c.statuses.includes(item.status)) return false;
  if (c.openQuestions && item.openQuestionCount === 0) return false;
  for (const label of c.labels) if (!item.labels.includes(label)) return false;
  const words = fold(c.text).split(/\s+/).filter(Boolean);
  if (words.length > 0) {
    const hay = fold([item.title, item.description, ...item.labels, ...item.criteria.map((x) => x.text)].join('\n'));
    for (const w of words) if (!hay.includes(w)) return false;
  }
  return true;
}

/** A predicate for the board's filter slot, or null when nothing is filtered. */
export function makeFilter(c: BacklogCriteria): ((item: ItemSnapshot) => boolean) | null {
  if (isEmptyCriteria(c)) return null;
  const snapshot = { ...c, labels: [...c.labels], statuses: [...c.statuses] };
  return (item) => matchesCriteria(item, snapshot);
}

/** Every label used on the given items, sorted, for the label picker. */
export function allLabels(items: Iterable<Pick<ItemSnapshot, 'labels'>>): string[] {
  const set = new Set<string>();
  for (const item of items) for (const l of item.labels) set.add(l);
  return [...set].sort((a, b) => a.localeCompare(b));
}
