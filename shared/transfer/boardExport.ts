/**
 * Our own JSON export: everything a board's backlog holds, in backlog order, so it can be
 * imported into a new board and come out identical [XFER-8]. Ids stay in the file as
 * `key`s; the import gives new ids and remembers the key as the item's externalKey.
 */
import type * as Y from 'yjs';
import { boardRoots, listItems, readMeta } from '../schema/board.ts';
import type { Blocked, ItemStatus, ReadyOverride } from '../schema/item.ts';
import { readSprint } from './sprintRead.ts';
import type { ImportedComment, ImportedQuestion, ImportedSprint } from './record.ts';

export const BOARD_EXPORT_FORMAT = 'refinement-board';
export const BOARD_EXPORT_VERSION = 1;

export interface ExportedItem {
  /** The item's externalKey if it has one, else its id on the exporting board. */
  key: string;
  title: string;
  description: string;
  status: ItemStatus;
  estimate: string | null;
  labels: string[];
  criteria: { text: string; done: boolean }[];
  questions: ImportedQuestion[];
  comments: ImportedComment[];
  readyOverride: ReadyOverride | null;
  /** The key of a sprint in `sprints`, or null. */
  sprint: string | null;
  createdBy: string;
  createdAt: number;
  archivedAt: number | null;
  /** Additions (planning): when it became done, and an impediment. */
  doneAt: number | null;
  blocked: Blocked | null;
}

export interface BoardExport {
  format: typeof BOARD_EXPORT_FORMAT;
  version: typeof BOARD_EXPORT_VERSION;
  exportedAt: number;
  board: { title: string; deck: string[] };
  sprints: ImportedSprint[];
  /** Active items in backlog order, then archived ones in their old order. */
  items: ExportedItem[];
}

export function exportBoardJson(doc: Y.Doc, now: number): BoardExport {
  const meta = readMeta(doc);
  const sprints: ImportedSprint[] = [];
  boardRoots(doc).sprints.forEach((raw, key) => {
    const s = readSprint(raw, key);
    if (s) sprints.push(s);
  });
  const all = listItems(doc, { includeArchived: true });
  const ordered = [...all.filter((i) => i.archivedAt === null), ...all.filter((i) => i.archivedAt !== null)];
  return {
    format: BOARD_EXPORT_FORMAT,
    version: BOARD_EXPORT_VERSION,
    exportedAt: now,
    board: { title: meta.title, deck: [...meta.deck] },
    sprints,
    items: ordered.map((i) => ({
      key: i.externalKey ?? i.id,
      title: i.title,
      description: i.description,
      status: i.status,
      estimate: i.estimate,
      labels: [...i.labels],
      criteria: i.criteria.map((c) => ({ text: c.text, done: c.done })),
      questions: i.questions.map((q) => ({
        text: q.text,
        authorId: q.authorId,
        authorName: q.authorName,
        createdAt: q.createdAt,
        assigneeId: q.assigneeId,
        assigneeName: q.assigneeName,
        answer: q.answer,
        answeredBy: q.answeredBy,
        answeredByName: q.answeredByName,
        answeredAt: q.answeredAt,
        resolvedAt: q.resolvedAt,
        resolvedBy: q.resolvedBy,
      })),
      comments: i.comments.map((c) => ({
        text: c.text,
        authorId: c.authorId,
        authorName: c.authorName,
        createdAt: c.createdAt,
        editedAt: c.editedAt,
        deletedAt: c.deletedAt,
      })),
      readyOverride: i.readyOverride,
      sprint: i.sprintId,
      createdBy: i.createdBy,
      createdAt: i.createdAt,
      archivedAt: i.archivedAt,
      doneAt: i.doneAt,
      blocked: i.blocked,
    })),
  };
}
