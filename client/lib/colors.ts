/**
 * Person colours: picked from the user id, so everyone sees the same colour for the same
 * person without storing it. All pass 4.5:1 contrast with white text.
 */
const PALETTE = ['#2456a6', '#b3261e', '#1d7a4f', '#7b3fb0', '#b35400', '#00727a', '#a3216b', '#5a5f14', '#3f51b5', '#8a4b2a'];

export function colorForId(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** Up to two initials for an avatar ("Ada Lovelace" → "AL", "bob" → "BO"). */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  if (parts.length === 1) return [...parts[0]!].slice(0, 2).join('').toUpperCase();
  return ([...parts[0]!][0]! + [...parts.at(-1)!][0]!).toUpperCase();
}
