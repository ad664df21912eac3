/** Reads a sprint entry tolerantly (junk fields read as their defaults), for the export: planning fields, availability and frozen records included. */
import * as Y from 'yjs';
import { readSprint as readSprintSnapshot } from '../schema/sprint.ts';
import { readNullableNumber, readString } from '../schema/typed-map.ts';
import type { Availability } from '../schema/capacity.ts';
import type { ImportedSprint } from './record.ts';

export function readSprint(raw: unknown, key: string): (ImportedSprint & { availability: Record<string, Availability> }) | null {
  if (!(raw instanceof Y.Map)) return null;
  const planning = readSprintSnapshot(raw, key);
  return {
    key,
    name: readString(raw.get('name')),
    goal: readString(raw.get('goal')),
    capacity: readNullableNumber(raw.get('capacity')),
    startsAt: readNullableNumber(raw.get('startsAt')),
    endsAt: readNullableNumber(raw.get('endsAt')),
    state: planning?.state ?? 'planned',
    focusFactor: planning?.focusFactor ?? 1,
    pointsPerDay: planning?.pointsPerDay ?? null,
    availability: Object.fromEntries(planning?.availability ?? []),
    committed: planning?.committed ?? null,
    outcome: planning?.outcome ?? null,
  };
}
