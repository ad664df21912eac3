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
 * The entries one item holds for `me` (none for an archived item). A question that waits
 * on me is listed once, as waiting, even when it also mentions me.
 */
export function itemInboxEntries(item: ItemSnapshot, me: Me): InboxEntry[] {
  if (item.archivedAt !== null) return [];
  const out: InboxEntry[] = [];
  const waiting = questionsForMe([item], me);
  const waitingIds = new Set(waiting.map((w) => w.question.id));
  for (const w of waiting) {
    const q = w.question;
    out.push(
      w.action === 'answer'
        ? { key: `question-to-answer:${q.id}`, kind: 'question-to-answer', itemId: item.id, itemTitle: item.title, at: q.createdAt, from: q.authorName, text: q.text }
        : {
            key: `question-to-resolve:${q.id}`,
            kind: 'question-to-resolve',
            itemId: item.id,
            itemTitle: item.title,
            at: q.answeredAt ?? q.createdAt,
            from: q.answeredByName,
            text: q.answer ?? q.text,
          },
    );
  }
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
  return out;
}

/**
 * Every entry for `me`, newest first. `cache` (per person) keeps each item's entries for
 * as long as its snapshot is the same object, so a change to one item re-reads only that
 * item: on a 10,000-item board the whole derivation would otherwise run on every edit.
 */
export function deriveInbox(
  items: readonly ItemSnapshot[],
  rounds: readonly AsyncRound[],
  me: Me,
  cache?: WeakMap<ItemSnapshot, readonly InboxEntry[]>,
): InboxEntry[] {
  const out: InboxEntry[] = [];
  const waiting = waitingFor(rounds, me);
  // Titles only of the few items with a round waiting: a map of every title costs more than the rest.
  const titles = new Map<string, string | null>(waiting.map((r) => [r.itemId, null]));
  for (const item of items) {
    if (item.archivedAt !== null) continue;
    if (titles.size > 0 && titles.has(item.id)) titles.set(item.id, item.title);
    let entries = cache?.get(item);
    if (!entries) {
      entries = itemInboxEntries(item, me);
      cache?.set(item, entries);
    }
    for (const e of entries) out.push(e);
  }
  for (const r of waiting) {
    const title = titles.get(r.itemId);
    if (title === null || title === undefined) continue; // archived or gone
    out.push({ key: `estimate:${r.round}`, kind: 'estimate', itemId: r.itemId, itemTitle: title, at: r.startedAt, from: null, text: '', deadline: r.deadline });
  }
  return out.sort((a, b) => b.at - a.at || a.key.localeCompare(b.key));
}

/** Unread: it arrived after the person last opened the inbox and after they last opened its item. */
export const isUnread = (entry: InboxEntry, markers: InboxMarkers): boolean =>
  entry.at > Math.max(markers.all, markers.items.get(entry.itemId) ?? 0);

export const unreadInboxCount = (entries: readonly InboxEntry[], markers: InboxMarkers): number =>
  entries.reduce((n, e) => n + (isUnread(e, markers) ? 1 : 0), 0);
