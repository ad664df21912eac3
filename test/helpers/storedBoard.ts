/**
 * Reads a board straight from a SQLite file, bypassing the server: what is on disk, not
 * what a running process holds in memory. For fault tests (after kill -9, after a
 * refused write, in a backup).
 */
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { applyStored } from '../../server/storage/fold.mjs';
import { listItems } from '../../shared/schema/board.ts';

/** The board's stored doc, or null when the file has no such board. */
export function storedDoc(file: string, boardId: string): Y.Doc | null {
  // Read-only: a crashed server's WAL is read as it is, nothing is checkpointed.
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT snapshot FROM boards WHERE id = ?').get(boardId) as { snapshot: Buffer | null } | undefined;
    if (!row) return null;
    const updates = db.prepare('SELECT data FROM updates WHERE board_id = ? ORDER BY seq').all(boardId) as { data: Buffer }[];
    const doc = new Y.Doc();
    applyStored(
      doc,
      row.snapshot ? new Uint8Array(row.snapshot) : null,
      updates.map((u) => new Uint8Array(u.data)),
    );
    return doc;
  } finally {
    db.close();
  }
}

/** Titles of the board's active items as stored on disk. */
export function storedTitles(file: string, boardId: string): Set<string> {
  const doc = storedDoc(file, boardId);
  if (!doc) throw new Error(`board ${boardId} is not in ${file}`);
  const titles = new Set(listItems(doc).map((i) => i.title));
  doc.destroy();
  return titles;
}

/** `PRAGMA integrity_check` of the file: "ok" when the database is sound. */
export function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string) ?? 'no answer';
  } finally {
    db.close();
  }
}
