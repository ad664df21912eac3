/**
 * The Definition of Ready in the server's gate [DOR-4, DOR-5, DOR-6]: the PO's setting,
 * the team's ticks, and `ready` refused while a required check fails after the update.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { Role } from '../../shared/roles.ts';
import { addItem, getItemMap, initBoard, setItemDescription, setItemEstimate, setItemField } from '../../shared/schema/board.ts';
import { addCriterion, removeCriterion } from '../../shared/schema/criteria.ts';
import { setDefinitionOfReady, setReadyCheck } from '../../shared/schema/definitionOfReady.ts';
import { metaMap } from '../../shared/schema/meta.ts';
import { createQuestionMap } from '../../shared/schema/question.ts';
import type { DefinitionOfReady } from '../../shared/schema/readiness.ts';
import type { AuthUser, UpdateVerdict } from '../extensions.ts';
import { encodeStructs } from '../../test/helpers/hostile.ts';
import { PolicyGate } from './gate.ts';

const users = {
  po: { userId: 'userPO000001' as UserId, role: 'po' },
  sm: { userId: 'userSM000001' as UserId, role: 'sm' },
  alice: { userId: 'userALICE001' as UserId, role: 'dev' },
  stake: { userId: 'userSTAKE001' as UserId, role: 'stakeholder' },
} satisfies Record<string, { userId: UserId; role: Role }>;
type Who = keyof typeof users;
const auth = (who: Who): AuthUser => ({ boardId: 'board1' as BoardId, name: who, ...users[who] });
const actor = (who: Who) => ({ ...users[who], name: who });

function setup(dor?: DefinitionOfReady) {
  const server = new Y.Doc();
  initBoard(server, { title: 'Board', createdAt: 1 });
  if (dor) setDefinitionOfReady(server, actor('po'), dor);
  const itemA = addItem(server, { title: 'A', createdBy: users.po.userId });
  const gate = new PolicyGate();
  const client = () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    return doc;
  };
  const run = (who: Who, fn: (doc: Y.Doc) => void, apply: boolean): UpdateVerdict => {
    const doc = client();
    const before = Y.encodeStateVector(doc);
    fn(doc);
    const update = Y.encodeStateAsUpdate(doc, before);
    const verdict = gate.check({ doc: server, user: auth(who), update });
    if (verdict.ok && apply) Y.applyUpdate(server, update);
    return verdict;
  };
  return {
    server,
    itemA,
    attempt: (who: Who, fn: (doc: Y.Doc) => void) => run(who, fn, false),
    commit: (who: Who, fn: (doc: Y.Doc) => void) => run(who, fn, true),
  };
}

const ok = { ok: true };
const refused = (rule: string) => expect.objectContaining({ ok: false, rule });
const custom = { id: 'uxreview01', label: 'UX reviewed' };
const strict: DefinitionOfReady = { required: ['noOpenQuestions', 'estimate', 'criterion', 'description'], custom: [custom] };

describe('Definition of Ready in the gate', () => {
  it('[DOR-5] only the PO changes the Definition of Ready, with a well-formed value', () => {
    const s = setup();
    const write = (v: unknown) => (d: Y.Doc) => metaMap(d).set('definitionOfReady' as never, v as never);
    expect(s.attempt('po', write(strict))).toEqual(ok);
    expect(s.attempt('sm', write(strict))).toEqual(refused('DOR-5'));
    expect(s.attempt('alice', write(strict))).toEqual(refused('DOR-5'));
    expect(s.attempt('stake', write(strict))).toEqual(refused('DOR-5'));
    // [POL-17] The value's shape and limits.
    expect(s.attempt('po', write({ required: ['vibes'], custom: [] }))).toEqual(refused('POL-17'));
    expect(s.attempt('po', write({ required: [], custom: [{ id: 'x', label: 'short id' }] }))).toEqual(refused('POL-17'));
    expect(s.attempt('po', write({ required: [], custom: [{ id: 'abcdef', label: 'x'.repeat(LIMITS.maxReadyCheckLabelLength + 1) }] }))).toEqual(
      refused('POL-17'),
    );
    const many = Array.from({ length: LIMITS.maxCustomReadyChecks + 1 }, (_, i) => ({ id: `check${i}xx`, label: `C${i}` }));
    expect(s.attempt('po', write({ required: [], custom: many }))).toEqual(refused('POL-17'));
  });

  it('[DOR-6] the team ticks the team’s checks on an item; a stakeholder does not', () => {
    const s = setup(strict);
    expect(s.commit('alice', (d) => setReadyCheck(d, actor('po'), s.itemA, custom.id, true))).toEqual(ok);
    expect(getItemMap(s.server, s.itemA)!.get('readyChecks')?.get(custom.id)).toBe(true);
    expect(s.commit('sm', (d) => setReadyCheck(d, actor('sm'), s.itemA, custom.id, false))).toEqual(ok);
    expect(s.attempt('stake', (d) => getItemMap(d, s.itemA)!.set('readyChecks', new Y.Map()))).toEqual(refused('DOR-6'));
    // [POL-16] Ticks are `true` under an id-like key; nothing else.
    expect(s.commit('alice', (d) => setReadyCheck(d, actor('alice'), s.itemA, custom.id, true))).toEqual(ok);
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.get('readyChecks')!.set(custom.id, 'yes' as never))).toEqual(refused('POL-17'));
  });

  it('[DOR-4] a developer cannot mark an item ready while a required check fails', () => {
    const s = setup({ required: ['noOpenQuestions', 'estimate'], custom: [] });
    const ready = (d: Y.Doc) => getItemMap(d, s.itemA)!.set('status', 'ready');
    const v = s.attempt('alice', ready);
    expect(v).toEqual(refused('DOR-4'));
    expect(v.ok === false && v.reason).toContain('An agreed estimate');
    expect(s.commit('sm', (d) => setItemEstimate(d, s.itemA, '5'))).toEqual(ok);
    expect(s.attempt('alice', ready)).toEqual(ok);
    // A blank estimate is no estimate; every candidate must pass.
    expect(s.attempt('sm', (d) => { setItemEstimate(d, s.itemA, ' '); ready(d); })).toEqual(refused('DOR-4'));
  });

  it('[DOR-4] the checks are judged on the board as the update leaves it', () => {
    const s = setup({ required: ['criterion', 'description'], custom: [custom] });
    const ready = (d: Y.Doc) => getItemMap(d, s.itemA)!.set('status', 'ready');
    expect(s.attempt('alice', ready)).toEqual(refused('DOR-4'));
    // Everything written in the same update counts (an offline client's one merged update).
    expect(
      s.attempt('alice', (d) => {
        setItemDescription(d, s.itemA, 'Why we build it');
        addCriterion(d, s.itemA, actor('alice'), 'Pays by card');
        setReadyCheck(d, actor('alice'), s.itemA, custom.id, true);
        ready(d);
      }),
    ).toEqual(ok);
    // Whitespace is no description; a criterion removed in the same update is gone.
    let criterionId = '';
    expect(
      s.commit('alice', (d) => {
        setItemDescription(d, s.itemA, 'Why');
        const r = addCriterion(d, s.itemA, actor('alice'), 'Pays');
        if (r.ok) criterionId = r.value;
        setReadyCheck(d, actor('alice'), s.itemA, custom.id, true);
      }),
    ).toEqual(ok);
    expect(s.attempt('alice', ready)).toEqual(ok);
    expect(s.attempt('alice', (d) => { setItemDescription(d, s.itemA, '   '); ready(d); })).toEqual(refused('DOR-4'));
    expect(s.attempt('alice', (d) => { removeCriterion(d, s.itemA, criterionId, actor('alice')); ready(d); })).toEqual(refused('DOR-4'));
    expect(s.attempt('alice', (d) => { setReadyCheck(d, actor('alice'), s.itemA, custom.id, false); ready(d); })).toEqual(refused('DOR-4'));
  });

  it('[DOR-4] [POL-6] the PO’s own override in the same update lets a failing item through', () => {
    const s = setup(strict);
    const ready = (d: Y.Doc) => getItemMap(d, s.itemA)!.set('status', 'ready');
    const override = { by: users.po.userId, name: 'po', at: 1 };
    expect(s.attempt('po', ready)).toEqual(refused('DOR-4'));
    expect(s.attempt('po', (d) => { ready(d); setItemField(d, s.itemA, 'readyOverride', override); })).toEqual(ok);
    expect(s.attempt('alice', (d) => { ready(d); setItemField(d, s.itemA, 'readyOverride', override); })).not.toEqual(ok);
  });

  it('[DOR-2] [POL-15] open questions block only while the definition requires none', () => {
    const s = setup({ required: ['description'], custom: [] });
    expect(s.commit('alice', (d) => setItemDescription(d, s.itemA, 'Why'))).toEqual(ok);
    expect(
      s.commit('alice', (d) =>
        getItemMap(d, s.itemA)!
          .get('questions')!
          .push([createQuestionMap({ id: 'question01' as never, text: 'Why?', authorId: users.alice.userId, authorName: 'alice', createdAt: 1 }) as never]),
      ),
    ).toEqual(ok);
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.set('status', 'ready'))).toEqual(ok);
    // The default (old boards) keeps REF-5's rule under POL-15.
    const old = setup();
    expect(
      old.commit('alice', (d) =>
        getItemMap(d, old.itemA)!
          .get('questions')!
          .push([createQuestionMap({ id: 'question01' as never, text: 'Why?', authorId: users.alice.userId, authorName: 'alice', createdAt: 1 }) as never]),
      ),
    ).toEqual(ok);
    expect(old.attempt('alice', (d) => getItemMap(d, old.itemA)!.set('status', 'ready'))).toEqual(refused('POL-15'));
  });

  it('[DOR-4] [POL-18] a definition written in the same update counts, each candidate', () => {
    const s = setup();
    // The PO tightening the definition while marking ready is judged by the new one.
    expect(
      s.attempt('po', (d) => {
        setDefinitionOfReady(d, actor('po'), { required: ['estimate'], custom: [] });
        getItemMap(d, s.itemA)!.set('status', 'ready');
      }),
    ).toEqual(refused('DOR-4'));
    // A new item created ready follows the definition too.
    const t = setup({ required: ['description'], custom: [] });
    const addReady = (description?: string) => (d: Y.Doc) => {
      const id = addItem(d, { title: 'N', createdBy: users.alice.userId, ...(description ? { description } : {}) });
      getItemMap(d, id)!.set('status', 'ready');
    };
    expect(t.attempt('alice', addReady())).toEqual(refused('DOR-4'));
    expect(t.attempt('alice', addReady('Why'))).toEqual(ok);
  });

  it('[DOR-4] [POL-18] an estimate written beside the stored one (not over it) may lose: the stored one counts too', () => {
    const s = setup({ required: ['estimate'], custom: [] });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(s.server));
    const before = Y.encodeStateVector(doc);
    getItemMap(doc, s.itemA)!.set('status', 'ready');
    const honest = Y.encodeStateAsUpdate(doc, before);
    // A hand-made struct with no origin: concurrent with the stored `null`, which stays right of it.
    const parent = (getItemMap(s.server, s.itemA) as unknown as Y.Map<unknown>)._item!.id;
    const sneaky = new Y.Item(Y.createID(1, 0), null, null, null, null, parent, 'estimate', new Y.ContentAny(['5']));
    const update = Y.mergeUpdates([honest, encodeStructs(1, 0, [sneaky])]);
    const verdict = new PolicyGate().check({ doc: s.server, user: auth('sm'), update });
    expect(verdict).toEqual(refused('DOR-4'));
    // What Yjs keeps proves the point: applied, the item would be ready without an estimate.
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(s.server));
    Y.applyUpdate(probe, update);
    expect(getItemMap(probe, s.itemA)!.get('estimate')).toBeNull();
    expect(getItemMap(probe, s.itemA)!.get('status')).toBe('ready');
  });

  it('[DOR-4] an edit that keeps some of the description passes; one that leaves only spaces does not', () => {
    const s = setup({ required: ['description'], custom: [] });
    expect(s.commit('alice', (d) => setItemDescription(d, s.itemA, 'Guests pay without an account'))).toEqual(ok);
    const ready = (d: Y.Doc) => getItemMap(d, s.itemA)!.set('status', 'ready');
    expect(s.attempt('alice', (d) => { setItemDescription(d, s.itemA, 'Guests pay'); ready(d); })).toEqual(ok);
    expect(s.attempt('alice', (d) => { setItemDescription(d, s.itemA, ''); ready(d); })).toEqual(refused('DOR-4'));
    expect(s.attempt('alice', (d) => { setItemDescription(d, s.itemA, ' \n '); ready(d); })).toEqual(refused('DOR-4'));
    // Replacing the description's Y.Text outright is judged on the new text.
    expect(s.attempt('alice', (d) => { getItemMap(d, s.itemA)!.set('description', new Y.Text('  ')); ready(d); })).toEqual(refused('DOR-4'));
    expect(s.attempt('alice', (d) => { getItemMap(d, s.itemA)!.set('description', new Y.Text('New why')); ready(d); })).toEqual(ok);
  });
});

describe('Definition of Ready: a tick undone in the same update', () => {
  // Found by gate.dor.property.test.ts (seed 840052303): Sam ticks and unticks "Legal ok"
  // offline while Paula ticks it; Sam's merged update then marks the item ready. His
  // deleted entry lands after Paula's (higher clientID) and hides it: Yjs keeps no tick.
  it('[DOR-4][DOR-6] ready is refused when an entry the update deletes may hide the stored tick', () => {
    const paula = { userId: 'userPO000001' as UserId, name: 'Paula', role: 'po' as const };
    const sam = { userId: 'userSM000001' as UserId, name: 'Sam', role: 'sm' as const };
    const server = new Y.Doc();
    initBoard(server, { title: 'DoR', createdAt: 1 });
    setDefinitionOfReady(server, paula, { required: [], custom: [{ id: 'legalok001', label: 'Legal ok' }] });
    const item = addItem(server, { title: 'B', createdBy: paula.userId });
    const copy = (clientID: number) => {
      const d = new Y.Doc();
      d.clientID = clientID;
      Y.applyUpdate(d, Y.encodeStateAsUpdate(server));
      return d;
    };
    const since = Y.encodeStateVector(server);
    const po = copy(1000);
    const sm = copy(2000);
    setReadyCheck(sm, sam, item, 'legalok001', true);
    setReadyCheck(sm, sam, item, 'legalok001', false);
    setReadyCheck(po, paula, item, 'legalok001', true);
    const gate = new PolicyGate();
    const ticked = Y.encodeStateAsUpdate(po, since);
    expect(gate.check({ doc: server, user: { boardId: 'b1' as BoardId, ...paula }, update: ticked }).ok).toBe(true);
    Y.applyUpdate(server, ticked);
    sm.transact(() => getItemMap(sm, item)!.set('status', 'ready'));
    const marked = Y.encodeStateAsUpdate(sm, since);
    // What Yjs would keep: no tick, so the item fails its definition.
    const probe = copy(3000);
    Y.applyUpdate(probe, marked);
    expect((getItemMap(probe, item)!.get('readyChecks') as Y.Map<unknown>).has('legalok001')).toBe(false);
    const verdict = gate.check({ doc: server, user: { boardId: 'b1' as BoardId, ...sam }, update: marked });
    expect(verdict).toMatchObject({ ok: false, rule: 'DOR-4' });
  });
});
