/**
 * What the status control, the card's notice and the override note say about the ready
 * rule [REF-5, DOR-4]: which checks block `ready`, in words, so no refusal is silent.
 */
import type { ReadinessLine } from '../../shared/schema/readiness.ts';

/** "An agreed estimate and UX reviewed" — the failing checks, joined for a sentence. */
export function checkList(failing: readonly Pick<ReadinessLine, 'label'>[]): string {
  const labels = failing.map((l) => `“${l.label}”`);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** The open questions as the no-open-questions check reads in a sentence. */
const questionsPhrase = (open: number): string => `${open} unresolved ${open === 1 ? 'question' : 'questions'}`;

/**
 * Why "Ready" was refused: open questions in REF-5's words, every other failing check by
 * its label; then who may override.
 */
export function notReadyMessage(failing: readonly ReadinessLine[], openQuestions: number, canOverride: boolean): string {
  const others = failing.filter((l) => l.key !== 'noOpenQuestions');
  const questions = failing.some((l) => l.key === 'noOpenQuestions') ? `This item still has ${questionsPhrase(openQuestions)}` : '';
  const needs = others.length > 0 ? `the Definition of Ready still needs ${checkList(others)}` : '';
  const why = questions && needs ? `${questions}, and ${needs}.` : questions ? `${questions}.` : `${needs.charAt(0).toUpperCase()}${needs.slice(1)}.`;
  const first = others.length === 0 ? `Resolve ${openQuestions === 1 ? 'it' : 'them'} first` : 'Complete them first';
  return `${why} ${first}${canOverride ? ', or mark it ready anyway as Product Owner.' : ' (only the Product Owner can override).'}`;
}

/** The one-line form for a notice: "Not ready yet: 1 open question, “An agreed estimate”." */
export function notReadyShort(failing: readonly ReadinessLine[], openQuestions: number): string {
  const bits = failing.map((l) =>
    l.key === 'noOpenQuestions' ? `${openQuestions} open ${openQuestions === 1 ? 'question' : 'questions'}` : `“${l.label}”`,
  );
  return `Not ready yet: ${bits.join(', ')}.`;
}
