import { describe, expect, it } from 'vitest';
import type { BoardId } from '../../shared/ids.ts';
import type { Clock } from '../rooms/clock.ts';
import type { DeadlineStore, StoredDeadline } from '../storage/types.ts';
import { DeadlineScheduler } from './deadlines.ts';

/** A store in memory and a clock the test moves by hand. */
function fixture() {
  const rows = new Map<string, StoredDeadline>();
  const id = (b: string, k: string) => `${b}/${k}`;
  const store: DeadlineStore = {
    async putDeadline(boardId, key, dueAt) {
      rows.set(id(boardId, key), { boardId, key, dueAt });
    },
    async deleteDeadline(boardId, key) {
      rows.delete(id(boardId, key));
    },
    async dueDeadlines(now, limit) {
      return [...rows.values()].filter((d) => d.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt).slice(0, limit);
    },
    async nextDeadlineAt() {
      const all = [...rows.values()].map((d) => d.dueAt);
      return all.length ? Math.min(...all) : null;
    },
    async claimDeadline(boardId, key, dueAt, leaseUntil) {
      const row = rows.get(id(boardId, key));
      if (!row || row.dueAt !== dueAt) return false;
      row.dueAt = leaseUntil;
      return true;
    },
  };
  let now = 1000;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const clock: Clock = {
    now: () => now,
    setTimer(fn, ms) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => {
        t.live = false;
      };
    },
  };
  const fired: string[] = [];
  let fail = false;
  const scheduler = new DeadlineScheduler({
    store,
    clock,
    handle: async (d) => {
      if (fail) throw new Error('boom');
      fired.push(d.key);
      await store.deleteDeadline(d.boardId, d.key);
    },
    log: () => {},
    pollMs: 10_000,
    leaseMs: 500,
  });
  const settle = () => new Promise((r) => setTimeout(r, 5));
  /** Moves time on, firing due timers, and lets their async work finish. */
  async function advance(to: number) {
    now = to;
    for (const t of timers.filter((x) => x.live && x.at <= now)) {
      t.live = false;
      t.fn();
    }
    await settle();
    await settle();
  }
  return { store, scheduler, fired, advance, setFail: (v: boolean) => (fail = v), rows };
}

const B = 'b1' as BoardId;

describe('DeadlineScheduler', () => {
  it('[EST-14] fires what was due before it started (a restart), then each deadline at its time', async () => {
    const f = fixture();
    await f.store.putDeadline(B, 'past', 500);
    await f.store.putDeadline(B, 'soon', 3000);
    await f.scheduler.start();
    expect(f.fired).toEqual(['past']);
    await f.advance(2999);
    expect(f.fired).toEqual(['past']);
    await f.advance(3000);
    expect(f.fired).toEqual(['past', 'soon']);
    await f.scheduler.stop();
  });

  it('[EST-14] wakes earlier for a deadline stored after it went to sleep', async () => {
    const f = fixture();
    await f.scheduler.start();
    await f.store.putDeadline(B, 'new', 1500);
    f.scheduler.scheduled(1500);
    await f.advance(1500);
    expect(f.fired).toEqual(['new']);
    await f.scheduler.stop();
  });

  it('[EST-14] finds deadlines another instance stored by polling, and retries a failed one after its lease', async () => {
    const f = fixture();
    await f.scheduler.start();
    await f.store.putDeadline(B, 'elsewhere', 2000); // not told: another instance stored it
    f.setFail(true);
    await f.advance(11_000); // the poll finds it; the handler fails; the lease holds it
    expect(f.fired).toEqual([]);
    expect(f.rows.get('b1/elsewhere')?.dueAt).toBe(11_500);
    f.setFail(false);
    await f.advance(11_500);
    expect(f.fired).toEqual(['elsewhere']);
    await f.scheduler.stop();
  });
});
