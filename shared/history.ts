/**
 * The board's history on the wire (docs/protocol.md, "History"): event kinds and the JSON
 * the history, as-of and digest endpoints return. Shared by the server and the client.
 */
import { apiPaths, routePatterns } from './api.ts';
import type { ItemStatus } from './schema/item.ts';

export const HISTORY_KINDS = [
  'added',
  'imported',
  'moved',
  'edited',
  'status',
  'estimated',
  'agreed',
  'labels',
  'archived',
  'restored',
  'sprint',
  'question-asked',
  'question-answered',
  'question-resolved',
  'commented',
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** Who made a change, from their token (AUTH-2); the server's own changes are `server`. */
export interface HistoryUser {
  id: string;
  name: string;
  role: string;
}

/** One event. `from`/`to` and the other fields depend on `kind` (docs/protocol.md). */
export interface HistoryEvent {
  at: number;
  user: HistoryUser;
  kind: HistoryKind;
  itemId: string | null;
  from?: Record<string, unknown>;
  to?: Record<string, unknown>;
  note?: string;
  [field: string]: unknown;
}

export interface HistoryPage {
  events: HistoryEvent[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: string | null;
}

/** One item of the backlog as it stood (GET …/as-of), in backlog order. */
export interface AsOfItem {
  id: string;
  position: number;
  title: string;
  status: ItemStatus;
  estimate: string | null;
  labels: string[];
  sprintId: string | null;
}

export interface AsOfResponse {
  at: number;
  /** When the board's history begins; earlier times answer 404. */
  historyStartsAt: number;
  items: AsOfItem[];
}

/** What changed about one item since the person's last visit (GET …/digest). */
export interface DigestEntry {
  itemId: string;
  title: string;
  isNew: boolean;
  /** Positions gained (positive: moved up), or 0. */
  movedBy: number;
  estimate: { from: string | null; to: string | null } | null;
  madeReady: boolean;
  archived: boolean;
  newComments: number;
  answeredQuestions: number;
}

export interface DigestResponse {
  /** The last visit; null on a first visit (nothing to tell). */
  since: number | null;
  until: number;
  entries: DigestEntry[];
}

/** Filled-in history paths (apiPaths, from routePatterns: nothing spelled by hand). */
export const historyPaths = {
  events: apiPaths.historyEvents,
  notes: apiPaths.historyNotes,
  asOf: apiPaths.asOf,
  digest: apiPaths.digest,
  digestSeen: apiPaths.digestSeen,
};

export const historyPatterns = {
  events: routePatterns.historyEvents,
  notes: routePatterns.historyNotes,
  asOf: routePatterns.asOf,
  digest: routePatterns.digest,
  digestSeen: routePatterns.digestSeen,
};

/** A move's reason (typed into the undo toast), in code points. */
export const MAX_MOVE_NOTE_LENGTH = 140;
/** A note attaches to the mover's latest move made at most this long ago. */
export const MOVE_NOTE_WINDOW_MS = 10 * 60_000;
export const MAX_HISTORY_PAGE = 200;
