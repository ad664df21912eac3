/**
 * The refinement summary (summary.ts) as CommonMark with plain pipe tables, so it pastes
 * cleanly into Confluence, GitHub or Notion [XFER-9]. Pure.
 */
import { ITEM_STATUS_LABELS } from '../schema/item.ts';
import type { RefinementSummary } from './summary.ts';

/** A table cell: one line, pipes and backslashes escaped. */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*[\r\n]+\s*/g, ' ').trim();

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- |').join('')}`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const list = (entries: readonly string[], none: string): string => (entries.length ? entries.map((e) => `- ${cell(e)}`).join('\n') : `_${none}_`);

export function summaryMarkdown(s: RefinementSummary): string {
  const parts: string[] = [`# ${cell(s.title)} — refinement summary`, `${s.date} · since ${new Date(s.since).toISOString().slice(0, 16).replace('T', ' ')} UTC`];
  parts.push('## Backlog');
  parts.push(
    s.items.length
      ? table(
          ['#', 'Item', 'Status', 'Estimate', 'Labels'],
          s.items.map((i, n) => [String(n + 1), i.externalKey ? `${i.externalKey} ${i.title}` : i.title, ITEM_STATUS_LABELS[i.status], i.estimate ?? '—', i.labels.join(', ')]),
        )
      : '_The backlog is empty._',
  );
  parts.push('## What changed in this session');
  parts.push(`**New items**\n\n${list(s.changes.added.map((i) => i.title), 'none')}`);
  parts.push(`**Estimated**\n\n${list(s.changes.estimated.map((i) => `${i.title}: ${i.estimate ?? 'no agreed estimate'}`), 'none')}`);
  parts.push(`**Made ready (PO override)**\n\n${list(s.changes.madeReady.map((i) => i.title), 'none')}`);
  parts.push(`Not recorded by the board: ${s.changes.notRecorded.join('; ')}.`);
  parts.push('## Decisions');
  parts.push(
    s.decisions.length
      ? table(['Item', 'Question', 'Answer', 'By'], s.decisions.map((d) => [d.item.title, d.question, d.answer, d.answeredByName ?? '']))
      : '_No resolved questions._',
  );
  parts.push('## Open questions');
  parts.push(
    s.openQuestions.length
      ? table(['Item', 'Question', 'Asked by', 'Waiting on'], s.openQuestions.map((q) => [q.item.title, q.question, q.askedBy, q.answered ? `${q.waitingOn} (to resolve)` : q.waitingOn]))
      : '_No open questions._',
  );
  parts.push('## Dot voting');
  parts.push(
    s.dotVoting
      ? `Round ${s.dotVoting.round} (${s.dotVoting.open ? 'open' : 'closed'})\n\n${s.dotVoting.results.length ? table(['Item', 'Dots'], s.dotVoting.results.map((r) => [r.title, String(r.dots)])) : '_No dots placed._'}`
      : '_No dot voting on this board._',
  );
  parts.push('## Planning poker');
  parts.push(
    s.pokerRounds.length
      ? table(
          ['Item', 'Round', 'Votes', 'Median', 'Consensus', 'Final'],
          s.pokerRounds.map((p) => [p.item.title, String(p.round), String(p.votes), p.median === null ? '—' : String(p.median), p.consensus ? 'yes' : 'no', p.final ?? '—']),
        )
      : '_No poker rounds._',
  );
  return `${parts.join('\n\n')}\n`;
}
