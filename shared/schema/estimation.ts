/**
 * The planning-poker round. Written by the server only (policy rule POL-EST): clients
 * see who has voted (`voted`), never what, until the server fills `results` at reveal.
 */
import type { ItemId, UserId } from '../ids.ts';
import type { TypedMap } from './typed-map.ts';
import type * as Y from 'yjs';

export const ESTIMATION_STATES = ['voting', 'revealed'] as const;
export type EstimationStateName = (typeof ESTIMATION_STATES)[number];

export interface EstimationFields {
  itemId: ItemId | null;
  round: number;
  state: EstimationStateName;
  voted: Y.Map<true>;
  results: Y.Map<string>;
}
export type EstimationMap = TypedMap<EstimationFields>;

export interface EstimationSnapshot {
  itemId: ItemId | null;
  round: number;
  state: EstimationStateName | null;
  voted: readonly UserId[];
  results: Readonly<Record<string, string>>;
}
