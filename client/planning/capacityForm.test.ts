import { describe, expect, it } from 'vitest';
import { computeCapacity, workingDays } from './capacityForm.ts';
import { dayToMs } from './sprintForm.ts';

describe('capacity arithmetic in the editor', () => {
  it('counts Monday to Friday, both ends included, across partial weeks', () => {
    expect(workingDays(dayToMs('2026-12-07'), dayToMs('2026-12-18'))).toBe(10); // two full weeks
    expect(workingDays(dayToMs('2026-12-09'), dayToMs('2026-12-15'))).toBe(5); // Wed → Tue
    expect(workingDays(dayToMs('2026-12-12'), dayToMs('2026-12-13'))).toBe(0); // a weekend
    expect(workingDays(dayToMs('2026-12-18'), dayToMs('2026-12-07'))).toBe(0);
  });

  it('takes days off per person, then points per day and the focus factor', () => {
    const r = computeCapacity({ daysOff: { ada: '0', bob: '2', cy: '' }, pointsPerDay: '1', focus: '80' }, 10);
    expect(r.people).toEqual({ ada: { available: 10 }, bob: { available: 8 }, cy: { available: 10 } });
    expect(r.capacity).toBe(22.4); // 28 person-days × 1 × 0.8
  });

  it('explains negative, too many and non-numeric inputs and computes nothing', () => {
    const r = computeCapacity({ daysOff: { ada: '-1', bob: '10000', cy: 'x' }, pointsPerDay: '-2', focus: '120' }, 10);
    expect(r.people.ada).toEqual({ error: 'Days off can’t be negative.' });
    expect(r.people.bob).toEqual({ error: 'At most 10: the sprint has 10 working days.' });
    expect(r.people.cy).toEqual({ error: 'Enter a number of days.' });
    expect(r.pointsPerDay).toEqual({ error: 'Points per day can’t be negative.' });
    expect(r.focus).toEqual({ error: 'The focus factor is a percentage above 0, at most 100.' });
    expect(r.capacity).toBeNull();
  });

  it('[SPR-3] a focus factor of 0 % is explained, not sent (the server keeps it above 0)', () => {
    const r = computeCapacity({ daysOff: { ada: '0' }, pointsPerDay: '1', focus: '0' }, 10);
    expect(r.focus).toEqual({ error: 'The focus factor is a percentage above 0, at most 100.' });
    expect(r.capacity).toBeNull();
  });
});
