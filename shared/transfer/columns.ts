/**
 * Finding a file's columns by name. Exports vary in case and spacing, and Jira repeats a
 * column once per value (`Labels`, `Labels`, …), so a name maps to every index it has.
 */
import type { CsvRecord } from './csvTable.ts';

const norm = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

export class Columns {
  private readonly byName = new Map<string, number[]>();

  constructor(readonly headers: readonly string[]) {
    headers.forEach((h, i) => {
      const key = norm(h);
      const list = this.byName.get(key) ?? [];
      list.push(i);
      this.byName.set(key, list);
    });
  }

  /** The first of `names` the file has, as its header spells it, or null. */
  find(...names: string[]): string | null {
    for (const name of names) {
      const at = this.byName.get(norm(name));
      if (at) return this.headers[at[0]!]!;
    }
    return null;
  }

  has(name: string): boolean {
    return this.byName.has(norm(name));
  }

  /** Every header that matches `pattern` (e.g. Azure's "Title 1", "Title 2"). */
  matching(pattern: RegExp): string[] {
    return [...new Set(this.headers.filter((h) => pattern.test(h)))];
  }

  /** The cell of `column` (its first occurrence), trimmed; '' when the column is absent. */
  one(record: CsvRecord, column: string | null): string {
    if (column === null) return '';
    const at = this.byName.get(norm(column));
    return at ? (record.cells[at[0]!] ?? '').trim() : '';
  }

  /** Every non-empty cell of a repeated column, in file order. */
  all(record: CsvRecord, column: string | null): string[] {
    if (column === null) return [];
    const at = this.byName.get(norm(column)) ?? [];
    return at.map((i) => (record.cells[i] ?? '').trim()).filter((v) => v !== '');
  }

  /** The cell untrimmed at the ends but with its inner newlines (descriptions). */
  raw(record: CsvRecord, column: string | null): string {
    if (column === null) return '';
    const at = this.byName.get(norm(column));
    return at ? (record.cells[at[0]!] ?? '') : '';
  }
}
