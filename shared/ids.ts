/**
 * Branded ids: a UserId can't be passed where an ItemId is expected. Ids are random
 * base62 strings made with crypto.getRandomValues, which (unlike randomUUID) also works
 * in browsers on plain-http origins such as a LAN address.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type BoardId = Brand<string, 'BoardId'>;
export type ItemId = Brand<string, 'ItemId'>;
export type UserId = Brand<string, 'UserId'>;
export type SprintId = Brand<string, 'SprintId'>;
export type QuestionId = Brand<string, 'QuestionId'>;
export type CommentId = Brand<string, 'CommentId'>;
export type CriterionId = Brand<string, 'CriterionId'>;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_PATTERN = /^[0-9A-Za-z_-]{6,64}$/;

/** A random id of `length` base62 characters (16 chars ≈ 95 bits). */
export function randomId(length = 16): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  // 248 = 4 * 62: rejecting bytes above it keeps every character equally likely.
  for (let i = 0; out.length < length; i++) {
    if (i >= bytes.length) {
      globalThis.crypto.getRandomValues(bytes);
      i = 0;
    }
    const b = bytes[i]!;
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out;
}

/** True for strings shaped like the ids this app makes (and safe in URLs and SQL keys). */
export function isIdLike(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export const newBoardId = (): BoardId => randomId(12) as BoardId;
export const newItemId = (): ItemId => randomId() as ItemId;
export const newUserId = (): UserId => randomId() as UserId;
export const newSprintId = (): SprintId => randomId() as SprintId;
export const newQuestionId = (): QuestionId => randomId() as QuestionId;
export const newCommentId = (): CommentId => randomId() as CommentId;
export const newCriterionId = (): CriterionId => randomId() as CriterionId;
