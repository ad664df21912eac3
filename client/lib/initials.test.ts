import { describe, expect, it } from 'vitest';
import { initials } from './initials.ts';

describe('avatar initials', () => {
  it('come from the name’s words, not brackets or punctuation', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('bob')).toBe('BO');
    expect(initials('Priya (PO)')).toBe('PR');
    expect(initials('Dev — Kumar')).toBe('DK');
    expect(initials('(SM)')).toBe('SM');
    expect(initials('  ')).toBe('?');
    expect(initials('Émile Zola')).toBe('ÉZ');
  });
});
