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

/**
 * Colours for the people in one room: everyone gets their own colour (colorForUser when
 * it is free, else the next free one in palette order) while the palette has free ones;
 * only past USER_PALETTE.length people present do colours repeat. `release` frees a
 * colour when its person has left, so a busy board does not run out.
 */
export class RoomColors {
  private readonly byUser = new Map<string, string>();

  colorFor(userId: string): string {
    const known = this.byUser.get(userId);
    if (known !== undefined) return known;
    const taken = new Set(this.byUser.values());
    const preferred = colorForUser(userId);
    const start = USER_PALETTE.indexOf(preferred);
    let color = preferred;
    for (let i = 0; i < USER_PALETTE.length; i++) {
      const candidate = USER_PALETTE[(start + i) % USER_PALETTE.length]!;
      if (!taken.has(candidate)) {
        color = candidate;
        break;
      }
    }
    this.byUser.set(userId, color);
    return color;
  }

  /** Frees the colours of everyone not in `present`. */
  keepOnly(present: ReadonlySet<string>): void {
    for (const userId of this.byUser.keys()) if (!present.has(userId)) this.byUser.delete(userId);
  }
}

/**
 * The colours shown for the people present on one board, from the set of their ids alone,
 * so every client computes the same answer whichever server instance relays whom
 * (awareness is fanned out between instances; a per-instance table like RoomColors only
 * knows its own sockets). Everyone gets colorForUser when nobody present has it already;
 * people whose colour is taken, in id order, get the next free one in palette order. Only
 * past USER_PALETTE.length people present do colours repeat. A colour changes only when
 * someone with the same preferred colour and a smaller id joins.
 */
export function boardColors(userIds: Iterable<string>): Map<string, string> {
  const ids = [...new Set(userIds)].sort();
  const out = new Map<string, string>();
  const taken = new Set<string>();
  const clashing: string[] = [];
  // First pass: the smallest id preferring a colour keeps it.
  for (const id of ids) {
    const preferred = colorForUser(id);
    if (taken.has(preferred)) {
      clashing.push(id);
      continue;
    }
    taken.add(preferred);
    out.set(id, preferred);
  }
  for (const id of clashing) {
    const start = USER_PALETTE.indexOf(colorForUser(id));
    let color = colorForUser(id);
    for (let i = 1; i <= USER_PALETTE.length; i++) {
      const candidate = USER_PALETTE[(start + i) % USER_PALETTE.length]!;
      if (!taken.has(candidate)) {
        color = candidate;
        break;
      }
    }
    taken.add(color);
    out.set(id, color);
  }
  return out;
}
