/**
 * Who is listed in a sprint's capacity: the people who joined the board with a team role
 * (PO, SM, developer; MEM-2, online or not), by name, and anyone with availability stored
 * in this sprint who is no longer among them (kept, so saving never drops their entry and
 * the sprint's capacity still reads as it was planned). Viewers and stakeholders are not
 * the team.
 */
import type { UserId } from '../../shared/ids.ts';
import type { BoardMember } from '../../shared/members.ts';
import type { Availability } from '../../shared/schema/capacity.ts';
import type { CapacityMember } from './CapacityDialog.tsx';

const TEAM_ROLES = new Set(['po', 'sm', 'dev']);

export function capacityMembers(members: readonly BoardMember[], availability: ReadonlyMap<UserId, Availability>): CapacityMember[] {
  const out = new Map<string, CapacityMember>();
  for (const m of members) {
    if (TEAM_ROLES.has(m.role)) out.set(m.id, { userId: m.id, name: m.name, role: m.role, daysOff: availability.get(m.id)?.daysOff ?? 0 });
  }
  for (const [userId, a] of availability) {
    if (!out.has(userId)) out.set(userId, { userId, name: a.name || 'Someone', role: null, daysOff: a.daysOff });
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
}
