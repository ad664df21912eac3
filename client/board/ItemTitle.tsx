/**
 * A card's title with inline editing: click or Enter to edit, Enter or leaving the field
 * saves (one setItemTitle transaction), Escape cancels. While editing, awareness says so,
 * and the draft is kept even if someone else changes the title meanwhile.
 */
import { useEffect, useRef, useState } from 'react';
import { LIMITS } from '../../shared/limits.ts';
import { setItemTitle } from '../../shared/schema/board.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { useBoardContext } from '../hooks/useBoard.ts';

export function ItemTitle({ item }: { item: ItemSnapshot }) {
  const { doc, origin, canWrite, presence } = useBoardContext();
  const [draft, setDraft] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // Set when an edit ends by keyboard (focus goes back to the title) or is cancelled (a
  // blur arriving after Escape must not save).
  const endedBy = useRef<'keyboard' | 'cancel' | null>(null);
  const editing = draft !== null;

  useEffect(() => {
    if (!editing && endedBy.current === 'keyboard') button.current?.focus();
    if (!editing) endedBy.current = null;
  }, [editing]);

  useEffect(() => {
    if (!editing) return;
    presence.setActivity({ editing: item.id });
    const el = field.current;
    if (el) {
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
    return () => presence.setActivity({ editing: null });
  }, [editing, item.id, presence]);

  // Grow with the text instead of scrolling inside a tiny box.
  useEffect(() => {
    const el = field.current;
    if (el && draft !== null) {
      el.style.height = 'auto';
      el.style.height = `${el.scrollHeight}px`;
    }
  }, [draft]);

  if (!canWrite) return <p className="card-title">{item.title || <span className="muted">Untitled</span>}</p>;

  if (!editing) {
    return (
      <button ref={button} type="button" className="card-title card-title-button" onClick={() => setDraft(item.title)} title="Click to edit">
        {item.title || <span className="muted">Untitled</span>}
      </button>
    );
  }

  function commit() {
    if (draft === null || endedBy.current === 'cancel') return;
    const clean = draft.replace(/\s+/g, ' ').trim();
    if (clean && clean !== item.title) setItemTitle(doc, item.id, clean, origin);
    setDraft(null);
  }

  return (
    <textarea
      ref={field}
      className="card-title-input"
      aria-label="Item title"
      rows={1}
      value={draft}
      maxLength={LIMITS.maxTitleLength}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
          e.preventDefault();
          endedBy.current = 'keyboard';
          commit();
        } else if (e.key === 'Escape') {
          e.preventDefault();
          endedBy.current = 'cancel';
          setDraft(null);
          requestAnimationFrame(() => button.current?.focus());
        }
      }}
    />
  );
}
