import { describe, expect, it } from 'vitest';
import { storageFaultKind, storageFaultReason } from './faults.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('storage fault reasons', () => {
  it('names a full disk, a read-only store, an unreachable database, and anything else', () => {
    expect(storageFaultKind(withCode('database or disk is full', 'SQLITE_FULL'))).toBe('full');
    expect(storageFaultKind(withCode('attempt to write a readonly database', 'SQLITE_READONLY'))).toBe('read-only');
    expect(storageFaultKind(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe('unreachable');
    expect(storageFaultKind(new Error('Connection terminated unexpectedly'))).toBe('unreachable');
    expect(storageFaultKind(new Error('timeout exceeded when trying to connect'))).toBe('unreachable');
    expect(storageFaultKind(withCode('terminating connection due to administrator command', '57P01'))).toBe('unreachable');
    expect(storageFaultKind(withCode('duplicate key', '23505'))).toBe('error');
    expect(storageFaultKind('weird')).toBe('error');
  });

  it('fits a WebSocket close reason (at most 123 bytes) and says nothing is lost', () => {
    for (const kind of ['SQLITE_FULL', 'SQLITE_READONLY', 'ECONNRESET', 'X']) {
      const reason = storageFaultReason(withCode('m', kind));
      expect(Buffer.byteLength(`board could not be loaded: ${reason}`)).toBeLessThanOrEqual(123);
      expect(reason).toMatch(/not saved; resent on reconnect$/);
    }
  });
});
