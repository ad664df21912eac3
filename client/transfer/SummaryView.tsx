/**
 * The refinement summary on the board: the same model the Markdown export renders
 * (shared/transfer/summary.ts), as readable HTML, live while open, with "Copy as Markdown"
 * for Confluence, GitHub or Notion.
 */
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { ITEM_STATUS_LABELS, isItemStatus } from '../../shared/schema/item.ts';
import { type RefinementSummary, summarize } from '../../shared/transfer/summary.ts';
import { summaryMarkdown } from '../../shared/transfer/summaryMarkdown.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { useBoardContext } from '../hooks/useBoard.ts';
import { Modal } from './Modal.tsx';

/** The summary of `doc`, recomputed on every change to it (only while someone looks). */
function useSummary(doc: Y.Doc): RefinementSummary {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    doc.on('update', bump);
    return () => doc.off('update', bump);
  }, [doc]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version stands for the document's content
  return useMemo(() => summarize(doc, { now: Date.now() }), [doc, version]);
}

export function SummaryDialog({ onClose }: { onClose: () => void }) {
  const { doc } = useBoardContext();
  const summary = useSummary(doc);
  const markdown = useMemo(() => summaryMarkdown(summary), [summary]);
  return (
    <Modal
      title="Refinement summary"
      onClose={onClose}
      className="summary-dialog"
      testId="summary-dialog"
      footer={
        <>
          <CopyButton text={markdown} label="Copy as Markdown" />
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <SummaryContent summary={summary} />
    </Modal>
  );
}

const statusLabel = (s: string): string => (isItemStatus(s) ? ITEM_STATUS_LABELS[s] : s);
const timeOf = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** The summary as HTML; sections with nothing to say are left out, as in the Markdown. */
export function SummaryContent({ summary: s }: { summary: RefinementSummary }) {
  const { changes } = s;
  const anyChange = changes.added.length + changes.estimated.length + changes.madeReady.length > 0;
  return (
    <article className="summary" data-testid="summary">
      <header className="summary-head">
        <h3 className="summary-board">{s.title}</h3>
        <p className="muted">
          {s.date} · {s.items.length} {s.items.length === 1 ? 'item' : 'items'} · since {timeOf(s.since)} UTC
        </p>
      </header>

      <section aria-labelledby="summary-backlog">
        <h4 id="summary-backlog">Backlog</h4>
        {s.items.length === 0 ? (
          <p className="muted">The backlog is empty.</p>
        ) : (
          <div className="summary-table-wrap">
            <table className="summary-table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Item</th>
                  <th scope="col">Status</th>
                  <th scope="col">Estimate</th>
                  <th scope="col">Labels</th>
                </tr>
              </thead>
              <tbody>
                {s.items.map((item, i) => (
                  <tr key={item.id}>
                    <td className="summary-rank">{i + 1}</td>
                    <td>
                      {item.externalKey && <span className="summary-key">{item.externalKey}</span>}
                      {item.title}
                      {item.openQuestions > 0 && (
                        <span className="summary-note">
                          {' '}
                          · {item.openQuestions} open {item.openQuestions === 1 ? 'question' : 'questions'}
                        </span>
                      )}
                    </td>
                    <td>
                      <span className={`status-pill status-${item.status}`}>{statusLabel(item.status)}</span>
                    </td>
                    <td>{item.estimate ?? <span className="muted">—</span>}</td>
                    <td>{item.labels.length > 0 ? item.labels.join(', ') : <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="summary-changes">
        <h4 id="summary-changes">What changed</h4>
        {anyChange ? (
          <ul>
            {changes.added.length > 0 && <li>New: {changes.added.map((r) => r.title).join('; ')}</li>}
            {changes.estimated.length > 0 && (
              <li>Estimated: {changes.estimated.map((r) => `${r.title} (${r.estimate ?? 'no value'})`).join('; ')}</li>
            )}
            {changes.madeReady.length > 0 && <li>Made ready: {changes.madeReady.map((r) => r.title).join('; ')}</li>}
          </ul>
        ) : (
          <p className="muted">Nothing recorded since {timeOf(s.since)} UTC.</p>
        )}
        {changes.notRecorded.length > 0 && <p className="small muted">Not recorded by the board: {changes.notRecorded.join('; ')}.</p>}
      </section>

      {s.decisions.length > 0 && (
        <section aria-labelledby="summary-decisions">
          <h4 id="summary-decisions">Decisions</h4>
          <ul className="summary-qa">
            {s.decisions.map((d) => (
              <li key={`${d.item.id}-${d.resolvedAt}-${d.question}`}>
                <span className="summary-item-ref">{d.item.title}:</span> {d.question}
                <br />
                <strong>→ {d.answer}</strong>
                {d.answeredByName && <span className="muted"> ({d.answeredByName})</span>}
              </li>
            ))}
          </ul>
        </section>
      )}

      {s.openQuestions.length > 0 && (
        <section aria-labelledby="summary-open">
          <h4 id="summary-open">Open questions</h4>
          <ul className="summary-qa">
            {s.openQuestions.map((q) => (
              <li key={`${q.item.id}-${q.question}`}>
                <span className="summary-item-ref">{q.item.title}:</span> {q.question}{' '}
                <span className="muted">
                  (asked by {q.askedBy}; {q.answered ? 'answered, waiting on' : 'waiting on'} {q.waitingOn})
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {s.dotVoting && s.dotVoting.results.length > 0 && (
        <section aria-labelledby="summary-dots">
          <h4 id="summary-dots">
            Dot voting, round {s.dotVoting.round}
            {s.dotVoting.open ? ' (still open)' : ''}
          </h4>
          <ol className="summary-dots">
            {s.dotVoting.results.map((r) => (
              <li key={r.id}>
                {r.title} <span className="muted">· {r.dots} {r.dots === 1 ? 'dot' : 'dots'}</span>
              </li>
            ))}
          </ol>
        </section>
      )}

      {s.pokerRounds.length > 0 && (
        <section aria-labelledby="summary-poker">
          <h4 id="summary-poker">Poker rounds</h4>
          <div className="summary-table-wrap">
            <table className="summary-table">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Round</th>
                  <th scope="col">Votes</th>
                  <th scope="col">Median</th>
                  <th scope="col">Final</th>
                </tr>
              </thead>
              <tbody>
                {s.pokerRounds.map((p) => (
                  <tr key={`${p.item.id}-${p.round}`}>
                    <td>{p.item.title}</td>
                    <td>{p.round}</td>
                    <td>
                      {p.votes}
                      {p.consensus && <span className="muted"> · consensus</span>}
                    </td>
                    <td>{p.median ?? '—'}</td>
                    <td>
                      <strong>{p.final ?? '—'}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </article>
  );
}
