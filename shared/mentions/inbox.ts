/**
 * The "For me" inbox [MEN-3]: what on the board waits on one person, derived from the
 * document alone (pure, no Yjs), so every device shows the same list:
 * - comments, questions and answers that mention them (not their own, not deleted);
 * - open questions waiting on them: to answer (assigned to them, or to the PO when they
 *   are the PO and nobody is named, REF-4) or, as the asker, to resolve once answered;
 * - async poker rounds waiting for their estimate (EST-13).
 * Whether an entry is unread comes from the markers of shared/schema/inboxReads.ts.
 */
import type { Role } from '../roles.ts';
import { type AsyncRound, waitingFor } from '../schema/asyncRound.ts';
import type { ItemSnapshot } from '../schema/item.ts';
import { questionsForMe } from '../schema/questions.ts';

export type InboxKind = 'comment-mention' | 'question-mention' | 'answer-mention' | 'question-to-answer' | 'question-to-resolve' | 'estimate';

export interface InboxEntry {
  /** Stable per entry: `<kind>:<record id>`. */
  key: string;
  kind: InboxKind;
  itemId: string;
  itemTitle: string;
  /** When it arrived (ms): what unread is judged by. */
  at: number;
  /** Who it is from (display name), if anyone. */
  from: string | null;
  /** The words it is about: the comment, question or answer text. */
  text: string;
  /** Async rounds: the deadline. */
  deadline?: number;
}

export interface InboxMarkers {
  /** Everything up to this time was seen (the inbox was opened). */
  all: number;
  /** itemId → that item's entries up to this time were seen (its details were opened). */
  items: ReadonlyMap<string, number>;
}

export const NO_MARKERS: InboxMarkers = { all: 0, items: new Map() };

export interface Me {
  userId: string;
  role: Role;
}

/**
 * Every entry for `me`, newest first. A question that waits on me is listed once, as
 * waiting, even when it also mentions me. Archived items are left out.
 */
export function deriveInbox(items: readonly ItemSnapshot[], rounds: readonly AsyncRound[], me: Me): InboxEntry[] {
  const out: InboxEntry[] = [];
  const active = items.filter((i) => i.archivedAt === null);
  const waiting = questionsForMe(active, me);
  const waitingIds = new Set(waiting.map((w) => w.question.id));
  for (const w of waiting) {
    const q = w.question;
    out.push(
      w.action === 'answer'
        ? { key: `question-to-answer:${q.id}`, kind: 'question-to-answer', itemId: w.itemId, itemTitle: w.itemTitle, at: q.createdAt, from: q.authorName, text: q.text }
        : {
            key: `question-to-resolve:${q.id}`,
            kind: 'question-to-resolve',
            itemId: w.itemId,
            itemTitle: w.itemTitle,
            at: q.answeredAt ?? q.createdAt,
            from: q.answeredByName,
            text: q.answer ?? q.text,
          },
    );
  }
  for (const item of active) {
    for (const c of item.comments) {
      if (c.deletedAt !== null || c.authorId === me.userId || !c.mentions.includes(me.userId as never)) continue;
      out.push({ key: `comment-mention:${c.id}`, kind: 'comment-mention', itemId: item.id, itemTitle: item.title, at: c.editedAt ?? c.createdAt, from: c.authorName, text: c.text });
    }
    for (const q of item.questions) {
      if (q.authorId !== me.userId && q.mentions.includes(me.userId as never) && !waitingIds.has(q.id)) {
        out.push({ key: `question-mention:${q.id}`, kind: 'question-mention', itemId: item.id, itemTitle: item.title, at: q.createdAt, from: q.authorName, text: q.text });
      }
      if (q.answer !== null && q.answeredBy !== me.userId && q.answerMentions.includes(me.userId as never)) {
        out.push({
          key: `answer-mention:${q.id}`,
          kind: 'answer-mention',
          itemId: item.id,
          itemTitle: item.title,
          at: q.answeredAt ?? q.createdAt,
          from: q.answeredByName,
          text: q.answer,
        });
      }
    }
  }
  const titles = new Map(active.map((i) => [i.id as string, i.title]));
  for (const r of waitingFor(rounds, me)) {
    const title = titles.get(r.itemId);
    if (title === undefined) continue;
    out.push({ key: `estimate:${r.round}`, kind: 'estimate', itemId: r.itemId, itemTitle: title, at: r.startedAt, from: null, text: '', deadline: r.deadline });
  }
  return out.sort((a, b) => b.at - a.at || a.key.localeCompare(b.key));
}

/** Unread: it arrived after the person last opened the inbox and after they last opened its item. */
export const isUnread = (entry: InboxEntry, markers: InboxMarkers): boolean =>
  entry.at > Math.max(markers.all, markers.items.get(entry.itemId) ?? 0);

export const unreadInboxCount = (entries: readonly InboxEntry[], markers: InboxMarkers): number =>
  entries.reduce((n, e) => n + (isUnread(e, markers) ? 1 : 0), 0);
