import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RefinementSummary } from '../../shared/transfer/summary.ts';
import { SummaryContent } from './SummaryView.tsx';

const at = Date.UTC(2026, 11, 1, 14, 0);
const pay = { id: 'i1', title: 'Pay with a saved card in one tap' };
const delivery = { id: 'i2', title: 'Show the delivery delivery before payment' };

const summary: RefinementSummary = {
  title: 'Sprint 14 refinement',
  date: '2026-12-01',
  generatedAt: at,
  since: at - 3_600_000,
  items: [
    { ...pay, status: 'ready', estimate: '5', labels: ['checkout', 'mobile'], externalKey: 'SHOP-101', openQuestions: 0, dots: 3 },
    { ...delivery, status: 'refining', estimate: null, labels: [], externalKey: null, openQuestions: 1, dots: 0 },
  ],
  changes: { added: [delivery], estimated: [{ ...pay, estimate: '5' }], madeReady: [pay], notRecorded: ['moves up or down'] },
  decisions: [{ item: pay, question: 'CVC every time?', answer: 'Only on a new device.', answeredByName: 'Paula', resolvedAt: at }],
  openQuestions: [{ item: delivery, question: 'Is the delivery binding?', askedBy: 'Dana', waitingOn: 'Paula', answered: false }],
  dotVoting: { round: 2, open: false, results: [{ ...pay, dots: 3 }] },
  pokerRounds: [{ item: pay, round: 1, votes: 4, median: 5, consensus: true, final: '5', revealedAt: at }],
};

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&gt;/g, '>').replace(/\s+/g, ' ');

describe('SummaryContent', () => {
  it('shows the backlog in order with status, estimate, labels and open questions', () => {
    const t = text(renderToStaticMarkup(<SummaryContent summary={summary} />));
    expect(t).toContain('Sprint 14 refinement');
    expect(t).toContain('1 SHOP-101 Pay with a saved card in one tap Ready 5 checkout, mobile');
    expect(t).toContain('2 Show the delivery delivery before payment · 1 open question Refining');
    expect(t.indexOf('Pay with a saved card')).toBeLessThan(t.indexOf('Show the delivery delivery'));
  });

  it('shows what changed, the decisions, the open questions, the dot vote and the poker rounds', () => {
    const t = text(renderToStaticMarkup(<SummaryContent summary={summary} />));
    expect(t).toContain('New: Show the delivery delivery before payment');
    expect(t).toContain('Estimated: Pay with a saved card in one tap (5)');
    expect(t).toContain('Made ready: Pay with a saved card in one tap');
    expect(t).toContain('CVC every time? → Only on a new device. (Paula)');
    expect(t).toContain('Is the delivery binding? (asked by Dana; waiting on Paula)');
    expect(t).toContain('Dot voting, round 2');
    expect(t).toMatch(/Pay with a saved card in one tap 1 4 · consensus 5 5/);
  });

  it('leaves out the sections with nothing in them', () => {
    const empty: RefinementSummary = { ...summary, items: [], changes: { added: [], estimated: [], madeReady: [], notRecorded: [] }, decisions: [], openQuestions: [], dotVoting: null, pokerRounds: [] };
    const t = text(renderToStaticMarkup(<SummaryContent summary={empty} />));
    expect(t).toContain('The backlog is empty.');
    expect(t).not.toContain('Decisions');
    expect(t).not.toContain('Poker rounds');
    expect(t).not.toContain('Dot voting');
  });
});
