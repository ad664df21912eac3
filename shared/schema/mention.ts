/**
 * Mentions as the document stores them [MEN-1, MEN-2]: a comment, a question and an answer
 * each carry the ids of the people they mention (`mentions`, `answerMentions`), a plain JSON
 * list next to the text, which keeps `@Name` for people to read. docs/format.md
 * ("Mentions") says why ids beside the text rather than a token inside it.
 */
import { isIdLike, type UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { value } from './values.ts';

export const MAX_MENTIONS = LIMITS.maxMentionsPerEntry;

/** A stored mention list: at most MAX_MENTIONS distinct id-like user ids. */
export function isMentionList(v: unknown): v is UserId[] {
  if (!Array.isArray(v) || v.length > MAX_MENTIONS) return false;
  const seen = new Set<string>();
  for (const id of v) {
    if (!isIdLike(id) || seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

export const mentionList = value(`a list of at most ${MAX_MENTIONS} distinct user ids`, isMentionList);

/** What a reader makes of a stored value: the ids when valid, else none (old records). */
export const readMentions = (v: unknown): readonly UserId[] => (isMentionList(v) ? v : []);

/**
 * The list an operation writes: distinct id-like ids in order, without the writer (nobody
 * needs telling about their own words), cut at MAX_MENTIONS.
 */
export function cleanMentions(ids: readonly string[] | undefined, writer: string): UserId[] {
  const out: UserId[] = [];
  for (const id of ids ?? []) {
    if (out.length >= MAX_MENTIONS) break;
    if (isIdLike(id) && id !== writer && !out.includes(id as UserId)) out.push(id as UserId);
  }
  return out;
}

export const sameMentions = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);
