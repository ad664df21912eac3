/** Avatar initials (the avatar colour is shared/colors.ts, the one the server pins). */

/**
 * Up to two initials for an avatar, from the name's words ("Ada Lovelace" → "AL",
 * "bob" → "BO"). A bracketed note is not part of the name ("Priya (PO)" → "PR"), nor is
 * punctuation.
 */
export function initials(name: string): string {
  const words = name.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ').match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu) ?? [];
  if (words.length === 0) {
    const letters = name.match(/[\p{L}\p{N}]/gu);
    return letters ? letters.slice(0, 2).join('').toUpperCase() : '?';
  }
  if (words.length === 1) return [...words[0]!].filter((c) => /[\p{L}\p{N}]/u.test(c)).slice(0, 2).join('').toUpperCase();
  return ([...words[0]!][0]! + [...words.at(-1)!][0]!).toUpperCase();
}
