/** On a backlog card: the sprint the item is planned into, with the sprint goal as its hint. */
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { useSprints } from './hooks.ts';

export function SprintBadge({ item }: { item: ItemSnapshot }) {
  const sprints = useSprints();
  const sprint = item.sprintId ? sprints.find((s) => s.id === item.sprintId) : undefined;
  if (!sprint) return null;
  return (
    <span className="chip plan-sprint-chip" title={sprint.goal ? `Sprint goal: ${sprint.goal}` : undefined} data-testid="sprint-badge">
      {sprint.name}
      {sprint.goal && <span className="visually-hidden">, goal: {sprint.goal}</span>}
    </span>
  );
}
