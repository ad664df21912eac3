/**
 * What the browser remembers between visits: the display name, and per board the personal
 * token a join returned. localStorage can throw (private mode, quota), so every access is
 * guarded and the app keeps working without it.
 *
 * One browser may be used by several people (or one person in several roles) on a board:
 * joining again keeps the earlier session aside instead of dropping it, so its person can
 * continue later and send what their own offline cache still holds [AUTH-6].
 */
import { isRole, type Role } from '../shared/roles.ts';

const NAME_KEY = 'refinement:displayName';
const SESSION_PREFIX = 'refinement:board:';
const sessionKey = (boardId: string) => `${SESSION_PREFIX}${boardId}`;
/** Sessions on a board other than its current one, one per person. */
const EARLIER_PREFIX = 'refinement:earlier:';
const earlierKey = (boardId: string, userId: string) => `${EARLIER_PREFIX}${boardId}:${userId}`;

export interface BoardSession {
  boardId: string;
  userId: string;
  role: Role;
  name: string;
  /** Personal token (board, role, user) for the socket and REST calls. */
  token: string;
  /** Board title as last seen, for the home page's "your boards" list. */
  title?: string;
  lastOpenedAt?: number;
}

function get(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function set(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: the user will be asked again next time, nothing else breaks.
  }
}

export const loadDisplayName = (): string => get(NAME_KEY) ?? '';
export const saveDisplayName = (name: string): void => set(NAME_KEY, name);

export function loadBoardSession(boardId: string): BoardSession | null {
  return parseSession(boardId, get(sessionKey(boardId)));
}

function parseSession(boardId: string, raw: string | null): BoardSession | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<BoardSession>;
    if (
      v.boardId === boardId &&
      typeof v.userId === 'string' &&
      typeof v.token === 'string' &&
      typeof v.name === 'string' &&
      isRole(v.role)
    ) {
      return {
        boardId,
        userId: v.userId,
        role: v.role,
        name: v.name,
        token: v.token,
        title: typeof v.title === 'string' ? v.title : undefined,
        lastOpenedAt: typeof v.lastOpenedAt === 'number' ? v.lastOpenedAt : undefined,
      };
    }
  } catch {
    // Corrupt entry: treat as not joined.
  }
  return null;
}

/** Notes the board's title and that it was opened now (for the home page list). */
export function touchBoardSession(boardId: string, title: string): void {
  const s = loadBoardSession(boardId);
  if (s) saveBoardSession({ ...s, title, lastOpenedAt: Date.now() });
}

/** Boards this browser has joined, most recently opened first. */
export function listBoardSessions(): BoardSession[] {
  const out: BoardSession[] = [];
  try {
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i);
      if (!key?.startsWith(SESSION_PREFIX)) continue;
      const s = loadBoardSession(key.slice(SESSION_PREFIX.length));
      if (s) out.push(s);
    }
  } catch {
    // Storage unavailable: no list.
  }
  return out.sort((a, b) => (b.lastOpenedAt ?? 0) - (a.lastOpenedAt ?? 0));
}

/** Makes `s` the board's current session; a current one of another person is kept aside. */
export function saveBoardSession(s: BoardSession): void {
  const current = loadBoardSession(s.boardId);
  if (current && current.userId !== s.userId) set(earlierKey(s.boardId, current.userId), JSON.stringify(current));
  set(earlierKey(s.boardId, s.userId), null);
  set(sessionKey(s.boardId), JSON.stringify(s));
}

/** The board's sessions other than the current one (other people who used this browser). */
export function earlierBoardSessions(boardId: string): BoardSession[] {
  const out: BoardSession[] = [];
  const prefix = `${EARLIER_PREFIX}${boardId}:`;
  try {
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i);
      if (!key?.startsWith(prefix)) continue;
      const s = parseSession(boardId, get(key));
      if (s && key === earlierKey(boardId, s.userId)) out.push(s);
    }
  } catch {
    // Storage unavailable: none.
  }
  return out.sort((a, b) => (b.lastOpenedAt ?? 0) - (a.lastOpenedAt ?? 0));
}
export const forgetBoardSession = (boardId: string): void => set(sessionKey(boardId), null);
