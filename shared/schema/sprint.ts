/** A sprint items can be planned into. */
import type { SprintId } from '../ids.ts';
import type { TypedMap } from './typed-map.ts';

export interface SprintFields {
  id: SprintId;
  name: string;
  goal: string;
  capacity: number | null;
  startsAt: number | null;
  endsAt: number | null;
}
export type SprintMap = TypedMap<SprintFields>;
export type Sprint = SprintFields;
