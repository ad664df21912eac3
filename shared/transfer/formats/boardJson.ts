/**
 * Our own JSON export (boardExport.ts) read back [XFER-12]: every item with its
 * description, criteria, labels, status, estimate, questions with answers, comments, ready
 * override, sprint, ticks, dots and revealed poker rounds, the board's sprints (with
 * availability and frozen records), settings and dot round (boardJsonParts.ts), so an
 * export imported into a new board comes out the same, in the same order. The file is untrusted: every value is checked against
 * the record shapes the server's gate uses (question.ts, comment.ts, sprint.ts), and
 * titles, descriptions and labels go through the same fields as every format (fields.ts).
 */
import { LIMITS } from '../../limits.ts';
import { COMMENT_SHAPE } from '../../schema/comment.ts';
import { isBlocked, isEstimate, isItemStatus, type ReadyOverride } from '../../schema/item.ts';
import { QUESTION_SHAPE } from '../../schema/question.ts';
import type { RecordShape } from '../../schema/shape-types.ts';
import { limitLength, wellFormed } from '../../schema/text.ts';
import { isFocusFactor, isPointsPerDay, isSprintName, isSprintState } from '../../schema/sprint.ts';
import { isIdLike } from '../../ids.ts';
import { BOARD_EXPORT_FORMAT } from '../boardExport.ts';
import { descriptionField, keyField, labelsField, titleField } from '../fields.ts';
import { readBoardParts, readDots, readPokerRounds, readReadyChecks, readSprintParts } from './boardJsonParts.ts';
import {
  type ImportedBoardParts,
  type ImportedComment,
  type ImportedQuestion,
  type ImportedSprint,
  type ImportRecord,
  type IssueLog,
  type Pacing,
  type ParsedImport,
  pacer,
  UnreadableImport,
  UPDATABLE_FIELDS,
} from '../record.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const isBoardExport = (data: unknown): boolean => isObject(data) && data.format === BOARD_EXPORT_FORMAT;

/**
 * Picks the fields of `shape` (except `id`, which the import gives anew) from `raw`; null
 * and an error naming the first field that does not fit.
 */
/** Record fields that hold user ids of the exporting board's members (MEN-1), not carried over. */
const MENTION_FIELDS: ReadonlySet<string> = new Set(['mentions', 'answerMentions']);

function recordOf<T>(raw: unknown, shape: RecordShape, at: { row: number; column: string }, log: IssueLog): T | null {
  if (!isObject(raw)) {
    log.error(at.row, at.column, 'Expected an object');
    return null;
  }
  const out: Json = {};
  for (const [key, field] of Object.entries(shape.fields)) {
    if (key === 'id' || field.kind !== 'value') continue;
    // Mentions name user ids of the board the file came from: in a new board they are nobody.
    if (MENTION_FIELDS.has(key)) {
      out[key] = [];
      continue;
    }
    const value = raw[key] === undefined ? null : raw[key];
    if (!field.accepts(value)) {
      log.error(at.row, `${at.column}.${key}`, `Expected ${field.what}`);
      return null;
    }
    out[key] = value;
  }
  return out as T;
}

function listOf<T>(raw: unknown, max: number, read: (v: unknown, i: number) => T | null, at: { row: number; column: string }, log: IssueLog): T[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    log.error(at.row, at.column, 'Expected a list');
    return [];
  }
  if (raw.length > max) log.warn(at.row, at.column, `${raw.length} entries; only the first ${max} are kept`);
  return raw
    .slice(0, max)
    .map(read)
    .filter((v): v is T => v !== null);
}

function readSprints(raw: unknown, log: IssueLog): ImportedSprint[] {
  if (!Array.isArray(raw)) return [];
  const out: ImportedSprint[] = [];
  raw.forEach((s, i) => {
    const column = `sprints[${i}]`;
    if (!isObject(s) || typeof s.key !== 'string' || !isSprintName(s.name)) {
      log.warn(0, column, `A sprint without a key or a name (1–${LIMITS.maxSprintNameLength} characters) is left out`);
      return;
    }
    const capacity = num(s.capacity);
    const state = isSprintState(s.state) ? s.state : 'planned';
    out.push({
      ...readSprintParts(s, state, column, log),
      key: s.key,
      name: s.name.trim(),
      goal: str(s.goal).slice(0, LIMITS.maxSprintGoalLength),
      capacity: capacity !== null && capacity >= 0 ? capacity : null,
      startsAt: num(s.startsAt),
      endsAt: num(s.endsAt),
      state,
      focusFactor: isFocusFactor(s.focusFactor) ? s.focusFactor : 1,
      pointsPerDay: isPointsPerDay(s.pointsPerDay) ? s.pointsPerDay : null,
    });
  });
  return out;
}

function readOverride(v: unknown): ReadyOverride | null {
  if (!isObject(v) || !isIdLike(v.by) || typeof v.name !== 'string' || num(v.at) === null) return null;
  return { by: v.by as never, name: v.name.slice(0, LIMITS.maxDisplayNameLength), at: v.at as number };
}

export async function readBoardJson(data: unknown, log: IssueLog, pacing: Pacing = {}, maxRecords = Number.POSITIVE_INFINITY): Promise<ParsedImport> {
  if (!isObject(data) || !Array.isArray(data.items)) throw new UnreadableImport('A board export needs an "items" list: expected the file that "Export → JSON" downloads');
  const sprints = readSprints(data.sprints, log);
  const sprintKeys = new Set(sprints.map((s) => s.key));
  const records: ImportRecord[] = [];
  const pace = pacer(pacing);
  const items = data.items as unknown[];
  if (items.length > maxRecords) log.error(maxRecords + 1, null, `More than ${maxRecords} items: import the file in parts`);
  for (let i = 0; i < Math.min(items.length, maxRecords); i++) {
    await pace();
    const row = i + 1;
    const raw = items[i];
    if (!isObject(raw)) {
      log.error(row, null, 'Expected an item object');
      continue;
    }
    const errorsBefore = log.errors.length;
    const title = titleField(str(raw.title), { row, column: 'title' }, log);
    const description = descriptionField(str(raw.description), { row, column: 'description' }, log);
    const labels = labelsField(Array.isArray(raw.labels) ? raw.labels.filter((l): l is string => typeof l === 'string') : [], { row, column: 'labels' }, log, false);
    const estimate = raw.estimate === null || raw.estimate === undefined ? null : raw.estimate;
    if (estimate !== null && !isEstimate(estimate)) log.error(row, 'estimate', `Expected an estimate of at most ${LIMITS.maxEstimateLength} characters, or null`);
    const status = isItemStatus(raw.status) ? raw.status : null;
    if (raw.status !== undefined && status === null) log.warn(row, 'status', `Unknown status ${JSON.stringify(raw.status).slice(0, 40)}; imported as New`);
    const criteria = listOf(
      raw.criteria,
      LIMITS.maxCriteriaPerItem,
      (c) => {
        if (!isObject(c) || typeof c.text !== 'string') return null;
        const text = limitLength(wellFormed(c.text.replace(/\s*[\r\n]+\s*/g, ' ').trim()), LIMITS.maxTitleLength);
        return text ? { text, done: c.done === true } : null;
      },
      { row, column: 'criteria' },
      log,
    );
    const questions = listOf(raw.questions, LIMITS.maxQuestionsPerItem, (q, n) => recordOf<ImportedQuestion>(q, QUESTION_SHAPE, { row, column: `questions[${n}]` }, log), { row, column: 'questions' }, log);
    const comments = listOf(raw.comments, LIMITS.maxCommentsPerItem, (c, n) => recordOf<ImportedComment>(c, COMMENT_SHAPE, { row, column: `comments[${n}]` }, log), { row, column: 'comments' }, log);
    const sprintKey = typeof raw.sprint === 'string' && sprintKeys.has(raw.sprint) ? raw.sprint : null;
    if (typeof raw.sprint === 'string' && sprintKey === null) log.warn(row, 'sprint', 'The item names a sprint the file does not have; imported without a sprint');
    const externalKey = keyField(str(raw.key), { row, column: 'key' }, log);
    if (title === null || log.errors.length > errorsBefore) continue;
    records.push({
      row,
      externalKey,
      title,
      description,
      status,
      estimate: estimate as string | null,
      labels,
      criteria,
      full: {
        questions,
        comments,
        readyOverride: readOverride(raw.readyOverride),
        sprintKey,
        archivedAt: num(raw.archivedAt),
        createdBy: isIdLike(raw.createdBy) ? raw.createdBy : null,
        createdAt: num(raw.createdAt),
        doneAt: num(raw.doneAt),
        blocked: isBlocked(raw.blocked) ? (raw.blocked as never) : null,
        sourceId: isIdLike(raw.id) ? raw.id : null,
        readyChecks: readReadyChecks(raw.readyChecks, { row }, log),
        dots: readDots(raw.dots, { row }, log),
        pokerRounds: readPokerRounds(raw.pokerRounds, { row }, log),
      },
    });
  }
  const board = readBoardParts(data, log);
  keepDotsWithinBudget(records, board, log);
  return { format: 'json', records, errors: log.errors, warnings: log.warnings, skipped: 0, sprints, board, fields: new Set(UPDATABLE_FIELDS) };
}

/**
 * Dots belong to the file's dot round: without one they are left out, and a voter whose
 * dots add up to more than the round's budget (POL-8) loses them all, each with a warning.
 */
function keepDotsWithinBudget(records: ImportRecord[], board: ImportedBoardParts, log: IssueLog): void {
  const withDots = records.filter((r) => r.full && Object.keys(r.full.dots).length > 0);
  if (withDots.length === 0) return;
  const round = board.dotVoting;
  if (!round) {
    log.warn(0, 'dotVoting', 'The items have dots but the file has no dot round; the dots are left out');
    for (const r of withDots) r.full!.dots = {};
    return;
  }
  const used = new Map<string, number>();
  for (const r of withDots) for (const [u, n] of Object.entries(r.full!.dots)) used.set(u, (used.get(u) ?? 0) + n);
  for (const [u, n] of used) {
    if (n <= round.budget) continue;
    log.warn(0, 'dots', `A voter has ${n} dots in a round with a budget of ${round.budget}; their dots are left out`);
    for (const r of withDots) delete r.full!.dots[u];
  }
}
