/**
 * Board metadata (root `meta`, docs/format.md): title, creation time, format version and
 * the estimation deck. The server writes it when the board is created; PO and SM change
 * the title and the deck (POL-3); any other key is the server's.
 */
import type * as Y from 'yjs';
import { LIMITS } from '../limits.ts';
import { type DefinitionOfReady, isDefinitionOfReady } from './readiness.ts';
import { ROOT } from './roots.ts';
import type { RecordShape, Shape } from './shape-types.ts';
import { asTypedMap, type TypedMap } from './typed-map.ts';
import { isFiniteNumber, isStringOf, time, value } from './values.ts';

export const FORMAT_VERSION = 1;

export const DECKS = {
  fibonacci: ['0', '1', '2', '3', '5', '8', '13', '21', '?', '☕'],
  modifiedFibonacci: ['0', '½', '1', '2', '3', '5', '8', '13', '20', '40', '100', '?', '☕'],
  tshirt: ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?', '☕'],
  powersOfTwo: ['0', '1', '2', '4', '8', '16', '32', '64', '?', '☕'],
} as const satisfies Record<string, readonly string[]>;
export type DeckName = keyof typeof DECKS;
export const DEFAULT_DECK: readonly string[] = DECKS.fibonacci;
export const DEFAULT_BOARD_TITLE = 'Untitled board';

export interface BoardMeta {
  title: string;
  createdAt: number;
  formatVersion: number;
  deck: readonly string[];
  /** The product goal the backlog serves (PO and SM, SPR-8); absent on old boards = ''. */
  productGoal: string;
  /** May developers move items into and out of planned sprints (SPR-4)? Absent = false. */
  developersMayPlan: boolean;
  /** What `ready` requires (the PO's, DOR-1, DOR-5); absent on old boards = no open questions (DOR-2). */
  definitionOfReady: DefinitionOfReady;
}
export type MetaMap = TypedMap<BoardMeta>;

/** The meta keys by name, so nobody spells them as strings. */
export const META_KEYS = {
  title: 'title',
  createdAt: 'createdAt',
  formatVersion: 'formatVersion',
  deck: 'deck',
  productGoal: 'productGoal',
  developersMayPlan: 'developersMayPlan',
  definitionOfReady: 'definitionOfReady',
} as const satisfies { readonly [K in keyof BoardMeta]: K };

export const META_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    title: value(`text of at most ${LIMITS.maxBoardTitleLength} characters`, isStringOf(LIMITS.maxBoardTitleLength)),
    createdAt: time,
    formatVersion: value('a number', isFiniteNumber),
    // Same rules as PUT /deck.
    deck: value('a deck of cards', (v) => validateDeck(v).ok),
    productGoal: value(`a product goal of at most ${LIMITS.maxProductGoalLength} characters`, isStringOf(LIMITS.maxProductGoalLength)),
    developersMayPlan: value('true or false', (v) => typeof v === 'boolean'),
    definitionOfReady: value(
      `{required: built-in checks, custom: at most ${LIMITS.maxCustomReadyChecks} {id, label ≤ ${LIMITS.maxReadyCheckLabelLength} characters}}`,
      isDefinitionOfReady,
    ),
  } satisfies Record<keyof BoardMeta, Shape>,
};

export const metaMap = (doc: Y.Doc): MetaMap => asTypedMap<BoardMeta>(doc.getMap(ROOT.meta));

/** What a new board's `meta` holds (the server writes it once, in initBoard). */
export function writeMetaDefaults(meta: MetaMap, init: { title: string; createdAt: number; deck?: readonly string[] }): void {
  meta.set('title', init.title);
  meta.set('createdAt', init.createdAt);
  meta.set('formatVersion', FORMAT_VERSION);
  meta.set('deck', [...(init.deck ?? DEFAULT_DECK)]);
}

/**
 * Checks a custom deck: 1..maxDeckCards distinct non-empty cards of at most
 * maxCardLength characters. Returns the cleaned deck or a reason.
 */
export function validateDeck(cards: unknown): { ok: true; cards: string[] } | { ok: false; reason: string } {
  if (!Array.isArray(cards)) return { ok: false, reason: 'cards must be an array of strings' };
  const out: string[] = [];
  for (const c of cards) {
    if (typeof c !== 'string') return { ok: false, reason: 'cards must be strings' };
    const card = c.trim();
    if (!card) return { ok: false, reason: 'a card must not be empty' };
    if ([...card].length > LIMITS.maxCardLength) return { ok: false, reason: `a card has at most ${LIMITS.maxCardLength} characters` };
    if ([...card].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return { ok: false, reason: 'a card must not contain control characters' };
    if (!out.includes(card)) out.push(card);
  }
  if (out.length === 0) return { ok: false, reason: 'a deck needs at least one card' };
  if (out.length > LIMITS.maxDeckCards) return { ok: false, reason: `a deck has at most ${LIMITS.maxDeckCards} cards` };
  return { ok: true, cards: out };
}
