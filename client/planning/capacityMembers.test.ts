import { describe, expect, it } from 'vitest';
import type { UserId } from '../../shared/ids.ts';
import type { BoardMember } from '../../shared/members.ts';
import type { Availability } from '../../shared/schema/capacity.ts';
import { capacityMembers } from './capacityMembers.ts';

const member = (id: string, name: string, role: BoardMember['role']): BoardMember => ({ id: id as UserId, name, role, joinedAt: 1, lastSeenAt: 2 });

describe('capacity members', () => {
  it('[SPR-3] lists the PO, SM and developers who joined, by name, not viewers or stakeholders; keeps people with stored availability who left', () => {
    const members = [member('u3', 'Zoe Dev', 'dev'), member('u1', 'Paula', 'po'), member('u2', 'Sam', 'sm'), member('u4', 'Vera', 'viewer'), member('u5', 'Stan', 'stakeholder')];
    const availability = new Map<UserId, Availability>([
      ['u3' as UserId, { name: 'Zoe Dev', daysOff: 2, workingDays: null }],
      ['u9' as UserId, { name: 'Old Colleague', daysOff: 1, workingDays: null }],
    ]);
    expect(capacityMembers(members, availability)).toEqual([
      { userId: 'u9', name: 'Old Colleague', role: null, daysOff: 1 },
      { userId: 'u1', name: 'Paula', role: 'po', daysOff: 0 },
      { userId: 'u2', name: 'Sam', role: 'sm', daysOff: 0 },
      { userId: 'u3', name: 'Zoe Dev', role: 'dev', daysOff: 2 },
    ]);
  });
});
