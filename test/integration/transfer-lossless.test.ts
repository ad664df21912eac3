/**
 * [XFER-12] The JSON export is lossless: a board with every kind of content goes out as
 * JSON and into a fresh board through the real server's API, and comes back field by field.
 * Ids are the only thing that changes: item ids (the copy's items keep the source ids as
 * `key` = externalKey), sprint ids, and the item ids inside sprint records and poker rounds,
 * which are mapped. Poker votes of a round that is not revealed never reach the file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../shared/api.ts';
import type { BoardId, ItemId, SprintId, UserId } from '../../shared/ids.ts';
import { appendItems, archiveItem, setItemDescription, setItemEstimate, setItemLabel, setItemStatus } from '../../shared/schema/board.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { addCriterion } from '../../shared/schema/criteria.ts';
import { setDefinitionOfReady, setReadyCheck } from '../../shared/schema/definitionOfReady.ts';
import { changeMyDots, openDotRound, setStakeholderDots } from '../../shared/schema/dots.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { answerQuestion, askQuestion } from '../../shared/schema/questions.ts';
import { closeSprint, createSprint, moveItemToSprint, setAvailability, setProductGoal, setTeamCapacity, startSprint } from '../../shared/schema/sprints.ts';
import type { BoardExport, ExportedItem, ExportedSprint } from '../../shared/transfer/boardExport.ts';
import { api, setupBoard, startTestServer, type TestServer } from '../helpers/server.ts';

let ts: TestServer | null = null;
afterEach(async () => {
  await ts?.stop();
  ts = null;
});

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 9);

describe('[XFER-12] lossless JSON export', () => {
  it('[XFER-12][XFER-8][EST-1] every kind of content survives export → import into a fresh board; unrevealed votes stay out of the file', async () => {
    ts = await startTestServer();
    const srv = ts;
    const src = await setupBoard(srv.baseUrl, 'Source');
    const po: Actor = { userId: src.people.po.userId as UserId, name: 'Pia PO', role: 'po' };
    const dev: Actor = { userId: src.people.dev.userId as UserId, name: 'Dev Dana', role: 'dev' };
    let ids: ItemId[] = [];
    let closed = '' as SprintId;
    // The source board's content, written as the server (the fixture, not what is tested).
    await srv.server.withBoard(src.boardId as BoardId, (b) =>
      b.change((doc) => {
        ids = appendItems(doc, ['Pay by card', 'Guest checkout', 'Refunds', 'Old idea'].map((title) => ({ title, createdBy: po.userId, now: T0 })));
        const [pay, guest, refunds, old] = ids as [ItemId, ItemId, ItemId, ItemId];
        setItemDescription(doc, pay, 'Visa and **Mastercard**\n- 3-D Secure');
        setItemLabel(doc, pay, 'checkout', true);
        setItemLabel(doc, pay, 'payments', true);
        setItemEstimate(doc, pay, '5');
        addCriterion(doc, pay, po, 'Declined cards show a reason');
        const q = askQuestion(doc, guest, dev, { text: 'Do guests get an account?', now: T0 + 1000 });
        if (q.ok) answerQuestion(doc, guest, q.value, po, 'No, only an order link', T0 + 2000);
        askQuestion(doc, refunds, dev, { text: 'Partial refunds too?', now: T0 + 3000 });
        addComment(doc, guest, dev, 'Checked with legal', T0 + 4000);
        setProductGoal(doc, po, 'Checkout people trust');
        const dor = setDefinitionOfReady(doc, po, { required: ['noOpenQuestions', 'estimate'], custom: [{ id: 'uxsigned', label: 'UX signed off' }] });
        expect(dor.ok).toBe(true);
        setReadyCheck(doc, po, pay, 'uxsigned', true);
        setStakeholderDots(doc, true);
        // A closed sprint with its frozen records, and a planned one with availability.
        const s1 = createSprint(doc, po, { name: 'Sprint 1', goal: 'Cards', startsAt: T0, endsAt: T0 + 13 * DAY });
        const s2 = createSprint(doc, po, { name: 'Sprint 2', goal: 'Guests', startsAt: T0 + 14 * DAY, endsAt: T0 + 27 * DAY });
        if (!s1.ok || !s2.ok) throw new Error('sprints');
        closed = s1.value;
        setTeamCapacity(doc, po, s1.value, { focusFactor: 0.8, pointsPerDay: 2 });
        setAvailability(doc, po, s1.value, dev.userId, { name: 'Dev Dana', daysOff: 1.5, workingDays: null });
        setAvailability(doc, po, s2.value, po.userId, { name: 'Pia PO', daysOff: 0, workingDays: 5 });
        moveItemToSprint(doc, po, pay, s1.value);
        moveItemToSprint(doc, po, refunds, s1.value);
        expect(startSprint(doc, po, s1.value, T0 + 1).ok).toBe(true);
        setItemStatus(doc, pay, 'done');
        expect(closeSprint(doc, po, s1.value, { all: s2.value, now: T0 + 13 * DAY }).ok).toBe(true);
        moveItemToSprint(doc, po, guest, s2.value);
        // A dot round with two people's dots.
        openDotRound(doc, { budget: 3, now: T0 + 5000 });
        changeMyDots(doc, guest, dev.userId, 1);
        changeMyDots(doc, guest, dev.userId, 1);
        changeMyDots(doc, pay, po.userId, 1);
        archiveItem(doc, old, T0 + 6000);
      }),
    );
    const [pay, guest, refunds] = ids as [ItemId, ItemId, ItemId];
    const post = (board: typeof src, path: string, token: string, body: unknown) =>
      api<Record<string, unknown>>(srv.baseUrl, `/api/boards/${board.boardId}${path}`, { token, body, method: 'POST' });
    // An agreed poker round (revealed, then the PO agrees), through the real REST calls.
    const r1 = await post(src, '/estimation/start', src.people.sm.token, { itemId: guest });
    const round1 = r1.body.round as number;
    expect((await post(src, '/estimation/vote', src.people.dev.token, { round: round1, value: '3' })).status).toBe(200);
    expect((await post(src, '/estimation/vote', src.people.po.token, { round: round1, value: '8' })).status).toBe(200);
    expect((await post(src, '/estimation/reveal', src.people.po.token, { round: round1 })).status).toBe(200);
    expect((await post(src, '/estimation/agree', src.people.po.token, { itemId: guest, value: '5' })).status).toBe(200);
    // An open round with a vote cast: the vote is the server's secret until reveal.
    const r2 = await post(src, '/estimation/start', src.people.sm.token, { itemId: refunds, deck: ['1', '2', 'zebra-42'] });
    expect((await post(src, '/estimation/vote', src.people.dev.token, { round: r2.body.round, value: 'zebra-42' })).status).toBe(200);
    // An async round still open, with a vote and its comment: both stay with the server too.
    const a1 = await post(src, '/estimation/async/start', src.people.sm.token, { itemId: pay, deadline: Date.now() + DAY });
    expect(a1.status).toBe(200);
    const asyncVote = { round: a1.body.round, value: '8', comment: 'okapi-secret-7', confidence: 'low' };
    expect((await post(src, '/estimation/async/vote', src.people.dev.token, asyncVote)).status).toBe(200);

    const exportOf = (boardId: string, token: string) =>
      fetch(`${srv.baseUrl}${apiPaths.boardExport(boardId)}?format=json`, { headers: { authorization: `Bearer ${token}` } });
    const text = await (await exportOf(src.boardId, src.people.viewer.token)).text();
    expect(text).not.toContain('zebra-42');
    expect(text).not.toContain('okapi-secret-7');
    const exported = JSON.parse(text) as BoardExport;

    const dst = await setupBoard(srv.baseUrl, 'Copy');
    const res = await fetch(`${srv.baseUrl}${apiPaths.boardImport(dst.boardId)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dst.people.po.token}`, 'content-type': 'application/json' },
      body: text,
    });
    const report = await res.json();
    expect(res.status).toBe(200);
    expect(report).toMatchObject({ format: 'json', imported: 4, errors: [] });
    expect(report.warnings).toEqual([]);
    const copy = (await (await exportOf(dst.boardId, dst.people.viewer.token)).json()) as BoardExport;

    // Remapped ids: items (the copy's key is the source id), sprints (by name), and the ids inside records.
    const itemIdOf = new Map(copy.items.map((i) => [i.key, i.id]));
    expect(copy.items.map((i) => i.key)).toEqual(exported.items.map((i) => i.id));
    for (const i of copy.items) expect(i.id).not.toBe(i.key);
    const sprintByName = (e: BoardExport, name: string) => e.sprints.find((s) => s.name === name)!;
    const sprintName = (e: BoardExport, key: string | null) => e.sprints.find((s) => s.key === key)?.name ?? null;
    const mapIds = (list: readonly { id: string; points: number | null }[]) => list.map((r) => ({ id: itemIdOf.get(r.id) ?? `unmapped ${r.id}`, points: r.points }));

    // Items, in order: every field but the ids.
    const itemContent = (e: BoardExport, i: ExportedItem) => {
      const { id: _id, key: _key, sprint, pokerRounds, ...rest } = i;
      return { ...rest, sprint: sprintName(e, sprint), pokerRounds };
    };
    expect(copy.items.map((i) => itemContent(copy, i))).toEqual(exported.items.map((i) => itemContent(exported, i)));
    // Spot checks that the source really had each kind of content.
    const srcItem = (id: ItemId) => exported.items.find((i) => i.id === id)!;
    expect(srcItem(pay)).toMatchObject({ status: 'done', estimate: '5', labels: ['checkout', 'payments'], readyChecks: ['uxsigned'], dots: { [po.userId]: 1 } });
    expect(srcItem(pay).criteria).toEqual([{ text: 'Declined cards show a reason', done: false }]);
    expect(srcItem(guest)).toMatchObject({ estimate: '5', dots: { [dev.userId]: 2 } });
    expect(srcItem(guest).questions[0]).toMatchObject({ text: 'Do guests get an account?', answer: 'No, only an order link' });
    expect(srcItem(guest).comments[0]).toMatchObject({ text: 'Checked with legal', authorId: dev.userId });
    expect(srcItem(guest).pokerRounds).toEqual([expect.objectContaining({ round: round1, results: { [src.people.dev.userId]: '3', [src.people.po.userId]: '8' } })]);
    expect(srcItem(refunds).pokerRounds).toEqual([]);
    expect(srcItem(pay).pokerRounds).toEqual([]);
    expect(exported.items.at(-1)).toMatchObject({ title: 'Old idea', archivedAt: T0 + 6000 });

    // Sprints: fields, availability, frozen records with the copy's item ids.
    const sprintContent = (s: ExportedSprint, mapped: boolean) => {
      const { key: _key, committed, outcome, ...rest } = s;
      const ids = mapped ? mapIds : (l: readonly { id: string; points: number | null }[]) => l.map((r) => ({ ...r }));
      return {
        ...rest,
        committed: committed ? { ...committed, items: ids(committed.items) } : null,
        outcome: outcome ? { ...outcome, completed: ids(outcome.completed), added: ids(outcome.added), removed: ids(outcome.removed), carriedOver: ids(outcome.carriedOver) } : null,
      };
    };
    for (const name of ['Sprint 1', 'Sprint 2']) {
      expect(sprintContent(sprintByName(copy, name), false)).toEqual(sprintContent(sprintByName(exported, name), true));
    }
    const s1 = sprintByName(exported, 'Sprint 1');
    expect(s1).toMatchObject({ key: closed, state: 'closed', focusFactor: 0.8, pointsPerDay: 2, availability: { [dev.userId]: { name: 'Dev Dana', daysOff: 1.5, workingDays: null } } });
    expect(s1.committed?.items.map((r) => r.id).sort()).toEqual([pay, refunds].sort());
    expect(s1.outcome?.completed).toEqual([{ id: pay, points: 5 }]);
    expect(s1.outcome?.carriedOver).toEqual([{ id: refunds, points: null }]);
    expect(sprintByName(copy, 'Sprint 1').outcome?.completed).toEqual([{ id: itemIdOf.get(pay), points: 5 }]);

    // Board settings and the dot round; the title is the new board's own.
    expect({ ...copy.board, title: 'x' }).toEqual({ ...exported.board, title: 'x' });
    expect(copy.board.title).toBe('Copy');
    expect(exported.board).toMatchObject({ productGoal: 'Checkout people trust', definitionOfReady: { custom: [{ id: 'uxsigned' }] } });
    expect(copy.dotVoting).toEqual(exported.dotVoting);
    expect(exported.dotVoting).toMatchObject({ round: { open: true, budget: 3 }, stakeholderDots: true });
  });
});
