import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../roles.ts';
import {
  canAddComment,
  canAskQuestion,
  canChange,
  canEditComment,
  canEditItems,
  canPlaceDots,
  canSetEstimate,
  canResolveQuestion,
  canRunEstimation,
  canRunSession,
  canVote,
  canWriteDocument,
  isFacilitator,
} from './can.ts';
import { policyMarkdown } from './markdown.ts';
import { POLICY, REGIONS } from './table.ts';

describe('policy table', () => {
  it('[AUTH-3] viewers may change no region', () => {
    for (const region of REGIONS) expect(canChange('viewer', region)).toBe(false);
  });

  it('[AUTH-3] the role predicates come from the table: viewers write nothing, PO and SM facilitate', () => {
    expect(ROLES.filter(canWriteDocument)).toEqual(['po', 'sm', 'dev', 'stakeholder']);
    expect(ROLES.filter(isFacilitator)).toEqual(['po', 'sm']);
    for (const role of ROLES) expect(isFacilitator(role)).toBe(canRunSession(role));
  });

  it('[EST-2] [EST-8] planning poker: PO and SM run it, anyone but a viewer votes', () => {
    expect(ROLES.filter(canRunEstimation)).toEqual(['po', 'sm']);
    expect(ROLES.filter(canVote)).toEqual(['po', 'sm', 'dev']);
  });

  it('[POL-19] a stakeholder comments, asks, answers and keeps read markers; never edits, orders or estimates', () => {
    const allowed = REGIONS.filter((region) => canChange('stakeholder', region));
    expect(allowed).toEqual(['item.dots', 'item.comments', 'item.questions', 'reads']);
    expect(canEditItems('stakeholder')).toBe(false);
    expect(canVote('stakeholder')).toBe(false);
    expect(canSetEstimate('stakeholder')).toBe(false);
    expect(canAddComment({ role: 'stakeholder', userId: 's' })).toBe(true);
    expect(canAskQuestion({ role: 'stakeholder', userId: 's' })).toBe(true);
  });

  it('[POL-19] [POL-7] a stakeholder places dots only when the board allows it; the team always may', () => {
    const st = { role: 'stakeholder' as const, userId: 's' };
    expect(canPlaceDots(st, true)).toBe(false);
    expect(canPlaceDots(st, true, true)).toBe(true);
    expect(canPlaceDots(st, false, true)).toBe(false);
    expect(canPlaceDots({ role: 'dev', userId: 'd' }, true, false)).toBe(true);
    expect(canPlaceDots({ role: 'viewer', userId: 'v' }, true, true)).toBe(false);
  });

  it('[POL-2] nobody but the server writes estimation', () => {
    for (const role of ROLES) expect(canChange(role, 'estimation')).toBe(false);
  });

  it('every region has exactly one row with a POL (or DOR) rule id', () => {
    expect(POLICY.map((r) => r.region).sort()).toEqual([...REGIONS].sort());
    for (const row of POLICY) expect(row.rule).toMatch(/^(POL|DOR)-\d+$/);
  });

  it('[DOR-5] [DOR-6] only the PO sets the Definition of Ready; the team ticks its entries', () => {
    expect(ROLES.filter((r) => canChange(r, 'meta.definitionOfReady'))).toEqual(['po']);
    expect(ROLES.filter((r) => canChange(r, 'item.readyChecks'))).toEqual(['po', 'sm', 'dev']);
  });

  it('[POL-5] [POL-6] [POL-11] facilitator-only regions', () => {
    expect(canChange('sm', 'item.estimate')).toBe(true);
    expect(canChange('dev', 'item.estimate')).toBe(false);
    expect(canChange('po', 'item.readyOverride')).toBe(true);
    expect(canChange('sm', 'item.readyOverride')).toBe(false);
    expect(canChange('dev', 'session')).toBe(false);
  });

  it('[POL-9] [POL-10] per-entry checks the UI uses', () => {
    expect(canEditComment({ role: 'dev', userId: 'a' }, { authorId: 'a' })).toBe(true);
    expect(canEditComment({ role: 'po', userId: 'b' }, { authorId: 'a' })).toBe(false);
    expect(canResolveQuestion({ role: 'po', userId: 'b' }, { authorId: 'a' })).toBe(true);
    expect(canResolveQuestion({ role: 'sm', userId: 'b' }, { authorId: 'a' })).toBe(false);
  });

  it('docs/protocol.md shows the table the gate enforces', () => {
    const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    const start = doc.indexOf('<!-- policy-table:start -->');
    const end = doc.indexOf('<!-- policy-table:end -->');
    expect(start).toBeGreaterThan(-1);
    expect(doc.slice(start, end)).toContain(policyMarkdown());
  });
});
