import { describe, expect, it } from 'vitest';
import type { UserId } from '../../shared/ids.ts';
import { colorForUser, decodeAwarenessUpdate, encodeAwarenessEntries, pinAwareness, pinnedUser } from './awareness.ts';

const user = pinnedUser({ boardId: 'board123456' as never, userId: 'user1234567' as UserId, role: 'dev', name: 'Dana' });

describe('awareness pinning', () => {
  it('[AUTH-2] overwrites the user field and keeps the activity fields', () => {
    const entries = decodeAwarenessUpdate(
      encodeAwarenessEntries([{ clientId: 7, clock: 3, state: { user: { name: 'Boss', role: 'po' }, dragging: 'i1' } }]),
    );
    const [pinned] = pinAwareness(entries, user, () => true);
    expect(pinned).toEqual({ clientId: 7, clock: 3, state: { user, dragging: 'i1' } });
  });

  it('[AUTH-5] drops entries for client ids the socket may not use, keeps removals, drops non-objects', () => {
    const entries = [
      { clientId: 1, clock: 1, state: { a: 1 } },
      { clientId: 2, clock: 1, state: { a: 2 } },
      { clientId: 3, clock: 2, state: null },
      { clientId: 4, clock: 1, state: 'nope' },
      { clientId: 5, clock: 1, state: [1, 2] },
    ];
    const out = pinAwareness(entries, user, (id) => id !== 2);
    expect(out.map((e) => e.clientId)).toEqual([1, 3]);
    expect(out[1]!.state).toBeNull();
  });

  it('throws on malformed awareness bytes', () => {
    expect(() => decodeAwarenessUpdate(new Uint8Array([5, 1]))).toThrow();
    expect(() => decodeAwarenessUpdate(new Uint8Array([1, 1, 1, 3, 0x7b, 0x7b, 0x7b]))).toThrow();
  });

  it('gives each user one stable colour', () => {
    expect(colorForUser('abc123xyz')).toBe(colorForUser('abc123xyz'));
    expect(colorForUser('abc123xyz')).toMatch(/^hsl\(\d+, 65%, 45%\)$/);
  });
});
