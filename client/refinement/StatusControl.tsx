/**
 * Status with the ready rule [REF-5]: choosing "Ready" while questions are open is refused
 * with an explanation; the PO gets an explicit "Mark ready anyway" override, recorded on
 * the item and shown to everyone ("Marked ready by Paula despite 2 open questions").
 */
import { useEffect, useRef, useState } from 'react';
import { onReadyOverrideRequest } from './readyRequest.ts';
import type { ItemId } from '../../shared/ids.ts';
import type { ItemSnapshot, ItemStatus } from '../../shared/schema/item.ts';
import { StatusSelect } from '../components/StatusSelect.tsx';
import { setStatusChecked, visibleOverride } from '../../shared/schema/ready.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { useActor } from './hooks.ts';

export function StatusControl({ item }: { item: ItemSnapshot }) {
  const { doc, origin, canWrite } = useBoardContext();
  const actor = useActor();
  const [blocked, setBlocked] = useState<{ open: number; canOverride: boolean } | null>(null);
  const override = visibleOverride(item);

  const change = (status: ItemStatus, force = false) => {
    const r = setStatusChecked(doc, item.id as ItemId, status, actor, { override: force }, origin);
    if (!r.ok && r.reason === 'open-questions') setBlocked({ open: r.openQuestions, canOverride: r.canOverride });
    else setBlocked(null);
  };
  const changeRef = useRef(change);
  changeRef.current = change;
  const callout = useRef<HTMLDivElement>(null);
  // [UX-6] "Ready" was refused on this item's card: show the same explanation here.
  useEffect(
    () =>
      onReadyOverrideRequest(item.id, () => {
        changeRef.current('ready');
        requestAnimationFrame(() => {
          callout.current?.scrollIntoView({ block: 'nearest' });
          callout.current?.querySelector<HTMLButtonElement>('button')?.focus();
        });
      }),
    [item.id],
  );

  return (
    <div className="ref-status">
      <div className="ref-status-row">
        <StatusSelect status={item.status} editable={canWrite} label="Status" onChange={(status) => change(status)} testId="detail-status" />
        {item.openQuestionCount > 0 && item.status !== 'ready' && (
          <span className="ref-hint">
            {item.openQuestionCount} open {item.openQuestionCount === 1 ? 'question' : 'questions'} before “Ready”
          </span>
        )}
      </div>
      {blocked && (
        <div className="ref-callout ref-callout-warn" role="alert" data-testid="ready-blocked" ref={callout}>
          <p>
            This item still has {blocked.open} unresolved {blocked.open === 1 ? 'question' : 'questions'}. Resolve{' '}
            {blocked.open === 1 ? 'it' : 'them'} first{blocked.canOverride ? ', or mark it ready anyway as Product Owner.' : ' (only the Product Owner can override).'}
          </p>
          <div className="ref-row">
            {blocked.canOverride && (
              <button type="button" className="btn btn-small btn-primary" data-testid="ready-override" onClick={() => change('ready', true)}>
                Mark ready anyway
              </button>
            )}
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setBlocked(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {override && (
        <p className="ref-override" data-testid="ready-override-note">
          <span aria-hidden="true">⚑</span> Marked ready by {override.name} despite open questions,{' '}
          {new Date(override.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
        </p>
      )}
    </div>
  );
}
