import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { addItem, getItem, initBoard, readMeta, setItemEstimate } from './board.ts';
import { setDefinitionOfReady, setReadyCheck } from './definitionOfReady.ts';
import { readinessOf, setStatusChecked } from './ready.ts';
import {
  DEFAULT_DEFINITION_OF_READY,
  evaluateReadiness,
  failingChecks,
  isDefinitionOfReady,
  type ReadinessInput,
  readDefinitionOfReady,
} from './readiness.ts';

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

describe('Definition of Ready: the stored setting and its operations', () => {
  const po = { userId: 'userPO000001' as UserId, name: 'Paula', role: 'po' as const };
  const dev = { userId: 'userDEV00001' as UserId, name: 'Dev', role: 'dev' as const };

  it('[DOR-2] a malformed or missing stored definition reads as today’s rule', () => {
    expect(readDefinitionOfReady(undefined)).toBe(DEFAULT_DEFINITION_OF_READY);
    expect(readDefinitionOfReady({ required: ['estimate', 'estimate'], custom: [] })).toBe(DEFAULT_DEFINITION_OF_READY);
    expect(readDefinitionOfReady({ required: ['estimate'], custom: [{ id: 'abcdef', label: ' padded ' }] })).toBe(DEFAULT_DEFINITION_OF_READY);
    expect(isDefinitionOfReady({ required: ['estimate'], custom: [{ id: 'abcdef', label: 'UX' }] })).toBe(true);
  });

  it('[DOR-5] only the PO stores a definition; it is cleaned (list order, trimmed labels, empty dropped)', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'B', createdAt: 1 });
    expect(setDefinitionOfReady(doc, dev, { required: ['estimate'], custom: [] })).toEqual({ ok: false, reason: 'forbidden' });
    const r = setDefinitionOfReady(doc, po, {
      required: ['description', 'noOpenQuestions'],
      custom: [
        { id: 'uxreview01', label: '  UX reviewed ' },
        { id: 'emptyone01', label: '   ' },
      ],
    });
    expect(r.ok).toBe(true);
    expect(readMeta(doc).definitionOfReady).toEqual({ required: ['noOpenQuestions', 'description'], custom: [{ id: 'uxreview01', label: 'UX reviewed' }] });
    const tooLong = { required: [], custom: [{ id: 'uxreview01', label: 'x'.repeat(LIMITS.maxReadyCheckLabelLength + 1) }] };
    expect(setDefinitionOfReady(doc, po, tooLong)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('[DOR-6] [DOR-4] ticking a team check on an item; ready is refused until every required check passes', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'B', createdAt: 1 });
    setDefinitionOfReady(doc, po, { required: ['estimate'], custom: [{ id: 'uxreview01', label: 'UX reviewed' }] });
    const item = addItem(doc, { title: 'Checkout', createdBy: dev.userId });
    const r = setStatusChecked(doc, item, 'ready', dev);
    expect(r).toMatchObject({ ok: false, reason: 'not-ready', canOverride: false });
    expect(r.ok === false && r.reason === 'not-ready' && r.failing.map((l) => l.label)).toEqual(['An agreed estimate', 'UX reviewed']);
    expect(setReadyCheck(doc, dev, item, 'uxreview01', true)).toEqual({ ok: true, value: undefined });
    expect(setReadyCheck(doc, dev, item, 'notachecknow', true)).toEqual({ ok: false, reason: 'not-found' });
    expect(setReadyCheck(doc, { ...dev, role: 'stakeholder' }, item, 'uxreview01', true)).toEqual({ ok: false, reason: 'forbidden' });
    expect(getItem(doc, item)!.readyChecks).toEqual(['uxreview01']);
    setItemEstimate(doc, item, '5');
    expect(readinessOf(doc, item).ready).toBe(true);
    expect(setStatusChecked(doc, item, 'ready', dev)).toEqual({ ok: true, status: 'ready', override: null });
  });

  it('[DOR-4] the PO marks a failing item ready anyway, recorded as the override', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'B', createdAt: 1 });
    setDefinitionOfReady(doc, po, { required: ['criterion'], custom: [] });
    const item = addItem(doc, { title: 'Checkout', createdBy: dev.userId });
    expect(setStatusChecked(doc, item, 'ready', po)).toMatchObject({ ok: false, canOverride: true });
    expect(setStatusChecked(doc, item, 'ready', po, { override: true, now: 7 })).toEqual({
      ok: true,
      status: 'ready',
      override: { by: po.userId, name: 'Paula', at: 7 },
    });
  });
});
