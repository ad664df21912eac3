/**
 * [HIS-1] The recorder's derived events against the board itself, over a seeded random run
 * of changes (adds, imports large enough to re-sort, moves, archive/restore, rank ties, title,
 * estimate, questions, comments): every `moved`/`added`/`imported` position is the item's
 * place in `listItems` just before and just after the update, an item gets a `moved` exactly
 * when its own rank changed and its place did too, and the kept views answer every active
 * item's position and hold what `readItem` reads. The seed is printed (FC_SEED=<n> replays it).
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, UserId } from '../../shared/ids.ts';
import {
  addItem,
  appendItems,
  archiveItem,
  boardRoots,
  listItems,
  moveItem,
  restoreItem,
  setItemEstimate,
  setItemTitle,
} from '../../shared/schema/board.ts';
import { createCommentMap } from '../../shared/schema/comment.ts';
import { readItem } from '../../shared/schema/item.ts';
import { createQuestionMap } from '../../shared/schema/question.ts';
import { prng, runSeed, withSeededRandom } from '../../test/property/arbitraries.ts';
import { allViews, type DerivedEvent, deriveEvents, touchedItems, viewOf } from './derive.ts';

const u = 'u1' as UserId;

it('[HIS-1] derived positions and moves match the backlog before and after each of 400 random changes', () => {
  const seed = runSeed();
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  withSeededRandom(seed, () => {
    const doc = new Y.Doc();
    appendItems(
      doc,
      Array.from({ length: 40 }, (_, i) => ({ title: `Item ${i}`, createdBy: u })),
    );
    const views = allViews(doc);
    let last: Y.Transaction | null = null;
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      last = tr;
    });
    const ids = () => [...boardRoots(doc).items.keys()] as ItemId[];
    const active = () => listItems(doc).map((i) => i.id as string);
    const ranks = () => new Map([...boardRoots(doc).items.entries()].map(([id, m]) => [id, m.get('rank')]));
    let moves = 0;
    for (let step = 0; step < 400; step++) {
      const before = active();
      const ranksBefore = ranks();
      last = null;
      const k = r();
      const id = pick(ids());
      if (k < 0.08) addItem(doc, { title: `New ${step}`, createdBy: u, placement: { index: Math.floor(r() * (before.length + 1)) } });
      else if (k < 0.11) appendItems(doc, Array.from({ length: r() < 0.5 ? 3 : 70 }, (_, i) => ({ title: `Imp ${step}.${i}`, createdBy: u })));
      else if (k < 0.5 && before.length > 1) moveItem(doc, pick(before) as ItemId, { index: Math.floor(r() * before.length) });
      else if (k < 0.58) archiveItem(doc, id, 1_000 + step);
      else if (k < 0.64) restoreItem(doc, id);
      else if (k < 0.7 && before.length > 1) {
        // A tie: two items with one rank (two offline clients can write that); ids break it.
        const other = boardRoots(doc).items.get(pick(before))!.get('rank');
        doc.transact(() => boardRoots(doc).items.get(id)!.set('rank', other));
      } else if (k < 0.8) setItemTitle(doc, id, `Title ${step}`);
      else if (k < 0.87) setItemEstimate(doc, id, pick(['1', '3', '8', null]));
      else if (k < 0.94) {
        const q = createQuestionMap({ id: `q${step}` as never, text: 'Why?', authorId: u, authorName: 'Ada', createdAt: step });
        doc.transact(() => (boardRoots(doc).items.get(id)!.get('questions') as Y.Array<unknown>).push([q]));
      } else {
        const c = createCommentMap({ id: `c${step}` as never, text: 'Ok', authorId: u, authorName: 'Ada', createdAt: step });
        doc.transact(() => (boardRoots(doc).items.get(id)!.get('comments') as Y.Array<unknown>).push([c]));
      }
      if (!last) continue;
      const events: DerivedEvent[] = deriveEvents(doc, touchedItems(doc, last), views, false);
      const after = active();
      const place = (order: string[], x: string) => {
        const i = order.indexOf(x);
        return i < 0 ? null : i + 1;
      };
      for (const e of events) {
        const f = e.fields as { from?: { position?: number }; to?: { position?: number }; itemIds?: string[] };
        if (e.kind === 'moved') {
          moves++;
          expect(f.from?.position, `step ${step}: moved from`).toBe(place(before, e.itemId!));
          expect(f.to?.position, `step ${step}: moved to`).toBe(place(after, e.itemId!));
        }
        if (e.kind === 'added') expect(f.to?.position, `step ${step}: added at`).toBe(place(after, e.itemId!));
        if (e.kind === 'imported') expect(f.to?.position).toBe(Math.min(...f.itemIds!.map((x) => place(after, x)!)));
      }
      const ranksAfter = ranks();
      const expectedMoves = after
        .filter((x) => before.includes(x) && ranksBefore.get(x) !== ranksAfter.get(x) && place(before, x) !== place(after, x))
        .sort();
      const movedIds = events.filter((e) => e.kind === 'moved').map((e) => e.itemId!);
      expect(movedIds.sort(), `step ${step}: which items moved`).toEqual(expectedMoves);
      expect(after.map((x) => views.position(x)), `step ${step}: every position`).toEqual(after.map((_, i) => i + 1));
    }
    expect(moves).toBeGreaterThan(50);
    // The kept views read what readItem reads, for every item (archived ones too).
    boardRoots(doc).items.forEach((raw, key) => {
      const item = readItem(raw, key)!;
      const v = viewOf(raw, key)!;
      expect(v).toEqual({
        id: key,
        rank: item.rank,
        archived: item.archivedAt !== null,
        title: item.title,
        description: item.description,
        status: item.status,
        estimate: item.estimate,
        labels: item.labels,
        sprintId: item.sprintId,
        questions: new Map(item.questions.map((q) => [q.id, { answered: q.answer !== null, resolved: q.resolvedAt !== null }])),
        comments: new Set(item.comments.map((c) => c.id)),
      });
      expect(views.get(key)).toEqual(v);
    });
  });
});
