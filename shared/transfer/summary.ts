/**
 * The refinement summary as data [XFER-9]: what a sprint review or the next session needs
 * from a board, derived purely from its document. format=md renders it
 * (summaryMarkdown.ts); the board's "Summary" view renders the same model.
 * "This session" is everything since `since` (default: the start of `now`'s UTC day),
 * as far as the document records times: item creation, poker reveals, PO ready overrides,
 * answers and resolutions. Moves and plain status or estimate changes carry no time in the
 * document, so they are listed in `notRecorded` rather than guessed.
 */
import type * as Y from 'yjs';
import { listItems, readMeta } from '../schema/board.ts';
import { readDotVoting } from '../schema/dots.ts';
import { cardValue, readHistory, roundStats } from '../schema/estimation.ts';
import type { ItemStatus } from '../schema/item.ts';

export interface SummaryRef {
  id: string;
  title: string;
}

export interface SummaryItem extends SummaryRef {
  status: ItemStatus;
  estimate: string | null;
  labels: string[];
  externalKey: string | null;
  openQuestions: number;
  dots: number;
}

export interface RefinementSummary {
  title: string;
  /** YYYY-MM-DD of `now`, UTC. */
  date: string;
  generatedAt: number;
  since: number;
  /** Active items in backlog order. */
  items: SummaryItem[];
  changes: {
    added: SummaryRef[];
    estimated: (SummaryRef & { estimate: string | null })[];
    madeReady: SummaryRef[];
    notRecorded: string[];
  };
  decisions: { item: SummaryRef; question: string; answer: string; answeredByName: string | null; resolvedAt: number }[];
  openQuestions: { item: SummaryRef; question: string; askedBy: string; waitingOn: string; answered: boolean }[];
  dotVoting: { round: number; open: boolean; results: (SummaryRef & { dots: number })[] } | null;
  pokerRounds: {
    item: SummaryRef;
    round: number;
    votes: number;
    /** Median of the counted numeric votes, or null (non-numeric deck, no votes). */
    median: number | null;
    consensus: boolean;
    /** The item's agreed estimate now (the value the round led to). */
    final: string | null;
    revealedAt: number | null;
  }[];
}

const NOT_RECORDED = [
  'moves up or down (the document keeps positions, not when they changed)',
  'status and estimate changes made outside planning poker or a PO ready override',
];

const dayStart = (now: number) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};

export function summarize(doc: Y.Doc, opts: { now: number; since?: number }): RefinementSummary {
  const since = opts.since ?? dayStart(opts.now);
  const items = listItems(doc);
  const ref = (i: { id: string; title: string }): SummaryRef => ({ id: i.id, title: i.title });
  const summary: RefinementSummary = {
    title: readMeta(doc).title,
    date: new Date(opts.now).toISOString().slice(0, 10),
    generatedAt: opts.now,
    since,
    items: items.map((i) => ({
      ...ref(i),
      status: i.status,
      estimate: i.estimate,
      labels: [...i.labels],
      externalKey: i.externalKey,
      openQuestions: i.openQuestionCount,
      dots: i.dotTotal,
    })),
    changes: { added: [], estimated: [], madeReady: [], notRecorded: NOT_RECORDED },
    decisions: [],
    openQuestions: [],
    dotVoting: null,
    pokerRounds: [],
  };
  for (const item of items) {
    if (item.createdAt >= since) summary.changes.added.push(ref(item));
    if (item.status === 'ready' && item.readyOverride && item.readyOverride.at >= since) summary.changes.madeReady.push(ref(item));
    const rounds = readHistory(doc, item.id);
    if (rounds.some((r) => r.revealedAt >= since)) summary.changes.estimated.push({ ...ref(item), estimate: item.estimate });
    for (const r of rounds) {
      const stats = roundStats(r.deck, r.results);
      summary.pokerRounds.push({
        item: ref(item),
        round: r.round,
        votes: Object.keys(r.results).length,
        median: stats.numeric && stats.median !== null ? cardValue(stats.median) : null,
        consensus: stats.consensus,
        final: item.estimate,
        revealedAt: r.revealedAt ?? null,
      });
    }
    for (const q of item.questions) {
      if (q.resolvedAt !== null) {
        if (q.answer !== null) {
          summary.decisions.push({ item: ref(item), question: q.text, answer: q.answer, answeredByName: q.answeredByName, resolvedAt: q.resolvedAt });
        }
      } else {
        const answered = q.answer !== null;
        // An answered open question waits on its asker to resolve it (REF-4).
        const waitingOn = answered ? q.authorName : (q.assigneeName ?? 'Product Owner');
        summary.openQuestions.push({ item: ref(item), question: q.text, askedBy: q.authorName, waitingOn, answered });
      }
    }
  }
  const dots = readDotVoting(doc);
  if (dots) {
    const results = items
      .filter((i) => i.dotTotal > 0)
      .map((i) => ({ ...ref(i), dots: i.dotTotal }))
      .sort((a, b) => b.dots - a.dots);
    summary.dotVoting = { round: dots.round, open: dots.open, results };
  }
  summary.pokerRounds.sort((a, b) => (a.revealedAt ?? 0) - (b.revealedAt ?? 0));
  return summary;
}
