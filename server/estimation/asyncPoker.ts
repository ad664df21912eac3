/**
 * Async planning poker on the server (EST-12…17): rounds with a deadline, one per item,
 * several open at once. Secrecy is the live round's (EST-1): a vote and its note are kept
 * in the board's private store (`poker:async:<round>:<userId>`) until reveal, and the
 * document learns only *who* voted. A round reveals at its deadline (the deadline is in the
 * DeadlineStore, found by DeadlineScheduler even when the board is not loaded or the server
 * restarted), when every invited voter has voted, or when a facilitator reveals it early.
 * Every function takes the verified user; none trusts ids from the body for who.
 */
import type { BoardId, UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { canRunEstimation, canVote } from '../../shared/policy/can.ts';
import {
  findAsyncRound,
  isInvited,
  knownVoters,
  parseVoteNote,
  readAsyncRound,
  readAsyncRounds,
  type RevealReason,
  revealDue,
  type VoteNote,
  writeAsyncReveal,
  writeAsyncStart,
  writeAsyncVoted,
} from '../../shared/schema/asyncRound.ts';
import { getItem, readMeta } from '../../shared/schema/board.ts';
import { isDeckName } from '../../shared/schema/estimation.ts';
import { DECKS, validateDeck } from '../../shared/schema/meta.ts';
import type { AuthUser, BoardHandle } from '../extensions.ts';
import { HttpError } from '../http/errors.ts';
import type { DeadlineStore, PrivateStore } from '../storage/types.ts';

export interface AsyncPokerDeps {
  storage: PrivateStore & DeadlineStore;
  withBoard<T>(boardId: BoardId, fn: (board: BoardHandle) => Promise<T> | T): Promise<T>;
  now(): number;
  /** A deadline was stored: the scheduler may need to wake earlier. */
  scheduled(dueAt: number): void;
}

/** Private key of one person's vote in an async round. */
const voteKey = (round: number, userId: string) => `poker:async:${round}:${userId}`;
/** DeadlineStore key of an async round. */
export const deadlineKey = (round: number) => `poker:async:${round}`;
const roundOfDeadlineKey = (key: string): number | null => {
  const m = /^poker:async:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
};

interface StoredVote extends VoteNote {
  value: string;
  at: number;
}

const forbidden = (code: string, message: string) => new HttpError(403, code, message);
const bad = (code: string, message: string) => new HttpError(400, code, message);

function roundParam(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw bad('unknown_round', '"round" must be a round number');
  return v;
}

function parseVote(raw: string | null): StoredVote | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as StoredVote;
    return typeof v.value === 'string' ? v : null;
  } catch {
    return null;
  }
}

export class AsyncPokerService {
  constructor(private readonly deps: AsyncPokerDeps) {}

  /** POST …/estimation/async/start {itemId, deadline, voters?, deck?} (facilitators). */
  async start(user: AuthUser, body: Record<string, unknown>) {
    if (!canRunEstimation(user.role)) throw forbidden('forbidden_role', 'Only the Product Owner or Scrum Master can open a round');
    const { itemId, deadline } = body;
    if (typeof itemId !== 'string') throw bad('invalid_field', '"itemId" must be a string');
    const now = this.deps.now();
    if (typeof deadline !== 'number' || !Number.isInteger(deadline) || deadline <= now) {
      throw bad('invalid_deadline', '"deadline" must be a future time in ms since the epoch');
    }
    if (deadline - now > LIMITS.maxAsyncRoundMs) throw bad('invalid_deadline', 'A round may run for at most 14 days');
    const voters = body.voters ?? [];
    if (!Array.isArray(voters) || voters.length > LIMITS.maxAsyncVoters || voters.some((v) => typeof v !== 'string')) {
      throw bad('invalid_field', `"voters" must be a list of at most ${LIMITS.maxAsyncVoters} user ids`);
    }
    return this.deps.withBoard(user.boardId, async (board) => {
      const item = getItem(board.doc, itemId);
      if (!item || item.archivedAt !== null) throw bad('unknown_item', 'No such item on this board');
      const deck = this.deck(board, body.deck);
      const invited = this.invited(board, user, voters as string[]);
      let round = 0;
      await board.change((doc) => {
        const open = readAsyncRounds(doc).filter((r) => r.state === 'voting');
        if (open.some((r) => r.itemId === itemId)) return;
        if (open.length >= LIMITS.maxOpenAsyncRounds) return;
        round = writeAsyncStart(doc, { itemId, deck, now, deadline, startedBy: user.userId, invited });
      });
      if (round === 0) {
        const open = readAsyncRound(board.doc, itemId)?.state === 'voting';
        throw new HttpError(409, 'round_open', open ? 'This item already has an open async round' : 'Too many async rounds are open');
      }
      await this.deps.storage.putDeadline(user.boardId, deadlineKey(round), deadline);
      this.deps.scheduled(deadline);
      return { round, itemId, deck, deadline, voters: Object.keys(invited) };
    });
  }

  private deck(board: BoardHandle, deck: unknown): string[] {
    if (deck === undefined || deck === null) return [...readMeta(board.doc).deck];
    if (isDeckName(deck)) return [...DECKS[deck]];
    if (typeof deck === 'string') throw bad('unknown_deck', `No deck named "${deck}"`);
    const checked = validateDeck(deck);
    if (!checked.ok) throw bad('invalid_deck', checked.reason);
    return checked.cards;
  }

  /**
   * Invited voters by name. Names come from the server's own knowledge (the people present,
   * whose awareness it pins from their tokens, and voters the document names), never from
   * the request; an id the board does not know as a voter is refused.
   */
  private invited(board: BoardHandle, user: AuthUser, ids: readonly string[]): Record<string, string> {
    const known: Record<string, string> = { ...knownVoters(board.doc) };
    for (const p of board.presentUsers()) if (canVote(p.role)) known[p.userId] = p.name;
    if (canVote(user.role)) known[user.userId] = user.name;
    const out: Record<string, string> = {};
    for (const id of new Set(ids)) {
      const name = known[id];
      if (!name) throw bad('unknown_voter', 'Invite people who are on this board and may estimate');
      out[id] = name;
    }
    return out;
  }

  /** POST …/estimation/async/vote {round, value, comment?, confidence?}: again to change it. */
  async vote(user: AuthUser, body: Record<string, unknown>) {
    if (!canVote(user.role)) throw forbidden('forbidden_role', 'Only the team estimates');
    const round = roundParam(body.round);
    const note = parseVoteNote(body.comment, body.confidence);
    if (!note.ok) throw bad('invalid_note', note.reason);
    const value = body.value;
    return this.deps.withBoard(user.boardId, async (board) => {
      const snap = findAsyncRound(board.doc, round);
      if (snap?.state !== 'voting') throw bad('unknown_round', `Round ${round} is not open for votes`);
      if (!isInvited(snap, user)) throw forbidden('not_invited', 'You are not invited to this round');
      if (this.deps.now() >= snap.deadline) {
        await this.reveal(user.boardId, board, round, 'deadline');
        throw bad('unknown_round', `Round ${round} closed at its deadline`);
      }
      if (typeof value !== 'string' || !snap.deck.includes(value)) throw bad('not_on_deck', 'That card is not on this round’s deck');
      const stored: StoredVote = { value, ...note.note, at: this.deps.now() };
      await this.deps.storage.putPrivate(user.boardId, voteKey(round, user.userId), JSON.stringify(stored));
      let counted = false;
      await board.change((doc) => {
        counted = writeAsyncVoted(doc, round, user.userId, user.name);
      });
      if (!counted) {
        await this.deps.storage.deletePrivate(user.boardId, voteKey(round, user.userId));
        throw bad('unknown_round', `Round ${round} closed before your vote arrived`);
      }
      const now = findAsyncRound(board.doc, round);
      if (now && revealDue(now, this.deps.now()) === 'all-voted') await this.reveal(user.boardId, board, round, 'all-voted');
      return { round, value, comment: stored.comment, confidence: stored.confidence };
    });
  }

  /** GET …/estimation/async/vote: the caller's own votes in the open rounds, nobody else's. */
  async mine(user: AuthUser) {
    return this.deps.withBoard(user.boardId, async (board) => {
      const votes: Array<{ round: number; itemId: string } & Omit<StoredVote, 'at'>> = [];
      for (const r of readAsyncRounds(board.doc)) {
        if (r.state !== 'voting' || !r.voted.includes(user.userId)) continue;
        const v = parseVote(await this.deps.storage.getPrivate(user.boardId, voteKey(r.round, user.userId)));
        if (v) votes.push({ round: r.round, itemId: r.itemId, value: v.value, comment: v.comment, confidence: v.confidence });
      }
      return { votes };
    });
  }

  /** POST …/estimation/async/reveal {round} (facilitators, before the deadline; idempotent). */
  async revealEarly(user: AuthUser, body: Record<string, unknown>) {
    if (!canRunEstimation(user.role)) throw forbidden('forbidden_role', 'Only the Product Owner or Scrum Master can reveal');
    const round = roundParam(body.round);
    return this.deps.withBoard(user.boardId, async (board) => {
      const snap = findAsyncRound(board.doc, round);
      if (!snap) throw bad('unknown_round', `No round ${round}`);
      if (snap.state === 'voting') await this.reveal(user.boardId, board, round, 'facilitator');
      const after = findAsyncRound(board.doc, round);
      return { round, results: after?.results ?? {}, notes: after?.notes ?? {} };
    });
  }

  /**
   * A stored deadline fell due (DeadlineScheduler): reveal its round if still open. Also
   * reveals any other round of the board whose deadline has passed (a lost deadline row).
   */
  async deadlineDue(boardId: BoardId, key: string): Promise<void> {
    const round = roundOfDeadlineKey(key);
    try {
      await this.deps.withBoard(boardId, async (board) => {
        const now = this.deps.now();
        for (const r of readAsyncRounds(board.doc)) {
          const reason = revealDue(r, now);
          if (reason) await this.reveal(boardId, board, r.round, reason);
        }
        const snap = round === null ? null : findAsyncRound(board.doc, round);
        // Still open and not yet due (a deadline moved later): keep it stored.
        if (snap && snap.state === 'voting') await this.deps.storage.putDeadline(boardId, key, snap.deadline);
        else await this.deps.storage.deleteDeadline(boardId, key);
      });
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return; // the board is gone; so is its deadline row
      throw err;
    }
  }

  /**
   * Reveals one round: reads every voter's stored vote, then writes results, notes and the
   * history entry in one change, but only if `voted` is still the set read (a vote marked
   * in between would otherwise be lost); later votes find the round revealed.
   */
  private async reveal(boardId: BoardId, board: BoardHandle, round: number, reason: RevealReason): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const snap = findAsyncRound(board.doc, round);
      if (snap?.state !== 'voting') return;
      const voters = snap.voted;
      const votes: Record<string, StoredVote> = {};
      for (const userId of voters) {
        const v = parseVote(await this.deps.storage.getPrivate(boardId, voteKey(round, userId)));
        if (v) votes[userId] = v;
      }
      let settled = false;
      await board.change((doc) => {
        const now = findAsyncRound(doc, round);
        if (now?.state !== 'voting') {
          settled = true;
          return;
        }
        if (!sameSet(now.voted, voters)) return;
        writeAsyncReveal(doc, round, votes, this.deps.now(), reason);
        settled = true;
      });
      if (!settled) continue;
      for (const userId of voters) await this.deps.storage.deletePrivate(boardId, voteKey(round, userId));
      await this.deps.storage.deleteDeadline(boardId, deadlineKey(round));
      return;
    }
    throw new HttpError(409, 'busy', 'Votes kept arriving; try revealing again');
  }
}

const sameSet = (a: readonly UserId[], b: readonly UserId[]) => a.length === b.length && a.every((u) => b.includes(u));

