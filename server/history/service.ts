/**
 * What the history endpoints answer (docs/protocol.md, "History"): pages of events, a
 * move's note, the board as it stood at a time (HIS-4: base + every update stamped at or
 * before it, so exact after compaction), and the digest since a person's last visit (HIS-5).
 */
import * as Y from 'yjs';
import {
  type AsOfItem,
  type AsOfResponse,
  type DigestEntry,
  type DigestResponse,
  type HistoryEvent,
  type HistoryKind,
  type HistoryPage,
  MAX_HISTORY_PAGE,
  MAX_MOVE_NOTE_LENGTH,
  MOVE_NOTE_WINDOW_MS,
} from '../../shared/history.ts';
import type { BoardId } from '../../shared/ids.ts';
import { listItems } from '../../shared/schema/board.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { limitLength, wellFormed } from '../../shared/schema/text.ts';
import type { AuthUser } from '../extensions.ts';
import { HttpError } from '../http/errors.ts';
import type { HistoryStore, PrivateStore, StoredHistoryEvent } from '../storage/types.ts';

const visitKey = (user: AuthUser) => `history:visit:${user.userId}`;

export function toWire(e: StoredHistoryEvent): HistoryEvent {
  const fields = JSON.parse(e.data) as Record<string, unknown>;
  const out: HistoryEvent = {
    at: e.at,
    user: { id: e.userId, name: e.userName, role: e.userRole },
    kind: e.kind as HistoryKind,
    itemId: e.itemId,
    ...fields,
  };
  if (e.note !== null) out.note = e.note;
  return out;
}

function positiveInt(raw: string | null, name: string): number | null {
  if (raw === null || raw === '') return null;
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'bad_request', `${name} must be a whole number`);
  return Number(raw);
}

export async function historyPage(
  store: HistoryStore,
  boardId: BoardId,
  query: { item: string | null; before: string | null; limit: string | null },
): Promise<HistoryPage> {
  const limit = Math.min(positiveInt(query.limit, 'limit') ?? 50, MAX_HISTORY_PAGE);
  if (limit < 1) throw new HttpError(400, 'bad_request', 'limit must be at least 1');
  const before = positiveInt(query.before, 'before');
  const rows = await store.historyEvents(boardId, { itemId: query.item || null, before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { events: page.map(toWire), next: rows.length > limit ? String(page[page.length - 1]!.seq) : null };
}

export async function attachNote(store: HistoryStore, boardId: BoardId, user: AuthUser, body: Record<string, unknown>, now: number) {
  const raw = body.note;
  if (typeof raw !== 'string' || raw.trim() === '') throw new HttpError(400, 'bad_request', 'note must be a non-empty string');
  const note = wellFormed(limitLength(raw.trim(), MAX_MOVE_NOTE_LENGTH));
  const event = await store.noteLatestMove(boardId, user.userId, note, now - MOVE_NOTE_WINDOW_MS);
  if (!event) throw new HttpError(404, 'no_recent_move', 'You have no move in the last 10 minutes to explain');
  return { event: toWire(event) };
}

/** The board's doc as it stood at `at`, or null before its history begins. */
export async function docAsOf(store: HistoryStore, boardId: BoardId, at: number): Promise<{ doc: Y.Doc; baseAt: number } | null> {
  const stored = await store.historyUpdatesUntil(boardId, at);
  if (!stored) return null;
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const u of stored.updates) Y.applyUpdate(doc, u);
  });
  return { doc, baseAt: stored.baseAt };
}

const asOfItem = (item: ItemSnapshot, i: number): AsOfItem => ({
  id: item.id,
  position: i + 1,
  title: item.title,
  status: item.status,
  estimate: item.estimate,
  labels: [...item.labels],
  sprintId: item.sprintId,
});

export async function asOf(store: HistoryStore, boardId: BoardId, atRaw: string | null): Promise<AsOfResponse> {
  const at = positiveInt(atRaw, 'at');
  if (at === null) throw new HttpError(400, 'bad_request', 'at (ms since the epoch) is required');
  const then = await docAsOf(store, boardId, at);
  if (!then) throw new HttpError(404, 'before_history', 'The board’s history does not reach back that far');
  try {
    return { at, historyStartsAt: then.baseAt, items: listItems(then.doc).map(asOfItem) };
  } finally {
    then.doc.destroy();
  }
}

/** A string field of a stored event's data (`commentId`, `questionId`), or ''. */
function eventField(e: StoredHistoryEvent, field: string): string {
  try {
    const v = (JSON.parse(e.data) as Record<string, unknown>)[field];
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}

/** 1-based backlog positions of the active items. */
function positionsOf(doc: Y.Doc): Map<string, number> {
  return new Map(listItems(doc).map((item, i) => [item.id, i + 1]));
}

/**
 * The digest since `user`'s last visit: the board then and now compared, item by item,
 * for the items someone else changed since. A first visit starts the clock and tells nothing.
 */
export async function digest(store: HistoryStore & PrivateStore, boardId: BoardId, user: AuthUser, now: number): Promise<DigestResponse> {
  const stored = await store.getPrivate(boardId, visitKey(user));
  const since = stored === null ? null : Number(JSON.parse(stored));
  if (since === null || !Number.isFinite(since)) {
    await store.putPrivate(boardId, visitKey(user), JSON.stringify(now));
    return { since: null, until: now, entries: [] };
  }
  const byOthers = new Set<string>();
  // The comments others added and the questions others answered since, by their events: the
  // server's time and the token's user (HIS-1), not the record's own createdAt/answeredAt,
  // which the writer's clock sets (a clock behind would hide them from the digest).
  const commented = new Set<string>();
  const answered = new Set<string>();
  let before: number | null = null;
  for (;;) {
    const rows = await store.historyEvents(boardId, { before, limit: 500 });
    for (const e of rows) {
      if (!(e.at > since && e.userId !== user.userId && e.itemId)) continue;
      byOthers.add(e.itemId);
      if (e.kind === 'commented') commented.add(`${e.itemId}|${eventField(e, 'commentId')}`);
      if (e.kind === 'question-answered') answered.add(`${e.itemId}|${eventField(e, 'questionId')}`);
    }
    if (rows.length < 500 || rows[rows.length - 1]!.at <= since) break;
    before = rows[rows.length - 1]!.seq;
  }
  if (byOthers.size === 0) return { since, until: now, entries: [] };
  const [then, current] = await Promise.all([docAsOf(store, boardId, since), docAsOf(store, boardId, now)]);
  if (!current) return { since, until: now, entries: [] };
  const thenItems = new Map<string, { item: ItemSnapshot; position: number | null }>();
  if (then) {
    const at = positionsOf(then.doc);
    for (const item of listItems(then.doc, { includeArchived: true })) thenItems.set(item.id, { item, position: at.get(item.id) ?? null });
  }
  const positionNow = positionsOf(current.doc);
  const entries: DigestEntry[] = [];
  for (const item of listItems(current.doc, { includeArchived: true })) {
    if (!byOthers.has(item.id)) continue;
    const position = positionNow.get(item.id) ?? null;
    const old = thenItems.get(item.id);
    const entry: DigestEntry = {
      itemId: item.id,
      title: item.title,
      isNew: !old,
      movedBy: old?.position != null && position !== null ? old.position - position : 0,
      estimate: old && old.item.estimate !== item.estimate ? { from: old.item.estimate, to: item.estimate } : null,
      madeReady: item.status === 'ready' && old?.item.status !== 'ready',
      archived: item.archivedAt !== null && old?.item.archivedAt === null,
      newComments: item.comments.filter((c) => commented.has(`${item.id}|${c.id}`) && c.deletedAt === null).length,
      answeredQuestions: item.questions.filter((q) => answered.has(`${item.id}|${q.id}`) && q.answer !== null).length,
    };
    const told = entry.isNew || entry.movedBy !== 0 || entry.estimate || entry.madeReady || entry.archived || entry.newComments || entry.answeredQuestions;
    if (told) entries.push(entry);
  }
  then?.doc.destroy();
  current.doc.destroy();
  return { since, until: now, entries };
}

/** The person has seen the digest up to `until`: the next one starts there. */
export async function digestSeen(store: PrivateStore, boardId: BoardId, user: AuthUser, body: Record<string, unknown>, now: number) {
  const until = body.until;
  const at = typeof until === 'number' && Number.isFinite(until) && until <= now ? until : now;
  await store.putPrivate(boardId, visitKey(user), JSON.stringify(at));
  return { since: at };
}
