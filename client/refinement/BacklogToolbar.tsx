/**
 * Search and filters above the backlog [REF-14] and the "Questions for me" view [REF-4].
 * The filter itself is the pure predicate in filter.ts; this is only its controls.
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ITEM_STATUS_LABELS, ITEM_STATUSES, type ItemSnapshot, type ItemStatus } from '../../shared/schema/item.ts';
import { questionsForMe } from '../../shared/schema/questions.ts';
import { openItemDetail } from '../board/itemLink.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import type { BoardStore } from '../hooks/boardStore.ts';
import { allLabels, type BacklogCriteria, EMPTY_CRITERIA, isEmptyCriteria, makeFilter } from './filter.ts';
import './refinement.css';

export interface BacklogToolbarProps {
  setFilter: (f: ((item: ItemSnapshot) => boolean) | null) => void;
}

/** All active item snapshots, same array while nothing changed. */
function useActiveItems(store: BoardStore): readonly ItemSnapshot[] {
  const cache = useMemo(() => ({ key: [] as readonly (ItemSnapshot | null)[], value: [] as readonly ItemSnapshot[] }), []);
  return useSyncExternalStore(store.subscribe, () => {
    const snaps = store.getOrder().map((id) => store.getItem(id));
    if (snaps.length === cache.key.length && snaps.every((s, i) => s === cache.key[i])) return cache.value;
    cache.key = snaps;
    cache.value = snaps.filter((s): s is ItemSnapshot => s !== null);
    return cache.value;
  });
}

export function BacklogToolbar({ setFilter }: BacklogToolbarProps) {
  const { store, me, canContribute } = useBoardContext();
  const items = useActiveItems(store);
  const [criteria, setCriteria] = useState<BacklogCriteria>(EMPTY_CRITERIA);
  const [showMine, setShowMine] = useState(false);
  const labels = useMemo(() => allLabels(items), [items]);
  const waiting = useMemo(() => questionsForMe(items, me), [items, me]);

  // A fresh predicate when items change too (while filtering), so the list re-filters
  // live: e.g. an item leaves "has open questions" the moment its last one is resolved.
  const liveKey = isEmptyCriteria(criteria) ? null : items;
  useEffect(() => {
    void liveKey;
    setFilter(makeFilter(criteria));
  }, [criteria, setFilter, liveKey]);

  const shown = useMemo(() => {
    const f = makeFilter(criteria);
    return f ? items.filter(f).length : items.length;
  }, [criteria, items]);

  const toggleStatus = (s: ItemStatus) =>
    setCriteria((c) => ({ ...c, statuses: c.statuses.includes(s) ? c.statuses.filter((x) => x !== s) : [...c.statuses, s] }));

  return (
    <div className="ref-toolbar" data-testid="backlog-toolbar">
      <div className="ref-toolbar-row">
        <input
          type="search"
          className="input ref-search"
          placeholder="Search titles, descriptions, labels…"
          aria-label="Search the backlog"
          value={criteria.text}
          onChange={(e) => setCriteria((c) => ({ ...c, text: e.target.value }))}
          data-testid="search"
        />
        {/* Viewers cannot answer or resolve, so no question waits on them. */}
        {canContribute && (
        <button
          type="button"
          className={`btn btn-small ref-mine ${waiting.length > 0 ? 'has-waiting' : ''}`}
          aria-expanded={showMine}
          onClick={() => setShowMine(!showMine)}
          data-testid="questions-for-me"
        >
          Questions for me <span className="ref-count">{waiting.length}</span>
        </button>
        )}
      </div>
      <div className="ref-toolbar-row ref-filters">
        {ITEM_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`ref-filter-chip status-${s}`}
            aria-pressed={criteria.statuses.includes(s)}
            onClick={() => toggleStatus(s)}
          >
            {ITEM_STATUS_LABELS[s]}
          </button>
        ))}
        <button
          type="button"
          className="ref-filter-chip"
          aria-pressed={criteria.openQuestions}
          onClick={() => setCriteria((c) => ({ ...c, openQuestions: !c.openQuestions }))}
          data-testid="filter-open-questions"
        >
          Has open questions
        </button>
        {labels.length > 0 && (
          <select
            className="input ref-input-sm"
            aria-label="Filter by label"
            value=""
            onChange={(e) => {
              const l = e.target.value;
              if (l) setCriteria((c) => ({ ...c, labels: c.labels.includes(l) ? c.labels : [...c.labels, l] }));
            }}
          >
            <option value="">Label…</option>
            {labels
              .filter((l) => !criteria.labels.includes(l))
              .map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
          </select>
        )}
        {criteria.labels.map((l) => (
          <button key={l} type="button" className="ref-filter-chip" aria-pressed="true" onClick={() => setCriteria((c) => ({ ...c, labels: c.labels.filter((x) => x !== l) }))}>
            {l} ×
          </button>
        ))}
        {!isEmptyCriteria(criteria) && (
          <>
            <span className="ref-hint" data-testid="filter-count">
              {shown} of {items.length} shown · reordering is off while filtered
            </span>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setCriteria(EMPTY_CRITERIA)}>
              Clear
            </button>
          </>
        )}
      </div>
      {showMine && (
        <div className="ref-mine-list" data-testid="questions-for-me-list">
          {waiting.length === 0 ? (
            <p className="ref-empty">Nothing is waiting on you.</p>
          ) : (
            <ul>
              {waiting.map((w) => (
                <li key={w.question.id}>
                  <button type="button" className="ref-mine-item" onClick={() => openItemDetail(w.itemId)}>
                    <span className={`ref-tag ${w.action === 'resolve' ? 'ref-tag-ok' : ''}`}>{w.action === 'answer' ? 'Answer' : 'Answered — resolve?'}</span>
                    <span className="ref-mine-q">{w.question.text}</span>
                    <span className="ref-meta">
                      on “{w.itemTitle}” · from {w.question.authorName}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
