/**
 * Planning poker on the server. Votes are secrets until reveal: each is kept in the
 * board's private storage (`poker:vote:<round>:<userId>`, survives a restart), and the
 * document only learns *that* someone voted (`estimation.voted`). At reveal the server
 * reads the votes and writes `estimation.results` plus the item's history in one change.
 * Every function takes the verified user; none trusts ids from the request body for who.
 */
import type * as Y from 'yjs';
import type { BoardId, ItemId } from '../../shared/ids.ts';
import { canChange, canRunEstimation, canSetEstimate, canVote } from '../../shared/policy/can.ts';
import { boardRoots, getItemMap, readMeta, setItemEstimate } from '../../shared/schema/board.ts';
import {
  isDeckName,
  readPoker,
  writeAutoReveal,
  writeRoundCancel,
  writeNonVoter,
  writeReveal,
  writeRoundStart,
  writeVoted,
} from '../../shared/schema/estimation.ts';
import { MAX_ESTIMATE_LENGTH } from '../../shared/schema/item.ts';
import { DECKS, validateDeck } from '../../shared/schema/meta.ts';
import type { AuthUser, BoardHandle } from '../extensions.ts';
import { HttpError } from '../http/errors.ts';
import type { PrivateStore } from '../storage/types.ts';

export interface PokerDeps {
  /** Votes before reveal live here (the server's storage is one). */
  storage: PrivateStore;
  withBoard<T>(boardId: BoardId, fn: (board: BoardHandle) => Promise<T> | T): Promise<T>;
}

/** A round takes votes while it is voting on an item (a cancelled round has none, UX-4). */
const isOpen = (snap: { state: string | null; itemId: string | null }) => snap.state === 'voting' && snap.itemId !== null;

const voteKey = (round: number, userId: string) => `poker:vote:${round}:${userId}`;

const forbidden = (message: string) => new HttpError(403, 'forbidden_role', message);
const bad = (code: string, message: string) => new HttpError(400, code, message);

/** Role checks go through shared/policy (EST-2): `allowed` is its answer for this call. */
function requireFacilitator(allowed: boolean, what: string): void {
  if (!allowed) throw forbidden(`Only the Product Owner or Scrum Master can ${what}`);
}

function roundParam(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw bad('unknown_round', '"round" must be a round number');
  return v;
}

function resolveDeck(doc: Y.Doc, deck: unknown): string[] {
  if (deck === undefined || deck === null) return [...readMeta(doc).deck];
  if (isDeckName(deck)) return [...DECKS[deck]];
  if (typeof deck === 'string') throw bad('unknown_deck', `No deck named "${deck}"`);
  const checked = validateDeck(deck);
  if (!checked.ok) throw bad('invalid_deck', checked.reason);
  return checked.cards;
}

export class PokerService {
  constructor(private readonly deps: PokerDeps) {}

  async start(user: AuthUser, body: Record<string, unknown>) {
    requireFacilitator(canRunEstimation(user.role), 'start a round');
    const itemId = body.itemId;
    if (typeof itemId !== 'string') throw bad('invalid_field', '"itemId" must be a string');
    return this.deps.withBoard(user.boardId, async (board) => {
      if (!getItemMap(board.doc, itemId)) throw bad('unknown_item', 'No such item on this board');
      const deck = resolveDeck(board.doc, body.deck);
      let round = 0;
      let abandoned: { round: number; voters: readonly string[] } | null = null;
      await board.change((doc) => {
        const prev = readPoker(doc);
        if (prev.state === 'voting' && prev.voted.length > 0) abandoned = { round: prev.round, voters: prev.voted };
        round = prev.round + 1;
        writeRoundStart(doc, { round, itemId, deck, now: Date.now() });
      });
      // A round replaced before reveal is never revealed: drop its secret votes.
      const dropped = abandoned as { round: number; voters: readonly string[] } | null;
      if (dropped) for (const u of dropped.voters) await this.deps.storage.deletePrivate(user.boardId, voteKey(dropped.round, u));
      return { round, itemId, deck };
    });
  }

  async vote(user: AuthUser, body: Record<string, unknown>) {
    if (!canVote(user.role)) throw forbidden('Viewers do not vote');
    const round = roundParam(body.round);
    const value = body.value;
    return this.deps.withBoard(user.boardId, async (board) => {
      const snap = readPoker(board.doc);
      if (snap.nonVoters.includes(user.userId)) throw forbidden('You marked yourself as not voting');
      if (snap.round !== round || !isOpen(snap)) throw bad('unknown_round', `Round ${round} is not open for votes`);
      if (typeof value !== 'string' || !snap.deck.includes(value)) throw bad('not_on_deck', 'That card is not on this round’s deck');
      await this.deps.storage.putPrivate(user.boardId, voteKey(round, user.userId), JSON.stringify({ value, at: Date.now() }));
      let counted = false;
      await board.change((doc) => {
        const now = readPoker(doc);
        if (now.round !== round || !isOpen(now)) return;
        writeVoted(doc, user.userId, user.name, true);
        counted = true;
      });
      if (!counted) {
        await this.deps.storage.deletePrivate(user.boardId, voteKey(round, user.userId));
        throw bad('unknown_round', `Round ${round} closed before your vote arrived`);
      }
      await this.maybeAutoReveal(board);
      return { round, value };
    });
  }

  /** The caller's own vote in the current round (never anyone else's). */
  async mine(user: AuthUser) {
    return this.deps.withBoard(user.boardId, async (board) => {
      const snap = readPoker(board.doc);
      const raw = snap.round > 0 ? await this.deps.storage.getPrivate(user.boardId, voteKey(snap.round, user.userId)) : null;
      const value = snap.state === 'revealed' ? (snap.results[user.userId] ?? null) : raw ? (JSON.parse(raw).value as string) : null;
      return { round: snap.round, state: snap.state, value, voting: canVote(user.role) && !snap.nonVoters.includes(user.userId) };
    });
  }

  async reveal(user: AuthUser, body: Record<string, unknown>) {
    requireFacilitator(canRunEstimation(user.role), 'reveal the votes');
    const round = roundParam(body.round);
    return this.deps.withBoard(user.boardId, async (board) => {
      const snap = readPoker(board.doc);
      if (snap.round !== round || snap.state === null || snap.itemId === null) throw bad('unknown_round', `No round ${round}`);
      if (snap.state === 'voting') await this.revealNow(user.boardId, board, round);
      return { round, results: readPoker(board.doc).results };
    });
  }

  /**
   * [UX-4] Drops the open round unrevealed: the document forgets who voted and which item
   * it was on, nothing goes into the item's history, and the secret votes are deleted.
   */
  async cancel(user: AuthUser, body: Record<string, unknown>) {
    requireFacilitator(canRunEstimation(user.role), 'cancel a round');
    const round = roundParam(body.round);
    return this.deps.withBoard(user.boardId, async (board) => {
      let voters: readonly string[] | null = null;
      await board.change((doc) => {
        const snap = readPoker(doc);
        if (snap.round !== round || snap.state !== 'voting' || snap.itemId === null) return;
        voters = snap.voted;
        writeRoundCancel(doc);
      });
      const dropped = voters as readonly string[] | null;
      if (dropped === null) throw bad('unknown_round', `Round ${round} is not open`);
      // Delete every possible vote of the round, not only those marked: a vote stored a
      // moment before its mark is still a secret of a round that never reveals.
      const people = new Set([...dropped, user.userId]);
      for (const u of people) await this.deps.storage.deletePrivate(user.boardId, voteKey(round, u));
      return { round, cancelled: true };
    });
  }

  private async revealNow(boardId: BoardId, board: BoardHandle, round: number): Promise<void> {
    // Votes are read from storage (async) but revealed in one synchronous change; a vote
    // marked between the two would be lost. So the change only reveals if `voted` is
    // still exactly the set read; otherwise read again. Later votes see `revealed` (400).
    for (let attempt = 0; attempt < 5; attempt++) {
      const voters = readPoker(board.doc).voted;
      const votes: Record<string, string> = {};
      for (const userId of voters) {
        const raw = await this.deps.storage.getPrivate(boardId, voteKey(round, userId));
        if (raw) votes[userId] = JSON.parse(raw).value as string;
      }
      let settled = false;
      await board.change((doc) => {
        const now = readPoker(doc);
        if (now.round !== round || now.state !== 'voting') {
          settled = true;
          return;
        }
        if (now.voted.length !== voters.length || now.voted.some((u) => !voters.includes(u))) return;
        writeReveal(doc, votes, Date.now());
        settled = true;
      });
      if (!settled) continue;
      // Public now (results and history); the private copies are no longer needed.
      for (const userId of voters) await this.deps.storage.deletePrivate(boardId, voteKey(round, userId));
      return;
    }
    throw new HttpError(409, 'busy', 'Votes kept arriving; try revealing again');
  }

  /**
   * Someone left: with auto-reveal on, the voters still here may all have voted now, and
   * nobody would otherwise trigger the reveal.
   */
  async presenceLeft(board: BoardHandle): Promise<void> {
    const snap = readPoker(board.doc);
    if (!snap.autoReveal || snap.state !== 'voting') return;
    await this.deps.withBoard(board.boardId, (loaded) => this.maybeAutoReveal(loaded));
  }

  /** Reveals when auto-reveal is on and every connected voter has voted. */
  private async maybeAutoReveal(board: BoardHandle): Promise<void> {
    const snap = readPoker(board.doc);
    if (!snap.autoReveal || !isOpen(snap) || snap.round === 0) return;
    const voters = new Set(
      board
        .presentUsers()
        .filter((u) => canVote(u.role) && !snap.nonVoters.includes(u.userId))
        .map((u) => u.userId),
    );
    if (voters.size === 0) return;
    for (const id of voters) if (!snap.voted.includes(id as never)) return;
    await this.revealNow(board.boardId, board, snap.round);
  }

  async agree(user: AuthUser, body: Record<string, unknown>) {
    if (!canSetEstimate(user.role)) throw forbidden('Only the Product Owner or Scrum Master set the agreed estimate');
    const raw = body.value;
    let value: string | null;
    if (raw === null) value = null;
    else if (typeof raw === 'string' && raw.trim() && [...raw.trim()].length <= MAX_ESTIMATE_LENGTH) value = raw.trim();
    else throw bad('invalid_estimate', `"value" must be a non-empty string of at most ${MAX_ESTIMATE_LENGTH} characters, or null`);
    return this.deps.withBoard(user.boardId, async (board) => {
      const itemId = typeof body.itemId === 'string' ? body.itemId : readPoker(board.doc).itemId;
      if (!itemId || !getItemMap(board.doc, itemId)) throw bad('unknown_item', 'No such item on this board');
      await board.change((doc) => setItemEstimate(doc, itemId as ItemId, value));
      return { itemId, estimate: value };
    });
  }

  async participation(user: AuthUser, body: Record<string, unknown>) {
    if (!canVote(user.role)) throw forbidden('Viewers never vote');
    if (typeof body.voting !== 'boolean') throw bad('invalid_field', '"voting" must be true or false');
    const voting = body.voting;
    return this.deps.withBoard(user.boardId, async (board) => {
      const round = readPoker(board.doc).round;
      await board.change((doc) => {
        writeNonVoter(doc, user.userId, !voting);
        if (!voting && readPoker(doc).state === 'voting') writeVoted(doc, user.userId, user.name, false);
      });
      if (!voting && round > 0) await this.deps.storage.deletePrivate(user.boardId, voteKey(round, user.userId));
      await this.maybeAutoReveal(board);
      return { voting };
    });
  }

  async options(user: AuthUser, body: Record<string, unknown>) {
    requireFacilitator(canRunEstimation(user.role), 'change estimation options');
    if (typeof body.autoReveal !== 'boolean') throw bad('invalid_field', '"autoReveal" must be true or false');
    const autoReveal = body.autoReveal;
    return this.deps.withBoard(user.boardId, async (board) => {
      await board.change((doc) => writeAutoReveal(doc, autoReveal));
      await this.maybeAutoReveal(board);
      return { autoReveal };
    });
  }

  async setDeck(user: AuthUser, body: Record<string, unknown>) {
    requireFacilitator(canChange(user.role, 'meta.deck'), 'change the deck');
    const checked = validateDeck(body.cards);
    if (!checked.ok) throw bad('invalid_deck', checked.reason);
    const cards = checked.cards;
    return this.deps.withBoard(user.boardId, async (board) => {
      await board.change((doc) => boardRoots(doc).meta.set('deck', cards));
      return { cards };
    });
  }
}
