/**
 * Awareness (presence) from a socket is rewritten before anyone sees it [AUTH-2]: only
 * client ids the socket owns pass, and each state's `user` is replaced with the one from
 * its token.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { AwarenessUser } from '../../shared/protocol.ts';
import type { AuthUser } from '../hooks.ts';

/** A stable, readable colour per user id (hue from a string hash). */
export function colorForUser(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (Math.imul(hash, 31) + userId.charCodeAt(i)) | 0;
  const hue = Math.abs(hash) % 360;
  return `hsl(${hue}, 65%, 45%)`;
}

export function pinnedUser(user: AuthUser): AwarenessUser {
  return { id: user.userId, name: user.name, role: user.role, color: colorForUser(user.userId) };
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

/** Decodes a y-protocols awareness update; throws on malformed input. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    entries.push({ clientId, clock, state });
  }
  return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Keeps the entries whose client id `mayUse` allows, with `user` pinned; a null state
 * (the client leaving) passes as is. Non-object states are dropped.
 */
export function pinAwareness(
  entries: readonly AwarenessEntry[],
  user: AwarenessUser,
  mayUse: (clientId: number) => boolean,
): AwarenessEntry[] {
  const out: AwarenessEntry[] = [];
  for (const entry of entries) {
    if (!mayUse(entry.clientId)) continue;
    if (entry.state === null) {
      out.push(entry);
    } else if (typeof entry.state === 'object' && !Array.isArray(entry.state)) {
      out.push({ ...entry, state: { ...(entry.state as Record<string, unknown>), user } });
    }
  }
  return out;
}
