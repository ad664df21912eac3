import { useState } from 'react';
import { restoreItem } from '../../shared/schema/board.ts';
import { useArchived, useBoardContext } from '../hooks/useBoard.ts';

function ago(ts: number, now: number): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return new Date(ts).toLocaleDateString();
}

/** Archived items (soft-deleted), collapsed by default; restoring puts an item back at its old rank. */
export function ArchivedSection() {
  const { store, doc, origin, canWrite } = useBoardContext();
  const archived = useArchived(store);
  const [open, setOpen] = useState(false);
  if (archived.length === 0) return null;
  const now = Date.now();
  return (
    <section className="archived" aria-labelledby="archived-toggle">
      <button id="archived-toggle" type="button" className="archived-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span className={`chevron ${open ? 'open' : ''}`} aria-hidden="true" />
        Archived <span className="count-pill">{archived.length}</span>
      </button>
      {open && (
        <ul className="archived-list">
          {archived.map((item) => (
            <li key={item.id} className="archived-item" data-testid="archived-item">
              <span className="archived-title">{item.title || 'Untitled'}</span>
              <span className="muted small">{item.archivedAt !== null ? ago(item.archivedAt, now) : ''}</span>
              {canWrite && (
                <button type="button" className="btn btn-small" onClick={() => restoreItem(doc, item.id, origin)}>
                  Restore
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
