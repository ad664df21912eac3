/**
 * The Definition of Ready [DOR-1..DOR-4]: which checks an item must pass before it becomes
 * `ready`. Pure: the same judgement serves the item panel's checklist and the server's gate.
 * A board without a definition keeps today's rule (no open questions, REF-5).
 */
import type { ItemSnapshot } from './item.ts';

/** The built-in checks a PO may require, in the order the checklist shows them. */
export const READY_CHECKS = ['noOpenQuestions', 'estimate', 'criterion', 'description'] as const;
export type ReadyCheck = (typeof READY_CHECKS)[number];

export const READY_CHECK_LABELS: Readonly<Record<ReadyCheck, string>> = {
  noOpenQuestions: 'No open questions',
  estimate: 'An agreed estimate',
  criterion: 'At least one acceptance criterion',
  description: 'A description',
};

/** A team-defined checklist entry; checked per item by anyone of the team. */
export interface CustomReadyCheck {
  id: string;
  label: string;
}

export interface DefinitionOfReady {
  required: readonly ReadyCheck[];
  custom: readonly CustomReadyCheck[];
}

/** [DOR-2] Old boards (no definition stored) require what REF-5 always required. */
export const DEFAULT_DEFINITION_OF_READY: DefinitionOfReady = { required: ['noOpenQuestions'], custom: [] };

export const isReadyCheck = (v: unknown): v is ReadyCheck => typeof v === 'string' && (READY_CHECKS as readonly string[]).includes(v);

export type ReadinessInput = Pick<ItemSnapshot, 'openQuestionCount' | 'estimate' | 'criteria' | 'description'>;

export interface ReadinessLine {
  key: string;
  label: string;
  passed: boolean;
}

/** Whether one built-in check passes; whitespace-only text counts as missing. */
export function passesCheck(check: ReadyCheck, item: ReadinessInput): boolean {
  switch (check) {
    case 'noOpenQuestions':
      return item.openQuestionCount === 0;
    case 'estimate':
      return item.estimate !== null && item.estimate.trim() !== '';
    case 'criterion':
      return item.criteria.length > 0;
    case 'description':
      return item.description.trim() !== '';
  }
}

/**
 * [DOR-3] The checklist for one item: every required built-in check, then every custom
 * entry (passed when `checkedCustom` holds its id). `ready` is allowed when all pass.
 */
export function evaluateReadiness(
  item: ReadinessInput,
  dor: DefinitionOfReady = DEFAULT_DEFINITION_OF_READY,
  checkedCustom: ReadonlySet<string> = new Set(),
): { lines: ReadinessLine[]; ready: boolean } {
  const lines: ReadinessLine[] = [];
  for (const check of READY_CHECKS) {
    if (dor.required.includes(check)) lines.push({ key: check, label: READY_CHECK_LABELS[check], passed: passesCheck(check, item) });
  }
  for (const c of dor.custom) lines.push({ key: `custom:${c.id}`, label: c.label, passed: checkedCustom.has(c.id) });
  return { lines, ready: lines.every((l) => l.passed) };
}

/** The required checks that fail: what the server names when it refuses `ready` [DOR-4]. */
export const failingChecks = (item: ReadinessInput, dor: DefinitionOfReady, checkedCustom?: ReadonlySet<string>): string[] =>
  evaluateReadiness(item, dor, checkedCustom)
    .lines.filter((l) => !l.passed)
    .map((l) => l.key);
