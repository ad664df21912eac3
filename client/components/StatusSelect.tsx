/**
 * An item's status: a coloured select for people who may change it, a pill for viewers.
 * Used on cards and in the detail panel; callers decide what a change does (the ready rule).
 */
import { ITEM_STATUS_LABELS, ITEM_STATUSES, type ItemStatus, isItemStatus } from '../../shared/schema/item.ts';

export interface StatusSelectProps {
  status: ItemStatus;
  editable: boolean;
  /** Screen-reader label of the select. */
  label: string;
  onChange: (status: ItemStatus) => void;
  testId?: string;
}

export function StatusSelect({ status, editable, label, onChange, testId }: StatusSelectProps) {
  if (!editable) {
    return (
      <span className={`status-pill status-${status}`}>
        <span className="status-dot" aria-hidden="true" />
        {ITEM_STATUS_LABELS[status]}
      </span>
    );
  }
  return (
    <label className={`status-select status-${status}`}>
      <span className="visually-hidden">{label}</span>
      <span className="status-dot" aria-hidden="true" />
      <select
        data-testid={testId}
        value={status}
        onChange={(e) => {
          if (isItemStatus(e.target.value)) onChange(e.target.value);
        }}
      >
        {ITEM_STATUSES.map((s) => (
          <option key={s} value={s}>
            {ITEM_STATUS_LABELS[s]}
          </option>
        ))}
      </select>
    </label>
  );
}
