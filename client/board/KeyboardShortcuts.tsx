/**
 * Board-wide keys (issue 14): "?" opens a list of the keyboard shortcuts; Ctrl/Cmd+F goes
 * to the board's search while focus is on the board (the list is windowed, so the
 * browser's own find would miss most cards). Inside a text field both keys keep their
 * usual meaning.
 */
import { useEffect, useRef, useState } from 'react';

const SHORTCUTS: readonly [keys: string, what: string][] = [
  ['?', 'Show this list'],
  ['Ctrl/⌘ + F', 'Search the backlog'],
  ['Space or Enter on a card’s handle', 'Pick the card up; arrows move it, Space or Enter drops, Escape cancels'],
  ['Ctrl/⌘ + Z', 'Undo your last change'],
  ['Ctrl/⌘ + Shift + Z, Ctrl + Y', 'Redo'],
  ['Ctrl/⌘ + Enter in a comment', 'Send the comment'],
  ['Enter in the title', 'Finish editing'],
  ['Escape', 'Close the item details or a menu'],
];

function inTextField(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || t.closest('input, textarea, select') !== null);
}

export function KeyboardShortcuts() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f' && !inTextField(e.target)) {
        const search = document.querySelector<HTMLInputElement>('[data-testid="search"]');
        if (!search) return;
        e.preventDefault();
        search.focus();
        search.select();
        return;
      }
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !inTextField(e.target)) {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <dialog ref={dialog} className="shortcuts" aria-labelledby="shortcuts-title" onClose={() => setOpen(false)} data-testid="shortcuts">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcuts-row">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="btn btn-small" onClick={() => setOpen(false)}>
        Close
      </button>
    </dialog>
  );
}
