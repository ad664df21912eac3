/**
 * An acceptance criterion (`items.<id>.criteria[i]`, docs/format.md, a v1 addition): a
 * checklist entry. Criteria are removed for real, unlike comments. Operations: criteria.ts.
 */
import * as Y from 'yjs';
import type { CriterionId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import type { RecordShape, Shape } from './shape-types.ts';
import { newTypedMap, readString, type TypedMap } from './typed-map.ts';
import { id, isStringOf, value } from './values.ts';

export interface Criterion {
  id: CriterionId;
  text: string;
  /** Anything but `true` reads as false. */
  done: boolean;
}
export type CriterionMap = TypedMap<Criterion>;

/** The criterion's keys by name, so nobody spells them as strings. */
export const CRITERION_KEYS = { id: 'id', text: 'text', done: 'done' } as const satisfies { readonly [K in keyof Criterion]: K };

export const MAX_CRITERION_LENGTH = LIMITS.maxTitleLength;

export const CRITERION_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    text: value(`text of at most ${MAX_CRITERION_LENGTH} characters`, isStringOf(MAX_CRITERION_LENGTH)),
    done: value('true or false', (v) => typeof v === 'boolean'),
  } satisfies Record<keyof Criterion, Shape>,
};

export function createCriterionMap(c: Pick<Criterion, 'id' | 'text'> & Partial<Criterion>): CriterionMap {
  return newTypedMap<Criterion>({ done: false, ...c });
}

/** A criterion, or null if the entry is not a map. */
export function readCriterion(raw: unknown): Criterion | null {
  if (!(raw instanceof Y.Map)) return null;
  return { id: readString(raw.get('id')) as CriterionId, text: readString(raw.get('text')), done: raw.get('done') === true };
}
