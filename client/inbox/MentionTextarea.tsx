/**
 * A textarea with `@` autocomplete of the board's members [MEN-3]: typing `@` and part of
 * a name lists the matching members; ArrowUp/ArrowDown move, Enter or Tab picks (inserting
 * `@Name `), Escape closes the list (and only the list). The textarea keeps the focus the
 * whole time and points at the highlighted option with aria-activedescendant.
 */
import { type KeyboardEvent, type TextareaHTMLAttributes, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { BoardMember } from '../../shared/members.ts';
import { insertMention, matchMembers, mentionQueryAt } from '../../shared/mentions/text.ts';
import { ROLE_LABELS } from '../../shared/roles.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import './inbox.css';

interface MentionTextareaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> {
  value: string;
  onValueChange: (value: string) => void;
  /** Everyone on the board (useBoardMembers); the writer and viewers are not offered. */
  members: readonly BoardMember[];
}

export function MentionTextarea({ value, onValueChange, members, onKeyDown, onBlur, onFocus, ...rest }: MentionTextareaProps) {
  const { me } = useBoardContext();
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const pendingCaret = useRef<number | null>(null);

  const candidates = useMemo(() => members.filter((m) => m.id !== me.userId && m.role !== 'viewer'), [members, me.userId]);
  const query = caret === null ? null : mentionQueryAt(value, caret);
  const matches = query && query.start !== dismissed ? matchMembers(candidates, query.query) : [];
  const open = matches.length > 0;
  const current = open ? Math.min(active, matches.length - 1) : -1;

  // Put the caret after an inserted mention once React has written the new value.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the new value is the trigger
  useLayoutEffect(() => {
    const at = pendingCaret.current;
    if (at === null || !ref.current) return;
    pendingCaret.current = null;
    ref.current.setSelectionRange(at, at);
    setCaret(at);
  }, [value]);

  const track = () => {
    const el = ref.current;
    if (!el) return;
    setCaret(el.selectionStart === el.selectionEnd ? el.selectionStart : null);
  };

  const pick = (m: BoardMember) => {
    if (!query || caret === null) return;
    const next = insertMention(value, query.start, caret, m.name);
    pendingCaret.current = next.caret;
    setActive(0);
    onValueChange(next.text);
  };

  const keyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && !e.nativeEvent.isComposing) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((current + step + matches.length) % matches.length);
        return;
      }
      if ((e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey) || (e.key === 'Tab' && !e.shiftKey)) {
        e.preventDefault();
        pick(matches[current]!);
        return;
      }
      if (e.key === 'Escape') {
        // Closes the list only: not the answer box, not the panel.
        e.preventDefault();
        e.stopPropagation();
        setDismissed(query!.start);
        return;
      }
    }
    onKeyDown?.(e);
  };

  const listId = `${id}-list`;
  return (
    <div className="mention-field">
      <textarea
        {...rest}
        ref={ref}
        value={value}
        onChange={(e) => {
          onValueChange(e.target.value);
          const el = e.target;
          const at = el.selectionStart === el.selectionEnd ? el.selectionStart : null;
          setCaret(at);
          setActive(0);
          // A list closed with Escape stays closed for that `@` only, not for the next one.
          const q = at === null ? null : mentionQueryAt(el.value, at);
          if (!q || q.start !== dismissed) setDismissed(null);
        }}
        onSelect={track}
        onKeyDown={keyDown}
        onFocus={(e) => {
          track();
          onFocus?.(e);
        }}
        onBlur={(e) => {
          setCaret(null);
          setDismissed(null);
          onBlur?.(e);
        }}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${id}-opt-${current}` : undefined}
      />
      {open && (
        <div className="mention-list" id={listId} role="listbox" aria-label="People to mention" data-testid="mention-list">
          {matches.map((m, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard picks from the textarea (arrows, Enter, Tab), which keeps the focus
            <div
              key={m.id}
              id={`${id}-opt-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === current}
              className="mention-option"
              data-testid="mention-option"
              // Keep the focus (and the caret) in the textarea.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(m)}
            >
              <span>{m.name}</span>
              <span className="mention-option-role">{ROLE_LABELS[m.role]}</span>
            </div>
          ))}
        </div>
      )}
      <span className="visually-hidden" role="status">
        {open ? `${matches.length} ${matches.length === 1 ? 'person matches' : 'people match'}; arrow keys to choose, Enter to mention.` : ''}
      </span>
    </div>
  );
}
