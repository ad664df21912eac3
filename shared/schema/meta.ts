/** Board metadata: written once by the server when the board is created. */
import type { TypedMap } from './typed-map.ts';

export const FORMAT_VERSION = 1;

export const DECKS = {
  fibonacci: ['0', '1', '2', '3', '5', '8', '13', '21', '?', '☕'],
  modifiedFibonacci: ['0', '½', '1', '2', '3', '5', '8', '13', '20', '40', '100', '?', '☕'],
  tshirt: ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?', '☕'],
  powersOfTwo: ['0', '1', '2', '4', '8', '16', '32', '64', '?', '☕'],
} as const satisfies Record<string, readonly string[]>;
export type DeckName = keyof typeof DECKS;
export const DEFAULT_DECK: readonly string[] = DECKS.fibonacci;

export interface MetaFields {
  title: string;
  createdAt: number;
  formatVersion: number;
  deck: readonly string[];
}
export type MetaMap = TypedMap<MetaFields>;

export interface BoardMeta {
  title: string;
  createdAt: number;
  formatVersion: number;
  deck: readonly string[];
}
