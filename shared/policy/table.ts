/**
 * The write policy as data: which role may change which region of the board document.
 * The server enforces it on every client update (server/policy/gate.ts); the UI reads it
 * to grey out what the server would refuse; docs/protocol.md ("Write policy") is this
 * table in prose. Rule ids are the POL rules of docs/SPEC.md.
 */
import type { Role } from '../roles.ts';

/** Who may change a region: some roles, or nobody but the server itself. */
export type Writers = readonly Role[] | 'server';

export const REGIONS = [
  'meta.title',
  'meta.deck',
  'meta.planning',
  'meta.system',
  'items.create',
  'items.edit',
  'items.delete',
  'item.immutable',
  'item.estimate',
  'item.readyOverride',
  'item.externalKey',
  'item.dots',
  'item.comments',
  'item.questions',
  'session',
  'sprints',
  'estimation',
  'reads',
  'meta.definitionOfReady',
  'item.readyChecks',
] as const;
export type Region = (typeof REGIONS)[number];

export interface PolicyRow {
  region: Region;
  /** Document path the region covers, for people (`*` = any key). */
  path: string;
  writers: Writers;
  /** The docs/SPEC.md rule that guards the region. */
  rule: string;
  /** Conditions on top of the role, in words (the gate enforces each). */
  conditions: string;
}

/** The team: PO, SM and developers create, edit, move and estimate items. */
export const TEAM: readonly Role[] = ['po', 'sm', 'dev'];
/**
 * Everyone who may change the board at all: every role but the viewer (AUTH-3). The
 * stakeholder among them only comments, asks, answers, keeps read markers and, when the
 * facilitator lets them, places dots (POL-19).
 */
export const NON_VIEWERS: readonly Role[] = [...TEAM, 'stakeholder'];
/** PO and SM run the session: phase, timer, focus, estimation rounds, decks. */
export const FACILITATORS: readonly Role[] = ['po', 'sm'];

export const POLICY: readonly PolicyRow[] = [
  { region: 'meta.title', path: 'meta.title', writers: FACILITATORS, rule: 'POL-3', conditions: '' },
  {
    region: 'meta.deck',
    path: 'meta.deck',
    writers: FACILITATORS,
    rule: 'POL-3',
    conditions: 'Usually through PUT /api/boards/:id/deck, which validates the cards.',
  },
  {
    region: 'meta.planning',
    path: 'meta.{productGoal,developersMayPlan}',
    writers: FACILITATORS,
    rule: 'POL-12',
    conditions: 'The product goal (SPR-8) and whether developers may plan planned sprints (SPR-4).',
  },
  {
    region: 'meta.system',
    path: 'meta.createdAt, meta.formatVersion, other meta keys',
    writers: 'server',
    rule: 'POL-3',
    conditions: '',
  },
  {
    region: 'items.create',
    path: 'items.*',
    writers: TEAM,
    rule: 'POL-4',
    conditions: '`createdBy` must be the writer; `id` must equal the key; an existing item is never replaced.',
  },
  {
    region: 'items.edit',
    path: 'items.*.{title,description,rank,status,labels,sprintId,archivedAt,criteria,…}',
    writers: TEAM,
    rule: 'POL-4',
    conditions:
      'Covers edit, move (rank) and archive/restore (archivedAt) of the fields; `sprintId` only as SPR-4 allows (developers into/out of planned sprints when `meta.developersMayPlan`, nobody into/out of a closed sprint or into a sprint that does not exist); `blocked` names the writer (SPR-9); and of the fields the format has (POL-16, POL-17: no other keys, each value its type and limit). Setting `status` to `ready` while the item has open questions needs a PO override in the same update (POL-15), also on a new item; so does any other failing check of the board’s Definition of Ready (DOR-4).',
  },
  {
    region: 'items.delete',
    path: 'items.* (removing the entry)',
    writers: [],
    rule: 'POL-4',
    conditions: 'Items are archived (soft delete, ITEM-1), never removed.',
  },
  {
    region: 'item.immutable',
    path: 'items.*.{id,createdBy,createdAt}',
    writers: [],
    rule: 'POL-4',
    conditions: 'Set once when the item is created.',
  },
  {
    region: 'item.estimate',
    path: 'items.*.estimate',
    writers: FACILITATORS,
    rule: 'POL-5',
    conditions: 'The agreed estimate; any value. A new item may carry `estimate: null`.',
  },
  {
    region: 'item.readyOverride',
    path: 'items.*.readyOverride',
    writers: ['po'],
    rule: 'POL-6',
    conditions:
      '`by` must be the writer. Clearing it (`null`, e.g. when an item leaves ready) is an item edit anyone of the team may make. A new item may carry `readyOverride: null`.',
  },
  {
    region: 'item.externalKey',
    path: 'items.*.externalKey',
    writers: 'server',
    rule: 'POL-20',
    conditions:
      'The key an imported item had in the system it came from; written by the import (POST /api/boards/:id/import) only, so re-imports can trust it.',
  },
  {
    region: 'item.dots',
    path: 'items.*.dots.<userId>',
    writers: NON_VIEWERS,
    rule: 'POL-7',
    conditions:
      'Only your own userId key; an integer ≥ 0; only while a dot round is open; your total across items ≤ the round budget (POL-8). Facilitators may also remove anyone’s dots (clearing a round). Stakeholders place dots only while `session.stakeholderDots` is true (POL-19).',
  },
  {
    region: 'item.comments',
    path: 'items.*.comments[*]',
    writers: NON_VIEWERS,
    rule: 'POL-9',
    conditions:
      'Create with `authorId` = yourself; edit or delete only comments whose `authorId` is you. `mentions`: distinct user ids, at most `maxMentionsPerEntry` (MEN-2).',
  },
  {
    region: 'item.questions',
    path: 'items.*.questions[*]',
    writers: NON_VIEWERS,
    rule: 'POL-10',
    conditions:
      'Create with `authorId` = yourself; answer: anyone but a viewer (`answeredBy` = yourself); resolve: the asker or the PO (`resolvedBy` = yourself); edit text/assignee or delete: the asker or the PO. `mentions` (the asker or the PO) and `answerMentions` (with the answer): distinct user ids, at most `maxMentionsPerEntry` (MEN-2).',
  },
  { region: 'session', path: 'session.*', writers: FACILITATORS, rule: 'POL-11', conditions: 'Phase, focus, timer, dot rounds.' },
  {
    region: 'sprints',
    path: 'sprints.* (name, goal, dates, state, capacity, availability, committed, outcome)',
    writers: FACILITATORS,
    rule: 'POL-12',
    conditions:
      'States only planned → active → closed, at most one active, a new sprint is planned (SPR-1); end not before start (SPR-1); `committed` is written in the update that starts the sprint (exactly the sprint’s items and their estimates’ points, checked by the server) and `outcome` in the one that closes it (exactly the sprint’s items at close, completed the done ones, also checked), each once and never rewritten; a closed sprint is read-only (SPR-5); only a planned sprint is removed (SPR-11).',
  },
  {
    region: 'estimation',
    path: 'estimation.*',
    writers: 'server',
    rule: 'POL-2',
    conditions: 'Planning-poker state; changed only through the estimation REST API.',
  },
  {
    region: 'reads',
    path: 'reads.<userId>:<itemId>, reads.<userId>:@inbox, reads.<userId>:@<itemId>',
    writers: NON_VIEWERS,
    rule: 'POL-14',
    conditions:
      'Per-user unread markers (REF-13) and For me inbox markers (MEN-4): only keys that start with your own userId; a whole number ≥ 0.',
  },
  {
    region: 'meta.definitionOfReady',
    path: 'meta.definitionOfReady',
    writers: ['po'],
    rule: 'DOR-5',
    conditions:
      'What `ready` requires (DOR-1): built-in checks and the team’s own entries (at most `LIMITS.maxCustomReadyChecks`, labels ≤ `LIMITS.maxReadyCheckLabelLength`). Setting `status` to `ready` while a required check fails needs a PO override in the same update (DOR-4).',
  },
  {
    region: 'item.readyChecks',
    path: 'items.*.readyChecks.<checkId>',
    writers: TEAM,
    rule: 'DOR-6',
    conditions: 'Ticks of the team’s Definition of Ready entries on an item, as any item edit: keys are check ids, values `true`; unticking removes the key.',
  },
];

/** Rule ids for refusals that are not about one region. */
export const POLICY_RULES = {
  estimation: 'POL-2',
  meta: 'POL-3',
  items: 'POL-4',
  estimate: 'POL-5',
  readyOverride: 'POL-6',
  /** `externalKey`: the server's import writes it, no client [POL-20]. */
  externalKey: 'POL-20',
  dots: 'POL-7',
  dotBudget: 'POL-8',
  comments: 'POL-9',
  questions: 'POL-10',
  session: 'POL-11',
  sprints: 'POL-12',
  /** Sprint states and dates: planned → active → closed, one active, end ≥ start. */
  sprintStates: 'SPR-1',
  /** Moving an item into or out of a sprint (items.*.sprintId). */
  sprintPlanning: 'SPR-4',
  /** The frozen records and closed sprints. */
  sprintRecords: 'SPR-5',
  /** Deleting a sprint: a planned one only. */
  sprintDelete: 'SPR-11',
  /** The blocked flag names its writer. */
  blocked: 'SPR-9',
  /** An update the server cannot place in the document (unknown root, parent or shape). */
  structure: 'POL-13',
  reads: 'POL-14',
  /** What a stakeholder may do: comment, ask, answer, read markers, dots when allowed. */
  stakeholder: 'POL-19',
  /** `status: ready` with open questions and no PO override in the same update. */
  ready: 'POL-15',
  /** `status: ready` while another required check of the Definition of Ready fails, no PO override. */
  definitionOfReady: 'DOR-4',
  /** `meta.definitionOfReady`: the PO's setting. */
  definitionSetting: 'DOR-5',
  /** `items.*.readyChecks`: ticks of the team's own checks. */
  readyChecks: 'DOR-6',
  /** A struct the board's shape (shared/schema/shape.ts) has no place for: key, type, nesting, content. */
  shape: 'POL-16',
  /** A field, text or list past its limit (LIMITS), judged on what the update leaves. */
  limits: 'POL-17',
  /** A mention list on a comment, question or answer: distinct user ids, at most maxMentionsPerEntry. */
  mentions: 'MEN-2',
} as const;
