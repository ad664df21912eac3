import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import {
  type AsyncRound,
  isInvited,
  knownVoters,
  parseVoteNote,
  readAsyncRound,
  readAsyncRounds,
  revealDue,
  timeLeft,
  waitingFor,
  writeAsyncReveal,
  writeAsyncStart,
  writeAsyncVoted,
} from './asyncRound.ts';
import { readHistory } from './estimation.ts';

const round = (over: Partial<AsyncRound> = {}): AsyncRound => ({
  round: 1,
  itemId: 'i1' as AsyncRound['itemId'],
  deck: ['1', '2', '3'],
  startedAt: 0,
  startedBy: null,
  deadline: 1000,
  state: 'voting',
  invited: {},
  voted: [],
  names: {},
  results: {},
  notes: {},
  revealedAt: null,
  revealReason: null,
  ...over,
});

describe('async rounds: pure rules', () => {
  it('[EST-16] a note is a short single-line comment and a low/high confidence', () => {
    expect(parseVoteNote('  risky  ', 'low')).toEqual({ ok: true, note: { comment: 'risky', confidence: 'low' } });
    expect(parseVoteNote(undefined, undefined)).toEqual({ ok: true, note: { comment: '', confidence: null } });
    expect(parseVoteNote('x'.repeat(LIMITS.maxVoteCommentLength), 'high').ok).toBe(true);
    expect(parseVoteNote('x'.repeat(LIMITS.maxVoteCommentLength + 1), null).ok).toBe(false);
    expect(parseVoteNote('two\nlines', null).ok).toBe(false);
    expect(parseVoteNote(5, null).ok).toBe(false);
    expect(parseVoteNote('', 'medium').ok).toBe(false);
  });

  it('[EST-14] due at the deadline, or once every invited voter has voted; an open invite waits for the deadline', () => {
    expect(revealDue(round(), 999)).toBeNull();
    expect(revealDue(round(), 1000)).toBe('deadline');
    expect(revealDue(round({ invited: { a: 'A', b: 'B' }, voted: ['a' as UserId] }), 10)).toBeNull();
    expect(revealDue(round({ invited: { a: 'A', b: 'B' }, voted: ['a', 'b'] as UserId[] }), 10)).toBe('all-voted');
    expect(revealDue(round({ voted: ['a', 'b'] as UserId[] }), 10)).toBeNull();
    expect(revealDue(round({ state: 'revealed' }), 5000)).toBeNull();
  });

  it('[EST-13] [POL-19] waiting for my estimate: open rounds I am invited to and have not voted in, soonest first', () => {
    const me = { userId: 'a', role: 'dev' as const };
    const rounds = [
      round({ round: 1, deadline: 500 }),
      round({ round: 2, deadline: 100, invited: { a: 'A' } }),
      round({ round: 3, invited: { b: 'B' } }),
      round({ round: 4, voted: ['a' as UserId] }),
      round({ round: 5, state: 'revealed' }),
    ];
    expect(waitingFor(rounds, me).map((r) => r.round)).toEqual([2, 1]);
    expect(waitingFor(rounds, { userId: 'a', role: 'stakeholder' })).toEqual([]);
    expect(isInvited(round(), { userId: 'x', role: 'viewer' })).toBe(false);
  });

  it('says how far a deadline is', () => {
    expect(timeLeft(0, 10)).toBe('now');
    expect(timeLeft(5 * 60_000, 0)).toBe('in 5 min');
    expect(timeLeft(3 * 3_600_000, 0)).toBe('in 3 h');
    expect(timeLeft(3 * 86_400_000, 0)).toBe('in 3 d');
  });
});

describe('async rounds in the document', () => {
  it('[EST-15] old boards have none; rounds are numbered per board, one per item, revealed into the history', () => {
    const doc = new Y.Doc();
    expect(readAsyncRounds(doc)).toEqual([]);
    const r1 = writeAsyncStart(doc, { itemId: 'i1', deck: ['1', '2'], now: 10, deadline: 99, startedBy: 'sm', invited: { a: 'Ada' } });
    const r2 = writeAsyncStart(doc, { itemId: 'i2', deck: ['1', '2'], now: 10, deadline: 99, startedBy: 'sm', invited: {} });
    expect([r1, r2]).toEqual([1, 2]);
    expect(writeAsyncVoted(doc, r1, 'a', 'Ada')).toBe(true);
    expect(readAsyncRound(doc, 'i1')).toMatchObject({ voted: ['a'], results: {}, invited: { a: 'Ada' } });
    const rec = writeAsyncReveal(doc, r1, { a: { value: '2', comment: 'ok', confidence: 'high' } }, 120, 'all-voted');
    expect(rec).toMatchObject({ async: true, results: { a: '2' }, names: { a: 'Ada' } });
    expect(readAsyncRound(doc, 'i1')).toMatchObject({ state: 'revealed', revealReason: 'all-voted', notes: { a: { comment: 'ok', confidence: 'high' } } });
    expect(writeAsyncVoted(doc, r1, 'b', 'Bo')).toBe(false);
    expect(writeAsyncReveal(doc, r1, {}, 130, 'deadline')).toBeNull();
    expect(readHistory(doc, 'i1')).toHaveLength(1);
    expect(knownVoters(doc)).toEqual({ a: 'Ada' });
  });
});
