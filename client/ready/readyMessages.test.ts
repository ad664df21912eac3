import { describe, expect, it } from 'vitest';
import { notReadyMessage, notReadyShort } from './readyMessages.ts';

const q = { key: 'noOpenQuestions', label: 'No open questions', passed: false };
const est = { key: 'estimate', label: 'An agreed estimate', passed: false };
const ux = { key: 'custom:ux', label: 'UX reviewed', passed: false };

describe('ready messages', () => {
  it('[REF-5] open questions alone read as before', () => {
    expect(notReadyMessage([q], 2, true)).toBe('This item still has 2 unresolved questions. Resolve them first, or mark it ready anyway as Product Owner.');
  });

  it('[DOR-4] every failing check is named; only the PO is offered the override', () => {
    expect(notReadyMessage([est, ux], 0, false)).toBe(
      'The Definition of Ready still needs “An agreed estimate” and “UX reviewed”. Complete them first (only the Product Owner can override).',
    );
    expect(notReadyMessage([q, est], 1, true)).toBe(
      'This item still has 1 unresolved question, and the Definition of Ready still needs “An agreed estimate”. Complete them first, or mark it ready anyway as Product Owner.',
    );
    expect(notReadyShort([q, est], 1)).toBe('Not ready yet: 1 open question, “An agreed estimate”.');
  });
});
