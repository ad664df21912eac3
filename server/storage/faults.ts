/**
 * What a storage failure means to the person whose edit it refused: a short close reason
 * (docs/operations.md, "Faults"). The socket then closes with 1011, the client shows its
 * edits as not saved and sends them again when it reconnects.
 */

export type StorageFaultKind = 'full' | 'read-only' | 'unreachable' | 'error';

const PG_UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect|connection lost/i;

/** Classifies an error from either adapter (SQLite `code`s, pg / socket errors). */
export function storageFaultKind(err: unknown): StorageFaultKind {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_FULL' || /database or disk is full/i.test(message)) return 'full';
  if (code.startsWith('SQLITE_READONLY') || /readonly database/i.test(message)) return 'read-only';
  // PostgreSQL: class 08 is connection exceptions, 57P0x the server shutting down or starting.
  if (/^08|^57P0/.test(code) || PG_UNREACHABLE.test(code) || PG_UNREACHABLE.test(message)) return 'unreachable';
  return 'error';
}

const REASONS: Record<StorageFaultKind, string> = {
  full: 'storage full',
  'read-only': 'storage read-only',
  unreachable: 'storage unreachable',
  error: 'storage error',
};

/** The close reason (< 123 bytes): what failed, and that nothing of the writer's is lost. */
export function storageFaultReason(err: unknown): string {
  return `${REASONS[storageFaultKind(err)]}: changes not saved; resent on reconnect`;
}
