import { describe, expect, it } from 'vitest';
import { colorForUser } from '../../shared/colors.ts';
import type { UserId } from '../../shared/ids.ts';
import * as Y from 'yjs';
import {
  AwarenessGuard,
  AwarenessOwners,
  decodeAwarenessUpdate,
  encodeAwarenessEntries,
  filterAwarenessUpdate,
  MalformedAwareness,
  MAX_AWARENESS_IDS_PER_SOCKET,
  pinAwareness,
  pinnedUser,
} from './awareness.ts';

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

  it('gives each user one stable colour, the one every client shows (shared/colors.ts)', () => {
    expect(colorForUser('abc123xyz')).toBe(colorForUser('abc123xyz'));
    expect(user.color).toBe(colorForUser('user1234567'));
  });

  it('[SRV-14] a state over the byte limit is not parsed and is dropped; the limit counts UTF-8 bytes', () => {
    const fits = { viewing: 'é'.repeat(40) }; // 80 bytes of text, 95 of JSON
    const update = encodeAwarenessEntries([
      { clientId: 1, clock: 1, state: fits },
      { clientId: 2, clock: 1, state: { viewing: 'é'.repeat(60) } },
    ]);
    const entries = decodeAwarenessUpdate(update, 100);
    expect(entries[0]!.state).toEqual(fits);
    expect(entries[1]!.state).toBeUndefined();
    expect(pinAwareness(entries, user, () => true).map((e) => e.clientId)).toEqual([1]);
    // Too large is too large even when it would not parse.
    const junk = new Uint8Array([1, 3, 1, 101, ...new Array(101).fill(0x7b)]);
    expect(decodeAwarenessUpdate(junk, 100)).toEqual([{ clientId: 3, clock: 1, state: undefined }]);
  });
});

describe('awareness ownership', () => {
  const dana = 'dana123456' as UserId;
  const mallory = 'mallory123' as UserId;

  it('[AUTH-5] a socket holds the ids it wrote first; others are refused while it holds them', () => {
    const owners = new AwarenessOwners<string>();
    expect(owners.claim(10, 'danaTab', dana, false)).toBe(true);
    expect(owners.claim(10, 'danaTab', dana, false)).toBe(true);
    expect(owners.claim(10, 'malloryTab', mallory, false)).toBe(false);
    expect(owners.claim(10, 'malloryTab', mallory, true)).toBe(false);
    expect(owners.claim(10, 'danaTab', dana, true)).toBe(true);
    expect(owners.release('danaTab')).toEqual([10]);
    expect(owners.release('danaTab')).toEqual([]);
  });

  it('[AUTH-7] an id stays bound to its first user after their socket left; only they take it back', () => {
    const owners = new AwarenessOwners<string>();
    owners.claim(10, 'danaTab', dana, false);
    owners.release('danaTab');
    // A peer echoing Dana's removal, or Mallory writing under her id: both refused.
    expect(owners.claim(10, 'malloryTab', mallory, true)).toBe(false);
    expect(owners.claim(10, 'malloryTab', mallory, false)).toBe(false);
    expect(owners.release('malloryTab')).toEqual([]);
    expect(owners.boundUser(10)).toBe(dana);
    // Dana reconnects with the same awareness id.
    expect(owners.claim(10, 'danaTab2', dana, false)).toBe(true);
    expect(owners.release('danaTab2')).toEqual([10]);
  });

  it('[AUTH-7] a removal never claims an id; a socket of the same user takes a held id over', () => {
    const owners = new AwarenessOwners<string>();
    expect(owners.claim(20, 'peer', mallory, true)).toBe(false);
    expect(owners.boundUser(20)).toBeUndefined();
    owners.claim(10, 'old', dana, false);
    expect(owners.claim(10, 'new', dana, true)).toBe(false);
    expect(owners.claim(10, 'new', dana, false)).toBe(true);
    // The old socket's close no longer removes the state the new one holds.
    expect(owners.release('old')).toEqual([]);
    expect(owners.release('new')).toEqual([10]);
  });

  it('[AUTH-5] caps ids per socket, never hands out reserved ids, and forgets only unheld bindings', () => {
    const owners = new AwarenessOwners<string>({ reserved: [99], maxBoundIds: 3 });
    expect(owners.claim(99, 'a', dana, false)).toBe(false);
    const capped = new AwarenessOwners<string>();
    for (let id = 1; id <= MAX_AWARENESS_IDS_PER_SOCKET; id++) expect(capped.claim(id, 'a', dana, false)).toBe(true);
    expect(capped.claim(1000, 'a', dana, false)).toBe(false);
    expect(capped.claim(1000, 'b', dana, false)).toBe(true);

    owners.claim(1, 'a', dana, false);
    owners.claim(2, 'b', dana, false);
    owners.release('b');
    owners.claim(3, 'c', dana, false);
    owners.claim(4, 'd', mallory, false);
    // Full at 3: id 2 (oldest unheld) was forgotten; id 1 (held) was kept.
    expect(owners.boundUser(2)).toBeUndefined();
    expect(owners.boundUser(1)).toBe(dana);
    expect(owners.boundUser(4)).toBe(mallory);
  });

  it('[AUTH-2] filterAwarenessUpdate pins, filters and re-encodes; malformed input throws MalformedAwareness', () => {
    const owners = new AwarenessOwners<string>();
    const auth = { boardId: 'board123456' as never, userId: dana, role: 'dev' as const, name: 'Dana' };
    const filter = { owners, maxStateBytes: 100 };
    const out = filterAwarenessUpdate(
      encodeAwarenessEntries([
        { clientId: 1, clock: 1, state: { viewing: 'i1', user: { name: 'Boss' } } },
        { clientId: 2, clock: 1, state: { pad: 'x'.repeat(200) } },
      ]),
      { socket: 's', user: auth },
      filter,
    );
    expect(decodeAwarenessUpdate(out!)).toEqual([{ clientId: 1, clock: 1, state: { viewing: 'i1', user: pinnedUser(auth) } }]);
    expect(owners.boundUser(2)).toBeUndefined();
    expect(filterAwarenessUpdate(encodeAwarenessEntries([]), { socket: 's', user: auth }, filter)).toBeNull();
    expect(() => filterAwarenessUpdate(new Uint8Array([5, 1]), { socket: 's', user: auth }, filter)).toThrow(
      MalformedAwareness,
    );
  });

  it('[AUTH-7] a returning person\'s state gets a clock past the removal the room recorded; live states keep theirs', () => {
    const owners = new AwarenessOwners<string>();
    const auth = { boardId: 'board123456' as never, userId: dana, role: 'dev' as const, name: 'Dana' };
    const known = (id: number) => (id === 1 ? { clock: 7, hasState: false } : id === 2 ? { clock: 7, hasState: true } : undefined);
    const out = filterAwarenessUpdate(
      encodeAwarenessEntries([
        { clientId: 1, clock: 7, state: { viewing: 'back' } },
        { clientId: 2, clock: 5, state: { viewing: 'stale' } },
        { clientId: 3, clock: 1, state: {} },
      ]),
      { socket: 's', user: auth },
      { owners, maxStateBytes: 100, known },
    );
    expect(decodeAwarenessUpdate(out!).map((e) => [e.clientId, e.clock])).toEqual([
      [1, 8],
      [2, 5],
      [3, 1],
    ]);
  });
});

describe('AwarenessGuard colours', () => {
  it('[AUTH-2] two people on one board never share a colour, even when their ids hash to the same one', () => {
    const guard = new AwarenessGuard<string>(new Y.Doc(), { maxStateBytes: 10_000, onChange: () => {} });
    const auth = (userId: string, name: string) => ({ boardId: 'board123456' as never, userId: userId as UserId, role: 'dev' as const, name });
    const frame = (clientId: number) => encodeAwarenessEntries([{ clientId, clock: 1, state: { user: { color: '#000000' } } }]);
    guard.receive('s1', auth('user0000001', 'Ann'), frame(11));
    guard.receive('s2', auth('user0000010', 'Ben'), frame(12));
    const colorOf = (id: number) => (guard.awareness.getStates().get(id) as { user: { color: string } }).user.color;
    expect(colorForUser('user0000001')).toBe(colorForUser('user0000010'));
    expect(colorOf(11)).toBe(colorForUser('user0000001'));
    expect(colorOf(12)).not.toBe(colorOf(11));
    guard.destroy();
  });
});
