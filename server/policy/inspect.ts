/**
 * Reads an incoming Yjs update against a board's current state WITHOUT applying it and
 * says what it would change: for every new struct, the container it lands in, the slot of
 * the board's shape (shared/schema/shape.ts) it writes and what it writes; for every
 * delete, the live struct it removes. The gate (gate.ts) judges these against the shape
 * and the write policy.
 *
 * How a decoded struct finds its place (mirrors Item.getMissing in yjs 13):
 * - `parent` is a string: the root type of that name; `parentSub` is the map key.
 * - `parent` is an ID: the type held by that item (in the doc, or new in this update).
 * - `parent` is null: the struct sits next to its `origin` (or `rightOrigin`) and
 *   inherits that item's parent and parentSub (every map overwrite looks like this).
 * A struct whose neighbour or parent is a GC (garbage-collected, i.e. inside a deleted
 * type) becomes a GC itself in yjs, so it changes nothing visible and is ignored here.
 * Anything that cannot be placed is reported as unresolvable: the gate refuses it.
 *
 * Cost is linear in the update's size [POL-16]: every container's shape and lineage are
 * worked out once, from its parent's; places are resolved with an explicit stack (a chain
 * of 40,000 nested types neither recurses 40,000 deep nor walks to the root per struct);
 * struct lookups are binary searches.
 */
import * as Y from 'yjs';
import { isRootName } from '../../shared/schema/roots.ts';
import { BOARD_SHAPE, MAX_TYPE_DEPTH, slotShape } from '../../shared/schema/shape.ts';
import { isTypeShape, type Shape, type TypeShape } from '../../shared/schema/shape-types.ts';

/** Which Yjs shared type a container is. */
export type TypeClass = 'map' | 'array' | 'text' | 'other';

/** A type (map, array, text) in the document or created by the update. */
export interface Container {
  /** Root name when this container is a root type, else null. */
  root: string | null;
  parent: Container | null;
  /** Key in the parent map; null for an array element (or a root). */
  key: string | null;
  /** Created by this update (its initial fields are part of the creation). */
  isNew: boolean;
  /** Already deleted in the document: nothing written inside it can become visible. */
  dead: boolean;
  /** The live Y type, when it already exists in the document. */
  type: Y.AbstractType<unknown> | null;
  /** Identity of the container within one inspection (root name or struct id). */
  ref: string;
  typeClass: TypeClass;
  /** Levels below its root (a root is 0). */
  depth: number;
  /** What the board's shape says this container is; null where the format has no type. */
  shape: TypeShape | null;
  /** Root first, this container last. */
  lineage: readonly Container[];
}

export type Written =
  | { kind: 'values'; values: readonly unknown[] }
  | { kind: 'type'; container: Container }
  /** `str`: the characters written (inserts) or held by the struct a delete touches. */
  | { kind: 'text'; str: string }
  | { kind: 'deleted' }
  /** Content the format never has (formatting, embeds, JSON, binary, subdocuments). */
  | { kind: 'other'; name: string };

export interface Change {
  op: 'insert' | 'delete';
  container: Container;
  /** Map key written or removed; null for array and text content. */
  key: string | null;
  /** What the board's shape allows at (container, key); null if nothing may stand there. */
  slot: Shape | null;
  /** For inserts: what is written. For deletes: what is removed. */
  written: Written;
  /** Insert only: this new content is also deleted by the same update (a no-op). */
  selfDeleted: boolean;
  /** Countable length (characters of text, elements of an array) added or removed. */
  length: number;
}

/** `tooDeep`: a type nested deeper than the format has (POL-16), else unplaceable (POL-13). */
export type Inspection = { ok: true; changes: Change[] } | { ok: false; reason: string; tooDeep?: true };

const DEAD = Symbol('dead');
type Place = { container: Container; key: string | null } | typeof DEAD;

class Unresolvable extends Error {}
/** Thrown as soon as a chain passes the format's depth, so a deep chain costs no more than its decoding. */
class TooDeep extends Error {}

/** No container sits deeper than the format's types (their values are one level more). */
const LINEAGE_DEPTH = MAX_TYPE_DEPTH;

const idKey = (id: Y.ID): string => `${id.client}:${id.clock}`;

function classOf(type: unknown): TypeClass {
  const ctor = (type as { constructor?: unknown })?.constructor;
  if (ctor === Y.Map) return 'map';
  if (ctor === Y.Array) return 'array';
  if (ctor === Y.Text) return 'text';
  return 'other';
}

function contentName(content: unknown): string {
  return (content as { constructor?: { name?: string } })?.constructor?.name ?? 'unknown';
}

function describeContent(content: unknown, typeContainer: () => Container): Written {
  if (content instanceof Y.ContentAny) return { kind: 'values', values: content.arr };
  if (content instanceof Y.ContentType) return { kind: 'type', container: typeContainer() };
  if (content instanceof Y.ContentString) return { kind: 'text', str: content.str };
  if (content instanceof Y.ContentDeleted) return { kind: 'deleted' };
  return { kind: 'other', name: contentName(content) };
}

/** The shape of a type of class `typeClass` under `key` of `parent`, or null. */
function childShape(parent: TypeShape | null, key: string | null, typeClass: TypeClass): TypeShape | null {
  if (!parent) return null;
  const slot = slotShape(parent, key);
  if (!slot || !isTypeShape(slot)) return null;
  const want: TypeClass = slot.kind === 'text' ? 'text' : slot.kind === 'listOf' ? 'array' : 'map';
  return typeClass === want ? slot : null;
}

function childContainer(
  parent: Container,
  key: string | null,
  fields: Pick<Container, 'isNew' | 'dead' | 'type' | 'ref' | 'typeClass'>,
): Container {
  const depth = parent.depth + 1;
  if (depth > LINEAGE_DEPTH) throw new TooDeep('nested deeper than the board format allows');
  const c: Container = {
    root: null,
    parent,
    key,
    ...fields,
    depth,
    shape: childShape(parent.shape, key, fields.typeClass),
    lineage: [],
  };
  c.lineage = [...parent.lineage, c];
  return c;
}

/** Index of the struct covering `clock` in a clock-sorted list, or -1. */
function indexCovering(list: readonly (Y.Item | Y.GC)[], clock: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!;
    if (clock < s.id.clock) hi = mid - 1;
    else if (clock >= s.id.clock + s.length) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Inspects `update` (Yjs v1 encoding) against `doc`. Never modifies `doc`. `decoded`,
 * when the caller already has it, is `Y.decodeUpdate(update)` (saves decoding twice).
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array, decoded?: unknown): Inspection {
  if (decoded === undefined) {
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      return { ok: false, reason: 'update cannot be decoded' };
    }
  }
  try {
    return { ok: true, changes: new Inspector(doc).run(decoded as ReturnType<typeof Y.decodeUpdate>) };
  } catch (err) {
    if (err instanceof Unresolvable) return { ok: false, reason: err.message };
    if (err instanceof TooDeep) return { ok: false, reason: err.message, tooDeep: true };
    throw err;
  }
}

class Inspector {
  private readonly store: Y.Doc['store'];
  /** New structs per client, in clock order (GCs too: they cover delete ranges). */
  private readonly fresh = new Map<number, (Y.Item | Y.GC)[]>();
  private readonly places = new Map<Y.Item, Place>();
  private readonly newContainers = new Map<Y.Item, Container>();
  private readonly existing = new Map<Y.AbstractType<unknown>, Container>();
  private readonly roots = new Map<string, Container>();
  private readonly selfDeleted = new Set<Y.Item>();
  private readonly visiting = new Set<Y.Item>();

  constructor(private readonly doc: Y.Doc) {
    this.store = doc.store;
  }

  run(decoded: ReturnType<typeof Y.decodeUpdate>): Change[] {
    for (const s of decoded.structs) {
      // Skips are gaps in merged updates: nothing. GCs are content created and deleted
      // before it reached us: never visible, but a delete range may name them.
      if (s instanceof Y.Skip) continue;
      if (s.id.clock + s.length <= Y.getState(this.store, s.id.client)) continue; // known
      let list = this.fresh.get(s.id.client);
      if (!list) {
        list = [];
        this.fresh.set(s.id.client, list);
      }
      list.push(s);
    }
    for (const list of this.fresh.values()) list.sort((a, b) => a.id.clock - b.id.clock);
    const changes: Change[] = [];
    this.collectDeletes(decoded.ds, changes);
    for (const [client, list] of this.fresh) {
      const state = Y.getState(this.store, client);
      for (const item of list) {
        if (!(item instanceof Y.Item)) continue;
        const place = this.place(item);
        if (place === DEAD || place.container.dead) continue;
        const container = place.container;
        changes.push({
          op: 'insert',
          container,
          key: place.key,
          slot: container.shape ? slotShape(container.shape, place.key) : null,
          written: describeContent(item.content, () => this.containerOfNew(item)),
          selfDeleted: this.selfDeleted.has(item),
          // Only the part the board lacks integrates (a resend may overlap what it has).
          length: item.length - Math.max(0, state - item.id.clock),
        });
      }
    }
    return changes;
  }

  private collectDeletes(ds: ReturnType<typeof Y.decodeUpdate>['ds'], changes: Change[]): void {
    for (const [client, ranges] of ds.clients) {
      const state = Y.getState(this.store, client);
      const structs = this.store.clients.get(client);
      for (const { clock, len } of ranges) {
        const end = clock + len;
        if (end > state) this.markSelfDeleted(client, Math.max(clock, state), end);
        if (clock >= state || !structs) continue;
        for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
          const s = structs[i]!;
          if (s.id.clock >= end) break;
          if (!(s instanceof Y.Item) || s.deleted) continue; // already gone: a no-op
          const container = this.containerOfExisting(s.parent as Y.AbstractType<unknown>);
          if (container.dead) continue;
          const from = Math.max(clock, s.id.clock);
          const to = Math.min(end, s.id.clock + s.length);
          changes.push({
            op: 'delete',
            container,
            key: s.parentSub,
            slot: container.shape ? slotShape(container.shape, s.parentSub) : null,
            written: describeContent(s.content, () => this.containerOfExisting((s.content as Y.ContentType).type)),
            selfDeleted: false,
            length: s.countable ? to - from : 0,
          });
        }
      }
    }
  }

  /** A delete of ids the server does not have must name this update's own new structs. */
  private markSelfDeleted(client: number, from: number, end: number): void {
    const list = this.fresh.get(client) ?? [];
    const first = indexCovering(list, from);
    if (first < 0) throw new Unresolvable(`delete of unknown content ${client}:${from}`);
    let covered = from;
    for (let i = first; i < list.length && covered < end; i++) {
      const item = list[i]!;
      const itemEnd = item.id.clock + item.length;
      if (itemEnd <= covered) continue;
      if (item.id.clock > covered) break;
      if (item instanceof Y.Item) this.selfDeleted.add(item);
      covered = itemEnd;
    }
    if (covered < end) throw new Unresolvable(`delete of unknown content ${client}:${covered}`);
  }

  /** A struct by id: new in this update, or in the document (Item or GC). */
  private find(id: Y.ID): { fresh: Y.Item } | { stored: Y.Item | Y.GC } | null {
    if (id.clock >= Y.getState(this.store, id.client)) {
      const list = this.fresh.get(id.client);
      const i = list ? indexCovering(list, id.clock) : -1;
      if (i < 0) return null;
      const hit = list![i]!;
      // A new GC acts like a stored one: whatever sits next to it is garbage too.
      return hit instanceof Y.Item ? { fresh: hit } : { stored: hit };
    }
    const structs = this.store.clients.get(id.client);
    if (!structs) return null;
    return { stored: structs[Y.findIndexSS(structs, id.clock)]! };
  }

  /** The new struct that must be placed before `item` can be, if any. */
  private dependency(item: Y.Item): Y.Item | null {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return null;
    const ref = parent instanceof Y.ID ? parent : (item.origin ?? item.rightOrigin);
    if (!ref) return null;
    const found = this.find(ref);
    return found && 'fresh' in found ? found.fresh : null;
  }

  /** Places `item`, placing what it depends on first (iteratively: chains may be long). */
  private place(item: Y.Item): Place {
    const known = this.places.get(item);
    if (known) return known;
    const stack = [item];
    this.visiting.add(item);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const dep = this.dependency(top);
      if (dep && !this.places.has(dep)) {
        if (this.visiting.has(dep)) throw new Unresolvable(`cyclic parent at ${idKey(dep.id)}`);
        this.visiting.add(dep);
        stack.push(dep);
        continue;
      }
      this.places.set(top, this.resolvePlace(top));
      this.visiting.delete(top);
      stack.pop();
    }
    return this.places.get(item)!;
  }

  /** Called once whatever `item` depends on is placed. */
  private resolvePlace(item: Y.Item): Place {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { container: this.rootContainer(parent), key: item.parentSub };
    if (parent instanceof Y.ID) {
      const found = this.find(parent);
      if (!found) throw new Unresolvable(`unknown parent ${idKey(parent)}`);
      if ('fresh' in found) {
        const p = found.fresh;
        if (!(p.content instanceof Y.ContentType)) throw new Unresolvable(`parent ${idKey(parent)} is not a type`);
        if (this.places.get(p) === DEAD) return DEAD;
        return { container: this.containerOfNew(p), key: item.parentSub };
      }
      const s = found.stored;
      if (!(s instanceof Y.Item) || s.content instanceof Y.ContentDeleted) return DEAD;
      if (!(s.content instanceof Y.ContentType)) throw new Unresolvable(`parent ${idKey(parent)} is not a type`);
      return { container: this.containerOfExisting(s.content.type), key: item.parentSub };
    }
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour) throw new Unresolvable(`struct ${idKey(item.id)} has no parent`);
    const found = this.find(neighbour);
    if (!found) throw new Unresolvable(`unknown neighbour ${idKey(neighbour)}`);
    if ('fresh' in found) return this.places.get(found.fresh)!;
    const s = found.stored;
    if (!(s instanceof Y.Item)) return DEAD;
    return { container: this.containerOfExisting(s.parent as Y.AbstractType<unknown>), key: s.parentSub };
  }

  private rootContainer(name: string): Container {
    let c = this.roots.get(name);
    if (!c) {
      const type = (this.doc.share.get(name) as Y.AbstractType<unknown> | undefined) ?? null;
      c = {
        root: name,
        parent: null,
        key: null,
        isNew: false,
        dead: false,
        type,
        ref: `root:${name}`,
        typeClass: 'map',
        depth: 0,
        shape: isRootName(name) ? BOARD_SHAPE[name] : null,
        lineage: [],
      };
      c.lineage = [c];
      this.roots.set(name, c);
    }
    return c;
  }

  /** The container a new ContentType struct creates (its place must resolve). */
  private containerOfNew(item: Y.Item): Container {
    let c = this.newContainers.get(item);
    if (c) return c;
    const place = this.place(item);
    if (place === DEAD) throw new Unresolvable(`type ${idKey(item.id)} is in a deleted parent`);
    c = childContainer(place.container, place.key, {
      isNew: true,
      dead: place.container.dead,
      type: null,
      ref: idKey(item.id),
      typeClass: classOf((item.content as Y.ContentType).type),
    });
    this.newContainers.set(item, c);
    return c;
  }

  /** The container of a type in the document, built top-down from the nearest known one. */
  private containerOfExisting(type: Y.AbstractType<unknown>): Container {
    const cached = this.existing.get(type);
    if (cached) return cached;
    const below: Y.AbstractType<unknown>[] = [];
    let base: Container | null = null;
    for (let t = type; ; t = t._item!.parent as Y.AbstractType<unknown>) {
      const known = this.existing.get(t);
      if (known) {
        base = known;
        break;
      }
      if (!t._item) {
        base = this.rootContainer(this.rootName(t));
        this.existing.set(t, base);
        break;
      }
      below.push(t);
    }
    for (let i = below.length - 1; i >= 0; i--) {
      const t = below[i]!;
      const holder = t._item!;
      base = childContainer(base, holder.parentSub, {
        isNew: false,
        dead: base.dead || holder.deleted,
        type: t,
        ref: idKey(holder.id),
        typeClass: classOf(t),
      });
      this.existing.set(t, base);
    }
    return base;
  }

  private rootName(type: Y.AbstractType<unknown>): string {
    for (const [n, t] of this.doc.share) if (t === type) return n;
    throw new Unresolvable('type outside the document');
  }
}

/** Keys from the root down to `c`; array elements appear as `[ref]`. */
export function pathOf(c: Container): string[] {
  const out: string[] = [];
  for (let n: Container | null = c; n; n = n.parent) out.push(n.root ?? n.key ?? `[${n.ref}]`);
  return out.reverse();
}
