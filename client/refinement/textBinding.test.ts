import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bindTextField, diffText, mapIndex, type TextFieldLike } from './textBinding.ts';

/** A textarea stand-in: value, selection, focus and listeners, as the binding uses them. */
class FakeField implements TextFieldLike {
  value = '';
  selectionStart: number | null = 0;
  selectionEnd: number | null = 0;
  selectionDirection: 'forward' | 'backward' | 'none' | null = 'none';
  ownerDocument = { activeElement: null as unknown };
  private listeners = new Map<string, ((ev: Event) => void)[]>();
  constructor() {
    this.ownerDocument.activeElement = this;
  }
  /** Like a browser, never leaves a caret between the two halves of an emoji. */
  private snap(i: number): number {
    const c = this.value.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
  }
  setSelectionRange(start: number, end: number): void {
    this.selectionStart = this.snap(start);
    this.selectionEnd = this.snap(end);
  }
  addEventListener(type: string, l: (ev: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  removeEventListener(type: string, l: (ev: Event) => void): void {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((x) => x !== l));
  }
  fire(type: string): void {
    for (const l of this.listeners.get(type) ?? []) l({} as Event);
  }
  /** Types `s` at the caret like a browser: replaces the selection, moves the caret. */
  type(s: string): void {
    const a = this.selectionStart ?? 0;
    const b = this.selectionEnd ?? 0;
    this.value = this.value.slice(0, a) + s + this.value.slice(b);
    this.selectionStart = this.selectionEnd = a + s.length;
    this.fire('input');
  }
  backspace(): void {
    const a = this.selectionStart ?? 0;
    const b = this.selectionEnd ?? 0;
    if (a !== b) {
      this.value = this.value.slice(0, a) + this.value.slice(b);
      this.selectionStart = this.selectionEnd = a;
    } else {
      if (a === 0) return;
      const w = a >= 2 && this.snap(a - 1) === a - 2 ? 2 : 1; // a whole emoji
      this.value = this.value.slice(0, a - w) + this.value.slice(a);
      this.selectionStart = this.selectionEnd = a - w;
    }
    this.fire('input');
  }
  caret(at: number): void {
    this.selectionStart = this.selectionEnd = this.snap(at);
  }
}

/** Two peers that deliver updates to each other immediately (like a fast server). */
function peers(initial: string) {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.getText('t').insert(0, initial);
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  const fa = new FakeField();
  const fb = new FakeField();
  bindTextField(fa, a.getText('t'), { origin: 'A' });
  bindTextField(fb, b.getText('t'), { origin: 'B' });
  return { a, b, fa, fb };
}

describe('diffText', () => {
  it('uses the caret to place an insert among repeated characters', () => {
    expect(diffText('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
    expect(diffText('aa', 'aaa', 3)).toEqual({ index: 2, remove: 0, insert: 'a' });
    expect(diffText('aaa', 'aa', 0)).toEqual({ index: 0, remove: 1, insert: '' });
    expect(diffText('abc', 'x', 1)).toEqual({ index: 0, remove: 3, insert: 'x' });
    expect(diffText('same', 'same')).toBeNull();
  });

  it('never splits an emoji', () => {
    const e = diffText('x😀y', 'x😁y');
    expect(e).not.toBeNull();
    const t = new Y.Text();
    const d = new Y.Doc();
    d.getMap('m').set('t', t);
    t.insert(0, 'x😀y');
    t.delete(e!.index, e!.remove);
    t.insert(e!.index, e!.insert);
    expect(t.toString()).toBe('x😁y');
  });

  it('maps positions through a remote delta', () => {
    expect(mapIndex(5, [{ retain: 2 }, { insert: 'abc' }])).toBe(8);
    expect(mapIndex(2, [{ retain: 2 }, { insert: 'abc' }])).toBe(2); // insert at the caret stays after it
    expect(mapIndex(5, [{ retain: 1 }, { delete: 2 }])).toBe(3);
    expect(mapIndex(2, [{ retain: 1 }, { delete: 3 }])).toBe(1); // caret inside a deleted range
    expect(mapIndex(1, [{ retain: 4 }, { insert: 'z' }])).toBe(1);
  });
});

describe('textarea binding', () => {
  it('[ITEM-2] two people typing in one description keep each other’s text and their carets', () => {
    const { a, fa, fb } = peers('Hello world');
    fa.caret(5); // after "Hello"
    fb.caret(11); // at the end
    fa.type(',');
    fb.type('!');
    fa.type(' dear');
    fb.type('!');
    expect(a.getText('t').toString()).toBe('Hello, dear world!!');
    expect(fa.value).toBe('Hello, dear world!!');
    expect(fb.value).toBe('Hello, dear world!!');
    // A's caret stayed right after what A typed; B's stayed at the end after A's text moved it
    expect(fa.selectionStart).toBe(11);
    expect(fb.selectionStart).toBe(19);
  });

  it('a remote delete before my caret moves it back; my selection keeps its characters', () => {
    const { fa, fb } = peers('one two three');
    fa.setSelectionRange(8, 13); // "three"
    fb.caret(4);
    fb.backspace(); // "onetwo three"
    fb.backspace(); // "ontwo three"
    expect(fa.value).toBe('ontwo three');
    expect(fa.value.slice(fa.selectionStart!, fa.selectionEnd!)).toBe('three');
  });

  it('composition: remote edits wait, then the composed text lands where composition began', () => {
    const { a, fa, fb } = peers('abc');
    fa.caret(3);
    fa.fire('compositionstart');
    fa.value = 'abcにほん'; // the IME writes into the field; input events are ignored while composing
    fa.selectionStart = fa.selectionEnd = 6;
    fa.fire('input');
    fb.caret(0);
    fb.type('>> ');
    expect(fa.value).toBe('abcにほん'); // not rewritten mid-composition
    fa.fire('compositionend');
    expect(a.getText('t').toString()).toBe('>> abcにほん');
    expect(fa.value).toBe('>> abcにほん');
    expect(fb.value).toBe('>> abcにほん');
    expect(fa.selectionStart).toBe(9);
  });

  it('an edit made by other code (e.g. undo) shows in the field', () => {
    const { a, fa } = peers('abc');
    a.transact(() => a.getText('t').insert(0, 'X'), 'undo-manager');
    expect(fa.value).toBe('Xabc');
  });
});

describe('textarea binding, random concurrent typing (fast-check, seeded)', () => {
  it('[ITEM-2] fields always show their doc; after delivery all converge; no broken characters', async () => {
    const fc = await import('fast-check');
    const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
    console.log(`textBinding property seed: ${seed}`);
    const op = fc.record({
      peer: fc.integer({ min: 0, max: 2 }),
      kind: fc.constantFrom('type', 'type', 'backspace', 'select', 'deliver'),
      at: fc.nat(),
      len: fc.nat({ max: 4 }),
      text: fc.constantFrom('a', 'b', 'zz', ' ', 'é', '😀', 'ñø'),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
        docs[0]!.getText('t').insert(0, 'start text');
        for (const d of docs.slice(1)) Y.applyUpdate(d, Y.encodeStateAsUpdate(docs[0]!));
        const fields = docs.map((d, i) => {
          const f = new FakeField();
          bindTextField(f, d.getText('t'), { origin: `peer${i}` });
          return f;
        });
        // each peer's outgoing updates wait in a queue until a 'deliver' step
        const queues: Uint8Array[][] = [[], [], []];
        docs.forEach((d, i) => {
          d.on('update', (u: Uint8Array, origin: unknown) => {
            if (origin !== 'net') queues[i]!.push(u);
          });
        });
        const deliver = (i: number) => {
          for (const u of queues[i]!.splice(0)) for (const [j, d] of docs.entries()) if (j !== i) Y.applyUpdate(d, u, 'net');
        };
        for (const o of ops) {
          const f = fields[o.peer]!;
          const len = f.value.length;
          if (o.kind === 'type') {
            f.caret(Math.min(o.at % (len + 1), len));
            f.type(o.text);
          } else if (o.kind === 'backspace') f.backspace();
          else if (o.kind === 'select') {
            const a = o.at % (len + 1);
            f.setSelectionRange(a, Math.min(len, a + o.len));
          } else deliver(o.peer);
          for (const [i, d] of docs.entries()) expect(fields[i]!.value).toBe(d.getText('t').toString());
        }
        for (let i = 0; i < 3; i++) deliver(i);
        const final = docs[0]!.getText('t').toString();
        for (const [i, d] of docs.entries()) {
          expect(d.getText('t').toString()).toBe(final);
          expect(fields[i]!.value).toBe(final);
        }
        expect(final).not.toContain('\uFFFD');
      }),
      { seed, numRuns: 150 },
    );
  });
});

describe('bindTextField maxLength', () => {
  it('reports how much an over-long input was cut, and 0 once an input fits (no silent cut, issue 14)', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    const field = new FakeField();
    const cuts: number[] = [];
    bindTextField(field, text, { origin: 'me', maxLength: 10, onCut: (n) => cuts.push(n) });
    field.type('12345678');
    field.type('abcdef');
    expect(text.toString()).toBe('12345678ab');
    field.setSelectionRange(10, 10);
    field.value = '12345678a';
    field.selectionStart = field.selectionEnd = 9;
    field.fire('input');
    expect(cuts).toEqual([0, 4, 0]);
    expect(text.toString()).toBe('12345678a');
  });
});
