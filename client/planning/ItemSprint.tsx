/**
 * In an item's details: the sprint it is planned into, its state and its goal (the sprint
 * goal is shown wherever the sprint is, issue 11). Nothing for a backlog item, nor for a
 * `sprintId` naming no sprint (it reads as the backlog, SPR-2).
 */
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import type { SprintState } from '../../shared/schema/sprint.ts';
import { useSprints } from './hooks.ts';

const STATE_LABEL: Record<SprintState, string> = { planned: 'planned', active: 'active', closed: 'closed' };

export function ItemSprintLine({ sprint }: { sprint: { name: string; goal: string; state: SprintState } | null }) {
  if (!sprint) return null;
  return (
    <div className="ref-field plan-item-sprint" data-testid="item-sprint">
      <span className="ref-label">Sprint</span>
      <p>
        <span className="chip plan-sprint-chip">{sprint.name}</span> <span className="muted small">{STATE_LABEL[sprint.state]}</span>
      </p>
      {sprint.goal && (
        <p className="small" data-testid="item-sprint-goal">
          Sprint goal: {sprint.goal}
        </p>
      )}
    </div>
  );
}

export function ItemSprint({ item }: { item: ItemSnapshot }) {
  const sprints = useSprints();
  const sprint = item.sprintId ? (sprints.find((s) => s.id === item.sprintId) ?? null) : null;
  return <ItemSprintLine sprint={sprint} />;
}
