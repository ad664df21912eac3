import type * as Y from 'yjs';

/**
 * Replaces a Y.Text's content with `next` by deleting and inserting only the changed
 * middle, so a concurrent edit elsewhere in the same text survives the merge.
 */
export function replaceText(text: Y.Text, value: string): void {
  const next = wellFormed(value);
  const prev = text.toString();
  if (prev === next) return;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let endPrev = prev.length;
  let endNext = next.length;
  while (endPrev > start && endNext > start && prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)) {
    endPrev--;
    endNext--;
  }
  // Yjs turns both halves of a surrogate pair into U+FFFD when an edit splits it, so
  // widen the changed middle until neither boundary falls inside an emoji.
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
  if (endPrev < prev.length && isLowSurrogate(prev.charCodeAt(endPrev))) {
    endPrev++;
    endNext++;
  }
  if (endPrev > start) text.delete(start, endPrev - start);
  if (endNext > start) text.insert(start, next.slice(start, endNext));
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** `value` cut to at most `max` UTF-16 units without leaving half an emoji at the end. */
export function limitLength(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  return isHighSurrogate(cut.charCodeAt(cut.length - 1)) ? cut.slice(0, -1) : cut;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `value` with unpaired surrogates replaced by U+FFFD. Yjs encodes strings as UTF-8,
 * which turns a lone surrogate into U+FFFD on the wire while the writer keeps the
 * original, so the writer's document would silently differ from everyone else's.
 */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD');
}
