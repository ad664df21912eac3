/**
 * A Y.Map whose keys and value types are known at compile time, so no caller reaches
 * into a raw Y.Map with a string key. It is a type only: at run time it is the Y.Map.
 */
import * as Y from 'yjs';

export type TypedMap<F extends object> = Omit<Y.Map<unknown>, 'get' | 'set' | 'has' | 'delete'> & {
  get<K extends keyof F & string>(key: K): F[K] | undefined;
  set<K extends keyof F & string, V extends F[K]>(key: K, value: V): V;
  has(key: keyof F & string): boolean;
  delete(key: keyof F & string): void;
};

/** Makes a fresh Y.Map with the given fields typed as `F`. */
export function newTypedMap<F extends object>(fields: Partial<F>): TypedMap<F> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) map.set(key, value);
  }
  return map as unknown as TypedMap<F>;
}

/** Views an existing Y.Map as typed (no copy). Only the schema modules call this. */
export function asTypedMap<F extends object>(map: Y.Map<unknown>): TypedMap<F> {
  return map as unknown as TypedMap<F>;
}

export const readString = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
export const readNumber = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
export const readNullableNumber = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
export const readNullableString = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const readText = (value: unknown): string => (value instanceof Y.Text ? value.toString() : readString(value));
