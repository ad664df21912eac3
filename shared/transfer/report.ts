/**
 * The import/export contract (docs/protocol.md, "Import and export"): formats, query
 * options and the one answer shape every import call returns, success or not.
 */
import type { ItemStatus } from '../schema/item.ts';

/** What `format=` may name; `auto` detects from the content. */
export const IMPORT_FORMATS = ['csv', 'jira', 'linear', 'azure', 'trello', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const isImportFormat = (v: unknown): v is ImportFormat =>
  typeof v === 'string' && (IMPORT_FORMATS as readonly string[]).includes(v);

export const EXPORT_FORMATS = ['json', 'csv', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const isExportFormat = (v: unknown): v is ExportFormat =>
  typeof v === 'string' && (EXPORT_FORMATS as readonly string[]).includes(v);

/** One problem with one record of the file. */
export interface ImportIssue {
  /**
   * CSV: the 1-based row of the record as a spreadsheet shows it (header = row 1; a quoted
   * cell with newlines is still one row, so record n is row n + 1). JSON: the item's or
   * card's 1-based position in the file's `items`/`cards` array (0 = the file as a whole).
   */
  row: number;
  /** The column (header name) or JSON field concerned, or null for the whole row. */
  column: string | null;
  message: string;
}

/** An item the import wrote (or, in a dry run, would write). */
export interface ImportedItem {
  id: string;
  title: string;
  externalKey: string | null;
  /** Additions for the preview (docs/protocol.md): what the item will carry. */
  estimate?: string | null;
  status?: ItemStatus;
  labels?: string[];
  /** Addition: `added` (a new item) or `updated` (an item already on the board, `update=1`). */
  action?: 'added' | 'updated';
}

export interface ImportReport {
  format: ImportFormat;
  dryRun: boolean;
  imported: number;
  updated: number;
  skipped: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  items: ImportedItem[];
  /** Addition: a CSV file's header names, for the column-mapping UI. */
  columns?: string[];
  /** Addition: where new items went (or go, in a dry run): `top` or `bottom` (after the backlog). */
  position?: ImportPosition;
}

export const IMPORT_POSITIONS = ['top', 'bottom'] as const;
export type ImportPosition = (typeof IMPORT_POSITIONS)[number];

/** Generic CSV column mapping (`mapping=` query): our field → the file's header name. */
export const MAPPABLE_FIELDS = ['key', 'title', 'description', 'labels', 'status', 'estimate', 'criteria'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];
export type ColumnMapping = Partial<Record<MappableField, string>>;

/** Reads a mapping from untrusted JSON: known fields with string values only, or an error message. */
export function parseColumnMapping(raw: unknown): { ok: true; mapping: ColumnMapping } | { ok: false; message: string } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: 'mapping must be a JSON object' };
  const mapping: ColumnMapping = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(MAPPABLE_FIELDS as readonly string[]).includes(k)) {
      return { ok: false, message: `mapping: unknown field "${k}" (known: ${MAPPABLE_FIELDS.join(', ')})` };
    }
    if (typeof v !== 'string' || v.length > 200) return { ok: false, message: `mapping.${k} must be a column name` };
    if (v !== '') mapping[k as MappableField] = v;
  }
  return { ok: true, mapping };
}
