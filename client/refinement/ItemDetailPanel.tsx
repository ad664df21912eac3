/**
 * The item detail side panel, opened by `?item=<id>` (deep-linkable): title and
 * description edited together in real time, status with the ready rule, estimate,
 * labels, acceptance criteria, questions and the comment thread.
 */
import { ItemHistory } from '../history/ItemHistory.tsx';
import { ReadyChecklist } from '../ready/ReadyChecklist.tsx';
import { ItemSprint } from '../planning/ItemSprint.tsx';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { canRunSession, canSetEstimate } from '../../shared/policy/can.ts';
import { getItemMap, restoreItem, setItemEstimate, setItemLabel } from '../../shared/schema/board.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { setFocusItem } from '../../shared/schema/facilitation.ts';
import { useBoardContext, useItem, useMeta, useSession } from '../hooks/useBoard.ts';
import { CollabField } from './CollabField.tsx';
import { CommentsThread } from './CommentsThread.tsx';
import { CriteriaList } from './CriteriaList.tsx';
import { useActor } from './hooks.ts';
import { QuestionsSection } from './QuestionsSection.tsx';
import { StatusControl } from './StatusControl.tsx';
import { TitleLimitHint } from './TitleLimitHint.tsx';
import './refinement.css';

export interface ItemDetailPanelProps {
  itemId: ItemId | null;
  onClose: () => void;
}

export function ItemDetailPanel({ itemId, onClose }: ItemDetailPanelProps) {
  const { presence } = useBoardContext();
  // Presence: others see who is looking at this item.
  useEffect(() => {
    presence.setActivity({ viewing: itemId });
    return () => presence.setActivity({ viewing: null, editing: null });
  }, [presence, itemId]);

  useEffect(() => {
    if (!itemId) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLElement && e.target.closest('input, textarea, select'))) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [itemId, onClose]);

  // Narrow screens show the details above the list: bring them into view when they open.
  const aside = useRef<HTMLElement>(null);
  useEffect(() => {
    if (itemId && window.matchMedia('(max-width: 1023px)').matches) aside.current?.scrollIntoView({ block: 'start' });
  }, [itemId]);

  if (!itemId) return null;
  return (
    <aside className="board-detail ref-detail" aria-label="Item details" data-testid="item-detail" ref={aside}>
      <PanelBody key={itemId} itemId={itemId} onClose={onClose} />
    </aside>
  );
}

function PanelBody({ itemId, onClose }: { itemId: ItemId; onClose: () => void }) {
  const { store, doc, origin, canWrite, presence, connection } = useBoardContext();
  const item = useItem(store, itemId);
  const titleAtFocus = useRef('');
  const [titleNotice, setTitleNotice] = useState<string | null>(null);
  const [titleCutBy, setTitleCutBy] = useState(0);
  const synced = connection.getSnapshot().everSynced;
  if (!item) {
    return (
      <div className="ref-detail-inner">
        <div className="ref-detail-head">
          <h2 className="ref-detail-title-static">{synced ? 'Item not found' : 'Loading…'}</h2>
          <CloseButton onClose={onClose} />
        </div>
        {synced && <p className="ref-empty">This item does not exist on this board. The link may be wrong.</p>}
      </div>
    );
  }
  const texts = itemTexts(doc, itemId);
  const editingOn = () => presence.setActivity({ editing: itemId });
  const editingOff = () => presence.setActivity({ editing: null });
  // A title is never left empty: leaving it blank puts back the one it had, visibly.
  const onTitleFocus = () => {
    titleAtFocus.current = texts.title?.toString() ?? '';
    setTitleNotice(null);
    setTitleCutBy(0);
    editingOn();
  };
  const onTitleBlur = () => {
    editingOff();
    const t = texts.title;
    const before = titleAtFocus.current.trim();
    if (!t || t.toString().trim() || !before) return;
    doc.transact(() => {
      t.delete(0, t.length);
      t.insert(0, titleAtFocus.current);
    }, origin);
    setTitleNotice(`A title cannot be empty, so “${before}” was put back.`);
  };
  return (
    <div className="ref-detail-inner">
      <div className="ref-detail-head">
        <CollabField
          text={texts.title}
          origin={origin}
          readOnly={!canWrite || item.archivedAt !== null}
          maxLength={LIMITS.maxTitleLength}
          onCut={setTitleCutBy}
          multiline
          rows={1}
          className="ref-detail-title"
          aria-label="Title"
          data-testid="detail-title"
          onFocus={onTitleFocus}
          onBlur={onTitleBlur}
          onKeyDown={(e) => {
            // A title is one line: Enter finishes editing instead of adding a line break.
            if (e.key === 'Enter') {
              e.preventDefault();
              e.currentTarget.blur();
            }
          }}
        />
        <CloseButton onClose={onClose} />
      </div>
      <TitleLimitHint text={texts.title} max={LIMITS.maxTitleLength} cutBy={titleCutBy} />
      {titleNotice && (
        <p className="ref-callout" role="status" data-testid="title-restored">
          {titleNotice}
        </p>
      )}
      {item.archivedAt !== null && (
        <div className="ref-callout">
          This item is archived.{' '}
          {canWrite && (
            <button type="button" className="btn btn-small" onClick={() => restoreItem(doc, itemId, origin)}>
              Restore
            </button>
          )}
        </div>
      )}
      <FocusRow itemId={itemId} />
      <div className="ref-grid">
        <div className="ref-field">
          <span className="ref-label">Status</span>
          <StatusControl item={item} />
        </div>
        <div className="ref-field">
          <span className="ref-label">Estimate</span>
          <EstimateControl item={item} />
        </div>
      </div>
      <ItemSprint item={item} />
      <ReadyChecklist item={item} />
      <div className="ref-field">
        <span className="ref-label">Labels</span>
        <LabelsEditor item={item} />
      </div>
      <div className="ref-field">
        <label className="ref-label" htmlFor="ref-description">
          Description
        </label>
        <CollabField
          id="ref-description"
          text={texts.description}
          origin={origin}
          maxLength={LIMITS.maxDescriptionLength}
          multiline
          readOnly={!canWrite}
          className="input ref-description"
          placeholder={canWrite ? 'What and why. Everyone here can type at once.' : 'No description.'}
          data-testid="detail-description"
          onFocus={editingOn}
          onBlur={editingOff}
        />
      </div>
      <CriteriaList item={item} />
      <QuestionsSection item={item} />
      <CommentsThread item={item} />
      <ItemHistory itemId={itemId} />
    </div>
  );
}

function itemTexts(doc: Y.Doc, id: ItemId): { title: Y.Text | null; description: Y.Text | null } {
  const m = getItemMap(doc, id);
  const title = m?.get('title');
  const description = m?.get('description');
  return { title: title instanceof Y.Text ? title : null, description: description instanceof Y.Text ? description : null };
}

function CloseButton({ onClose }: { onClose: () => void }) {
  return (
    <button type="button" className="icon-btn" aria-label="Close details" onClick={onClose} data-testid="close-detail">
      ×
    </button>
  );
}

function FocusRow({ itemId }: { itemId: ItemId }) {
  const { doc, origin, store } = useBoardContext();
  const actor = useActor();
  const session = useSession(store);
  const isFocus = session.focusItemId === itemId;
  if (!canRunSession(actor.role)) {
    return isFocus ? <p className="ref-focus-note">● The team is discussing this item now</p> : null;
  }
  return (
    <div className="ref-focus-row">
      {isFocus ? (
        <>
          <span className="ref-focus-note">● In focus for everyone</span>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setFocusItem(doc, actor, null, origin)}>
            Clear focus
          </button>
        </>
      ) : (
        <button type="button" className="btn btn-small" onClick={() => setFocusItem(doc, actor, itemId, origin)} data-testid="focus-this">
          Focus the team on this item
        </button>
      )}
    </div>
  );
}

function EstimateControl({ item }: { item: ItemSnapshot }) {
  const { doc, origin, store, me } = useBoardContext();
  const { deck } = useMeta(store);
  if (!canSetEstimate(me.role)) {
    return <span className="estimate ref-estimate-ro">{item.estimate ?? '—'}</span>;
  }
  const options = item.estimate !== null && !deck.includes(item.estimate) ? [...deck, item.estimate] : deck;
  return (
    <select
      className="input ref-input-sm"
      aria-label="Estimate"
      value={item.estimate ?? ''}
      onChange={(e) => setItemEstimate(doc, item.id, e.target.value === '' ? null : e.target.value, origin)}
      data-testid="detail-estimate"
    >
      <option value="">Not estimated</option>
      {options.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
}

function LabelsEditor({ item }: { item: ItemSnapshot }) {
  const { doc, origin, canWrite, store } = useBoardContext();
  const [draft, setDraft] = useState('');
  const listId = `ref-labels-${item.id}`;
  const order = store.getOrder();
  // Labels used elsewhere on the board, for suggestions.
  const known = useMemo(() => {
    const s = new Set<string>();
    for (const id of order) for (const l of store.getItem(id)?.labels ?? []) s.add(l);
    for (const l of item.labels) s.delete(l);
    return [...s].sort();
  }, [order, store, item.labels]);
  const inputRef = useRef<HTMLInputElement>(null);
  const add = () => {
    const clean = draft.trim();
    if (!clean) return;
    setItemLabel(doc, item.id, clean, true, origin);
    setDraft('');
  };
  return (
    <div className="ref-labels">
      {item.labels.length === 0 && !canWrite && <span className="ref-empty">None</span>}
      {item.labels.map((l) => (
        <span key={l} className="chip ref-chip">
          {l}
          {canWrite && (
            <button type="button" className="ref-chip-x" aria-label={`Remove label ${l}`} onClick={() => setItemLabel(doc, item.id, l, false, origin)}>
              ×
            </button>
          )}
        </span>
      ))}
      {canWrite && (
        <form
          className="ref-label-form"
          onSubmit={(e) => {
            e.preventDefault();
            add();
            inputRef.current?.focus();
          }}
        >
          <input
            ref={inputRef}
            className="input ref-input-sm ref-label-input"
            list={listId}
            maxLength={LIMITS.maxLabelLength}
            placeholder="+ label"
            aria-label="Add a label"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="label-input"
          />
          <datalist id={listId}>
            {known.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
        </form>
      )}
    </div>
  );
}
