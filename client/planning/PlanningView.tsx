/**
 * The planning view: the ranked backlog on the left (with the "what fits" line and the
 * forecast sprint boundaries), the open sprints on the right as drop targets, each with its
 * goal and a live capacity bar, then closed sprints and the velocity chart. Drag and drop
 * is PlanningDnd's; every write goes through planningData.ts.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { BoardId, ItemId, SprintId, UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { capacitySource, copyLastCapacity, flagBlocked, resolveBlocked, setDevelopersMayPlan, sprintItems } from '../../shared/schema/sprints.ts';
import { closeItemDetail, useOpenItemId } from '../board/itemLink.ts';
import { ItemDetailSlot } from '../board/slots.tsx';
import { useBoardContext, useOrder } from '../hooks/useBoard.ts';
import { useBoardMembers } from '../hooks/useBoardMembers.ts';
import { BlockDialog } from './BlockDialog.tsx';
import { CapacityBar } from './CapacityBar.tsx';
import { CapacityDialog } from './CapacityDialog.tsx';
import { capacityMembers } from './capacityMembers.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { type CarryTarget, CloseSprintDialog } from './CloseSprintDialog.tsx';
import { workingDays } from './capacityForm.ts';
import { formatDay } from './chartScale.ts';
import { planItemOf, useSprints } from './hooks.ts';
import { anchorIndex, BACKLOG_LANE, type LaneId, type Lanes, laneOf, laneSprintId, sprintLane } from './lanes.ts';
import { buildLanes, fitBoundaries, laneLoad, pointsOf } from './model.ts';
import { PlanLane } from './PlanLane.tsx';
import { type PlanMove, PlanningDnd } from './PlanningDnd.tsx';
import { ActiveBurn, ImpedimentsList, PlanningGoal, useDocVersion } from './PlanningExtras.tsx';
import { type Boundary, HandleIcon, PlanMenuContext, PlanRowBody } from './PlanRow.tsx';
import { closeSprint, createSprint, deleteSprint, developersMayPlan, mayPlan, type PlanningResult, planItem, type SprintView, saveCapacity, startSprint, updateSprint, velocityOf } from './planningData.ts';
import { SprintDialog } from './SprintDialog.tsx';
import { dayToMs, msToDay, proposeNextSprint, type SprintFormValues } from './sprintForm.ts';
import { VelocityChart } from './VelocityChart.tsx';

type Editing = { mode: 'create' } | { mode: 'delete'; sprint: SprintView } | { mode: 'edit'; sprint: SprintView } | { mode: 'capacity'; sprint: SprintView } | { mode: 'close'; sprint: SprintView } | { mode: 'block'; itemId: ItemId } | null;

export function PlanningView() {
  const { store, doc, origin, canWrite, canContribute, facilitator, me } = useBoardContext();
  const actor: Actor = useMemo(() => ({ userId: me.userId as UserId, name: me.name, role: me.role }), [me]);
  const [refusal, setRefusal] = useState<string | null>(null);
  /** Runs an operation; a refusal's message is shown above the sprints. */
  const run = useCallback((r: PlanningResult<unknown>): boolean => {
    setRefusal(r.ok ? null : r.message);
    return r.ok;
  }, []);
  const order = useOrder(store);
  const sprints = useSprints();
  const openItemId = useOpenItemId();
  const [editing, setEditing] = useState<Editing>(null);
  const team = useBoardMembers(me.boardId as BoardId);

  const open = useMemo(() => sprints.filter((s) => s.state !== 'closed'), [sprints]);
  const closed = useMemo(() => sprints.filter((s) => s.state === 'closed'), [sprints]);
  const openIds = useMemo(() => open.map((s) => s.id), [open]);
  // `order` changes identity whenever the order or the set of items changes; item edits
  // (estimates, sprint ids) re-render through the store, so recompute on every store change.
  const lanes = useLanes(order, openIds);
  const rankOf = useMemo(() => {
    const index = new Map(order.map((id, i) => [id, i + 1]));
    return (id: ItemId) => index.get(id) ?? 0;
  }, [order]);

  // The gate's own rule (SPR-4): PO/SM always; developers only into or out of planned
  // sprints, and only while the facilitator allows it. `sprints` changing re-reads the setting.
  const metaVersion = useDocVersion(doc);
  // biome-ignore lint/correctness/useExhaustiveDependencies: metaVersion stands for a change of the setting
  const devsMayPlan = useMemo(() => developersMayPlan(doc), [doc, metaVersion]);
  const canPlan = facilitator || (canWrite && devsMayPlan);
  // biome-ignore lint/correctness/useExhaustiveDependencies: devsMayPlan changes what mayPlan answers
  const canUseLane = useCallback(
    (lane: LaneId) => {
      if (!canWrite) return false;
      if (lane === BACKLOG_LANE) return true;
      const s = open.find((x) => sprintLane(x.id) === lane);
      return s !== undefined && mayPlan(doc, actor, s);
    },
    [canWrite, open, doc, actor, devsMayPlan],
  );
  const laneTitle = useCallback(
    (lane: LaneId) => {
      const id = laneSprintId(lane);
      return id === null ? 'the backlog' : (sprints.find((s) => s.id === id)?.name ?? 'a sprint');
    },
    [sprints],
  );
  const itemTitle = useCallback((id: ItemId) => store.getItem(id)?.title || 'Untitled', [store]);
  const blockedReason = useCallback((id: ItemId) => {
    const item = store.getItem(id);
    return item ? (planItemOf(item).blocked?.reason ?? null) : null;
  }, [store]);

  // What a menu move did, for screen readers (drags are announced by dnd-kit's own region).
  const [announcement, setAnnouncement] = useState('');
  const onCommit = useCallback(
    ({ id, from, to, anchor, viaMenu }: PlanMove) => {
      const index = anchorIndex(store.getOrder(), id, anchor);
      const target = laneSprintId(to) as SprintId | null;
      if (from === to && index === null) return;
      if (from === to) {
        store.getItem(id) && run(planItem(doc, actor, id, store.getItem(id)?.sprintId ?? null, index, origin));
        return;
      }
      const ok = run(planItem(doc, actor, id, target, index, origin));
      if (ok && viaMenu) {
        setAnnouncement(`“${itemTitle(id)}” moved to ${laneTitle(to)}.`);
        // The row left the list its menu was in: keep focus on it, in its new place.
        requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-item-id="${id}"] [data-testid="card-menu"]`)?.focus());
      }
    },
    [doc, origin, store, actor, run, itemTitle, laneTitle],
  );

  const renderOverlay = useCallback(
    (id: ItemId) => {
      const item = store.getItem(id);
      return item ? (
        <PlanRowBody item={planItemOf(item)} rank={rankOf(id)} overlay>
          <span className="drag-handle" aria-hidden="true">
            <HandleIcon />
          </span>
        </PlanRowBody>
      ) : null;
    },
    [store, rankOf],
  );

  // The menu on each row: every other lane this person may plan into (a move keeps the rank).
  // Anyone but a viewer flags or resolves a blocked item (SPR-9).
  const blockAction = (id: ItemId) => {
    if (!canContribute) return [];
    const blocked = store.getItem(id)?.blocked ?? null;
    return [
      blocked
        ? { label: 'Resolve blocked', run: () => run(resolveBlocked(doc, actor, id, origin)) }
        : { label: 'Flag as blocked…', run: () => setEditing({ mode: 'block', itemId: id }) },
    ];
  };
  const menuFor = (shown: Lanes, requestMove: (m: PlanMove) => void) => (id: ItemId) => {
    const from = laneOf(shown, id);
    const lanesTo = from && canUseLane(from) ? [BACKLOG_LANE, ...open.map((s) => sprintLane(s.id))].filter((l) => l !== from && canUseLane(l)) : [];
    const actions = [
      ...lanesTo.map((to) => ({
        label: to === BACKLOG_LANE ? 'Back to the backlog' : `Plan into ${laneTitle(to)}`,
        run: () => requestMove({ id, from: from!, to, anchor: null, viaMenu: true }),
      })),
      ...blockAction(id),
    ];
    return actions.length === 0 ? null : actions;
  };

  const lastSprint = sprints.at(-1) ?? null;
  const velocity = useMemo(() => velocityOf(sprints), [sprints]);
  function saveSprint(values: SprintFormValues, sprint?: SprintView): string | null {
    if (!facilitator) return 'Only the Product Owner or the Scrum Master can plan sprints.';
    const input = { name: values.name, goal: values.goal, startsAt: dayToMs(values.start), endsAt: dayToMs(values.end) };
    const r = sprint ? updateSprint(doc, actor, sprint.id, input, origin) : createSprint(doc, actor, input, origin);
    return r.ok ? null : r.message;
  }

  return (
    <PlanningDnd
      lanes={lanes}
      laneTitle={laneTitle}
      itemTitle={itemTitle}
      canUseLane={canUseLane}
      blockedReason={blockedReason}
      onCommit={onCommit}
      renderOverlay={renderOverlay}
    >
      {(shown, requestMove) => (
        <PlanMenuContext.Provider value={menuFor(shown, requestMove)}>
        <div className="plan-wrap">
        <p className="visually-hidden" role="status" aria-live="polite" data-testid="plan-announcement">
          {announcement}
        </p>
        <PlanningGoal doc={doc} actor={actor} canEdit={facilitator} origin={origin} />
        <div className="plan-view" data-testid="planning-view">
          <section className="plan-column" aria-labelledby="plan-backlog-heading">
            <div className="plan-column-head">
              <h2 id="plan-backlog-heading">Backlog</h2>
              <span className="muted small">{shown[BACKLOG_LANE]?.length ?? 0} items to plan</span>
              {/* One column on narrow screens: the sprints are below the whole backlog. */}
              <button
                type="button"
                className="btn btn-ghost btn-small plan-jump"
                onClick={() => {
                  const heading = document.getElementById('plan-sprints-heading');
                  heading?.scrollIntoView({ block: 'start' });
                  heading?.focus({ preventScroll: true });
                }}
                data-testid="jump-to-sprints"
              >
                Sprints ↓
              </button>
            </div>
            <BacklogLane shown={shown} open={open} rankOf={rankOf} editable={canUseLane(BACKLOG_LANE)} velocity={velocity.average} />
          </section>
          <section className="plan-column" aria-labelledby="plan-sprints-heading">
            {openItemId && <ItemDetailSlot itemId={openItemId} onClose={closeItemDetail} />}
            <div className="plan-column-head">
              <h2 id="plan-sprints-heading" tabIndex={-1}>
                Sprints
              </h2>
              {facilitator && (
                <button type="button" className="btn btn-primary btn-small" onClick={() => setEditing({ mode: 'create' })} data-testid="new-sprint">
                  New sprint
                </button>
              )}
            </div>
            {facilitator && (
              <label className="ref-switch plan-devs-toggle">
                <input
                  type="checkbox"
                  checked={devsMayPlan}
                  onChange={(e) => run(setDevelopersMayPlan(doc, actor, e.target.checked, origin))}
                  data-testid="developers-may-plan"
                />
                <span>Developers may plan</span>
              </label>
            )}
            {refusal && (
              <p className="plan-notice plan-refusal" role="alert" data-testid="plan-refusal">
                {refusal}
              </p>
            )}
            {canWrite && !canPlan && <p className="plan-notice">The Product Owner and the Scrum Master plan sprints. You can still reorder the backlog.</p>}
            {open.length === 0 && (
              <p className="plan-notice">{facilitator ? 'No sprint yet: create one, then drag items into it.' : 'No sprint is planned yet.'}</p>
            )}
            {open.map((s) => (
              <SprintCard
                key={s.id}
                sprint={s}
                ids={shown[sprintLane(s.id)] ?? []}
                rankOf={rankOf}
                editable={canUseLane(sprintLane(s.id))}
                lockedReason={canWrite && !canUseLane(sprintLane(s.id)) ? 'Only the Product Owner or the Scrum Master can move items into or out of this sprint.' : undefined}
                onEdit={facilitator ? () => setEditing({ mode: 'edit', sprint: s }) : undefined}
                onCapacity={facilitator ? () => setEditing({ mode: 'capacity', sprint: s }) : undefined}
                onStart={facilitator && s.state === 'planned' && !open.some((x) => x.state === 'active') ? () => run(startSprint(doc, actor, s.id, origin)) : undefined}
                onClose={facilitator && s.state === 'active' ? () => setEditing({ mode: 'close', sprint: s }) : undefined}
                onDelete={facilitator && s.state === 'planned' ? () => setEditing({ mode: 'delete', sprint: s }) : undefined}
              />
            ))}
            {closed.length > 0 && (
              <details className="plan-closed">
                <summary>Closed sprints ({closed.length})</summary>
                {closed.map((s) => (
                  <SprintCard key={s.id} sprint={s} ids={sprintItems(doc, s.id).map((i) => i.id)} rankOf={rankOf} editable={false} />
                ))}
              </details>
            )}
            {open
              .filter((s) => s.state === 'active')
              .map((s) => (
                <ActiveBurn key={s.id} doc={doc} sprint={s} />
              ))}
            <VelocityChart sprints={velocity.bars} average={velocity.average} />
            {facilitator && <ImpedimentsList doc={doc} actor={actor} origin={origin} run={run} />}
          </section>
          {editing?.mode === 'capacity' && (
            <CapacityDialog
              sprintName={editing.sprint.name}
              workingDays={workingDays(editing.sprint.startsAt, editing.sprint.endsAt)}
              members={capacityMembers(team, editing.sprint.availability)}
              rate={{ pointsPerDay: editing.sprint.pointsPerDay, focusFactor: editing.sprint.focusFactor }}
              previous={previousCapacity(doc, sprints, editing.sprint)}
              onSave={(_capacity, values, removed) =>
                run(
                  saveCapacity(
                    doc,
                    actor,
                    editing.sprint.id,
                    {
                      people: capacityMembers(team, editing.sprint.availability)
                        .filter((m) => !removed.includes(m.userId))
                        .map((m) => ({ userId: m.userId, name: m.name, daysOff: Number(values.daysOff[m.userId] || 0) })),
                      remove: removed,
                      pointsPerDay: Number(values.pointsPerDay),
                      focusFactor: Number(values.focus) / 100,
                    },
                    origin,
                  ),
                )
              }
              onCopy={() => run(copyLastCapacity(doc, actor, editing.sprint.id, origin))}
              onClose={() => setEditing(null)}
            />
          )}
          {editing?.mode === 'block' && (
            <BlockDialog
              itemTitle={itemTitle(editing.itemId)}
              maxLength={LIMITS.maxBlockedReasonLength}
              onSubmit={(reason) => {
                const r = flagBlocked(doc, actor, editing.itemId, reason, Date.now(), origin);
                return r.ok ? null : r.message;
              }}
              onClose={() => setEditing(null)}
            />
          )}
          {editing?.mode === 'delete' && (
            <ConfirmDialog
              title={`Delete ${editing.sprint.name}?`}
              confirmLabel="Delete sprint"
              testId="delete-sprint-dialog"
              onConfirm={() => {
                run(deleteSprint(doc, actor, editing.sprint.id, origin));
                setEditing(null);
              }}
              onCancel={() => setEditing(null)}
            >
              <DeleteSummary count={sprintItems(doc, editing.sprint.id).length} />
            </ConfirmDialog>
          )}
          {editing?.mode === 'close' && (
            <CloseSprintDialog
              sprintName={editing.sprint.name}
              {...closeFigures(sprintItems(doc, editing.sprint.id))}
              targets={open.filter((s) => s.state === 'planned').map((s) => ({ id: s.id, name: s.name }))}
              onConfirm={(carry: ReadonlyMap<ItemId, CarryTarget>) => {
                if (run(closeSprint(doc, actor, editing.sprint.id, carry, origin))) setEditing(null);
              }}
              onCancel={() => setEditing(null)}
            />
          )}
          {editing && (editing.mode === 'create' || editing.mode === 'edit') && (
            <SprintDialog
              mode={editing.mode}
              initial={
                editing.mode === 'edit'
                  ? { name: editing.sprint.name, goal: editing.sprint.goal, start: msToDay(editing.sprint.startsAt), end: msToDay(editing.sprint.endsAt) }
                  : proposeNextSprint(lastSprint, Date.now())
              }
              onSubmit={(v) => saveSprint(v, editing.mode === 'edit' ? editing.sprint : undefined)}
              onClose={() => setEditing(null)}
            />
          )}
        </div>
        </div>
        </PlanMenuContext.Provider>
      )}
    </PlanningDnd>
  );
}

/** What deleting a planned sprint does to its items (SPR-11), said before it happens. */
function DeleteSummary({ count }: { count: number }) {
  return (
    <p data-testid="delete-sprint-summary">
      {count === 0
        ? 'Nothing is planned in it.'
        : `${count === 1 ? 'Its one item goes' : `Its ${count} items go`} back to the backlog, in their backlog order.`}
    </p>
  );
}

function closeFigures(items: readonly { id: ItemId; title: string; status: string; estimate: string | null }[]) {
  const done = items.filter((i) => i.status === 'done');
  return {
    doneCount: done.length,
    donePoints: done.reduce((n, i) => n + (pointsOf(i.estimate) ?? 0), 0),
    unfinished: items.filter((i) => i.status !== 'done').map((i) => ({ id: i.id, title: i.title, points: pointsOf(i.estimate) })),
  };
}

/** The sprint "copy last sprint's capacity" copies from (the shared rule), with its capacity for the button's label. */
function previousCapacity(doc: Y.Doc, sprints: readonly SprintView[], sprint: SprintView): { name: string; capacity: number | null } | null {
  const source = capacitySource(doc, sprint.id);
  const view = source ? sprints.find((s) => s.id === source.id) : undefined;
  return view ? { name: view.name, capacity: view.capacity } : null;
}

/** The lanes from the live document, recomputed when items or sprints change. */
function useLanes(order: readonly ItemId[], openIds: readonly SprintId[]): Lanes {
  const { store } = useBoardContext();
  const [version, setVersion] = useState(0);
  // Any item edit (an estimate, a sprint id) may change the lanes or their sums.
  useEffect(() => store.subscribe(() => setVersion((v) => v + 1)), [store]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version stands for any item change
  return useMemo(() => buildLanes(order, store.getItem, openIds), [order, openIds, store, version]);
}

function BacklogLane({
  shown,
  open,
  rankOf,
  editable,
  velocity,
}: {
  shown: Lanes;
  open: readonly SprintView[];
  rankOf: (id: ItemId) => number;
  editable: boolean;
  /** The average of the last three closed sprints (SPR-7): past the planned sprints, the forecast fills sprints of this size. */
  velocity: number | null;
}) {
  const { store } = useBoardContext();
  const backlog = shown[BACKLOG_LANE] ?? [];
  const boundaries = useMemo(() => {
    const out = new Map<ItemId, Boundary[]>();
    // Planned sprints with a capacity, in order, up to the first one without (the sums stop there).
    const planned: SprintView[] = [];
    for (const s of open) {
      if (s.state !== 'planned') continue;
      if (s.capacity === null) break;
      planned.push(s);
    }
    const rooms = planned.map((s) => (s.capacity ?? 0) - laneLoad(shown[sprintLane(s.id)] ?? [], store.getItem).points);
    for (const b of fitBoundaries(backlog, store.getItem, rooms, velocity)) {
      const sprint = planned[b.sprintOffset];
      const overAlready = sprint !== undefined && rooms[b.sprintOffset]! < 0 && b.before === backlog[0];
      const label = sprint
        ? overAlready
          ? `${sprint.name} is already over capacity`
          : `What fits: ${sprint.name} is full above this line`
        : `Forecast: sprint +${b.sprintOffset + 1} starts here`;
      const kind = b.sprintOffset !== 0 ? 'forecast' : overAlready ? 'full' : 'fits';
      out.set(b.before, [...(out.get(b.before) ?? []), { kind, label }]);
    }
    return out;
  }, [open, shown, backlog, store, velocity]);
  return (
    <PlanLane
      lane={BACKLOG_LANE}
      label="Backlog, highest priority first"
      ids={backlog}
      editable={editable}
      rankOf={rankOf}
      boundaries={boundaries}
      emptyText="Everything is planned."
    />
  );
}

interface SprintCardProps {
  sprint: SprintView;
  ids: readonly ItemId[];
  rankOf: (id: ItemId) => number;
  editable: boolean;
  lockedReason?: string;
  onEdit?: () => void;
  onCapacity?: () => void;
  onStart?: () => void;
  onClose?: () => void;
  /** Planned sprints only (SPR-11). */
  onDelete?: () => void;
}

function SprintCard({ sprint, ids, rankOf, editable, lockedReason, onEdit, onCapacity, onStart, onClose, onDelete }: SprintCardProps) {
  const { store } = useBoardContext();
  const load = laneLoad(ids, store.getItem);
  const dates =
    sprint.startsAt !== null && sprint.endsAt !== null ? `${formatDay(sprint.startsAt)} – ${formatDay(sprint.endsAt)}` : 'no dates yet';
  const headingId = `sprint-${sprint.id}-name`;
  return (
    <article className={`plan-sprint is-${sprint.state}`} aria-labelledby={headingId} data-testid="sprint" data-sprint-id={sprint.id} data-name={sprint.name}>
      <header className="plan-sprint-head">
        <h3 id={headingId}>{sprint.name}</h3>
        <span className={`plan-state is-${sprint.state}`}>{sprint.state === 'planned' ? 'Planned' : sprint.state === 'active' ? 'Active' : 'Closed'}</span>
        <span className="plan-sprint-dates">{dates}</span>
      </header>
      <p className="plan-sprint-goal" data-testid="sprint-goal-text">
        <strong>Goal:</strong> {sprint.goal || <span className="muted">none yet</span>}
      </p>
      <CapacityBar planned={load.points} capacity={sprint.capacity} unestimated={load.unestimated} items={load.items} />
      {onEdit && (
        <div className="plan-sprint-actions">
          <button type="button" className="btn btn-small" onClick={onEdit} data-testid="edit-sprint">
            Edit
          </button>
          {onCapacity && (
            <button type="button" className="btn btn-small" onClick={onCapacity} data-testid="edit-capacity">
              Capacity
            </button>
          )}
          {onStart && (
            <button type="button" className="btn btn-small btn-primary" onClick={onStart} data-testid="start-sprint">
              Start sprint
            </button>
          )}
          {onClose && (
            <button type="button" className="btn btn-small" onClick={onClose} data-testid="close-sprint">
              Close sprint
            </button>
          )}
          {onDelete && (
            <button type="button" className="btn btn-small btn-danger-ghost plan-delete" onClick={onDelete} data-testid="delete-sprint">
              Delete
            </button>
          )}
        </div>
      )}
      {sprint.state === 'closed' && sprint.outcome && (
        <p className="muted small" data-testid="sprint-outcome">
          Committed {sprint.committed?.points ?? 0} points, completed {sprint.outcome.completedPoints}; {sprint.outcome.carriedOver.length} carried over. Read-only.
        </p>
      )}
      {(
        <PlanLane
          lane={sprintLane(sprint.id)}
          label={`${sprint.name}: planned items`}
          ids={ids}
          editable={editable}
          lockedReason={lockedReason}
          rankOf={rankOf}
          emptyText={editable ? 'Drag items here to plan them.' : 'Nothing planned yet.'}
        />
      )}
    </article>
  );
}
