/**
 * The Definition of Ready [DOR-1..DOR-6]: which checks an item must pass before it becomes
 * `ready`. Pure: the same judgement serves the item panel's checklist and the server's gate.
 * A board without a definition keeps today's rule (no open questions, REF-5). Stored as
 * one plain value, `meta.definitionOfReady` (the PO's, DOR-5); each item's ticks of the
 * team's own entries in `items.<id>.readyChecks` (DOR-6). docs/format.md.
 */
import { isIdLike } from '../ids.ts';
import { LIMITS } from '../limits.ts';
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

/** A custom entry's label as stored: trimmed, 1..maxReadyCheckLabelLength, no control characters. */
export function isReadyCheckLabel(v: unknown): v is string {
  if (typeof v !== 'string' || v.trim() !== v || v.length === 0 || v.length > LIMITS.maxReadyCheckLabelLength) return false;
  for (const ch of v) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/**
 * The stored definition's shape [DOR-1, POL-17]: `required` distinct built-in checks,
 * `custom` at most maxCustomReadyChecks entries with distinct id-like ids and clean labels.
 */
export function isDefinitionOfReady(v: unknown): v is DefinitionOfReady {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  if (Object.keys(o).some((k) => k !== 'required' && k !== 'custom')) return false;
  const { required, custom } = o;
  if (!Array.isArray(required) || !required.every(isReadyCheck) || new Set(required).size !== required.length) return false;
  if (!Array.isArray(custom) || custom.length > LIMITS.maxCustomReadyChecks) return false;
  const ids = new Set<string>();
  for (const c of custom) {
    if (!c || typeof c !== 'object' || Array.isArray(c)) return false;
    const e = c as Record<string, unknown>;
    if (Object.keys(e).length !== 2 || !isIdLike(e.id) || !isReadyCheckLabel(e.label) || ids.has(e.id)) return false;
    ids.add(e.id);
  }
  return true;
}

/** [DOR-2] The stored definition, or today's rule when there is none (or it is malformed, ITEM-5). */
export const readDefinitionOfReady = (v: unknown): DefinitionOfReady => (isDefinitionOfReady(v) ? v : DEFAULT_DEFINITION_OF_READY);

/**
 * A definition as the PO's dialog would store it: checks in list order, labels trimmed
 * (empty ones dropped), or a reason it cannot be stored.
 */
export function cleanDefinitionOfReady(dor: DefinitionOfReady): { ok: true; value: DefinitionOfReady } | { ok: false; reason: string } {
  const required = READY_CHECKS.filter((c) => dor.required.includes(c));
  const custom = dor.custom.map((c) => ({ id: c.id, label: c.label.trim() })).filter((c) => c.label !== '');
  if (custom.length > LIMITS.maxCustomReadyChecks) return { ok: false, reason: `at most ${LIMITS.maxCustomReadyChecks} team checks` };
  for (const c of custom) {
    if (!isReadyCheckLabel(c.label)) return { ok: false, reason: `a check's label has at most ${LIMITS.maxReadyCheckLabelLength} characters, no control characters` };
  }
  const value = { required, custom };
  return isDefinitionOfReady(value) ? { ok: true, value } : { ok: false, reason: 'each team check needs its own id' };
}

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

/** The required checks that fail: what the server names when it refuses `ready` [DOR-4]. Keys as in `lines`. */
export const failingChecks = (item: ReadinessInput, dor: DefinitionOfReady, checkedCustom?: ReadonlySet<string>): string[] =>
  evaluateReadiness(item, dor, checkedCustom)
    .lines.filter((l) => !l.passed)
    .map((l) => l.key);

/** The label of a checklist key (`estimate`, `custom:<id>`) under `dor`, for messages. */
export function readinessLabel(key: string, dor: DefinitionOfReady): string {
  if (isReadyCheck(key)) return READY_CHECK_LABELS[key];
  const id = key.startsWith('custom:') ? key.slice(7) : key;
  return dor.custom.find((c) => c.id === id)?.label ?? key;
}
