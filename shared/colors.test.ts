import { describe, expect, it } from 'vitest';
import { colorForUser, USER_PALETTE } from './colors.ts';

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
