import { type ClipboardEvent, type FormEvent, useRef, useState } from 'react';
import type { UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { addItem } from '../../shared/schema/board.ts';
import { isTooLong, LengthHint } from '../components/LengthHint.tsx';
import { useBoardContext } from '../hooks/useBoard.ts';
import { revealItem } from './reveal.ts';

/** At most this many items from one paste; more is rarely a backlog and more likely an accident. */
export const MAX_PASTED_ITEMS = 200;

/** The lines of a paste that would become items: trimmed, empty ones dropped. */
export const pastedLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Quick entry: Enter adds at the bottom (or the top when chosen) and keeps focus for the
 * next one. Says why it refuses (empty, too long) instead of cutting text, and offers to
 * add a pasted list as one item per line, in order, in one transaction (one undo).
 */
export function AddItemBox({ disabled }: { disabled: boolean }) {
  const { doc, origin, me } = useBoardContext();
  const [title, setTitle] = useState('');
  const [atTop, setAtTop] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [pasted, setPasted] = useState<string[] | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const tooLong = isTooLong(title, LIMITS.maxTitleLength);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (disabled) return;
    const clean = title.trim();
    if (!clean) {
      setProblem('An item needs a title: type a few words first.');
      return;
    }
    if (tooLong) return;
    const id = addItem(doc, { title: clean, createdBy: me.userId as UserId, placement: atTop ? 'top' : 'bottom' }, origin);
    setTitle('');
    setProblem(null);
    input.current?.focus();
    // Next frame: the backlog has rendered the new order by then.
    requestAnimationFrame(() => revealItem(id));
  }

  function onPaste(e: ClipboardEvent<HTMLInputElement>) {
    const lines = pastedLines(e.clipboardData.getData('text'));
    if (lines.length < 2) return;
    e.preventDefault();
    setPasted(lines);
  }

  function addPasted(lines: readonly string[]) {
    const titles = lines.slice(0, MAX_PASTED_ITEMS).filter((l) => !isTooLong(l, LIMITS.maxTitleLength));
    let last: string | null = null;
    // One transaction: one undo step, everyone sees the list arrive at once.
    doc.transact(() => {
      const ordered = atTop ? [...titles].reverse() : titles;
      for (const t of ordered) last = addItem(doc, { title: t, createdBy: me.userId as UserId, placement: atTop ? 'top' : 'bottom' }, origin);
    }, origin);
    setPasted(null);
    const reveal = last;
    if (reveal) requestAnimationFrame(() => revealItem(reveal));
  }

  const pastedTooLong = pasted?.filter((l) => isTooLong(l, LIMITS.maxTitleLength)).length ?? 0;
  const pastedCount = pasted ? Math.min(pasted.length - pastedTooLong, MAX_PASTED_ITEMS) : 0;

  return (
    <form className="add-item" onSubmit={onSubmit}>
      <label htmlFor="add-item-input" className="visually-hidden">
        New backlog item
      </label>
      <input
        id="add-item-input"
        ref={input}
        className="input add-item-input"
        placeholder={atTop ? 'Add an item to the top…' : 'Add an item…  (Enter to add)'}
        value={title}
        onChange={(e) => {
          setTitle(e.target.value);
          setProblem(null);
        }}
        onPaste={onPaste}
        disabled={disabled}
        autoComplete="off"
        aria-invalid={tooLong || problem !== null}
        aria-describedby="add-item-feedback"
        data-testid="add-item-input"
      />
      <div className="add-item-controls">
        <fieldset className="segmented">
          <legend className="visually-hidden">Where to add</legend>
          <label className={!atTop ? 'on' : ''}>
            <input type="radio" name="add-placement" className="visually-hidden" checked={!atTop} onChange={() => setAtTop(false)} />
            Bottom
          </label>
          <label className={atTop ? 'on' : ''}>
            <input type="radio" name="add-placement" className="visually-hidden" checked={atTop} onChange={() => setAtTop(true)} />
            Top
          </label>
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={disabled || tooLong}>
          Add
        </button>
      </div>
      <div id="add-item-feedback" className="add-item-feedback">
        <LengthHint text={title} max={LIMITS.maxTitleLength} />
        {problem && (
          <span className="length-hint is-over" role="alert">
            {problem}
          </span>
        )}
      </div>
      {pasted && (
        <div className="add-item-paste" aria-live="polite" data-testid="paste-offer">
          <span>
            You pasted {pasted.length} lines.
            {pastedTooLong > 0 && ` ${pastedTooLong} ${pastedTooLong === 1 ? 'is' : 'are'} longer than ${LIMITS.maxTitleLength} characters and will be left out.`}
            {pasted.length - pastedTooLong > MAX_PASTED_ITEMS && ` Only the first ${MAX_PASTED_ITEMS} are added.`}
          </span>
          <button type="button" className="btn btn-primary btn-small" disabled={pastedCount === 0} onClick={() => addPasted(pasted)} data-testid="paste-add-all">
            Add {pastedCount} items
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => {
              setTitle(pasted.join(' '));
              setPasted(null);
            }}
          >
            Paste as one title
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setPasted(null)}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
