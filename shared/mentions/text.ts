/**
 * `@Name` in text [MEN-1, MEN-3]: finding what is being typed after an `@`, the members that
 * match it, inserting the picked one, and finding mentions again in stored text (to send
 * their ids and to highlight them). Pure: no Yjs, no DOM.
 */
import { LIMITS } from '../limits.ts';

export interface Mentionable {
  id: string;
  name: string;
}

/** Characters after which an `@` starts a mention (not inside `me@example.com`). */
const OPENS = /[\s([{"'«“‘]/u;
const WORD = /[\p{L}\p{N}]/u;

/** Case- and accent-insensitive form for matching names. */
export const foldName = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  /** What follows it up to the caret. */
  query: string;
}

/**
 * The mention being typed at `caret`, or null: an `@` at the start or after a space or
 * bracket, followed by at most a name's length of text with no line break, that does not
 * begin with a space or hold two in a row (then it is prose, not a name).
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const from = Math.max(0, caret - LIMITS.maxDisplayNameLength - 1);
  for (let i = caret - 1; i >= from; i--) {
    const ch = text[i]!;
    if (ch === '\n') return null;
    if (ch !== '@') continue;
    if (i > 0 && !OPENS.test(text[i - 1]!)) return null;
    const query = text.slice(i + 1, caret);
    if (/^\s/.test(query) || /\s\s/.test(query)) return null;
    return { start: i, query };
  }
  return null;
}

/**
 * Members whose name matches `query`: names starting with it first, then names with a word
 * starting with it, then (from two characters) names containing it; alphabetical within.
 */
export function matchMembers<M extends Mentionable>(members: readonly M[], query: string, limit = 8): M[] {
  const q = foldName(query);
  const scored: { m: M; score: number }[] = [];
  for (const m of members) {
    const n = foldName(m.name);
    let score = -1;
    if (n.startsWith(q)) score = 0;
    else if (n.split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(q))) score = 1;
    else if (q.length >= 2 && n.includes(q)) score = 2;
    if (score >= 0) scored.push({ m, score });
  }
  scored.sort((a, b) => a.score - b.score || a.m.name.localeCompare(b.m.name));
  return scored.slice(0, limit).map((s) => s.m);
}

/** Replaces the `@query` typed from `start` to `caret` with `@Name ` and puts the caret after it. */
export function insertMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
  const after = text.slice(caret);
  const mention = `@${name}${/^\s/.test(after) ? '' : ' '}`;
  return { text: text.slice(0, start) + mention + after, caret: start + mention.length + (/^\s/.test(after) ? 1 : 0) };
}

export type MentionSegment = { kind: 'text'; text: string } | { kind: 'mention'; text: string; userIds: readonly string[] };

/**
 * The text cut into plain runs and `@Name` mentions of `people` (longest name first, so
 * "@Ana Lopez" wins over "@Ana"; a name must end at a non-letter). Two people with the same
 * name are both meant.
 */
export function splitMentions(text: string, people: readonly Mentionable[]): MentionSegment[] {
  const byName = new Map<string, { name: string; ids: string[] }>();
  for (const p of people) {
    const name = p.name.trim();
    if (!name) continue;
    const key = foldName(name);
    const entry = byName.get(key) ?? { name, ids: [] };
    if (!entry.ids.includes(p.id)) entry.ids.push(p.id);
    byName.set(key, entry);
  }
  const names = [...byName.entries()].sort((a, b) => b[1].name.length - a[1].name.length);
  const out: MentionSegment[] = [];
  let plain = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '@' || (i > 0 && !OPENS.test(text[i - 1]!))) continue;
    for (const [key, { name, ids }] of names) {
      const end = i + 1 + name.length;
      if (foldName(text.slice(i + 1, end)) !== key || (end < text.length && WORD.test(text[end]!))) continue;
      if (i > plain) out.push({ kind: 'text', text: text.slice(plain, i) });
      out.push({ kind: 'mention', text: text.slice(i, end), userIds: ids });
      plain = end;
      i = end - 1;
      break;
    }
  }
  if (plain < text.length) out.push({ kind: 'text', text: text.slice(plain) });
  return out;
}

/** The ids of the `members` that `text` mentions as `@Name`, in order of first mention. */
export function mentionedIn(text: string, members: readonly Mentionable[]): string[] {
  const out: string[] = [];
  for (const s of splitMentions(text, members)) {
    if (s.kind === 'mention') for (const id of s.userIds) if (!out.includes(id)) out.push(id);
  }
  return out;
}
