import { describe, expect, it } from 'vitest';
import { dayToMs, msToDay, nextSprintName, proposeNextSprint, validateSprintForm } from './sprintForm.ts';

const ok = { name: 'Sprint 7', goal: 'Checkout in one tap', start: '2026-12-07', end: '2026-12-18' };

describe('sprint form (bad input is explained before anything is sent)', () => {
  it('accepts a sensible sprint', () => {
    expect(validateSprintForm(ok)).toEqual({});
  });

  it('says so when the end is before the start', () => {
    expect(validateSprintForm({ ...ok, end: '2026-12-01' }).end).toMatch(/ends before it starts/);
  });

  it('refuses a 10 KB name with its length, and an empty one', () => {
    expect(validateSprintForm({ ...ok, name: 'x'.repeat(10_240) }).name).toMatch(/too long: 10,240 characters/);
    expect(validateSprintForm({ ...ok, name: '   ' }).name).toMatch(/name/);
  });

  it('wants real dates', () => {
    expect(validateSprintForm({ ...ok, start: '2026-02-30' }).start).toMatch(/not a date/);
    expect(validateSprintForm({ ...ok, end: '' }).end).toMatch(/last day/);
  });

  it('round-trips a calendar day through UTC midnight', () => {
    expect(msToDay(dayToMs('2026-12-07'))).toBe('2026-12-07');
    expect(msToDay(null)).toBe('');
  });
});

describe('the proposed next sprint', () => {
  it('follows the last one: next number, first weekday after it ends, same length', () => {
    // Sprint 7: Mon 7 – Fri 18 Dec 2026 → Sprint 8: Mon 21 Dec – Fri 1 Jan
    const last = { name: 'Sprint 7', startsAt: dayToMs('2026-12-07'), endsAt: dayToMs('2026-12-18') };
    expect(proposeNextSprint(last, Date.UTC(2026, 11, 10))).toEqual({ name: 'Sprint 8', goal: '', start: '2026-12-21', end: '2027-01-01' });
  });

  it('starts the first sprint next Monday, two weeks long', () => {
    // Tue 1 Dec 2026 → Mon 7 – Fri 18 Dec
    expect(proposeNextSprint(null, Date.UTC(2026, 11, 1, 15))).toEqual({ name: 'Sprint 1', goal: '', start: '2026-12-07', end: '2026-12-18' });
    expect(nextSprintName('Q4 kickoff')).toBe('Q4 kickoff 2');
  });
});
