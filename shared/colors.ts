/**
 * A person's colour, picked from their user id, so everyone sees the same colour for the
 * same person without storing it. The server pins it into each awareness `user` [AUTH-2];
 * the client uses the same function for its own state and for a state that lacks one.
 */

/** Every colour passes 4.5:1 contrast with white text (avatar initials). */
export const USER_PALETTE: readonly string[] = [
  '#2456a6',
  '#b3261e',
  '#1d7a4f',
  '#7b3fb0',
  '#b35400',
  '#00727a',
  '#a3216b',
  '#5a5f14',
  '#3f51b5',
  '#8a4b2a',
];

export function colorForUser(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return USER_PALETTE[h % USER_PALETTE.length]!;
}
