/** A sprint items can be planned into (`sprints.<id>`, docs/format.md). PO and SM write it (POL-12). */
import { isIdLike, type SprintId } from '../ids.ts';
import type { MapOfShape, RecordShape, Shape } from './shape-types.ts';
import type { TypedMap } from './typed-map.ts';
import { field, id, isFiniteNumber, longText, nullable, nullableTime, value } from './values.ts';

export interface Sprint {
  id: SprintId;
  name: string;
  goal: string;
  capacity: number | null;
  startsAt: number | null;
  endsAt: number | null;
}
export type SprintMap = TypedMap<Sprint>;

/** The sprint's keys by name, so nobody spells them as strings. */
export const SPRINT_KEYS = {
  id: 'id',
  name: 'name',
  goal: 'goal',
  capacity: 'capacity',
  startsAt: 'startsAt',
  endsAt: 'endsAt',
} as const satisfies { readonly [K in keyof Sprint]: K };

/** Most sprints one board holds. */
export const MAX_SPRINTS = 1_000;

export const SPRINT_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    name: field,
    goal: longText,
    capacity: value('a number or null', nullable(isFiniteNumber)),
    startsAt: nullableTime,
    endsAt: nullableTime,
  } satisfies Record<keyof Sprint, Shape>,
};

/** Root `sprints`: sprint id → sprint. */
export const SPRINTS_SHAPE: MapOfShape = { kind: 'mapOf', key: isIdLike, keyWhat: 'a sprint id', value: SPRINT_SHAPE, maxEntries: MAX_SPRINTS };
