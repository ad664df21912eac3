/**
 * Status with the ready rule [REF-5, DOR-4]: choosing "Ready" while a check of the board's
 * Definition of Ready fails (by default: open questions) is refused with an explanation
 * naming the checks; the PO gets an explicit "Mark ready anyway" override, recorded on
 * the item and shown to everyone ("Marked ready anyway by Paula").
 */
import { useEffect, useRef, useState } from 'react';
import { onReadyOverrideRequest } from './readyRequest.ts';
import type { ItemId } from '../../shared/ids.ts';
import type { ItemSnapshot, ItemStatus } from '../../shared/schema/item.ts';
import { evaluateReadiness } from '../../shared/schema/readiness.ts';
import { StatusSelect } from '../components/StatusSelect.tsx';
import { setStatusChecked, visibleOverride } from '../../shared/schema/ready.ts';
import { notReadyMessage } from '../ready/readyMessages.ts';
import { useBoardContext, useMeta } from '../hooks/useBoard.ts';
import { useActor } from './hooks.ts';

export function StatusControl({ item }: { item: ItemSnapshot }) {
  const { doc, origin, canWrite, store } = useBoardContext();
  const { definitionOfReady } = useMeta(store);
  const actor = useActor();
  const [blocked, setBlocked] = useState<{ canOverride: boolean } | null>(null);
  const override = visibleOverride(item);
  const failingNow = evaluateReadiness(item, definitionOfReady, new Set(item.readyChecks)).lines.filter((l) => !l.passed);

  const change = (status: ItemStatus, force = false) => {
    const r = setStatusChecked(doc, item.id as ItemId, status, actor, { override: force }, origin);
    if (!r.ok && r.reason === 'not-ready') setBlocked({ canOverride: r.canOverride });
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
        {failingNow.length > 0 && item.status !== 'ready' && (
          <span className="ref-hint" data-testid="ready-hint">
            {failingNow.length === 1 && failingNow[0]!.key === 'noOpenQuestions'
              ? `${item.openQuestionCount} open ${item.openQuestionCount === 1 ? 'question' : 'questions'} before “Ready”`
              : `${failingNow.length} ${failingNow.length === 1 ? 'check' : 'checks'} to meet before “Ready”`}
          </span>
        )}
      </div>
      {/* Live: the explanation follows the item (a tick, an estimate, someone marking it ready). */}
      {blocked && item.status !== 'ready' && failingNow.length > 0 && (
        <div className="ref-callout ref-callout-warn" role="alert" data-testid="ready-blocked" ref={callout}>
          <p>{notReadyMessage(failingNow, item.openQuestionCount, blocked.canOverride)}</p>
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
          <span aria-hidden="true">⚑</span> Marked ready anyway by {override.name}
          {failingNow.length > 0 ? ` (not met: ${failingNow.map((l) => l.label).join(', ')})` : ''},{' '}
          {new Date(override.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
        </p>
      )}
    </div>
  );
}
