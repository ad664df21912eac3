/**
 * The server-enforced write policy: an UpdateGate that inspects each client update
 * (inspect.ts) and judges every change it would make against shared/policy for the
 * socket's verified user. The first violation refuses the whole update, with the POL
 * rule id of docs/SPEC.md.
 */
import * as Y from 'yjs';
import { isIdLike } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { canChange, canClearDots } from '../../shared/policy/can.ts';
import { POLICY_RULES as R, type Region } from '../../shared/policy/table.ts';
import { validateDeck } from '../../shared/schema/estimation.ts';
import { isDotCount, parseDotVoting, readDotVoting, DOT_VOTING_KEY, type DotVoting } from '../../shared/schema/dots.ts';
import type { ItemId } from '../../shared/ids.ts';
import { openQuestionCount } from '../../shared/schema/refinement.ts';
import type { AuthUser, UpdateGate, UpdateVerdict } from '../hooks.ts';
import { DotIndex } from './dotIndex.ts';
import { type Change, type Container, inspectUpdate, type Written } from './inspect.ts';

const KNOWN_ROOTS = new Set(['meta', 'items', 'sprints', 'session', 'estimation', 'reads']);
const ITEM_IMMUTABLE = new Set(['id', 'createdBy', 'createdAt']);
const ENTRY_IMMUTABLE = new Set(['id', 'authorId', 'authorName', 'createdAt']);
const ANSWER_FIELDS = new Set(['answer', 'answeredBy', 'answeredByName', 'answeredAt']);

class Refusal extends Error {
  constructor(
    readonly rule: string,
    reason: string,
  ) {
    super(reason);
  }
}

const lastValue = (w: Written): unknown => (w.kind === 'values' ? w.values[w.values.length - 1] : undefined);

function chainOf(c: Container): Container[] {
  const out: Container[] = [];
  for (let n: Container | null = c; n; n = n.parent) out.push(n);
  return out.reverse();
}

function insideRemoved(c: Container, removed: ReadonlySet<Container>): boolean {
  for (let n: Container | null = c; n; n = n.parent) if (removed.has(n)) return true;
  return false;
}

export class PolicyGate implements UpdateGate {
  /** Per loaded document; a reloaded board is a new Y.Doc and gets a fresh index. */
  private readonly dotIndexes = new WeakMap<Y.Doc, DotIndex>();

  check(input: Parameters<UpdateGate['check']>[0]): UpdateVerdict {
    const inspection = inspectUpdate(input.doc, input.update, input.decoded);
    if (!inspection.ok) return { ok: false, rule: R.structure, reason: inspection.reason };
    if (inspection.changes.length === 0) return { ok: true };
    if (input.user.role === 'viewer') return { ok: false, rule: R.viewer, reason: 'viewers cannot change the board' };
    try {
      new Judgement(input.doc, input.user, () => this.dotIndex(input.doc)).judge(inspection.changes);
      return { ok: true };
    } catch (err) {
      if (err instanceof Refusal) return { ok: false, rule: err.rule, reason: err.message };
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

/** One update's verdict: per-change checks, then the checks that need the whole update. */
class Judgement {
  /** Items created by this update → whether `createdBy` was set to the writer. */
  private readonly newItems = new Map<Container, boolean>();
  /** Comments/questions created by this update → whether `authorId` is the writer. */
  private readonly newEntries = new Map<Container, { rule: string; authored: boolean }>();
  /** The writer's own dot count per item after this update (by item id). */
  private readonly myDots = new Map<string, number>();
  private placesDots = false;
  private dotVoting: DotVoting | null | undefined;
  /** Existing items this update marks ready, and those it gives the writer's override. */
  private readonly markedReady = new Set<string>();
  private readonly overridden = new Set<string>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly user: AuthUser,
    private readonly dotIndex: () => DotIndex,
  ) {}

  judge(changes: readonly Change[]): void {
    // Deleting a type deletes everything inside it: those inner deletes are judged as
    // part of the outer one (deleting your comment removes its immutable `id` too).
    const removed = new Set<Container>();
    for (const ch of changes) if (ch.op === 'delete' && ch.written.kind === 'type') removed.add(ch.written.container);
    for (const change of changes) {
      if (change.op === 'delete' && removed.size > 0 && insideRemoved(change.container, removed)) continue;
      this.change(change);
    }
    for (const [, ok] of this.newItems) if (!ok) throw new Refusal(R.items, 'a new item must have createdBy = you');
    for (const [, e] of this.newEntries) if (!e.authored) throw new Refusal(e.rule, 'a new entry must have authorId = you');
    if (this.placesDots) this.checkDotBudget();
    this.checkReadyRule();
  }

  /** [POL-15] The ready rule (REF-5): open questions block `ready` unless the PO overrides. */
  private checkReadyRule(): void {
    for (const itemId of this.markedReady) {
      if (this.overridden.has(itemId)) continue;
      const open = openQuestionCount(this.doc, itemId as ItemId);
      if (open > 0) throw new Refusal(R.ready, `item has ${open} open question${open === 1 ? '' : 's'}; only the PO can mark it ready anyway`);
    }
  }

  private need(region: Region, rule: string, what: string): void {
    if (!canChange(this.user.role, region)) throw new Refusal(rule, `${this.user.role} may not change ${what}`);
  }

  private change(ch: Change): void {
    // Subdocuments and binary blobs have no place in format v1.
    if (ch.op === 'insert' && ch.written.kind === 'other') {
      throw new Refusal(R.structure, `${ch.written.name} content is not part of the board format`);
    }
    const chain = chainOf(ch.container);
    const root = chain[0]!.root ?? '';
    if (!KNOWN_ROOTS.has(root)) throw new Refusal(R.structure, `unknown root "${root}"`);
    // Key directly under the root, or the key of the root's child the change is inside.
    const topKey = chain.length === 1 ? ch.key : chain[1]!.key;
    switch (root) {
      case 'estimation':
        throw new Refusal(R.estimation, 'estimation is written by the server only');
      case 'meta':
        if (topKey === 'title') {
          this.need('meta.title', R.meta, 'the board title');
          const title = lastValue(ch.written);
          if (ch.op === 'insert' && !ch.selfDeleted && (typeof title !== 'string' || title.length > LIMITS.maxBoardTitleLength)) {
            throw new Refusal(R.meta, `the board title is text of at most ${LIMITS.maxBoardTitleLength} characters`);
          }
          return;
        }
        if (topKey === 'deck') {
          this.need('meta.deck', R.meta, 'the deck');
          // Same rules as PUT /deck, so a client cannot write a deck the API would refuse.
          if (ch.op === 'insert' && !ch.selfDeleted && chain.length === 1) {
            const checked = validateDeck(lastValue(ch.written));
            if (!checked.ok) throw new Refusal(R.meta, `invalid deck: ${checked.reason}`);
          }
          return;
        }
        throw new Refusal(R.meta, `meta.${topKey} is written by the server only`);
      case 'session':
        this.need('session', R.session, 'the session');
        if (chain.length === 1 && ch.key === DOT_VOTING_KEY && ch.op === 'insert' && !ch.selfDeleted) {
          this.dotVoting = parseDotVoting(lastValue(ch.written));
        }
        return;
      case 'sprints':
        this.need('sprints', R.sprints, 'sprints');
        return;
      case 'reads':
        this.readsChange(ch, chain);
        return;
      default:
        this.itemChange(ch, chain);
        return;
    }
  }

  private readsChange(ch: Change, chain: Container[]): void {
    this.need('reads', R.reads, 'read markers');
    if (chain.length !== 1 || ch.key === null) throw new Refusal(R.structure, 'read markers are numbers keyed userId:itemId');
    if (!ch.key.startsWith(`${this.user.userId}:`)) throw new Refusal(R.reads, 'only your own read markers');
    if (ch.op === 'insert' && !ch.selfDeleted && !isDotCount(lastValue(ch.written))) {
      throw new Refusal(R.reads, 'a read marker is a whole number ≥ 0');
    }
  }

  private itemChange(ch: Change, chain: Container[]): void {
    if (chain.length === 1) {
      if (ch.op === 'delete') throw new Refusal(R.items, 'items are archived, never removed');
      this.need('items.create', R.items, 'items');
      if (ch.selfDeleted) return;
      if (ch.written.kind !== 'type' || ch.key === null) throw new Refusal(R.structure, 'an item must be a map under its id');
      if (!isIdLike(ch.key)) throw new Refusal(R.items, 'an item id is 6–64 letters, digits, - or _');
      if (!this.newItems.has(ch.written.container)) this.newItems.set(ch.written.container, false);
      return;
    }
    const item = chain[1]!;
    const itemId = item.key ?? '';
    const field = chain.length === 2 ? ch.key : chain[2]!.key;
    const creating = item.isNew && chain.length === 2 && ch.op === 'insert';
    const value = lastValue(ch.written);
    if (field === null) throw new Refusal(R.structure, 'an item must be a map');
    if (ITEM_IMMUTABLE.has(field)) {
      this.need('items.create', R.items, 'items');
      if (!creating) throw new Refusal(R.items, `item.${field} is set once, at creation`);
      if (field === 'createdBy') this.newItems.set(item, value === this.user.userId);
      if (field === 'id' && value !== itemId) throw new Refusal(R.items, 'item.id must equal its key');
      return;
    }
    switch (field) {
      case 'estimate':
        if (creating && value === null) {
          this.need('items.create', R.items, 'items');
          return;
        }
        this.need('item.estimate', R.estimate, 'the agreed estimate');
        return;
      case 'readyOverride':
        if (creating && value === null) {
          this.need('items.create', R.items, 'items');
          return;
        }
        if (ch.op === 'delete' || value === null) {
          // Clearing a stale override (or the old value any overwrite removes) is an
          // ordinary item edit; only setting one is the PO's.
          this.need('items.edit', R.items, 'items');
          return;
        }
        this.need('item.readyOverride', R.readyOverride, 'the ready override');
        if ((value as { by?: unknown })?.by !== this.user.userId) {
          throw new Refusal(R.readyOverride, 'readyOverride.by must be you');
        }
        if (!ch.selfDeleted) this.overridden.add(itemId);
        return;
      case 'dots':
        this.dotChange(ch, chain, itemId, creating);
        return;
      case 'comments':
      case 'questions':
        this.threadChange(ch, chain, field, creating);
        return;
      default:
        this.need(item.isNew ? 'items.create' : 'items.edit', R.items, 'items');
        if (field === 'status' && chain.length === 2 && !item.isNew && ch.op === 'insert' && !ch.selfDeleted && value === 'ready') {
          this.markedReady.add(itemId);
        }
        return;
    }
  }

  private dotChange(ch: Change, chain: Container[], itemId: string, creating: boolean): void {
    this.need('item.dots', R.dots, 'dots');
    if (chain.length === 2) {
      // The dots map itself: only as part of a new item, never replaced (that would wipe
      // everyone's dots).
      if (creating) return;
      throw new Refusal(R.dots, 'the dots map is never replaced');
    }
    if (chain.length !== 3 || ch.key === null) throw new Refusal(R.structure, 'dots are numbers keyed by user id');
    const own = ch.key === this.user.userId;
    if (ch.op === 'delete') {
      if (own) {
        if (!this.myDots.has(itemId)) this.myDots.set(itemId, 0);
        return;
      }
      if (canClearDots(this.user)) return;
      throw new Refusal(R.dots, 'only your own dots can be removed');
    }
    if (!own) throw new Refusal(R.dots, 'dots can only be placed under your own user id');
    if (ch.selfDeleted) return;
    const n = lastValue(ch.written);
    if (ch.written.kind !== 'values' || !isDotCount(n)) throw new Refusal(R.dots, 'a dot count is a whole number ≥ 0');
    this.myDots.set(itemId, n);
    if (n > 0) this.placesDots = true;
  }

  private threadChange(ch: Change, chain: Container[], field: 'comments' | 'questions', creating: boolean): void {
    const rule = field === 'comments' ? R.comments : R.questions;
    const region: Region = field === 'comments' ? 'item.comments' : 'item.questions';
    this.need(region, rule, field);
    if (chain.length === 2) {
      if (creating) return;
      throw new Refusal(rule, `the ${field} list is never replaced`);
    }
    if (chain.length === 3) {
      // An entry added to or removed from the list.
      if (ch.op === 'insert') {
        if (ch.selfDeleted) return;
        if (ch.written.kind !== 'type') throw new Refusal(R.structure, `${field} entries are maps`);
        this.entryRecord(ch.written.container, rule);
        return;
      }
      if (ch.written.kind !== 'type') return; // junk in the list: anyone may clean it up
      this.mayEditEntry(ch.written.container, field, 'delete');
      return;
    }
    const entry = chain[3]!;
    const key = chain.length === 4 ? ch.key : chain[4]!.key;
    if (key === null) throw new Refusal(R.structure, `${field} entries are maps`);
    const value = lastValue(ch.written);
    if (entry.isNew) {
      if (ch.op !== 'insert' || ch.selfDeleted) return;
      if (key === 'authorId') this.entryRecord(entry, rule).authored = value === this.user.userId;
      if ((key === 'answeredBy' || key === 'resolvedBy') && value !== null && value !== this.user.userId) {
        throw new Refusal(rule, `${key} must be you`);
      }
      return;
    }
    if (ENTRY_IMMUTABLE.has(key)) throw new Refusal(rule, `${field} ${key} never changes`);
    if (field === 'questions' && ANSWER_FIELDS.has(key)) {
      if (key === 'answeredBy' && ch.op === 'insert' && value !== null && value !== this.user.userId) {
        throw new Refusal(rule, 'answeredBy must be you');
      }
      return; // anyone but a viewer answers
    }
    if (field === 'questions' && key === 'resolvedBy' && ch.op === 'insert' && value !== null && value !== this.user.userId) {
      throw new Refusal(rule, 'resolvedBy must be you');
    }
    this.mayEditEntry(entry, field, 'edit');
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
  private mayEditEntry(entry: Container, field: 'comments' | 'questions', what: 'edit' | 'delete'): void {
    const author = entry.type instanceof Y.Map ? entry.type.get('authorId') : undefined;
    const mine = author === this.user.userId;
    if (field === 'comments' && !mine) {
      throw new Refusal(R.comments, `only its author may ${what} a comment`);
    }
    if (field === 'questions' && !mine && this.user.role !== 'po') {
      throw new Refusal(R.questions, `only the asker or the PO may ${what} a question`);
    }
  }

  private checkDotBudget(): void {
    const voting = this.dotVoting === undefined ? readDotVoting(this.doc) : this.dotVoting;
    if (!voting?.open) throw new Refusal(R.dots, 'no dot-voting round is open');
    let used = 0;
    for (const n of this.myDots.values()) used += n;
    const stored = this.dotIndex().of(this.user.userId);
    if (stored) for (const [id, n] of stored) if (!this.myDots.has(id)) used += n;
    if (used > voting.budget) throw new Refusal(R.dotBudget, `dot budget is ${voting.budget}, this would use ${used}`);
  }
}
