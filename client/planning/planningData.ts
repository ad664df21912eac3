/**
 * The planning view's one door to the document: it reads sprints and writes planning
 * changes through shared/schema (typed maps, SPRINT_KEYS, the board's operations), so the
 * components never touch raw Y.Maps. Each write is one transaction tagged with `origin`.
 */
import * as Y from 'yjs';
import { type ItemId, newSprintId, type SprintId } from '../../shared/ids.ts';
import { boardRoots, moveItem, setItemField } from '../../shared/schema/board.ts';
import { SPRINT_KEYS, type Sprint } from '../../shared/schema/sprint.ts';
import { asTypedMap, readNullableNumber, readString } from '../../shared/schema/typed-map.ts';

export type SprintState = 'planned' | 'active' | 'closed';

export interface SprintView extends Sprint {
  state: SprintState;
}

/** Every sprint, in calendar order (start day, then name, then id). */
export function readSprints(doc: Y.Doc): SprintView[] {
  const out: SprintView[] = [];
  boardRoots(doc).sprints.forEach((raw, key) => {
    if (!(raw instanceof Y.Map)) return;
    const m = asTypedMap<Sprint>(raw);
    out.push({
      id: key as SprintId,
      name: readString(m.get(SPRINT_KEYS.name)),
      goal: readString(m.get(SPRINT_KEYS.goal)),
      capacity: readNullableNumber(m.get(SPRINT_KEYS.capacity)),
      startsAt: readNullableNumber(m.get(SPRINT_KEYS.startsAt)),
      endsAt: readNullableNumber(m.get(SPRINT_KEYS.endsAt)),
      state: 'planned',
    });
  });
  return out.sort(
    (a, b) => (a.startsAt ?? Number.POSITIVE_INFINITY) - (b.startsAt ?? Number.POSITIVE_INFINITY) || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1),
  );
}

export type SprintInput = Omit<Sprint, 'id'>;

export function createSprint(doc: Y.Doc, input: SprintInput, origin?: unknown): SprintId {
  const id = newSprintId();
  doc.transact(() => {
    const m = asTypedMap<Sprint>(new Y.Map<unknown>());
    boardRoots(doc).sprints.set(id, m as unknown as Y.Map<unknown>);
    m.set(SPRINT_KEYS.id, id);
    for (const k of ['name', 'goal', 'capacity', 'startsAt', 'endsAt'] as const) m.set(SPRINT_KEYS[k], input[k]);
  }, origin);
  return id;
}

export function updateSprint(doc: Y.Doc, id: SprintId, patch: Partial<SprintInput>, origin?: unknown): boolean {
  const raw = boardRoots(doc).sprints.get(id);
  if (!(raw instanceof Y.Map)) return false;
  const m = asTypedMap<Sprint>(raw);
  doc.transact(() => {
    for (const k of ['name', 'goal', 'capacity', 'startsAt', 'endsAt'] as const) if (patch[k] !== undefined) m.set(SPRINT_KEYS[k], patch[k]);
  }, origin);
  return true;
}

/**
 * One drop: the item joins `sprintId` (null: the backlog) and, when `index` is given, takes
 * that place among the other active items. One transaction, so one update and one undo step.
 */
export function planItem(doc: Y.Doc, itemId: ItemId, sprintId: SprintId | null, index: number | null, origin?: unknown): void {
  doc.transact(() => {
    if (index !== null) moveItem(doc, itemId, { index });
    setItemField(doc, itemId, 'sprintId', sprintId);
  }, origin);
}
