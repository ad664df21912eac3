import { type FormEvent, useRef, useState } from 'react';
import type { UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { addItem } from '../../shared/schema/board.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { revealItem } from './reveal.ts';

/** Quick entry: Enter adds at the bottom (or the top when chosen) and keeps focus for the next one. */
export function AddItemBox({ disabled }: { disabled: boolean }) {
  const { doc, origin, me } = useBoardContext();
  const [title, setTitle] = useState('');
  const [atTop, setAtTop] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const clean = title.trim();
    if (!clean || disabled) return;
    const id = addItem(doc, { title: clean, createdBy: me.userId as UserId, placement: atTop ? 'top' : 'bottom' }, origin);
    setTitle('');
    input.current?.focus();
    // Next frame: the backlog has rendered the new order by then.
    requestAnimationFrame(() => revealItem(id));
  }

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
        maxLength={LIMITS.maxTitleLength}
        onChange={(e) => setTitle(e.target.value)}
        disabled={disabled}
        autoComplete="off"
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
        <button type="submit" className="btn btn-primary" disabled={disabled || !title.trim()}>
          Add
        </button>
      </div>
    </form>
  );
}
