import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeServerFrame } from '../../shared/codec.ts';
import { FakeClock } from '../../test/helpers/fakeClock.ts';
import { SyncAnswers } from './syncAnswers.ts';

const EMPTY_SV = new Uint8Array([0]);

/** A doc that keeps an answerer told of every update, as the room does. */
function board(opts: { eagerBytes?: number } = {}) {
  const doc = new Y.Doc();
  const clock = new FakeClock();
  const answers = new SyncAnswers(doc, { clock, ...opts });
  doc.on('update', (u: Uint8Array) => answers.applied(u));
  return { doc, clock, answers };
}

/** What a fresh joiner holds after applying the frames, in order, as y-websocket does. */
function joinerOf(frames: Uint8Array[]): Y.Doc {
  const joiner = new Y.Doc();
  for (const f of frames) {
    const m = decodeServerFrame(f);
    if (m.type !== 'sync-step-2' && m.type !== 'sync-update') throw new Error(`unexpected ${m.type}`);
    Y.applyUpdate(joiner, m.update);
  }
  return joiner;
}

const content = (doc: Y.Doc) => doc.getMap('items').toJSON();
const kinds = (frames: Uint8Array[]) => frames.map((f) => decodeServerFrame(f).type);

describe('sync answers for a fresh joiner', () => {
  it('sends the kept encoding and the small updates since, and the joiner has the whole board', () => {
    const { doc, answers } = board();
    for (let i = 0; i < 50; i++) doc.getMap('items').set(`item-${i}`, `a title that is about this long ${i}`);
    const first = answers.answer(EMPTY_SV);
    expect(kinds(first)).toEqual(['sync-step-2']);
    doc.getMap('items').set('item-3', 'renamed');
    doc.getMap('items').delete('item-4');
    const second = answers.answer(EMPTY_SV);
    // Not encoded again: the same step 2, then the two updates.
    expect(second[0]).toBe(first[0]);
    expect(kinds(second)).toEqual(['sync-step-2', 'sync-update', 'sync-update']);
    expect(content(joinerOf(second))).toEqual(content(doc));
  });

  it('encodes again once the updates since outgrow the encoding', () => {
    const { doc, answers } = board();
    doc.getMap('items').set('a', 'x');
    const first = answers.answer(EMPTY_SV);
    for (let i = 0; i < 20; i++) doc.getMap('items').set(`item-${i}`, 'a value longer than the whole first board');
    const later = answers.answer(EMPTY_SV);
    expect(later[0]).not.toBe(first[0]);
    expect(kinds(later)).toEqual(['sync-step-2']);
    expect(content(joinerOf(later))).toEqual(content(doc));
  });

  it('makes a large board ready for its next joiner once it has been quiet, not while it changes', () => {
    const { doc, clock, answers } = board({ eagerBytes: 1024 });
    doc.getMap('items').set('seed', 'x');
    answers.answer(EMPTY_SV);
    const big = 'a long description '.repeat(20);
    for (let i = 0; i < 10; i++) {
      doc.getMap('items').set(`item-${i}`, big);
      clock.advance(100); // still changing: nothing is encoded yet
      expect(answers.ready).toBe(false);
    }
    clock.advance(300);
    expect(answers.ready).toBe(true);
    expect(content(joinerOf(answers.answer(EMPTY_SV)))).toEqual(content(doc));
  });

  it('a small board is encoded only when someone asks', () => {
    const { doc, clock, answers } = board();
    doc.getMap('items').set('seed', 'x');
    answers.answer(EMPTY_SV);
    doc.getMap('items').set('item', 'a value longer than the first board');
    clock.advance(10_000);
    expect(answers.ready).toBe(false);
  });

  it('keeps nothing made from a doc that no longer matches what was applied', () => {
    const { doc, answers } = board();
    doc.getMap('items').set('a', 'x');
    const first = answers.answer(EMPTY_SV);
    answers.invalidate();
    expect(answers.ready).toBe(false);
    expect(answers.answer(EMPTY_SV)[0]).not.toBe(first[0]);
  });

  it('answers a returning client with the difference only', () => {
    const { doc, answers } = board();
    doc.getMap('items').set('a', 'x');
    const returning = new Y.Doc();
    Y.applyUpdate(returning, Y.encodeStateAsUpdate(doc));
    doc.getMap('items').set('b', 'y');
    const frames = answers.answer(Y.encodeStateVector(returning));
    expect(kinds(frames)).toEqual(['sync-step-2']);
    const m = decodeServerFrame(frames[0]!);
    if (m.type !== 'sync-step-2') throw new Error('step 2 expected');
    Y.applyUpdate(returning, m.update);
    expect(content(returning)).toEqual(content(doc));
  });
});
