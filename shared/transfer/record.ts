/**
 * What every format's reader produces: the file's records as items to write, plus what
 * was wrong with it. One shape for all formats, so writing an import is one function.
 */
import type { Availability } from '../schema/capacity.ts';
import type { DotVoting } from '../schema/dots.ts';
import type { Blocked, ItemStatus, ReadyOverride } from '../schema/item.ts';
import type { DefinitionOfReady } from '../schema/readiness.ts';
import type { CommittedRecord, SprintOutcome } from '../schema/sprintRecord.ts';
import type { ImportFormat, ImportIssue } from './report.ts';

/** A question or comment carried by our own JSON export (kept as recorded there). */
export interface ImportedQuestion {
  text: string;
  authorId: string;
  authorName: string;
  createdAt: number;
  assigneeId: string | null;
  assigneeName: string | null;
  answer: string | null;
  answeredBy: string | null;
  answeredByName: string | null;
  answeredAt: number | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
}
export interface ImportedComment {
  text: string;
  authorId: string;
  authorName: string;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
}
export interface ImportedSprint {
  /** The sprint's id in the file; items name it in `sprintKey`. */
  key: string;
  name: string;
  goal: string;
  capacity: number | null;
  startsAt: number | null;
  endsAt: number | null;
  /** Additions (planning); absent in older exports: planned, focus 1, no points per day. */
  state?: 'planned' | 'active' | 'closed';
  focusFactor?: number;
  pointsPerDay?: number | null;
  /** Additions (lossless export); absent in older exports: nobody's availability, no records. */
  availability?: Readonly<Record<string, Availability>>;
  /** Frozen at start / close (SPR-5); item ids are the exporting board's, remapped on import. */
  committed?: CommittedRecord | null;
  outcome?: SprintOutcome | null;
}

/** One revealed planning-poker round of an item (`estimation.history`), without its item id. */
export interface ImportedPokerRound {
  round: number;
  deck: string[];
  /** userId → card: revealed rounds only; votes of an open round never leave the server. */
  results: Record<string, string>;
  names: Record<string, string>;
  startedAt: number | null;
  revealedAt: number;
  /** Async rounds (EST-12…17) also keep their deadline and the voters' notes. */
  async?: true;
  deadline?: number;
  notes?: Record<string, { comment: string; confidence: 'low' | 'high' | null }>;
}

/** The board-wide parts only our own JSON carries: settings and the dot round. */
export interface ImportedBoardParts {
  deck: string[] | null;
  productGoal: string | null;
  developersMayPlan: boolean | null;
  definitionOfReady: DefinitionOfReady | null;
  /** The file's dot round (open or closed); the items' `dots` belong to it. */
  dotVoting: DotVoting | null;
  dotBudget: number | null;
  stakeholderDots: boolean | null;
}

/** The parts only our own JSON carries (lossless round trip). */
export interface FullItemData {
  questions: ImportedQuestion[];
  comments: ImportedComment[];
  readyOverride: ReadyOverride | null;
  sprintKey: string | null;
  archivedAt: number | null;
  createdBy: string | null;
  createdAt: number | null;
  doneAt: number | null;
  blocked: Blocked | null;
  /** The item's id on the exporting board (sprint records name items by it); else its key. */
  sourceId: string | null;
  /** Ticked custom Definition of Ready entries (DOR-6). */
  readyChecks: string[];
  /** userId → dots of the file's dot round. */
  dots: Record<string, number>;
  /** Revealed poker rounds, oldest first. */
  pokerRounds: ImportedPokerRound[];
}

export interface ImportRecord {
  /** The row as ImportIssue.row counts it. */
  row: number;
  externalKey: string | null;
  title: string;
  description: string;
  /** null: the file says nothing (new items get `new`; updates keep theirs). */
  status: ItemStatus | null;
  estimate: string | null;
  labels: string[];
  criteria: { text: string; done: boolean }[];
  full?: FullItemData;
}

export interface ParsedImport {
  format: ImportFormat;
  records: ImportRecord[];
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** Rows the format itself leaves out (sub-tasks, archived cards), each with a warning. */
  skipped: number;
  /** CSV header names (for the mapping UI). */
  columns?: string[];
  sprints?: ImportedSprint[];
  /** Our JSON: board settings and the dot round. */
  board?: ImportedBoardParts;
  /**
   * The item fields the file carries (it has the column, or the format always has them).
   * `update=1` overwrites only these; a field the file does not have is left alone.
   */
  fields: ReadonlySet<UpdatableField>;
}

/** What `update=1` may overwrite on an item already on the board. */
export const UPDATABLE_FIELDS = ['title', 'description', 'estimate', 'labels', 'status'] as const;
export type UpdatableField = (typeof UPDATABLE_FIELDS)[number];

/** Thrown for input that is not the kind of file it should be (HTTP 400). */
export class UnreadableImport extends Error {}

/** Collects issues for one parse; `row`-sorted output keeps reports readable. */
export class IssueLog {
  readonly errors: ImportIssue[] = [];
  readonly warnings: ImportIssue[] = [];
  error(row: number, column: string | null, message: string): void {
    this.errors.push({ row, column, message });
  }
  warn(row: number, column: string | null, message: string): void {
    this.warnings.push({ row, column, message });
  }
}

/** How a long loop gives other work (other boards) a turn [XFER-7]. */
export interface Pacing {
  /** Steps between two pauses (default 500). */
  yieldEvery?: number;
  /** How to pause; default a macrotask (setImmediate in Node), so I/O of other boards runs. */
  pause?: () => Promise<void>;
}

/**
 * One turn of the event loop: setImmediate runs right after pending I/O (other boards'
 * sockets), without setTimeout's 1 ms floor; setTimeout where there is no setImmediate.
 */
export const macrotask = (): Promise<void> =>
  new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** A function to await once per step: it resolves at once, except every `yieldEvery`-th call, which pauses. */
export function pacer(pacing: Pacing): () => Promise<void> | undefined {
  const every = pacing.yieldEvery ?? 500;
  const pause = pacing.pause ?? macrotask;
  let n = 0;
  return () => (++n % every === 0 ? pause() : undefined);
}
