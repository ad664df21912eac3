/** Avatar initials (the avatar colour is shared/colors.ts, the one the server pins). */

/** Up to two initials for an avatar ("Ada Lovelace" → "AL", "bob" → "BO"). */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  if (parts.length === 1) return [...parts[0]!].slice(0, 2).join('').toUpperCase();
  return ([...parts[0]!][0]! + [...parts.at(-1)!][0]!).toUpperCase();
}
