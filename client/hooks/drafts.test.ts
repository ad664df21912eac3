import { describe, expect, it } from 'vitest';
import { DraftStore } from './drafts.ts';

describe('[UX-2] drafts per item and field', () => {
  it('keeps each field’s unsent text apart, and knows which items have some', () => {
    const drafts = new DraftStore(null);
    drafts.set('A', 'comment', 'Half-written');
    drafts.set('A', 'answer:q1', 'Maybe');
    drafts.set('B', 'question', '   ');
    expect(drafts.get('A', 'comment')).toBe('Half-written');
    expect(drafts.get('A', 'question')).toBe('');
    expect(drafts.hasDrafts('A')).toBe(true);
    expect(drafts.hasDrafts('B')).toBe(false); // only spaces: nothing to lose
    drafts.set('A', 'comment', '');
    drafts.set('A', 'answer:q1', '');
    expect(drafts.hasDrafts('A')).toBe(false);
  });

  it('notifies on a change and not on a repeat of the same text', () => {
    const drafts = new DraftStore(null);
    let calls = 0;
    const off = drafts.subscribe(() => calls++);
    const before = drafts.snapshot();
    drafts.set('A', 'comment', 'x');
    drafts.set('A', 'comment', 'x');
    expect(calls).toBe(1);
    expect(drafts.snapshot()).not.toBe(before);
    off();
  });
});
