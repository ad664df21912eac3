/**
 * Reads an incoming Yjs update against a board's current state WITHOUT applying it and
 * says what it would change: for every new struct, the container it lands in (walked up
 * to a root, so its path is known) and the value it writes; for every delete, the live
 * struct it removes. The gate (gate.ts) judges these against the write policy.
 *
 * How a decoded struct finds its place (mirrors Item.getMissing in yjs 13):
 * - `parent` is a string: the root type of that name; `parentSub` is the map key.
 * - `parent` is an ID: the type held by that item (in the doc, or new in this update).
 * - `parent` is null: the struct sits next to its `origin` (or `rightOrigin`) and
 *   inherits that item's parent and parentSub (every map overwrite looks like this).
 * A struct whose neighbour or parent is a GC (garbage-collected, i.e. inside a deleted
 * type) becomes a GC itself in yjs, so it changes nothing visible and is ignored here.
 * Anything that cannot be placed is reported as unresolvable: the gate refuses it.
 */
import * as Y from 'yjs';

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
}

export type Written =
  | { kind: 'values'; values: readonly unknown[] }
  | { kind: 'type'; container: Container }
  | { kind: 'text' }
  | { kind: 'deleted' }
  | { kind: 'other'; name: string };

export interface Change {
  op: 'insert' | 'delete';
  container: Container;
  /** Map key written or removed; null for array and text content. */
  key: string | null;
  /** For inserts: what is written. For deletes: what is removed. */
  written: Written;
  /** Insert only: this new content is also deleted by the same update (a no-op). */
  selfDeleted: boolean;
}

export type Inspection = { ok: true; changes: Change[] } | { ok: false; reason: string };

const DEAD = Symbol('dead');
type Place = { container: Container; key: string | null } | typeof DEAD;

class Unresolvable extends Error {}

const idKey = (id: Y.ID): string => `${id.client}:${id.clock}`;

function describeContent(content: unknown, typeContainer: () => Container): Written {
  if (content instanceof Y.ContentAny) return { kind: 'values', values: content.arr };
  if (content instanceof Y.ContentType) return { kind: 'type', container: typeContainer() };
  // Formatting and embeds only exist inside Y.Text: they are text edits like any other.
  if (content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed) {
    return { kind: 'text' };
  }
  if (content instanceof Y.ContentDeleted) return { kind: 'deleted' };
  if (content instanceof Y.ContentJSON) return { kind: 'values', values: content.arr };
  const name = (content as { constructor?: { name?: string } })?.constructor?.name ?? 'unknown';
  return { kind: 'other', name };
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
    const changes: Change[] = [];
    this.collectDeletes(decoded.ds, changes);
    for (const list of this.fresh.values()) {
      for (const item of list) {
        if (!(item instanceof Y.Item)) continue;
        const place = this.place(item);
        if (place === DEAD || place.container.dead) continue;
        changes.push({
          op: 'insert',
          container: place.container,
          key: place.key,
          written: describeContent(item.content, () => this.containerOfNew(item)),
          selfDeleted: this.selfDeleted.has(item),
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
          changes.push({
            op: 'delete',
            container,
            key: s.parentSub,
            written: describeContent(s.content, () => this.containerOfExisting((s.content as Y.ContentType).type)),
            selfDeleted: false,
          });
        }
      }
    }
  }

  /** A delete of ids the server does not have must name this update's own new structs. */
  private markSelfDeleted(client: number, from: number, end: number): void {
    const list = this.fresh.get(client) ?? [];
    let covered = from;
    for (const item of list) {
      const itemEnd = item.id.clock + item.length;
      if (itemEnd <= from || item.id.clock >= end) continue;
      if (item.id.clock > covered) break;
      if (item instanceof Y.Item) this.selfDeleted.add(item);
      covered = Math.max(covered, itemEnd);
    }
    if (covered < end) throw new Unresolvable(`delete of unknown content ${client}:${covered}`);
  }

  /** A struct by id: new in this update, or in the document (Item or GC). */
  private find(id: Y.ID): { fresh: Y.Item } | { stored: Y.Item | Y.GC } | null {
    if (id.clock >= Y.getState(this.store, id.client)) {
      const list = this.fresh.get(id.client);
      const hit = list?.find((s) => s.id.clock <= id.clock && id.clock < s.id.clock + s.length);
      if (!hit) return null;
      // A new GC acts like a stored one: whatever sits next to it is garbage too.
      return hit instanceof Y.Item ? { fresh: hit } : { stored: hit };
    }
    const structs = this.store.clients.get(id.client);
    if (!structs) return null;
    return { stored: structs[Y.findIndexSS(structs, id.clock)]! };
  }

  private place(item: Y.Item): Place {
    const known = this.places.get(item);
    if (known) return known;
    if (this.visiting.has(item)) throw new Unresolvable(`cyclic parent at ${idKey(item.id)}`);
    this.visiting.add(item);
    const place = this.resolvePlace(item);
    this.visiting.delete(item);
    this.places.set(item, place);
    return place;
  }

  private resolvePlace(item: Y.Item): Place {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { container: this.rootContainer(parent), key: item.parentSub };
    if (parent instanceof Y.ID) {
      const found = this.find(parent);
      if (!found) throw new Unresolvable(`unknown parent ${idKey(parent)}`);
      if ('fresh' in found) {
        const p = found.fresh;
        if (!(p.content instanceof Y.ContentType)) throw new Unresolvable(`parent ${idKey(parent)} is not a type`);
        const pp = this.place(p);
        if (pp === DEAD) return DEAD;
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
    if ('fresh' in found) return this.place(found.fresh);
    const s = found.stored;
    if (!(s instanceof Y.Item)) return DEAD;
    return { container: this.containerOfExisting(s.parent as Y.AbstractType<unknown>), key: s.parentSub };
  }

  private rootContainer(name: string): Container {
    let c = this.roots.get(name);
    if (!c) {
      const type = (this.doc.share.get(name) as Y.AbstractType<unknown> | undefined) ?? null;
      c = { root: name, parent: null, key: null, isNew: false, dead: false, type, ref: `root:${name}` };
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
    c = {
      root: null,
      parent: place.container,
      key: place.key,
      isNew: true,
      dead: place.container.dead,
      type: null,
      ref: idKey(item.id),
    };
    this.newContainers.set(item, c);
    return c;
  }

  private containerOfExisting(type: Y.AbstractType<unknown>): Container {
    let c = this.existing.get(type);
    if (c) return c;
    const holder = type._item;
    if (!holder) {
      let name: string | null = null;
      for (const [n, t] of this.doc.share) if (t === type) name = n;
      if (name === null) throw new Unresolvable('type outside the document');
      c = this.rootContainer(name);
    } else {
      const parent = this.containerOfExisting(holder.parent as Y.AbstractType<unknown>);
      c = {
        root: null,
        parent,
        key: holder.parentSub,
        isNew: false,
        dead: parent.dead || holder.deleted,
        type,
        ref: idKey(holder.id),
      };
    }
    this.existing.set(type, c);
    return c;
  }
}

/** Keys from the root down to `c`; array elements appear as `[ref]`. */
export function pathOf(c: Container): string[] {
  const out: string[] = [];
  for (let n: Container | null = c; n; n = n.parent) out.push(n.root ?? n.key ?? `[${n.ref}]`);
  return out.reverse();
}
