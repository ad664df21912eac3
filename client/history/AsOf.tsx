/**
 * "As of" (HIS-4): pick a moment (or a sprint's start, or the start of the last session)
 * and see the backlog read-only, in the order and state it had then, from GET as-of. A
 * banner says clearly that this is the past; "Back to the live board" closes it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AsOfResponse } from '../../shared/history.ts';
import { readSprints } from '../../shared/schema/sprints.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { fetchAsOf } from './historyApi.ts';
import './history.css';

/** `datetime-local` value for a time, in local time, to the second. */
function toLocalInput(at: number): string {
  const d = new Date(at - new Date(at).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

const when = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface Preset {
  label: string;
  at: number;
}

export function AsOf({ lastSessionStart }: { lastSessionStart: number | null }) {
  const { me, doc } = useBoardContext();
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState(() => toLocalInput(Date.now() - 3_600_000));
  const [view, setView] = useState<AsOfResponse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const back = useRef<HTMLButtonElement>(null);
  // The past covers the board (the top bar is sticky, too small for it): focus the way back.
  useEffect(() => {
    if (view) back.current?.focus();
  }, [view]);
  // Read when the picker opens; sprints change rarely.
  const presets = useMemo<Preset[]>(() => {
    if (!open) return [];
    const out: Preset[] = [];
    if (lastSessionStart !== null) out.push({ label: 'Start of the last session', at: lastSessionStart });
    for (const s of readSprints(doc)) if (s.startsAt !== null && s.startsAt <= Date.now()) out.push({ label: `Start of ${s.name}`, at: s.startsAt });
    return out;
  }, [open, doc, lastSessionStart]);

  const load = (at: number) => {
    setProblem(null);
    fetchAsOf(me.boardId, me.token, at)
      .then(setView)
      .catch((err: unknown) =>
        setProblem(err instanceof Error && err.message.endsWith('404') ? 'The board’s history does not reach back that far.' : 'Could not load that moment.'),
      );
  };

  if (view) {
    return (
      <section
        className="his-asof"
        role="dialog"
        aria-modal="true"
        aria-labelledby="his-asof-title"
        onKeyDown={(e) => e.key === 'Escape' && setView(null)}
        data-testid="as-of-view"
      >
        <div className="his-asof-inner">
          <div className="his-asof-banner" role="status">
            <h2 id="his-asof-title">You are looking at the board as of {when(view.at)}</h2>
            <button ref={back} type="button" className="btn" onClick={() => setView(null)} data-testid="as-of-back">
              Back to the live board
            </button>
          </div>
          {view.items.length === 0 ? (
            <p className="his-empty">The backlog was empty then.</p>
          ) : (
            <ol className="his-asof-list" aria-label="Backlog as it stood (read-only)">
              {view.items.map((i) => (
                <li key={i.id} data-testid="as-of-item">
                  <span className="his-asof-pos">{i.position}</span>
                  <span className="his-asof-title">{i.title || 'Untitled'}</span>
                  <span className="his-asof-meta">
                    {i.status}
                    {i.estimate !== null && ` · ${i.estimate}`}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </section>
    );
  }
  return (
    <details className="his-section his-asof-picker" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="as-of">
      <summary>Board as of…</summary>
      <form
        className="his-asof-form"
        onSubmit={(e) => {
          e.preventDefault();
          const at = new Date(input).getTime();
          if (Number.isFinite(at)) load(at);
        }}
      >
        <label>
          Moment <input type="datetime-local" step={1} value={input} onChange={(e) => setInput(e.target.value)} data-testid="as-of-time" />
        </label>
        <button type="submit" className="btn" data-testid="as-of-show">
          Show
        </button>
        {presets.map((p) => (
          <button key={`${p.label}-${p.at}`} type="button" className="btn" onClick={() => load(p.at)}>
            {p.label}
          </button>
        ))}
      </form>
      {problem && (
        <p className="his-empty" role="alert">
          {problem}
        </p>
      )}
    </details>
  );
}
