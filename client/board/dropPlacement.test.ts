import { describe, expect, it } from 'vitest';
import type { ItemId } from '../../shared/ids.ts';
import { liveDropIndex } from './dropPlacement.ts';

const ids = (s: string) => s.split('') as ItemId[];

describe('drop placement', () => {
  it('places after the preview neighbour when nothing changed', () => {
    // a b c d, drag d to after a → a d b c; among others (a b c) index 1
    expect(liveDropIndex(ids('adbc'), ids('abcd'), 'd' as ItemId)).toBe(1);
    expect(liveDropIndex(ids('dabc'), ids('abcd'), 'd' as ItemId)).toBe(0);
    expect(liveDropIndex(ids('bcda'), ids('abcd'), 'a' as ItemId)).toBe(3);
  });

  it('follows the neighbour after a remote move during the drag', () => {
    // Preview: a d b c. Meanwhile someone moved a to the bottom: live b c a d.
    expect(liveDropIndex(ids('adbc'), ids('bcad'), 'd' as ItemId)).toBe(3);
  });

  it('skips a neighbour archived during the drag', () => {
    // Preview: a d b c, but a was archived: live b c d → d goes to the top.
    expect(liveDropIndex(ids('adbc'), ids('bcd'), 'd' as ItemId)).toBe(0);
  });
});
