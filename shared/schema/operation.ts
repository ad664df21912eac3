/**
 * What every refinement operation (questions.ts, comments.ts, criteria.ts, ready.ts,
 * facilitation.ts) shares: who acts, what it answers, and how an item's entry is found.
 *
 * Operations are pure functions on a Y.Doc, each one transaction (one update on the wire,
 * one step of undo) tagged with an optional `origin`. Those the write policy restricts
 * check the actor first and refuse without writing, so the UI never sends a change the
 * server would reject; the server's gate enforces the same rules independently
 * (shared/policy/can.ts is the common source). Rules: docs/SPEC.md, REF section.
 */
import * as Y from 'yjs';
import type { UserId } from '../ids.ts';
import type { Role } from '../roles.ts';
import type { ItemMap } from './item.ts';

/** The person performing an operation, as the server's token names them. */
export interface Actor {
  userId: UserId;
  name: string;
  role: Role;
}

/** Why an operation wrote nothing. */
export type Refusal =
  /** The item, question, comment or criterion does not exist (or was archived away). */
  | 'not-found'
  /** The write policy forbids it for this actor (the server would refuse it too). */
  | 'forbidden'
  /** Empty text, or text over its limit after trimming. */
  | 'invalid'
  /** The item already holds as many questions, comments or criteria as LIMITS allows [POL-17]. */
  | 'full'
  /** [REF-5] The item has unresolved questions and no PO override was asked for. */
  | 'open-questions';

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; reason: Refusal };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = <T = never>(reason: Refusal): Result<T> => ({ ok: false, reason });

/** `text` trimmed, or null when that leaves nothing or more than `max` characters. */
export function cleanText(text: string, max: number): string | null {
  const t = text.trim();
  return t && t.length <= max ? t : null;
}

/** The item's Y.Array under `key`, or null when the item (or the array) is missing. */
export function arrayOf(item: ItemMap | null, key: 'questions' | 'comments' | 'criteria'): Y.Array<Y.Map<unknown>> | null {
  const arr = item?.get(key);
  return arr instanceof Y.Array ? arr : null;
}

/** The entry of `arr` whose `id` field is `id`, with its index. */
export function findById(arr: Y.Array<Y.Map<unknown>>, id: string): { map: Y.Map<unknown>; index: number } | null {
  let found: { map: Y.Map<unknown>; index: number } | null = null;
  arr.forEach((entry, index) => {
    if (!found && entry instanceof Y.Map && entry.get('id') === id) found = { map: entry, index };
  });
  return found;
}
