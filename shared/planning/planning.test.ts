import { describe, expect, it } from 'vitest';
import { burnSeries } from './burndown.ts';
import { capacityBar, memberDays, sprintCapacity, workingDaysBetween } from './capacity.ts';
import { forecast, whatFits } from './forecast.ts';
import { pointsOf } from './points.ts';
import { averageVelocity } from './velocity.ts';

const DAY = 86_400_000;
const MON = Date.UTC(2026, 0, 5); // a Monday

describe('capacity arithmetic', () => {
  it('[SPR-3] counts Monday to Friday only, both ends included, over partial weeks', () => {
    expect(workingDaysBetween(MON, MON + 13 * DAY)).toBe(10); // two weeks, Mon..Sun
    expect(workingDaysBetween(MON, MON + 11 * DAY)).toBe(10); // Mon..Fri of week two
    expect(workingDaysBetween(MON + 2 * DAY, MON + 8 * DAY)).toBe(5); // Wed..Tue
    expect(workingDaysBetween(MON + 5 * DAY, MON + 6 * DAY)).toBe(0); // a weekend
    expect(workingDaysBetween(MON, MON)).toBe(1);
    expect(workingDaysBetween(MON + DAY, MON)).toBe(0); // end before start
  });

  it('[SPR-3] subtracts each member’s days off and applies the focus factor and points per day', () => {
    expect(memberDays(10, { daysOff: 2.5, workingDays: null })).toBe(7.5);
    expect(memberDays(10, { daysOff: 3, workingDays: 2 })).toBe(0); // never below zero
    const c = sprintCapacity({
      startsAt: MON,
      endsAt: MON + 13 * DAY,
      focusFactor: 0.7,
      pointsPerDay: 2,
      members: [
        { daysOff: 0, workingDays: null },
        { daysOff: 2, workingDays: null },
        { daysOff: 0, workingDays: 5 },
      ],
    });
    expect(c).toEqual({ workingDays: 10, personDays: 23, points: 32.2 });
    expect(sprintCapacity({ startsAt: MON, endsAt: MON + 4 * DAY, focusFactor: 1, pointsPerDay: null, members: [] }).points).toBeNull();
  });

  it('[SPR-3] capacity bar sums estimates, counts unestimated items and flags over-capacity', () => {
    expect(capacityBar([5, null, 3, null], 10)).toEqual({ estimatedPoints: 8, unestimated: 2, capacity: 10, over: false });
    expect(capacityBar([8, 5], 10).over).toBe(true);
    expect(capacityBar([8, 5], null).over).toBe(false);
    expect([pointsOf('5'), pointsOf('½'), pointsOf('?'), pointsOf(null), pointsOf('XL')]).toEqual([5, 0.5, null, null, null]);
  });
});

describe('velocity and forecast', () => {
  it('[SPR-7] the velocity is the average completed of the last three closed sprints', () => {
    const s = (completed: number) => ({ id: `s${completed}`, name: '', endsAt: null, committed: 20, completed });
    expect(averageVelocity([])).toBeNull();
    expect(averageVelocity([s(10)])).toBe(10);
    expect(averageVelocity([s(100), s(10), s(20), s(30)])).toBe(20);
  });

  it('[SPR-7] forecast fills sprints in backlog order; an item that does not fit opens the next sprint', () => {
    const items = [
      { id: 'a', points: 5 },
      { id: 'b', points: 5 }, // exactly fills sprint 0
      { id: 'c', points: 1 },
      { id: 'd', points: 13 }, // larger than velocity: a sprint of its own
      { id: 'e', points: null },
    ];
    expect([...forecast(items, 10)]).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 1],
      ['d', 2],
      ['e', 2],
    ]);
    expect(forecast(items, 0).size).toBe(0);
    expect(whatFits(items, 10)).toBe(2);
    expect(whatFits(items, 9)).toBe(1);
    expect(whatFits(items, 11)).toBe(3);
    expect(whatFits(items, null)).toBe(0);
  });

  it('[SPR-10] burndown: remaining falls on the day items were done; burn-up keeps the scope', () => {
    const series = burnSeries(MON, MON + 4 * DAY, [
      { points: 5, doneAt: MON + DAY + 3600_000 },
      { points: 3, doneAt: null },
    ], MON + 2 * DAY);
    expect(series.map((p) => p.remaining)).toEqual([8, 3, 3]);
    expect(series.map((p) => p.done)).toEqual([0, 5, 5]);
    expect(series.every((p) => p.scope === 8)).toBe(true);
    expect(series[0]!.ideal).toBe(8);
  });

  it('[SPR-10] an item done before doneAt existed counts as done from the first day; one no longer done never counts', () => {
    const series = burnSeries(MON, MON + 4 * DAY, [
      { points: 5, doneAt: null, done: true }, // marked done on an older board: no doneAt
      { points: 3, doneAt: MON + DAY, done: false }, // reopened, a stale doneAt left behind
      { points: 2, doneAt: MON + 2 * DAY + 60_000, done: true },
    ], MON + 2 * DAY);
    expect(series.map((p) => p.done)).toEqual([5, 5, 7]);
    expect(series.map((p) => p.remaining)).toEqual([5, 5, 3]);
  });
});
