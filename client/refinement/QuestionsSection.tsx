/**
 * Questions on an item [REF-1..4]: ask (for the PO by default, or a named person), answer,
 * resolve or reopen (the asker or the PO). Open questions first, resolved ones folded.
 */
import { useMemo, useState } from 'react';
import type { ItemId, QuestionId, UserId } from '../../shared/ids.ts';
import { canAnswerQuestion, canResolveQuestion } from '../../shared/policy/can.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import type { Question } from '../../shared/schema/question.ts';
import { answerQuestion, askQuestion, isQuestionForMe, resolveQuestion } from '../../shared/schema/questions.ts';
import { ROLE_LABELS } from '../../shared/roles.ts';
import { useDraft } from '../hooks/drafts.ts';
import { useBoardContext, usePeople } from '../hooks/useBoard.ts';
import type { BoardMember } from '../../shared/members.ts';
import { mentionedIn } from '../../shared/mentions/text.ts';
import type { BoardId } from '../../shared/ids.ts';
import { useBoardMembers } from '../hooks/useBoardMembers.ts';
import { MentionText } from '../inbox/MentionText.tsx';
import { MentionTextarea } from '../inbox/MentionTextarea.tsx';
import { relativeTime } from './clock.ts';
import { useActor, useMinuteClock } from './hooks.ts';

interface Person {
  id: UserId;
  name: string;
  label: string;
}

/** People one can address a question to: who is here now, and who wrote on this item. */
function usePeopleToAsk(item: ItemSnapshot): Person[] {
  const { presence, me } = useBoardContext();
  const people = usePeople(presence);
  return useMemo(() => {
    const byId = new Map<string, Person>();
    for (const p of people) {
      if (canAnswerQuestion({ role: p.user.role, userId: p.user.id })) byId.set(p.user.id, { id: p.user.id as UserId, name: p.user.name, label: `${p.user.name} (${ROLE_LABELS[p.user.role]})` });
    }
    for (const w of [...item.questions.map((q) => ({ id: q.authorId, name: q.authorName })), ...item.comments.map((c) => ({ id: c.authorId, name: c.authorName }))]) {
      if (!byId.has(w.id) && w.name) byId.set(w.id, { id: w.id, name: w.name, label: w.name });
    }
    byId.delete(me.userId);
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [people, item.questions, item.comments, me.userId]);
}

export function QuestionsSection({ item }: { item: ItemSnapshot }) {
  const { doc, origin, canContribute, drafts, me } = useBoardContext();
  const actor = useActor();
  const candidates = usePeopleToAsk(item);
  const members = useBoardMembers(me.boardId as BoardId);
  const [text, setText] = useDraft(drafts, item.id, 'question');
  const [assignee, setAssignee] = useState('');
  const [showResolved, setShowResolved] = useState(false);
  const open = item.questions.filter((q) => q.resolvedAt === null);
  const resolved = item.questions.filter((q) => q.resolvedAt !== null);

  const ask = () => {
    const who = candidates.find((p) => p.id === assignee);
    const r = askQuestion(doc, item.id as ItemId, actor, { text, assignee: who ? { id: who.id, name: who.name } : null, mentions: mentionedIn(text, members) }, origin);
    if (r.ok) setText('');
  };

  return (
    <section className="ref-section" aria-labelledby="ref-questions-h" data-testid="questions">
      <h3 id="ref-questions-h" className="ref-h">
        Questions {open.length > 0 && <span className="ref-count ref-count-warn">{open.length} open</span>}
      </h3>
      {item.questions.length === 0 && <p className="ref-empty">No questions. Ask one before calling it ready.</p>}
      <ul className="ref-questions">
        {open.map((q) => (
          <QuestionRow key={q.id} itemId={item.id as ItemId} q={q} members={members} />
        ))}
      </ul>
      {resolved.length > 0 && (
        <>
          <button type="button" className="btn btn-ghost btn-small" aria-expanded={showResolved} onClick={() => setShowResolved(!showResolved)}>
            {showResolved ? 'Hide' : 'Show'} {resolved.length} resolved
          </button>
          {showResolved && (
            <ul className="ref-questions is-resolved">
              {resolved.map((q) => (
                <QuestionRow key={q.id} itemId={item.id as ItemId} q={q} members={members} />
              ))}
            </ul>
          )}
        </>
      )}
      {canContribute && (
        <form
          className="ref-ask"
          onSubmit={(e) => {
            e.preventDefault();
            ask();
          }}
        >
          <MentionTextarea
            className="input"
            rows={2}
            placeholder="Ask a question about this item… (@ to mention)"
            value={text}
            onValueChange={setText}
            members={members}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) ask();
            }}
            aria-label="Your question"
            data-testid="question-input"
          />
          <div className="ref-row">
            <label className="ref-assignee">
              <span>For</span>
              <select className="input ref-input-sm" value={assignee} onChange={(e) => setAssignee(e.target.value)} data-testid="question-assignee">
                <option value="">the Product Owner</option>
                {candidates.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn btn-small btn-primary" disabled={!text.trim()} data-testid="ask-question">
              Ask
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function QuestionRow({ itemId, q, members }: { itemId: ItemId; q: Question; members: readonly BoardMember[] }) {
  const { doc, origin, canContribute, me, drafts } = useBoardContext();
  const actor = useActor();
  const now = useMinuteClock();
  // An answer being written is a draft [UX-2]: it survives closing the panel.
  const [draftAnswer, setDraftAnswer] = useDraft(drafts, itemId, `answer:${q.id}`);
  const [answering, setAnswering] = useState(() => draftAnswer !== '');
  const answer = answering ? draftAnswer : null;
  const setAnswer = (v: string | null) => {
    setAnswering(v !== null);
    setDraftAnswer(v ?? '');
  };
  const forMe = isQuestionForMe(q, me);
  const mayResolve = canResolveQuestion(actor, q);
  const submit = () => {
    if (answer !== null && answerQuestion(doc, itemId, q.id as QuestionId, actor, answer, Date.now(), origin, mentionedIn(answer, members)).ok) setAnswer(null);
  };
  return (
    <li className={`ref-question ${forMe ? 'is-for-me' : ''} ${q.resolvedAt !== null ? 'is-resolved' : ''}`} data-testid="question">
      <p className="ref-q-text">
        <MentionText text={q.text} mentions={q.mentions} members={members} />
      </p>
      <p className="ref-meta">
        {q.authorName} · {relativeTime(q.createdAt, now)} · for{' '}
        <strong>{q.assigneeId === null ? 'the Product Owner' : q.assigneeId === me.userId ? 'you' : q.assigneeName}</strong>
        {forMe && q.answer === null && <span className="ref-tag">waiting on you</span>}
      </p>
      {q.answer !== null && answer === null && (
        <div className="ref-answer" data-testid="answer">
          <p>
            <MentionText text={q.answer} mentions={q.answerMentions} members={members} />
          </p>
          <p className="ref-meta">
            {q.answeredByName ?? 'Someone'}
            {q.answeredAt !== null && ` · ${relativeTime(q.answeredAt, now)}`}
          </p>
        </div>
      )}
      {q.resolvedAt !== null && <p className="ref-meta ref-resolved-note">✓ Resolved {relativeTime(q.resolvedAt, now)}</p>}
      {answer !== null ? (
        <form
          className="ref-ask"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <MentionTextarea
            className="input"
            rows={2}
            value={answer}
            autoFocus
            aria-label="Your answer"
            data-testid="answer-input"
            onValueChange={setAnswer}
            members={members}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) submit();
              if (e.key === 'Escape') setAnswer(null);
            }}
          />
          <div className="ref-row">
            <button type="submit" className="btn btn-small btn-primary" disabled={!answer.trim()} data-testid="send-answer">
              Send answer
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setAnswer(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        canContribute && (
          <div className="ref-row">
            {q.resolvedAt === null && (
              <button type="button" className="btn btn-small" onClick={() => setAnswer(q.answer ?? '')} data-testid="answer-question">
                {q.answer === null ? 'Answer' : 'Edit answer'}
              </button>
            )}
            {mayResolve && (
              <button
                type="button"
                className="btn btn-small btn-ghost"
                data-testid={q.resolvedAt === null ? 'resolve-question' : 'reopen-question'}
                onClick={() => resolveQuestion(doc, itemId, q.id as QuestionId, actor, q.resolvedAt === null, Date.now(), origin)}
              >
                {q.resolvedAt === null ? 'Resolve' : 'Reopen'}
              </button>
            )}
          </div>
        )
      )}
    </li>
  );
}
