/**
 * Our own JSON export: everything a board holds that a user would miss, in backlog order,
 * so it can be imported into a new board and come out identical [XFER-8]: items with
 * their threads, ticks, dots and revealed poker rounds; sprints with availability and
 * their frozen records; the board's settings and dot round. Ids stay in the file (`key`,
 * `id`); the import gives new ids and remembers the key as the item's externalKey.
 *
 * Left out on purpose: what is secret or only about the moment. Poker votes of a round
 * that is not revealed are never in the document (the server keeps them, EST-1), and the
 * export reads only `estimation.history`, which holds revealed rounds; the live round's
 * state (who has voted), the session's phase, focus and timer, and the per-person read
 * markers (`reads`) are not exported.
 */
import type * as Y from 'yjs';
import { boardRoots, listItems, readMeta } from '../schema/board.ts';
import type { Availability } from '../schema/capacity.ts';
import { type DotVoting, readDotVoting, readStakeholderDots } from '../schema/dots.ts';
import { readHistory } from '../schema/estimation.ts';
import type { Blocked, ItemStatus, ReadyOverride } from '../schema/item.ts';
import type { DefinitionOfReady } from '../schema/readiness.ts';
import { readNumber } from '../schema/typed-map.ts';
import { readSprint } from './sprintRead.ts';
import type { ImportedComment, ImportedPokerRound, ImportedQuestion, ImportedSprint } from './record.ts';

export const BOARD_EXPORT_FORMAT = 'refinement-board';
export const BOARD_EXPORT_VERSION = 1;

export interface ExportedItem {
  /** The item's externalKey if it has one, else its id on the exporting board. */
  key: string;
  /** Its id on the exporting board (sprint records name items by id). Addition. */
  id: string;
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
  /** Additions (lossless export): ticked Definition of Ready entries, dots, revealed poker rounds. */
  readyChecks: string[];
  /** userId → dots in the board's dot round (pseudonyms `voter-N` when the round is anonymous). */
  dots: Record<string, number>;
  pokerRounds: ImportedPokerRound[];
}

/** A sprint with everything planning keeps on it. */
export interface ExportedSprint extends ImportedSprint {
  availability: Record<string, Availability>;
}

export interface BoardExport {
  format: typeof BOARD_EXPORT_FORMAT;
  version: typeof BOARD_EXPORT_VERSION;
  exportedAt: number;
  board: {
    title: string;
    deck: string[];
    /** Additions (lossless export); older files lack them. */
    productGoal: string;
    developersMayPlan: boolean;
    definitionOfReady: DefinitionOfReady;
  };
  /** The current or last dot-voting round (null: none yet), the budget setting, stakeholders' dots. Addition. */
  dotVoting: { round: DotVoting | null; budget: number; stakeholderDots: boolean };
  sprints: ExportedSprint[];
  /** Active items in backlog order, then archived ones in their old order. */
  items: ExportedItem[];
}

/**
 * In an anonymous dot round the UI shows nobody's dots as theirs; a file travels further
 * than the board, so it names voters by a pseudonym per person (the budget per person
 * still holds on import). Otherwise the user ids, as questions and comments name them.
 */
function dotVoterNames(anonymous: boolean): (userId: string) => string {
  if (!anonymous) return (u) => u;
  const names = new Map<string, string>();
  return (u) => {
    let name = names.get(u);
    if (!name) {
      name = `voter-${names.size + 1}`;
      names.set(u, name);
    }
    return name;
  };
}

function pokerRoundsOf(doc: Y.Doc, itemId: string): ImportedPokerRound[] {
  return readHistory(doc, itemId).map((r) => {
    const record = r as typeof r & { async?: unknown; deadline?: unknown; notes?: ImportedPokerRound['notes'] };
    const out: ImportedPokerRound = {
      round: r.round,
      deck: [...(r.deck ?? [])],
      results: { ...(r.results ?? {}) },
      names: { ...(r.names ?? {}) },
      startedAt: typeof r.startedAt === 'number' ? r.startedAt : null,
      revealedAt: r.revealedAt,
    };
    if (record.async === true) {
      out.async = true;
      out.deadline = readNumber(record.deadline);
      out.notes = { ...(record.notes ?? {}) };
    }
    return out;
  });
}

export function exportBoardJson(doc: Y.Doc, now: number): BoardExport {
  const meta = readMeta(doc);
  const { session, sprints: sprintRoot } = boardRoots(doc);
  const sprints: ExportedSprint[] = [];
  sprintRoot.forEach((raw, key) => {
    const s = readSprint(raw, key);
    if (s) sprints.push(s);
  });
  const dotRound = readDotVoting(doc);
  const voter = dotVoterNames(dotRound?.anonymous === true);
  const all = listItems(doc, { includeArchived: true });
  const ordered = [...all.filter((i) => i.archivedAt === null), ...all.filter((i) => i.archivedAt !== null)];
  return {
    format: BOARD_EXPORT_FORMAT,
    version: BOARD_EXPORT_VERSION,
    exportedAt: now,
    board: {
      title: meta.title,
      deck: [...meta.deck],
      productGoal: meta.productGoal,
      developersMayPlan: meta.developersMayPlan,
      definitionOfReady: meta.definitionOfReady,
    },
    dotVoting: { round: dotRound, budget: readNumber(session.get('dotBudget'), dotRound?.budget ?? 3), stakeholderDots: readStakeholderDots(doc) },
    sprints,
    items: ordered.map((i) => ({
      key: i.externalKey ?? i.id,
      id: i.id,
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
      readyChecks: [...i.readyChecks],
      dots: Object.fromEntries(Object.entries(i.dots).map(([u, n]) => [voter(u), n])),
      pokerRounds: pokerRoundsOf(doc, i.id),
    })),
  };
}
