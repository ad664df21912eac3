import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION_OF_READY, evaluateReadiness, failingChecks, type ReadinessInput } from './readiness.ts';

const bare: ReadinessInput = { openQuestionCount: 0, estimate: null, criteria: [], description: '' };
const criterion = { id: 'c1', text: 'Pays', done: false } as unknown as ReadinessInput['criteria'][number];

describe('Definition of Ready', () => {
  it('[DOR-2] an old board requires only no open questions, as REF-5 did', () => {
    expect(evaluateReadiness(bare).ready).toBe(true);
    expect(evaluateReadiness({ ...bare, openQuestionCount: 2 }).ready).toBe(false);
    expect(DEFAULT_DEFINITION_OF_READY.required).toEqual(['noOpenQuestions']);
  });

  it('[DOR-1] [DOR-3] each required check shows whether it passes; whitespace is no text', () => {
    const dor = { required: ['estimate', 'criterion', 'description'] as const, custom: [] };
    expect(failingChecks({ ...bare, description: '   ' }, dor)).toEqual(['estimate', 'criterion', 'description']);
    const full = { ...bare, estimate: '5', criteria: [criterion], description: 'Why' };
    expect(evaluateReadiness(full, dor)).toEqual({
      ready: true,
      lines: [
        { key: 'estimate', label: 'An agreed estimate', passed: true },
        { key: 'criterion', label: 'At least one acceptance criterion', passed: true },
        { key: 'description', label: 'A description', passed: true },
      ],
    });
  });

  it('[DOR-3] a team checklist item blocks until someone checks it on the item', () => {
    const dor = { required: [], custom: [{ id: 'ux', label: 'UX reviewed' }] };
    expect(failingChecks(bare, dor)).toEqual(['custom:ux']);
    expect(evaluateReadiness(bare, dor, new Set(['ux'])).ready).toBe(true);
  });
});
