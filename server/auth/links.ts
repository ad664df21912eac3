/**
 * The server's record of a board's invite links [INV-3, INV-4]: per role a generation, a
 * revoked flag and an optional expiry, stored durably as one private value (PrivateStore,
 * both adapters) under `invite-links`. A board that never changed its links has no value:
 * every role is generation 0, active, with no expiry — which is what link tokens signed
 * before generations existed (no `gen` claim) carry, so old links keep working.
 */
import type { BoardId } from '../../shared/ids.ts';
import type { InviteLinkState } from '../../shared/invites.ts';
import { ROLES, type Role } from '../../shared/roles.ts';
import type { PrivateStore } from '../storage/types.ts';

export const LINK_STATE_KEY = 'invite-links';

export interface RoleLinkRecord {
  generation: number;
  revoked: boolean;
  /** ms since epoch; null: never. */
  expiresAt: number | null;
}

export type BoardLinks = Readonly<Record<Role, RoleLinkRecord>>;

const FRESH: RoleLinkRecord = { generation: 0, revoked: false, expiresAt: null };

export const defaultBoardLinks = (): BoardLinks =>
  Object.fromEntries(ROLES.map((role) => [role, { ...FRESH }])) as Record<Role, RoleLinkRecord>;

const isRecord = (v: unknown): v is RoleLinkRecord => {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    Number.isSafeInteger(r.generation) &&
    (r.generation as number) >= 0 &&
    typeof r.revoked === 'boolean' &&
    (r.expiresAt === null || Number.isFinite(r.expiresAt))
  );
};

/** Parses the stored value; anything missing or damaged for a role reads as its default. */
export function parseBoardLinks(raw: string | null): BoardLinks {
  const links = { ...defaultBoardLinks() } as Record<Role, RoleLinkRecord>;
  if (raw === null) return links;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return links;
  }
  if (typeof parsed !== 'object' || parsed === null) return links;
  for (const role of ROLES) {
    const r = (parsed as Record<string, unknown>)[role];
    if (isRecord(r)) links[role] = { generation: r.generation, revoked: r.revoked, expiresAt: r.expiresAt };
  }
  return links;
}

export async function readBoardLinks(store: PrivateStore, boardId: BoardId): Promise<BoardLinks> {
  return parseBoardLinks(await store.getPrivate(boardId, LINK_STATE_KEY));
}

export async function writeBoardLinks(store: PrivateStore, boardId: BoardId, links: BoardLinks): Promise<void> {
  await store.putPrivate(boardId, LINK_STATE_KEY, JSON.stringify(links));
}

/** [INV-3] A new generation for `role`: every older link token of that role stops working. */
export function regenerated(links: BoardLinks, role: Role, expiresAt: number | null): BoardLinks {
  return { ...links, [role]: { generation: links[role].generation + 1, revoked: false, expiresAt } };
}

/** [INV-3] The role has no working link until the PO makes a new one. */
export function revoked(links: BoardLinks, role: Role): BoardLinks {
  return { ...links, [role]: { generation: links[role].generation + 1, revoked: true, expiresAt: null } };
}

export function linkState(record: RoleLinkRecord, now: number): InviteLinkState {
  if (record.revoked) return 'revoked';
  if (record.expiresAt !== null && now >= record.expiresAt) return 'expired';
  return 'active';
}

/**
 * [INV-4] Whether a link token of `role` signed for `generation` may still join: only the
 * role's current generation, while active. An older generation reads as revoked (it was
 * replaced or taken back).
 */
export function checkLinkToken(links: BoardLinks, role: Role, generation: number, now: number): 'ok' | 'revoked' | 'expired' {
  const record = links[role];
  if (generation !== record.generation) return 'revoked';
  const state = linkState(record, now);
  return state === 'active' ? 'ok' : state;
}
