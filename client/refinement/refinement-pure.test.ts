import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { addItem, getItem, initBoard } from '../../shared/schema/board.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { addCriterion } from '../../shared/schema/criteria.ts';
import { askQuestion } from '../../shared/schema/questions.ts';
import { formatRemaining, offsetFromWelcome, relativeTime } from './clock.ts';
import { allLabels, EMPTY_CRITERIA, makeFilter, matchesCriteria } from './filter.ts';
import { Follower } from './follow.ts';

const po = { userId: 'po000001' as UserId, name: 'P', role: 'po' as const };

function items(): ItemSnapshot[] {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'b', createdAt: 0 });
  const a = addItem(doc, { title: 'Login with SSO', createdBy: po.userId, labels: ['auth', 'web'] });
  const b = addItem(doc, { title: 'Export CSV', createdBy: po.userId, description: 'Café report', labels: ['web'] });
  const c = addItem(doc, { title: 'Dark mode', createdBy: po.userId });
  askQuestion(doc, a, po, { text: 'Which IdP?' });
  addCriterion(doc, c, po, 'Respects system setting');
  return [a, b, c].map((id) => getItem(doc, id)!);
}

describe('backlog filter', () => {
  it('[REF-14] text (all words, any case, accents folded), label, status, open questions', () => {
    const all = items();
    const titles = (c: Partial<typeof EMPTY_CRITERIA>) => all.filter((i) => matchesCriteria(i, { ...EMPTY_CRITERIA, ...c })).map((i) => i.title);
    expect(titles({})).toHaveLength(3);
    expect(titles({ text: 'login sso' })).toEqual(['Login with SSO']);
    expect(titles({ text: 'cafe' })).toEqual(['Export CSV']); // description, accent-folded
    expect(titles({ text: 'system' })).toEqual(['Dark mode']); // acceptance criteria
    expect(titles({ labels: ['web'] })).toEqual(['Login with SSO', 'Export CSV']);
    expect(titles({ labels: ['web', 'auth'] })).toEqual(['Login with SSO']);
    expect(titles({ statuses: ['ready'] })).toEqual([]);
    expect(titles({ statuses: ['new'] })).toHaveLength(3);
    expect(titles({ openQuestions: true })).toEqual(['Login with SSO']);
    expect(makeFilter(EMPTY_CRITERIA)).toBeNull();
    expect(allLabels(all)).toEqual(['auth', 'web']);
  });
});

describe('follow the facilitator', () => {
  function rig() {
    const opened: string[] = [];
    let busy = false;
    const f = new Follower({ open: (id) => opened.push(id), isBusy: () => busy });
    return { f, opened, setBusy: (b: boolean) => (busy = b) };
  }

  it('[REF-12] a follower’s panel moves to the focus item', () => {
    const { f, opened } = rig();
    f.setFocus('A');
    expect(opened).toEqual([]); // not following yet
    f.setFollowing(true);
    expect(opened).toEqual(['A']);
    f.setFocus('B');
    expect(opened).toEqual(['A', 'B']);
  });

  it('[UX-1] someone busy (focus in a field or unsent text) is never moved: the move is held and offered', () => {
    const { f, opened, setBusy } = rig();
    f.setFollowing(true);
    f.setShown('A');
    setBusy(true);
    f.setFocus('B');
    expect(opened).toEqual([]);
    expect(f.held).toBe('B');
    f.retry(); // still busy however long they pause
    expect(opened).toEqual([]);
    f.goThere();
    expect(opened).toEqual(['B']);
    expect(f.held).toBeNull();
  });

  it('[UX-1] no longer busy: the held move happens; opening another item by hand or stopping following drops it', () => {
    const { f, opened, setBusy } = rig();
    f.setFollowing(true);
    setBusy(true);
    f.setFocus('B');
    setBusy(false);
    f.retry();
    expect(opened).toEqual(['B']);
    setBusy(true);
    f.setFocus('C');
    f.setShown('D');
    expect(f.held).toBeNull();
    f.setFocus('E');
    f.setFollowing(false);
    setBusy(false);
    f.retry();
    expect(opened).toEqual(['B']);
  });

  it('[UX-3] a focus acknowledged on load (a deep link was open) does not move; the next one does', () => {
    const { f, opened } = rig();
    f.setShown('LINKED');
    f.setFollowing(true);
    f.acknowledge('A');
    expect(opened).toEqual([]);
    expect(f.held).toBeNull();
    f.setFocus('B');
    expect(opened).toEqual(['B']);
  });
});

describe('clock', () => {
  it('[REF-10] offset from the welcome message, and remaining-time format', () => {
    expect(offsetFromWelcome({ type: 'welcome', serverTime: 10_500 }, 10_000)).toBe(500);
    expect(offsetFromWelcome({ type: 'welcome' }, 10_000)).toBe(0);
    expect(formatRemaining(300_000)).toBe('5:00');
    expect(formatRemaining(59_001)).toBe('1:00');
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(3_600_000 + 61_000)).toBe('1:01:01');
    expect(relativeTime(0, 10_000)).toBe('just now');
    expect(relativeTime(0, 5 * 60_000)).toBe('5 min ago');
  });
});
