import { describe, expect, it } from 'vitest';
import { boardColors, colorForUser, RoomColors, USER_PALETTE } from './colors.ts';

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

describe('user colours', () => {
  it('gives each user one stable colour from the palette', () => {
    expect(colorForUser('abc123xyz')).toBe(colorForUser('abc123xyz'));
    for (const id of ['', 'a', 'abc123xyz', 'user1234567', 'é😀']) expect(USER_PALETTE).toContain(colorForUser(id));
  });

  it('keeps the colours people already see (the client palette and hash)', () => {
    expect(colorForUser('')).toBe('#2456a6');
    expect(colorForUser('a')).toBe('#5a5f14');
    expect(colorForUser('user1234567')).toBe('#7b3fb0');
  });

  it('every colour keeps white initials readable (4.5:1)', () => {
    for (const color of USER_PALETTE) expect((1 + 0.05) / (luminance(color) + 0.05)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('RoomColors: distinct colours for the people on one board', () => {
  it('gives two people whose ids hash to the same colour different colours', () => {
    expect(colorForUser('user0000001')).toBe(colorForUser('user0000010'));
    const room = new RoomColors();
    const a = room.colorFor('user0000001');
    const b = room.colorFor('user0000010');
    expect(a).toBe(colorForUser('user0000001'));
    expect(b).not.toBe(a);
    expect(USER_PALETTE).toContain(b);
    expect(room.colorFor('user0000010')).toBe(b); // stable while present
  });

  it('never repeats a colour while the palette has a free one, and frees colours of people who left', () => {
    const room = new RoomColors();
    const ids = Array.from({ length: USER_PALETTE.length }, (_, i) => `user${String(i).padStart(7, '0')}`);
    const colors = ids.map((id) => room.colorFor(id));
    expect(new Set(colors).size).toBe(USER_PALETTE.length);
    room.keepOnly(new Set(ids.slice(1)));
    // The one who left freed their colour: a newcomer gets exactly that one.
    expect(room.colorFor('newcomer123')).toBe(colors[0]);
  });
});

describe('boardColors: the colours every client shows for the people present [UX-12]', () => {
  it('two people whose ids prefer the same colour get different ones, whatever order they are seen in', () => {
    expect(colorForUser('user0000001')).toBe(colorForUser('user0000010'));
    const one = boardColors(['user0000001', 'user0000010', 'abc123xyz']);
    const other = boardColors(['abc123xyz', 'user0000010', 'user0000001', 'user0000010']);
    expect(one.get('user0000001')).toBe(colorForUser('user0000001'));
    expect(one.get('user0000010')).not.toBe(one.get('user0000001'));
    expect(new Set(one.values()).size).toBe(3);
    expect([...other.entries()].sort()).toEqual([...one.entries()].sort());
  });

  it('never repeats a colour while the palette has a free one; someone without a clash keeps their own', () => {
    const ids = Array.from({ length: USER_PALETTE.length }, (_, i) => `user${String(i * 7).padStart(7, '0')}`);
    const colors = boardColors(ids);
    expect(new Set(colors.values()).size).toBe(USER_PALETTE.length);
    for (const c of colors.values()) expect(USER_PALETTE).toContain(c);
    expect(boardColors(['abc123xyz']).get('abc123xyz')).toBe(colorForUser('abc123xyz'));
  });
});
