import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { runSeed } from '../../test/property/arbitraries.ts';
import { replaceText, wellFormed } from './text.ts';

const seed = runSeed();

function textWith(initial: string): { doc: Y.Doc; text: Y.Text } {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, initial);
  return { doc, text };
}

/** Records the delta of the next change, to see how much replaceText touched. */
function deltaOf(text: Y.Text, body: () => void): unknown[] {
  let delta: unknown[] = [];
  const observe = (event: Y.YTextEvent) => {
    delta = event.delta;
  };
  text.observe(observe);
  body();
  text.unobserve(observe);
  return delta;
}

describe('replaceText', () => {
  it('results in exactly the new string, for any pair of strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (before, after) => {
        const { text } = textWith(before);
        replaceText(text, after);
        expect(text.toString()).toBe(after);
      }),
      { seed, numRuns: 300 },
    );
  });

  it('also for strings built from a tiny alphabet (many shared prefixes and suffixes)', () => {
    const small = fc.string({ unit: fc.constantFrom('a', 'b', '😀', '😁', 'é'), maxLength: 8 });
    fc.assert(
      fc.property(small, small, (before, after) => {
        const { text } = textWith(before);
        replaceText(text, after);
        expect(text.toString()).toBe(after);
      }),
      { seed, numRuns: 500 },
    );
  });

  it('[ITEM-2] touches only the changed middle', () => {
    const { text } = textWith('Login page');
    expect(deltaOf(text, () => replaceText(text, 'Login new page'))).toEqual([{ retain: 6 }, { insert: 'new ' }]);
    expect(deltaOf(text, () => replaceText(text, 'Login page'))).toEqual([{ retain: 6 }, { delete: 4 }]);
  });

  it('[ITEM-2] writes nothing when the text is unchanged', () => {
    const { doc, text } = textWith('same');
    let updates = 0;
    doc.on('update', () => updates++);
    replaceText(text, 'same');
    expect(updates).toBe(0);
  });

  it('[ITEM-3] never splits an emoji: replacing 😀 by 😁 keeps both halves of the pair (x😀y → x😁y)', () => {
    const { text } = textWith('x😀y');
    replaceText(text, 'x😁y');
    expect(text.toString()).toBe('x😁y');
  });

  it('[ITEM-4] a lone surrogate reads the same on every peer (seed 1639218445: "init 1aa😀" minus "a\\uD83D")', () => {
    const a = textWith('init 1aa😀');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    a.doc.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
    replaceText(a.text, 'init 1a\uDE00');
    expect(b.getText('t').toString()).toBe(a.text.toString());
    replaceText(a.text, 'x\uD83D');
    expect(b.getText('t').toString()).toBe(a.text.toString());
    expect(a.text.toString()).toBe('x\uFFFD');
  });

  it('[ITEM-4] wellFormed replaces only unpaired surrogates', () => {
    expect(wellFormed('a😀b')).toBe('a😀b');
    expect(wellFormed('\uDE00a\uD83D')).toBe('\uFFFDa\uFFFD');
    expect(wellFormed('\uD83D\uD83D\uDE00')).toBe('\uFFFD😀');
  });

  it('[ITEM-2] concurrent edits at both ends of one text keep both', () => {
    const a = textWith('refine the backlog');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    replaceText(a.text, 'Please refine the backlog');
    replaceText(b.getText('t'), 'refine the backlog today');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b)));
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a.doc)));
    expect(a.text.toString()).toBe('Please refine the backlog today');
    expect(b.getText('t').toString()).toBe('Please refine the backlog today');
  });
});
