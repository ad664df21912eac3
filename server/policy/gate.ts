/**
 * The server-enforced write policy: an UpdateGate that inspects each client update
 * (inspect.ts) and judges every struct it carries against the board's shape
 * (shared/schema/shape.ts, POL-16/17) and shared/policy for the socket's verified user.
 * The first violation refuses the whole update, with the rule id of docs/SPEC.md.
 *
 * Each struct is judged on its own, so whichever of them Yjs keeps is allowed: one update
 * may write a key several times (concurrent writes under different clientIDs, and Yjs
 * keeps the rightmost, not the last seen), so checks that combine values (the dot budget,
 * the ready rule, the Definition of Ready's checks, DOR-4) take every candidate into account.
 */
import * as Y from 'yjs';
import { isIdLike } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { pointsOf } from '../../shared/planning/points.ts';
import { canChange, canClearDots, canPlaceDots } from '../../shared/policy/can.ts';
import { POLICY_RULES as R, type Region } from '../../shared/policy/table.ts';
import { COMMENT_IMMUTABLE, COMMENT_KEYS } from '../../shared/schema/comment.ts';
import { readCriterion } from '../../shared/schema/criterion.ts';
import { type DotVoting, isDotCount, parseDotVoting, readDotVoting, readStakeholderDots } from '../../shared/schema/dots.ts';
import { ITEM_IMMUTABLE, ITEM_KEYS, READY_STATUS } from '../../shared/schema/item.ts';
import { isMentionList, mentionList } from '../../shared/schema/mention.ts';
import { META_KEYS } from '../../shared/schema/meta.ts';
import { QUESTION_ANSWER_KEYS, QUESTION_IMMUTABLE, QUESTION_KEYS, QUESTION_WRITER_KEYS } from '../../shared/schema/question.ts';
import { type DefinitionOfReady, isDefinitionOfReady, readDefinitionOfReady, readinessLabel } from '../../shared/schema/readiness.ts';
import { isReadCount } from '../../shared/schema/reads.ts';
import { isRootName, ROOT } from '../../shared/schema/roots.ts';
import { SESSION_KEYS } from '../../shared/schema/session.ts';
import type { TypeShape } from '../../shared/schema/shape-types.ts';
import { SPRINT_KEYS, type SprintState } from '../../shared/schema/sprint.ts';
import { type CommittedRecord, readCommitted, type SprintOutcome } from '../../shared/schema/sprintRecord.ts';
import type { AuthUser, UpdateGate, UpdateVerdict } from '../extensions.ts';
import { DotIndex } from './dotIndex.ts';
import { type Change, type Container, inspectUpdate, pathOf, type Written } from './inspect.ts';

/** An item's threads: lists of entries that name their author (comment.ts, question.ts). */
type Thread = typeof ITEM_KEYS.comments | typeof ITEM_KEYS.questions;
const THREADS = {
  [ITEM_KEYS.comments]: { rule: R.comments, region: 'item.comments', keys: COMMENT_KEYS, immutable: COMMENT_IMMUTABLE },
  [ITEM_KEYS.questions]: { rule: R.questions, region: 'item.questions', keys: QUESTION_KEYS, immutable: QUESTION_IMMUTABLE },
} as const satisfies Record<Thread, { rule: string; region: Region; keys: { authorId: string; authorName: string }; immutable: ReadonlySet<string> }>;

/** The item fields the Definition of Ready reads [DOR-4]. */
const READINESS_FIELDS: ReadonlySet<string> = new Set([ITEM_KEYS.description, ITEM_KEYS.criteria, ITEM_KEYS.readyChecks, ITEM_KEYS.estimate]);

/** The item fields a sprint's committed record is computed from [SPR-5]. */
const RECORD_FIELDS: ReadonlySet<string> = new Set([ITEM_KEYS.sprintId, ITEM_KEYS.estimate, ITEM_KEYS.archivedAt, ITEM_KEYS.status]);

/** The keys of thread entries that hold mention lists [MEN-2]. */
const MENTION_KEYS: ReadonlySet<string> = new Set([COMMENT_KEYS.mentions, QUESTION_KEYS.mentions, QUESTION_KEYS.answerMentions]);

/** Thrown inside the gate's walk to stop at the first rule broken; caught by check(). */
class PolicyRefusal extends Error {
  constructor(
    readonly rule: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** The value a map struct writes (the shape check has made sure it is exactly one). */
const writtenValue = (w: Written): unknown => (w.kind === 'values' ? w.values[w.values.length - 1] : undefined);

/** A readable path for refusals: `items.<id>.title`, `items.<id>.comments[]`. */
function where(c: Container, key: string | null): string {
  // Keys come from the client: never echo more than a glimpse of one.
  const short = (k: string) => (k.length > 40 ? `${k.slice(0, 40)}…` : k);
  const parts = pathOf(c).map((p) => (p.startsWith('[') ? '[]' : short(p)));
  return [...parts, ...(key === null ? [] : [short(key)])].join('.').replace(/\.\[\]/g, '[]');
}

function insideRemoved(c: Container, removed: ReadonlySet<Container>): boolean {
  for (const n of c.lineage) if (removed.has(n)) return true;
  return false;
}

export class PolicyGate implements UpdateGate {
  /** Per loaded document; a reloaded board is a new Y.Doc and gets a fresh index. */
  private readonly dotIndexes = new WeakMap<Y.Doc, DotIndex>();

  check(input: Parameters<UpdateGate['check']>[0]): UpdateVerdict {
    const inspection = inspectUpdate(input.doc, input.update, input.decoded);
    if (!inspection.ok) return { ok: false, rule: inspection.tooDeep ? R.shape : R.structure, reason: inspection.reason };
    if (inspection.changes.length === 0) return { ok: true };
    try {
      new Judgement(input.doc, input.user, () => this.dotIndex(input.doc)).judge(inspection.changes);
      return { ok: true };
    } catch (err) {
      if (err instanceof PolicyRefusal) return { ok: false, rule: err.rule, reason: err.message };
      throw err;
    }
  }

  private dotIndex(doc: Y.Doc): DotIndex {
    let index = this.dotIndexes.get(doc);
    if (!index) {
      index = new DotIndex(doc);
      this.dotIndexes.set(doc, index);
    }
    return index;
  }
}

/** What one update writes to one sprint, with the sprint as stored before it. */
interface SprintWrites {
  isNew: boolean;
  stored: Y.Map<unknown> | null;
  states: unknown[];
  committed: unknown[];
  outcome: unknown[];
  startsAt: unknown[];
  endsAt: unknown[];
  removed: boolean;
}

/** What one update does to one container's size: characters, elements or keys. */
interface Growth {
  container: Container;
  added: number;
  removed: number;
  /** mapOf: keys written (live after) and keys deleted. */
  keysWritten: Set<string> | null;
  keysDeleted: Set<string> | null;
  /** Keys whose last entry in this update is one it also deletes (it may hide a stored value). */
  keysShadowed: Set<string> | null;
}

/** One update's verdict: per-struct checks, then the checks that need the whole update. */
class Judgement {
  /** Items created by this update → whether `createdBy` was written (always as the writer). */
  private readonly newItems = new Map<Container, boolean>();
  /** Comments/questions created by this update → whether `authorId` was written (as the writer). */
  private readonly newEntries = new Map<Container, { rule: string; authored: boolean }>();
  /** The writer's own dot count per item after this update: the largest value written. */
  private readonly myDots = new Map<string, number>();
  private placesDots = false;
  private dotVoting: DotVoting | null | undefined;
  /** Items (by container) that some struct of this update marks ready. */
  private readonly markedReady = new Map<Container, string>();
  /** readyOverride structs per item: whether every one is the writer's own PO override. */
  private readonly overrides = new Map<Container, boolean>();
  /** Questions created by this update, per item container. */
  private readonly newQuestions = new Map<Container, Container[]>();
  /** `resolvedAt` values written, per question (its Y type when it exists): the ready rule's candidates. */
  private readonly resolvedAtWrites = new Map<object, unknown[]>();
  /** Types this update deletes. */
  private readonly removedTypes = new Set<Y.AbstractType<unknown>>();
  private readonly growth = new Map<Container, Growth>();
  /** Sprint changes of this update, per sprint id: the checks that need the whole update. */
  private readonly sprints = new Map<string, SprintWrites>();
  /** sprintId values written, per item: judged once the update's sprints are known. */
  private readonly sprintMoves = new Map<Container, { itemId: string; to: unknown[] }>();
  /** What this update writes to the item fields a committed record reads, per item id [SPR-5]. */
  private readonly recordFieldWrites = new Map<string, Map<string, { values: unknown[]; deleted: boolean }>>();
  /** `meta.definitionOfReady` values written: each may be the one Yjs keeps [DOR-4]. */
  private readonly definitionWrites: unknown[] = [];
  /** The stored definition is removed (the board falls back to DOR-2's default). */
  private definitionDeleted = false;
  /** `estimate` values written, per item: the Definition of Ready's candidates. */
  private readonly estimateWrites = new Map<Container, unknown[]>();
  /** Shared types written under an item's description, criteria or readyChecks (replacing the stored one). */
  private readonly typeWrites = new Map<Container, Map<string, Container[]>>();
  /** Item keys whose stored value this update removes (an overwrite, or a delete). */
  private readonly keyDeletes = new Map<Container, Set<string>>();
  /** Texts (by Y type, or container when new) that get a non-blank insert that stays. */
  private readonly nonBlankTexts = new Set<object>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly user: AuthUser,
    private readonly dotIndex: () => DotIndex,
  ) {}

  judge(changes: readonly Change[]): void {
    // Deleting a type deletes everything inside it: those inner deletes are judged as
    // part of the outer one (deleting your comment removes its immutable `id` too).
    const removed = new Set<Container>();
    for (const ch of changes) {
      if (ch.op === 'delete' && ch.written.kind === 'type') {
        removed.add(ch.written.container);
        if (ch.written.container.type) this.removedTypes.add(ch.written.container.type);
      }
    }
    for (const change of changes) {
      if (change.op === 'delete' && removed.size > 0 && insideRemoved(change.container, removed)) continue;
      this.change(change);
      this.shape(change);
    }
    for (const [, ok] of this.newItems) if (!ok) throw new PolicyRefusal(R.items, 'a new item must have createdBy = you');
    for (const [, e] of this.newEntries) if (!e.authored) throw new PolicyRefusal(e.rule, 'a new entry must have authorId = you');
    this.checkLimits();
    this.checkSprints();
    this.checkSprintMoves();
    if (this.placesDots) this.checkDotBudget();
    this.checkReadyRule();
  }

  // ---------------------------------------------------------------- shape [POL-16, POL-17]

  /** Every struct, even one the same update deletes again: it is stored all the same. */
  private shape(ch: Change): void {
    const { container, key, written } = ch;
    if (ch.op === 'delete') {
      this.grow(ch, -ch.length);
      return;
    }
    if (written.kind === 'deleted') {
      // Content created and removed before it got here; as a map entry it still takes its
      // place among the key's entries, and may hide a stored value (see shadows()).
      if (key !== null && container.shape?.kind === 'mapOf') this.shadows(ch);
      return;
    }
    if (written.kind === 'other') {
      throw new PolicyRefusal(R.shape, `${written.name} content is not part of the board format (${where(container, key)})`);
    }
    const own = container.shape;
    if (own?.kind === 'text') {
      if (written.kind !== 'text' || key !== null) throw new PolicyRefusal(R.shape, `${where(container, null)} holds plain text only`);
      if (!ch.selfDeleted) this.grow(ch, ch.length);
      return;
    }
    if (written.kind === 'text') throw new PolicyRefusal(R.shape, `text content belongs in a Y.Text, not in ${where(container, key)}`);
    const slot = ch.slot;
    if (!slot && own?.kind === 'mapOf' && key !== null) {
      throw new PolicyRefusal(R.limits, `a key of ${where(container, null)} must be ${own.keyWhat}`);
    }
    if (!slot) throw new PolicyRefusal(R.shape, `${where(container, key)} is not part of the board format`);
    if (written.kind === 'values') {
      if (slot.kind !== 'value') throw new PolicyRefusal(R.shape, `${where(container, key)} must be a ${describeType(slot)}`);
      if (key === null || written.values.length !== 1) throw new PolicyRefusal(R.shape, `${where(container, key)} holds one value`);
      const v = written.values[0];
      if (!slot.accepts(v)) throw new PolicyRefusal(R.limits, `${where(container, key)} must be ${slot.what}`);
    } else {
      if (slot.kind === 'value') throw new PolicyRefusal(R.shape, `${where(container, key)} is a plain value, not a shared type`);
      if (!written.container.shape) throw new PolicyRefusal(R.shape, `${where(container, key)} must be a ${describeType(slot)}`);
    }
    if (!ch.selfDeleted) this.grow(ch, 1);
    // Inserted and deleted in the same update, a map entry still takes its place among the
    // key's entries: if it lands last, the key reads as absent, hiding a stored value.
    else if (ch.key !== null) this.shadows(ch);
  }

  private shadows(ch: Change): void {
    this.grow(ch, 0);
    const g = this.growth.get(ch.container);
    if (g && ch.key !== null) {
      g.keysWritten?.delete(ch.key);
      g.keysShadowed?.add(ch.key);
    }
  }

  private grow(ch: Change, by: number): void {
    const shape = ch.container.shape;
    if (!shape || shape.kind === 'record') return;
    let g = this.growth.get(ch.container);
    if (!g) {
      const keyed = shape.kind === 'mapOf';
      g = {
        container: ch.container,
        added: 0,
        removed: 0,
        keysWritten: keyed ? new Set() : null,
        keysDeleted: keyed ? new Set() : null,
        keysShadowed: keyed ? new Set() : null,
      };
      this.growth.set(ch.container, g);
    }
    if (by >= 0) g.added += by;
    else g.removed -= by;
    if (ch.key === null || by === 0) return;
    if (by > 0) {
      // The update's later entry for a key is right of its earlier ones: it is what reads.
      g.keysWritten?.add(ch.key);
      g.keysShadowed?.delete(ch.key);
    } else g.keysDeleted?.add(ch.key);
  }

  /**
   * [POL-17] No update grows a text, list or map by more than its limit, and none grows one
   * past `concurrentSlack` times it: concurrent honest edits may merge past the limit itself.
   */
  private checkLimits(): void {
    const slack = LIMITS.concurrentSlack;
    for (const g of this.growth.values()) {
      const shape = g.container.shape as Exclude<TypeShape, { kind: 'record' }>;
      const type = g.container.type;
      if (g.added === 0) continue;
      let before: number;
      let after: number;
      let limit: number;
      let unit: string;
      if (shape.kind === 'mapOf') {
        const map = type instanceof Y.Map ? type : null;
        before = map?.size ?? 0;
        after = before;
        const written = g.keysWritten ?? new Set<string>();
        for (const k of written) if (!map?.has(k)) after++;
        for (const k of g.keysDeleted ?? []) if (!written.has(k) && map?.has(k)) after--;
        limit = shape.maxEntries;
        unit = 'entries';
      } else {
        before = type instanceof Y.Text || type instanceof Y.Array ? type.length : 0;
        after = before + g.added - g.removed;
        limit = shape.maxLength;
        unit = shape.kind === 'text' ? 'characters' : 'entries';
      }
      if (after - before > limit || after > limit * slack) {
        throw new PolicyRefusal(R.limits, `${where(g.container, null)} holds at most ${limit} ${unit}`);
      }
    }
  }

  // ---------------------------------------------------------------- policy

  private need(region: Region, rule: string, what: string): void {
    if (!canChange(this.user.role, region)) throw new PolicyRefusal(rule, `${this.user.role} may not change ${what}`);
  }

  private change(ch: Change): void {
    const chain = ch.container.lineage;
    const root = chain[0]!.root ?? '';
    if (!isRootName(root)) throw new PolicyRefusal(R.structure, `unknown root "${root}"`);
    if (ch.key === QUESTION_KEYS.resolvedAt && ch.op === 'insert' && ch.written.kind === 'values' && !ch.selfDeleted) {
      const target = ch.container.type ?? ch.container;
      const list = this.resolvedAtWrites.get(target) ?? [];
      list.push(writtenValue(ch.written));
      this.resolvedAtWrites.set(target, list);
    }
    // Key directly under the root, or the key of the root's child the change is inside.
    const topKey = chain.length === 1 ? ch.key : chain[1]!.key;
    switch (root) {
      case ROOT.estimation:
        throw new PolicyRefusal(R.estimation, 'estimation is written by the server only');
      case ROOT.meta:
        if (topKey === META_KEYS.title) {
          this.need('meta.title', R.meta, 'the board title');
          return;
        }
        if (topKey === META_KEYS.productGoal || topKey === META_KEYS.developersMayPlan) {
          this.need('meta.planning', R.sprints, 'the product goal and planning settings');
          return;
        }
        if (topKey === META_KEYS.definitionOfReady) {
          this.need('meta.definitionOfReady', R.definitionSetting, 'the Definition of Ready');
          if (chain.length === 1 && ch.op === 'insert' && !ch.selfDeleted) this.definitionWrites.push(writtenValue(ch.written));
          if (chain.length === 1 && ch.op === 'delete') this.definitionDeleted = true;
          return;
        }
        if (topKey === META_KEYS.deck) {
          // Same rules as PUT /deck (the shape's check is validateDeck).
          this.need('meta.deck', R.meta, 'the deck');
          return;
        }
        throw new PolicyRefusal(R.meta, `meta.${topKey} is written by the server only`);
      case ROOT.session:
        this.need('session', R.session, 'the session');
        if (chain.length === 1 && ch.key === SESSION_KEYS.dotVoting && ch.op === 'insert' && !ch.selfDeleted) {
          // Several candidates: the budget is judged against the most generous one.
          const next = parseDotVoting(writtenValue(ch.written));
          const prev = this.dotVoting;
          if (prev === undefined || prev === null || (next?.open && (!prev.open || next.budget > prev.budget))) this.dotVoting = next;
        }
        return;
      case ROOT.sprints:
        this.need('sprints', R.sprints, 'sprints');
        this.sprintChange(ch, chain);
        return;
      case ROOT.reads:
        this.readsChange(ch, chain);
        return;
      default:
        this.itemChange(ch, chain);
        return;
    }
  }

  // ---------------------------------------------------------------- sprints [SPR-1, SPR-4, SPR-5]

  private sprintWrites(id: string, sprint: Container | null): SprintWrites {
    let w = this.sprints.get(id);
    if (!w) {
      const stored = this.storedSprint(id);
      w = { isNew: sprint?.isNew ?? false, stored, states: [], committed: [], outcome: [], startsAt: [], endsAt: [], removed: false };
      this.sprints.set(id, w);
    }
    if (sprint?.isNew) w.isNew = true;
    return w;
  }

  private storedSprint(id: string): Y.Map<unknown> | null {
    const raw = this.doc.getMap(ROOT.sprints).get(id);
    return raw instanceof Y.Map ? raw : null;
  }

  private sprintChange(ch: Change, chain: readonly Container[]): void {
    if (chain.length === 1) {
      if (ch.key === null) return; // the shape check refuses it
      const w = this.sprintWrites(ch.key, ch.written.kind === 'type' ? ch.written.container : null);
      if (ch.op === 'delete') w.removed = true;
      return;
    }
    const sprint = chain[1]!;
    const id = sprint.key ?? '';
    const w = this.sprintWrites(id, sprint);
    const storedState = w.stored && !sprint.isNew ? w.stored.get(SPRINT_KEYS.state) : undefined;
    if (storedState === 'closed') throw new PolicyRefusal(R.sprintRecords, 'a closed sprint is read-only');
    const field = chain.length === 2 ? ch.key : chain[2]!.key;
    if (field === SPRINT_KEYS.id && !sprint.isNew) throw new PolicyRefusal(R.sprints, 'sprint.id is set once, at creation');
    if ((field === SPRINT_KEYS.committed || field === SPRINT_KEYS.outcome) && chain.length === 2) {
      const storedRecord = sprint.isNew ? null : (w.stored?.get(field) ?? null);
      if (storedRecord !== null) throw new PolicyRefusal(R.sprintRecords, `sprint.${field} is written once and never rewritten`);
    }
    if (chain.length !== 2 || ch.op !== 'insert' || ch.selfDeleted) return;
    const v = writtenValue(ch.written);
    if (field === SPRINT_KEYS.state) w.states.push(v);
    else if (field === SPRINT_KEYS.committed) w.committed.push(v);
    else if (field === SPRINT_KEYS.outcome) w.outcome.push(v);
    else if (field === SPRINT_KEYS.startsAt) w.startsAt.push(v);
    else if (field === SPRINT_KEYS.endsAt) w.endsAt.push(v);
  }

  /** The sprint's state after this update, for each candidate the update writes (else the stored one). */
  private statesAfter(w: SprintWrites): unknown[] {
    if (w.removed && w.states.length === 0) return [];
    return w.states.length > 0 ? w.states : [w.isNew ? undefined : (w.stored?.get(SPRINT_KEYS.state) ?? 'planned')];
  }

  private checkSprints(): void {
    for (const [id, w] of this.sprints) {
      const before: SprintState = w.isNew ? 'planned' : ((w.stored?.get(SPRINT_KEYS.state) as SprintState | undefined) ?? 'planned');
      if (w.removed && w.states.length === 0 && !w.isNew && w.stored && before !== 'planned') {
        throw new PolicyRefusal(R.sprintDelete, `only a planned sprint can be deleted, not a ${before} one`);
      }
      if (w.isNew) {
        if (w.states.some((s) => s !== 'planned')) throw new PolicyRefusal(R.sprintStates, 'a new sprint is planned');
        if ([...w.committed, ...w.outcome].some((r) => r !== null)) throw new PolicyRefusal(R.sprintRecords, 'a new sprint has no records yet');
      }
      for (const state of w.states) {
        const allowed = before === 'planned' ? ['planned', 'active'] : ['active', 'closed'];
        if (!allowed.includes(state as string)) throw new PolicyRefusal(R.sprintStates, `a ${before} sprint cannot become ${String(state)}`);
        if (state === 'active' && before === 'planned') {
          if (w.committed.length === 0 || w.committed.some((c) => c === null)) {
            throw new PolicyRefusal(R.sprintRecords, 'starting a sprint writes its committed record in the same update');
          }
          for (const record of w.committed) this.checkCommitted(id, record as CommittedRecord);
          if (this.otherActiveSprint(id)) throw new PolicyRefusal(R.sprintStates, 'another sprint is active');
        }
        if (state === 'closed' && (w.outcome.length === 0 || w.outcome.some((o) => o === null))) {
          throw new PolicyRefusal(R.sprintRecords, 'closing a sprint writes its outcome record in the same update');
        }
        if (state === 'closed' && before === 'active') for (const record of w.outcome) this.checkOutcome(id, w, record as SprintOutcome);
      }
      if (w.committed.some((c) => c !== null) && !w.states.includes('active')) {
        throw new PolicyRefusal(R.sprintRecords, 'the committed record is written when the sprint starts');
      }
      if (w.outcome.some((o) => o !== null) && !w.states.includes('closed')) {
        throw new PolicyRefusal(R.sprintRecords, 'the outcome record is written when the sprint closes');
      }
      if (w.startsAt.length > 0 || w.endsAt.length > 0) {
        const starts = w.startsAt.length > 0 ? w.startsAt : [w.stored?.get(SPRINT_KEYS.startsAt) ?? null];
        const ends = w.endsAt.length > 0 ? w.endsAt : [w.stored?.get(SPRINT_KEYS.endsAt) ?? null];
        for (const a of starts) {
          for (const b of ends) {
            if (typeof a === 'number' && typeof b === 'number') {
              if (b < a) throw new PolicyRefusal(R.sprintStates, 'a sprint ends on or after its start');
              if (b - a > LIMITS.maxSprintDays * 86_400_000) throw new PolicyRefusal(R.limits, `a sprint lasts at most ${LIMITS.maxSprintDays} days`);
            }
          }
        }
      }
    }
  }

  private noteRecordField(ch: Change, itemId: string, field: string, value: unknown): void {
    const fields = this.recordFieldWrites.get(itemId) ?? new Map<string, { values: unknown[]; deleted: boolean }>();
    const entry = fields.get(field) ?? { values: [], deleted: false };
    if (ch.op === 'delete') entry.deleted = true;
    else if (!ch.selfDeleted) entry.values.push(value);
    fields.set(field, entry);
    this.recordFieldWrites.set(itemId, fields);
  }

  /**
   * [SPR-5] The committed record a start writes is what the sprint holds: exactly its items
   * (not archived) with their points from their estimates, summed, by the starter. The
   * server computes it from its copy and the update's own writes (each candidate counts);
   * a record that lists other items or other points is refused, so nobody can freeze a
   * false commitment. A start that raced a drop it had not yet seen is refused too; the
   * starter's client resyncs and starts again.
   */
  private checkCommitted(id: string, record: CommittedRecord): void {
    if (record.by !== this.user.userId) throw new PolicyRefusal(R.sprintRecords, 'committed.by must be you');
    const listed = new Map<string, number | null>();
    for (const it of record.items) {
      if (listed.has(it.id)) throw new PolicyRefusal(R.sprintRecords, 'the committed record lists an item twice');
      listed.set(it.id, it.points);
    }
    const sum = record.items.reduce((s, i) => s + (i.points ?? 0), 0);
    if (Math.abs(sum - record.points) > 1e-9) throw new PolicyRefusal(R.sprintRecords, 'committed.points is the sum of its items’ points');
    const after = (itemId: string, raw: Y.Map<unknown> | null, field: string) => this.fieldAfter(itemId, raw, field);
    const short = (k: string) => k.slice(0, 40);
    const judge = (itemId: string, raw: Y.Map<unknown> | null): void => {
      const sprints = after(itemId, raw, ITEM_KEYS.sprintId);
      const archived = after(itemId, raw, ITEM_KEYS.archivedAt);
      const possible = new Set(sprints.flatMap((s) => archived.map((a) => s === id && (a === null || a === undefined))));
      const isListed = listed.has(itemId);
      if (!possible.has(isListed)) {
        throw new PolicyRefusal(R.sprintRecords, isListed ? `the committed record lists ${short(itemId)}, which is not in the sprint` : `the committed record leaves out ${short(itemId)}, which is in the sprint`);
      }
      if (!isListed) return;
      const points = after(itemId, raw, ITEM_KEYS.estimate).map((e) => pointsOf(typeof e === 'string' ? e : null));
      if (!points.includes(listed.get(itemId) ?? null)) {
        throw new PolicyRefusal(R.sprintRecords, `the committed record gives ${short(itemId)} other points than its estimate`);
      }
    };
    const unknown = this.judgeRecordItems(judge, listed.keys());
    if (unknown) throw new PolicyRefusal(R.sprintRecords, `the committed record lists ${short(unknown)}, which is no item`);
  }

  /** An item field's candidates once this update is applied: what it writes, else the stored value. */
  private fieldAfter(itemId: string, raw: Y.Map<unknown> | null, field: string): unknown[] {
    const w = this.recordFieldWrites.get(itemId)?.get(field);
    if (w && w.values.length > 0) return w.values;
    if (w?.deleted || !raw) return [null];
    return [raw.get(field) ?? null];
  }

  /**
   * [SPR-5, SPR-6] A close's outcome record is what the sprint holds at close: completed and
   * carried over are exactly its items (each at most once; an item this update moves counts
   * either way), completed the done ones with their estimates' points and `completedPoints`
   * their sum, added and removed the difference from the committed record, by the closer.
   * So nobody can write a false velocity.
   */
  private checkOutcome(id: string, w: SprintWrites, o: SprintOutcome): void {
    const refuse = (why: string) => {
      throw new PolicyRefusal(R.sprintRecords, `the outcome record ${why}`);
    };
    if (o.by !== this.user.userId) throw new PolicyRefusal(R.sprintRecords, 'outcome.by must be you');
    const sum = o.completed.reduce((s, i) => s + (i.points ?? 0), 0);
    if (Math.abs(sum - o.completedPoints) > 1e-9) refuse('has completedPoints other than the sum of its completed items');
    const atClose = new Map<string, { points: number | null; done: boolean }>();
    for (const [list, done] of [[o.completed, true], [o.carriedOver, false]] as const) {
      for (const it of list) {
        if (atClose.has(it.id)) refuse('lists an item twice');
        atClose.set(it.id, { points: it.points, done });
      }
    }
    const committed = readCommitted(w.stored?.get(SPRINT_KEYS.committed));
    const committedPoints = new Map((committed?.items ?? []).map((i) => [i.id as string, i.points]));
    const short = (k: string) => k.slice(0, 40);
    const judge = (itemId: string, raw: Y.Map<unknown> | null): void => {
      const touched = this.recordFieldWrites.get(itemId)?.has(ITEM_KEYS.sprintId) === true;
      const stored = raw?.get(ITEM_KEYS.sprintId) ?? null;
      const archived = this.fieldAfter(itemId, raw, ITEM_KEYS.archivedAt).map((a) => a !== null && a !== undefined);
      const sprintIds = touched ? [stored, ...this.fieldAfter(itemId, raw, ITEM_KEYS.sprintId)] : [stored];
      const possible = new Set(sprintIds.flatMap((s) => archived.map((a) => s === id && !a)));
      const listed = atClose.get(itemId);
      if (!possible.has(listed !== undefined)) refuse(listed ? `lists ${short(itemId)}, which is not in the sprint` : `leaves out ${short(itemId)}, which is in the sprint`);
      if (!listed) return;
      const done = this.fieldAfter(itemId, raw, ITEM_KEYS.status).map((v) => v === 'done');
      if (!done.includes(listed.done)) refuse(listed.done ? `counts ${short(itemId)} completed, which is not done` : `carries ${short(itemId)} over, which is done`);
      const points = this.fieldAfter(itemId, raw, ITEM_KEYS.estimate).map((e) => pointsOf(typeof e === 'string' ? e : null));
      if (!points.includes(listed.points)) refuse(`gives ${short(itemId)} other points than its estimate`);
      // [SPR-6] Done items stay; each unfinished one leaves, for the backlog or a planned sprint.
      const to = this.fieldAfter(itemId, raw, ITEM_KEYS.sprintId);
      if (listed.done && !to.includes(id)) throw new PolicyRefusal(R.sprintRecords, `a done item stays in its sprint at close (${short(itemId)})`);
      if (!listed.done) {
        if (to.includes(id)) throw new PolicyRefusal(R.sprintRecords, `an unfinished item leaves the sprint at close (${short(itemId)})`);
        for (const t of to) {
          const states = t === null || t === undefined ? undefined : this.sprintStateOf(String(t));
          if (states?.some((st) => st !== 'planned')) throw new PolicyRefusal(R.sprintRecords, `unfinished items go to the backlog or a planned sprint (${short(itemId)})`);
        }
      }
    };
    const unknown = this.judgeRecordItems(judge, atClose.keys());
    if (unknown) refuse(`lists ${short(unknown)}, which is no item`);
    // Added and removed are the difference from the frozen commitment.
    const sameIds = (a: readonly { id: string }[], b: Iterable<string>) => {
      const x = new Set(a.map((i) => i.id));
      const y = new Set(b);
      return x.size === a.length && x.size === y.size && [...x].every((i) => y.has(i));
    };
    if (!sameIds(o.added, [...atClose.keys()].filter((k) => !committedPoints.has(k)))) refuse('has added items other than those not committed');
    if (!sameIds(o.removed, [...committedPoints.keys()].filter((k) => !atClose.has(k)))) refuse('has removed items other than the committed ones gone by the close');
    for (const it of o.added) if (atClose.get(it.id)?.points !== it.points) refuse(`gives ${short(it.id)} other points than it has`);
    for (const it of o.removed) if (committedPoints.get(it.id) !== it.points) refuse(`gives ${short(it.id)} other points than its commitment`);
  }

  /**
   * [SPR-5] Runs `judge` on every item a sprint record could name: each item on the board
   * and each one this update writes record fields of (null: not stored yet). Returns the
   * first id `listed` names that is neither, or null.
   */
  private judgeRecordItems(judge: (itemId: string, raw: Y.Map<unknown> | null) => void, listed: Iterable<string>): string | null {
    const seen = new Set<string>();
    for (const [key, raw] of this.doc.getMap(ROOT.items).entries()) {
      seen.add(key);
      judge(key, raw instanceof Y.Map ? raw : null);
    }
    for (const key of this.recordFieldWrites.keys()) if (!seen.has(key)) judge(key, null);
    for (const key of listed) if (!seen.has(key) && !this.recordFieldWrites.has(key)) return key;
    return null;
  }

  /** Is a sprint other than `id` active once this update is applied? */
  private otherActiveSprint(id: string): boolean {
    for (const [key, raw] of this.doc.getMap(ROOT.sprints).entries()) {
      if (key === id || !(raw instanceof Y.Map)) continue;
      const w = this.sprints.get(key);
      const after = w ? this.statesAfter(w) : [raw.get(SPRINT_KEYS.state)];
      if (after.includes('active')) return true;
    }
    for (const [key, w] of this.sprints) if (key !== id && w.isNew && w.states.includes('active')) return true;
    return false;
  }

  /** A sprint's state as this update leaves it (a candidate it writes, or the stored one); undefined = no such sprint. */
  private sprintStateOf(id: string): SprintState[] | undefined {
    const w = this.sprints.get(id);
    const stored = this.storedSprint(id);
    if (!w && !stored) return undefined;
    if (w?.removed && w.states.length === 0 && !w.isNew) return undefined;
    const storedState = (stored?.get(SPRINT_KEYS.state) as SprintState | undefined) ?? 'planned';
    return [storedState, ...((w?.states ?? []) as SprintState[])];
  }

  /** Did this board have a sprint under `id` that was deleted? Y.Map keeps a deleted entry's key. */
  private wasDeletedSprint(id: string): boolean {
    const entry = (this.doc.getMap(ROOT.sprints) as unknown as { _map: Map<string, { deleted: boolean }> })._map.get(id);
    return entry?.deleted === true;
  }

  /** [SPR-4] Into or out of a sprint: never a closed one; developers only planned ones, when allowed. */
  private checkSprintMoves(): void {
    const facilitator = canChange(this.user.role, 'sprints');
    const devsMayPlan = this.doc.getMap(ROOT.meta).get(META_KEYS.developersMayPlan) === true;
    for (const [item, moves] of this.sprintMoves) {
      const stored = item.type instanceof Y.Map && !item.isNew ? item.type.get(ITEM_KEYS.sprintId) : null;
      const ends = [stored ?? null, ...moves.to];
      const fromOnly = stored ?? null;
      for (const sprintId of ends) {
        if (sprintId === null || sprintId === undefined) continue;
        const states = this.sprintStateOf(String(sprintId));
        if (states === undefined) {
          if (sprintId === fromOnly) continue; // leaving a sprint that no longer exists (reads as backlog)
          // A drop that crossed the sprint's deletion (SPR-11): honest, and it reads as backlog (SPR-2).
          if (this.wasDeletedSprint(String(sprintId))) continue;
          throw new PolicyRefusal(R.sprintPlanning, `no sprint ${String(sprintId).slice(0, 40)} to plan into`);
        }
        // The stored state decides for the sprint being left: the close moves its unfinished items out.
        const relevant = sprintId === fromOnly && !moves.to.includes(sprintId) ? states.slice(0, 1) : states;
        if (relevant.includes('closed')) throw new PolicyRefusal(R.sprintPlanning, 'nothing moves into or out of a closed sprint');
        if (!facilitator) {
          if (!devsMayPlan) throw new PolicyRefusal(R.sprintPlanning, 'only the PO or SM plans sprints on this board');
          if (relevant.some((s) => s !== 'planned')) throw new PolicyRefusal(R.sprintPlanning, 'developers plan only planned sprints');
        }
      }
    }
  }

  private readsChange(ch: Change, chain: readonly Container[]): void {
    this.need('reads', R.reads, 'read markers');
    if (chain.length !== 1 || ch.key === null) throw new PolicyRefusal(R.shape, 'read markers are numbers keyed userId:itemId');
    if (!ch.key.startsWith(`${this.user.userId}:`)) throw new PolicyRefusal(R.reads, 'only your own read markers');
    if (ch.op === 'insert' && !ch.selfDeleted && !isReadCount(writtenValue(ch.written))) {
      throw new PolicyRefusal(R.reads, 'a read marker is a whole number ≥ 0');
    }
  }

  private itemChange(ch: Change, chain: readonly Container[]): void {
    if (chain.length === 1) {
      if (ch.op === 'delete') throw new PolicyRefusal(R.items, 'items are archived, never removed');
      this.need('items.create', R.items, 'items');
      if (ch.selfDeleted) return;
      if (ch.written.kind !== 'type' || ch.key === null) throw new PolicyRefusal(R.shape, 'an item must be a map under its id');
      if (!isIdLike(ch.key)) throw new PolicyRefusal(R.items, 'an item id is 6–64 letters, digits, - or _');
      if (!this.newItems.has(ch.written.container)) this.newItems.set(ch.written.container, false);
      return;
    }
    const item = chain[1]!;
    const itemId = item.key ?? '';
    const field = chain.length === 2 ? ch.key : chain[2]!.key;
    const creating = item.isNew && chain.length === 2 && ch.op === 'insert';
    const value = writtenValue(ch.written);
    if (field === null) throw new PolicyRefusal(R.shape, 'an item must be a map');
    if (READINESS_FIELDS.has(field)) this.noteReadiness(ch, chain, item, field);
    if (chain.length === 2 && RECORD_FIELDS.has(field)) this.noteRecordField(ch, itemId, field, value);
    if (ITEM_IMMUTABLE.has(field)) {
      this.need('items.create', R.items, 'items');
      if (!creating) throw new PolicyRefusal(R.items, `item.${field} is set once, at creation`);
      if (ch.selfDeleted) return;
      if (field === ITEM_KEYS.createdBy) {
        if (value !== this.user.userId) throw new PolicyRefusal(R.items, 'a new item must have createdBy = you');
        this.newItems.set(item, true);
      }
      if (field === ITEM_KEYS.id && value !== itemId) throw new PolicyRefusal(R.items, 'item.id must equal its key');
      return;
    }
    switch (field) {
      case ITEM_KEYS.estimate:
        if (ch.op === 'insert' && !ch.selfDeleted) {
          const list = this.estimateWrites.get(item) ?? [];
          list.push(value);
          this.estimateWrites.set(item, list);
        }
        if (creating && value === null) {
          this.need('items.create', R.items, 'items');
          return;
        }
        this.need('item.estimate', R.estimate, 'the agreed estimate');
        return;
      case ITEM_KEYS.readyChecks:
        // Ticking the team's own checks is an item edit [DOR-6]; the shape keeps keys and values.
        this.need('item.readyChecks', R.readyChecks, 'the ready checks');
        return;
      case ITEM_KEYS.readyOverride:
        if (creating && value === null && !ch.selfDeleted) {
          this.need('items.create', R.items, 'items');
          this.overrides.set(item, false);
          return;
        }
        if (ch.op === 'delete' || value === null) {
          // Clearing a stale override (or the old value any overwrite removes) is an
          // ordinary item edit; only setting one is the PO's.
          this.need('items.edit', R.items, 'items');
          if (ch.op === 'insert' && !ch.selfDeleted) this.overrides.set(item, false);
          return;
        }
        this.need('item.readyOverride', R.readyOverride, 'the ready override');
        if ((value as { by?: unknown })?.by !== this.user.userId) {
          throw new PolicyRefusal(R.readyOverride, 'readyOverride.by must be you');
        }
        if (!ch.selfDeleted && !this.overrides.has(item)) this.overrides.set(item, true);
        return;
      case ITEM_KEYS.externalKey:
        // Re-imports skip rows by this key: a client that could set it could hide or
        // hijack rows of the next import [POL-20].
        this.need('item.externalKey', R.externalKey, 'the external key');
        return;
      case ITEM_KEYS.dots:
        this.dotChange(ch, chain, itemId, creating);
        return;
      case ITEM_KEYS.comments:
      case ITEM_KEYS.questions:
        this.threadChange(ch, chain, field, creating);
        return;
      case ITEM_KEYS.sprintId:
        this.need(item.isNew ? 'items.create' : 'items.edit', R.items, 'items');
        if (ch.op === 'insert' && !ch.selfDeleted && chain.length === 2) {
          const moves = this.sprintMoves.get(item) ?? { itemId, to: [] };
          moves.to.push(value);
          this.sprintMoves.set(item, moves);
        }
        return;
      case ITEM_KEYS.blocked:
        this.need(item.isNew ? 'items.create' : 'items.edit', R.items, 'items');
        if (ch.op === 'insert' && !ch.selfDeleted && value !== null && (value as { by?: unknown })?.by !== this.user.userId) {
          throw new PolicyRefusal(R.blocked, 'blocked.by must be you');
        }
        return;
      default:
        this.need(item.isNew ? 'items.create' : 'items.edit', R.items, 'items');
        if (field === ITEM_KEYS.status && chain.length === 2 && ch.op === 'insert' && !ch.selfDeleted && value === READY_STATUS) {
          this.markedReady.set(item, itemId);
        }
        return;
    }
  }

  private dotChange(ch: Change, chain: readonly Container[], itemId: string, creating: boolean): void {
    this.need('item.dots', R.dots, 'dots');
    if (chain.length === 2) {
      // The dots map itself: only as part of a new item, never replaced (that would wipe
      // everyone's dots).
      if (creating) return;
      throw new PolicyRefusal(R.dots, 'the dots map is never replaced');
    }
    if (chain.length !== 3 || ch.key === null) throw new PolicyRefusal(R.shape, 'dots are numbers keyed by user id');
    const own = ch.key === this.user.userId;
    if (ch.op === 'delete') {
      if (own) {
        if (!this.myDots.has(itemId)) this.myDots.set(itemId, 0);
        return;
      }
      if (canClearDots(this.user)) return;
      throw new PolicyRefusal(R.dots, 'only your own dots can be removed');
    }
    if (!own) throw new PolicyRefusal(R.dots, 'dots can only be placed under your own user id');
    if (ch.selfDeleted) return;
    const n = writtenValue(ch.written);
    if (ch.written.kind !== 'values' || !isDotCount(n)) throw new PolicyRefusal(R.dots, 'a dot count is a whole number ≥ 0');
    // Any of the update's values for this key may be the one Yjs keeps: count the largest.
    this.myDots.set(itemId, Math.max(n, this.myDots.get(itemId) ?? 0));
    if (n > 0) this.placesDots = true;
    // The round and budget are checked apart (checkDotBudget); this is the role's part (POL-19).
    if (n > 0 && !canPlaceDots(this.user, true, readStakeholderDots(this.doc))) {
      throw new PolicyRefusal(R.stakeholder, 'stakeholders place dots only when the facilitator lets them');
    }
  }

  private threadChange(ch: Change, chain: readonly Container[], field: Thread, creating: boolean): void {
    const { rule, region, keys, immutable } = THREADS[field];
    this.need(region, rule, field);
    if (chain.length === 2) {
      if (creating) return;
      throw new PolicyRefusal(rule, `the ${field} list is never replaced`);
    }
    if (chain.length === 3) {
      // An entry added to or removed from the list.
      if (ch.op === 'insert') {
        if (ch.selfDeleted) return;
        if (ch.written.kind !== 'type') throw new PolicyRefusal(R.shape, `${field} entries are maps`);
        this.entryRecord(ch.written.container, rule);
        if (field === ITEM_KEYS.questions) {
          const list = this.newQuestions.get(chain[1]!) ?? [];
          list.push(ch.written.container);
          this.newQuestions.set(chain[1]!, list);
        }
        return;
      }
      if (ch.written.kind !== 'type') return; // junk in the list: anyone may clean it up
      this.mayEditEntry(ch.written.container, field, 'delete');
      return;
    }
    const entry = chain[3]!;
    const key = chain.length === 4 ? ch.key : chain[4]!.key;
    if (key === null) throw new PolicyRefusal(R.shape, `${field} entries are maps`);
    const value = writtenValue(ch.written);
    const inserting = ch.op === 'insert' && !ch.selfDeleted;
    if (inserting && chain.length === 4 && MENTION_KEYS.has(key) && !isMentionList(value)) {
      // Mentions fill other people's inboxes: only a short list of ids [MEN-2].
      throw new PolicyRefusal(R.mentions, `${field} ${key} must be ${mentionList.what}`);
    }
    if (entry.isNew) {
      if (!inserting) return;
      if (key === keys.authorId) {
        if (value !== this.user.userId) throw new PolicyRefusal(rule, 'a new entry must have authorId = you');
        this.entryRecord(entry, rule).authored = true;
      }
      if (key === keys.authorName && value !== this.user.name) throw new PolicyRefusal(rule, 'authorName is your name (from your token)');
      this.checkAnswerer(key, value, rule);
      return;
    }
    if (immutable.has(key)) throw new PolicyRefusal(rule, `${field} ${key} never changes`);
    if (field === ITEM_KEYS.questions && QUESTION_ANSWER_KEYS.has(key)) {
      if (inserting) this.checkAnswerer(key, value, rule);
      return; // anyone but a viewer answers
    }
    if (field === ITEM_KEYS.questions && inserting) this.checkAnswerer(key, value, rule);
    this.mayEditEntry(entry, field, 'edit');
  }

  /** `answeredBy`, `answeredByName` and `resolvedBy` name the writer (or nobody). */
  private checkAnswerer(key: string, value: unknown, rule: string): void {
    if (QUESTION_WRITER_KEYS.has(key) && value !== null && value !== this.user.userId) {
      throw new PolicyRefusal(rule, `${key} must be you`);
    }
    if (key === QUESTION_KEYS.answeredByName && value !== null && value !== this.user.name) {
      throw new PolicyRefusal(rule, 'answeredByName is your name (from your token)');
    }
  }

  private entryRecord(entry: Container, rule: string): { rule: string; authored: boolean } {
    let rec = this.newEntries.get(entry);
    if (!rec) {
      rec = { rule, authored: false };
      this.newEntries.set(entry, rec);
    }
    return rec;
  }

  /** Comments: the author only. Questions (text, assignee, resolution, delete): asker or PO. */
  private mayEditEntry(entry: Container, field: Thread, what: 'edit' | 'delete'): void {
    const author = entry.type instanceof Y.Map ? entry.type.get(THREADS[field].keys.authorId) : undefined;
    const mine = author === this.user.userId;
    if (field === ITEM_KEYS.comments && !mine) {
      throw new PolicyRefusal(R.comments, `only its author may ${what} a comment`);
    }
    if (field === ITEM_KEYS.questions && !mine && this.user.role !== 'po') {
      throw new PolicyRefusal(R.questions, `only the asker or the PO may ${what} a question`);
    }
  }

  private checkDotBudget(): void {
    const voting = this.dotVoting === undefined ? readDotVoting(this.doc) : this.dotVoting;
    if (!voting?.open) throw new PolicyRefusal(R.dots, 'no dot-voting round is open');
    let used = 0;
    for (const n of this.myDots.values()) used += n;
    const stored = this.dotIndex().of(this.user.userId);
    if (stored) for (const [id, n] of stored) if (!this.myDots.has(id)) used += n;
    if (used > voting.budget) throw new PolicyRefusal(R.dotBudget, `dot budget is ${voting.budget}, this would use ${used}`);
  }

  // ---------------------------------------------------------------- the ready rule [POL-15, DOR-4]

  /**
   * A failing required check blocks `ready` unless every override this update writes is
   * the PO's own. Every candidate counts: each definition the update writes (else the
   * stored one), each estimate it writes (else the stored one), each open question.
   */
  private checkReadyRule(): void {
    if (this.markedReady.size === 0) return;
    const stored = readDefinitionOfReady(this.doc.getMap(ROOT.meta).get(META_KEYS.definitionOfReady));
    // A malformed candidate is refused by the shape check before this runs.
    const definitions =
      this.definitionWrites.length > 0
        ? this.definitionWrites.filter(isDefinitionOfReady)
        : [this.definitionDeleted ? readDefinitionOfReady(undefined) : stored];
    for (const [item, itemId] of this.markedReady) {
      if (this.overrides.get(item) === true) continue;
      if (definitions.some((d) => d.required.includes('noOpenQuestions'))) {
        const open = this.openQuestionsAfter(item);
        if (open > 0) throw new PolicyRefusal(R.ready, `item has ${open} open question${open === 1 ? '' : 's'}; only the PO can mark it ready anyway (${itemId})`);
      }
      for (const dor of definitions) {
        const failing = this.failingChecksAfter(item, dor);
        if (failing.length > 0) {
          const what = failing.map((k) => readinessLabel(k, dor)).join(', ');
          throw new PolicyRefusal(R.definitionOfReady, `the Definition of Ready is not met (${what}); only the PO can mark it ready anyway (${itemId})`);
        }
      }
    }
  }

  /** What an update writes to the fields the Definition of Ready reads (candidates for checkReadyRule). */
  private noteReadiness(ch: Change, chain: readonly Container[], item: Container, field: string): void {
    if (chain.length === 2) {
      if (ch.op === 'delete') {
        const set = this.keyDeletes.get(item) ?? new Set<string>();
        set.add(field);
        this.keyDeletes.set(item, set);
      } else if (!ch.selfDeleted && ch.written.kind === 'type') {
        const byField = this.typeWrites.get(item) ?? new Map<string, Container[]>();
        byField.set(field, [...(byField.get(field) ?? []), ch.written.container]);
        this.typeWrites.set(item, byField);
      }
      return;
    }
    // Characters this update inserts and does not delete again stay in the text.
    if (field === ITEM_KEYS.description && chain.length === 3 && ch.op === 'insert' && !ch.selfDeleted && ch.written.kind === 'text') {
      if (/\S/.test(ch.written.str)) this.nonBlankTexts.add(ch.container.type ?? ch.container);
    }
  }

  private growthOfType: Map<object, Growth> | null = null;
  /** What this update adds to and removes from a container (by its Y type when it exists). */
  private growthOf(target: object): Growth | undefined {
    if (!this.growthOfType) {
      this.growthOfType = new Map();
      for (const g of this.growth.values()) this.growthOfType.set(g.container.type ?? g.container, g);
    }
    return this.growthOfType.get(target instanceof Y.AbstractType ? target : ((target as Container).type ?? target));
  }

  /**
   * Every value `field` of `item` may hold once Yjs applies this update: each shared type
   * it writes there, and the stored value unless the update removes it. None = absent.
   */
  private fieldCandidates(item: Container, field: string): { written: Container[]; stored: unknown; hasStored: boolean } {
    const written = this.typeWrites.get(item)?.get(field) ?? [];
    const map = !item.isNew && item.type instanceof Y.Map ? item.type : null;
    const hasStored = map?.has(field) === true && !this.keyDeletes.get(item)?.has(field);
    return { written, stored: hasStored ? map!.get(field) : undefined, hasStored };
  }

  /** [DOR-4] Required checks other than no open questions (POL-15) that may fail after this update. */
  private failingChecksAfter(item: Container, dor: DefinitionOfReady): string[] {
    const failing: string[] = [];
    const all = (results: boolean[]) => results.length > 0 && results.every(Boolean);
    if (dor.required.includes('estimate')) {
      const map = !item.isNew && item.type instanceof Y.Map ? item.type : null;
      const keep = map?.has(ITEM_KEYS.estimate) === true && !this.keyDeletes.get(item)?.has(ITEM_KEYS.estimate);
      const values = [...(this.estimateWrites.get(item) ?? []), ...(keep ? [map!.get(ITEM_KEYS.estimate)] : [])];
      if (!all(values.map((v) => typeof v === 'string' && v.trim() !== ''))) failing.push('estimate');
    }
    if (dor.required.includes('criterion')) {
      const c = this.fieldCandidates(item, ITEM_KEYS.criteria);
      const count = (target: object, base: number) => {
        const g = this.growthOf(target);
        return base + (g?.added ?? 0) - (g?.removed ?? 0);
      };
      const results = c.written.map((t) => count(t, 0) > 0);
      if (c.hasStored) {
        const arr = c.stored;
        // Valid criteria only (as the checklist counts them); removals may be of junk: counted against.
        const valid = arr instanceof Y.Array ? arr.toArray().filter((e) => readCriterion(e) !== null).length : 0;
        results.push(arr instanceof Y.Array && count(arr, valid) > 0);
      }
      if (!all(results)) failing.push('criterion');
    }
    if (dor.required.includes('description')) {
      const c = this.fieldCandidates(item, ITEM_KEYS.description);
      const results = c.written.map((t) => this.nonBlankTexts.has(t.type ?? t));
      if (c.hasStored) {
        const text = c.stored;
        if (text instanceof Y.Text) {
          // Some non-blank character stays when fewer characters are deleted than there are.
          const nonBlank = (text.toString().match(/\S/g) ?? []).length;
          results.push(this.nonBlankTexts.has(text) || nonBlank > (this.growthOf(text)?.removed ?? 0));
        } else results.push(typeof text === 'string' && text.trim() !== '');
      }
      if (!all(results)) failing.push('description');
    }
    if (dor.custom.length > 0) {
      const c = this.fieldCandidates(item, ITEM_KEYS.readyChecks);
      for (const check of dor.custom) {
        // A key the update deletes anything of may read as absent whatever else is written:
        // a deleted entry of its own can end up the key's last one and hide a stored tick.
        const ticked = (g: ReturnType<typeof this.growthOf>) => g?.keysWritten?.has(check.id) === true;
        const results = c.written.map((t) => ticked(this.growthOf(t)));
        if (c.hasStored) {
          const map = c.stored;
          const g = map instanceof Y.Map ? this.growthOf(map) : undefined;
          results.push(
            map instanceof Y.Map &&
              (ticked(g) || (map.get(check.id) === true && !g?.keysDeleted?.has(check.id) && !g?.keysShadowed?.has(check.id))),
          );
        }
        if (!all(results)) failing.push(`custom:${check.id}`);
      }
    }
    return failing;
  }

  /** Open questions on `item` once this update is applied, counting every candidate value. */
  private openQuestionsAfter(item: Container): number {
    const isOpen = (target: object, current: unknown): boolean => {
      const written = this.resolvedAtWrites.get(target);
      if (!written) return current === null || current === undefined;
      return written.some((v) => v === null);
    };
    let open = 0;
    const existing = item.type instanceof Y.Map ? item.type.get(ITEM_KEYS.questions) : undefined;
    if (existing instanceof Y.Array) {
      for (const q of existing.toArray()) {
        if (!(q instanceof Y.Map) || this.removedTypes.has(q as unknown as Y.AbstractType<unknown>)) continue;
        if (isOpen(q, q.get(QUESTION_KEYS.resolvedAt))) open++;
      }
    }
    for (const q of this.newQuestions.get(item) ?? []) if (isOpen(q, undefined)) open++;
    return open;
  }
}

function describeType(shape: TypeShape): string {
  return shape.kind === 'text' ? 'Y.Text' : shape.kind === 'listOf' ? 'Y.Array' : 'Y.Map';
}
