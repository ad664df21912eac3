import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeServerFrame } from '../../shared/codec.ts';
import { FakeClock } from '../../test/helpers/fakeClock.ts';
import { SyncAnswers } from './syncAnswers.ts';

const EMPTY_SV = new Uint8Array([0]);

/** A doc that keeps an answerer told of every update, as the room does. */
function board(opts: { eagerBytes?: number; merge?: (parts: readonly Uint8Array[]) => Promise<Uint8Array> } = {}) {
  const doc = new Y.Doc();
  const clock = new FakeClock();
  const answers = new SyncAnswers(doc, { clock, ...opts });
  doc.on('update', (u: Uint8Array) => answers.applied(u));
  return { doc, clock, answers };
}

/** What a fresh joiner holds after applying a step 2 frame. */
function joinerOf(frame: Uint8Array): Y.Doc {
  const m = decodeServerFrame(frame);
  if (m.type !== 'sync-step-2') throw new Error(`step 2 expected, got ${m.type}`);
  const joiner = new Y.Doc();
  Y.applyUpdate(joiner, m.update);
  return joiner;
}

const content = (doc: Y.Doc) => doc.getMap('items').toJSON();
const big = 'a long description '.repeat(20);

describe('sync answers for a fresh joiner', () => {
  it('encodes the board once per version, and every answer is the whole board', () => {
    const { doc, answers } = board();
    for (let i = 0; i < 50; i++) doc.getMap('items').set(`item-${i}`, `a title that is about this long ${i}`);
    const first = answers.answer(EMPTY_SV);
    expect(answers.answer(EMPTY_SV)).toBe(first); // not encoded again
    doc.getMap('items').set('item-3', 'renamed');
    const later = answers.answer(EMPTY_SV);
    expect(later).not.toBe(first);
    expect(content(joinerOf(later))).toEqual(content(doc));
  });

  it('makes a large board ready again once it has been quiet after a large change, not while it changes', () => {
    const { doc, clock, answers } = board({ eagerBytes: 1024 });
    doc.getMap('items').set('seed', 'x');
    answers.answer(EMPTY_SV);
    for (let i = 0; i < 10; i++) {
      doc.getMap('items').set(`item-${i}`, big);
      clock.advance(100); // still changing: nothing is encoded yet
      expect(answers.ready).toBe(false);
    }
    clock.advance(300);
    expect(answers.ready).toBe(true);
    expect(content(joinerOf(answers.answer(EMPTY_SV)))).toEqual(content(doc));
  });

  it('a small edit to a large board leaves the encoding to the next joiner', () => {
    const { doc, clock, answers } = board({ eagerBytes: 1024 });
    for (let i = 0; i < 20; i++) doc.getMap('items').set(`item-${i}`, big);
    answers.answer(EMPTY_SV);
    doc.getMap('items').set('item-3', 'renamed');
    clock.advance(10_000);
    expect(answers.ready).toBe(false);
    expect(content(joinerOf(answers.answer(EMPTY_SV)))).toEqual(content(doc));
  });

  it('a small board is encoded only when someone asks', () => {
    const { doc, clock, answers } = board();
    doc.getMap('items').set('seed', 'x');
    answers.answer(EMPTY_SV);
    doc.getMap('items').set('item', big);
    clock.advance(10_000);
    expect(answers.ready).toBe(false);
  });

  it('keeps nothing made from a doc that no longer matches what was applied', () => {
    const { doc, clock, answers } = board({ eagerBytes: 1024 });
    doc.getMap('items').set('a', big.repeat(10));
    const first = answers.answer(EMPTY_SV);
    doc.getMap('items').set('b', big.repeat(10)); // a large change: an encoding is due once quiet...
    answers.invalidate(); // ...but the doc cannot be trusted any more
    clock.advance(10_000);
    expect(answers.ready).toBe(false);
    expect(answers.answer(EMPTY_SV)).not.toBe(first);
  });

  it('answers a returning client with the difference only', () => {
    const { doc, answers } = board();
    doc.getMap('items').set('a', 'x');
    const returning = new Y.Doc();
    Y.applyUpdate(returning, Y.encodeStateAsUpdate(doc));
    doc.getMap('items').set('b', 'y');
    const frame = answers.answer(Y.encodeStateVector(returning));
    const m = decodeServerFrame(frame);
    if (m.type !== 'sync-step-2') throw new Error('step 2 expected');
    expect(m.update.length).toBeLessThan(Y.encodeStateAsUpdate(doc).length);
    Y.applyUpdate(returning, m.update);
    expect(content(returning)).toEqual(content(doc));
  });

  describe('with a merge off the event loop', () => {
    /** A merge thread stand-in: each merge waits until the test lets it finish. */
    function slowMerge() {
      const calls: { parts: readonly Uint8Array[]; finish(): void }[] = [];
      const merge = (parts: readonly Uint8Array[]) =>
        new Promise<Uint8Array>((resolve) => calls.push({ parts, finish: () => resolve(Y.mergeUpdates([...parts])) }));
      return { merge, calls };
    }
    const settle = () => new Promise<void>((r) => setImmediate(r));
    /** A board encoded once (the base), then ten large updates and the quiet that makes it due. */
    function largeChangeThenQuiet(doc: Y.Doc, clock: FakeClock, answers: SyncAnswers): void {
      for (let i = 0; i < 5; i++) doc.getMap('items').set(`seed-${i}`, big);
      answers.answer(EMPTY_SV);
      for (let i = 0; i < 10; i++) doc.getMap('items').set(`item-${i}`, big);
      clock.advance(300);
    }

    it('after a large change, the board is made ready by merging the last whole-board update with what came since', async () => {
      const { merge, calls } = slowMerge();
      const { doc, clock, answers } = board({ eagerBytes: 1024, merge });
      largeChangeThenQuiet(doc, clock, answers);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.parts).toHaveLength(11); // the base and the ten updates, not the doc
      expect(answers.ready).toBe(false);
      calls[0]!.finish();
      await settle();
      expect(answers.ready).toBe(true);
      expect(content(joinerOf(answers.answer(EMPTY_SV)))).toEqual(content(doc));
    });

    it('an update applied during the merge keeps the result from being taken as the board now, and a joiner still gets all of it', async () => {
      const { merge, calls } = slowMerge();
      const { doc, clock, answers } = board({ eagerBytes: 1024, merge });
      largeChangeThenQuiet(doc, clock, answers);
      doc.getMap('items').set('late', 'arrived while merging');
      calls[0]!.finish();
      await settle();
      expect(answers.ready).toBe(false);
      const joiner = joinerOf(answers.answer(EMPTY_SV));
      expect(joiner.getMap('items').get('late')).toBe('arrived while merging');
      expect(content(joiner)).toEqual(content(doc));
    });

    it('a merge that was under way when the doc stopped matching is thrown away', async () => {
      const { merge, calls } = slowMerge();
      const { doc, clock, answers } = board({ eagerBytes: 1024, merge });
      largeChangeThenQuiet(doc, clock, answers);
      answers.invalidate();
      calls[0]!.finish();
      await settle();
      expect(answers.ready).toBe(false);
    });

    it('a server change in steps far larger than the board is merged off the thread too (a big import into a small board)', async () => {
      const { merge, calls } = slowMerge();
      const doc = new Y.Doc();
      const clock = new FakeClock();
      const answers = new SyncAnswers(doc, { clock, eagerBytes: 1024, merge });
      doc.on('update', (u: Uint8Array) => answers.applied(u, true));
      doc.getMap('items').set('seed', 'x');
      answers.answer(EMPTY_SV);
      for (let i = 0; i < 40; i++) doc.getMap('items').set(`item-${i}`, big);
      clock.advance(300);
      expect(calls).toHaveLength(1);
      calls[0]!.finish();
      await settle();
      expect(answers.ready).toBe(true);
      expect(content(joinerOf(answers.answer(EMPTY_SV)))).toEqual(content(doc));
    });

    it('small edits past twice the board’s size are not kept: the next encoding is made from the doc', () => {
      const { merge, calls } = slowMerge();
      const { doc, clock, answers } = board({ eagerBytes: 1024, merge });
      doc.getMap('items').set('seed', 'x');
      answers.answer(EMPTY_SV);
      for (let i = 0; i < 40; i++) doc.getMap('items').set(`item-${i}`, big);
      clock.advance(300);
      expect(calls).toHaveLength(0);
      expect(answers.ready).toBe(true); // encoded here
    });

    it('a merge that fails leaves the encoding to the next joiner', async () => {
      const { doc, clock, answers } = board({ eagerBytes: 1024, merge: () => Promise.reject(new Error('thread gone')) });
      largeChangeThenQuiet(doc, clock, answers);
      await settle();
      expect(answers.ready).toBe(false);
      expect(content(joinerOf(answers.answer(EMPTY_SV)))).toEqual(content(doc));
    });
  });
});
