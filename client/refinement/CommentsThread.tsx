/**
 * The async comment thread [REF-6..8, REF-13]: author, relative time, "edited", edit and
 * delete of one's own comments only (others' have no controls; the server refuses them
 * anyway), and a "new" divider above comments that arrived since this person last looked.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { CommentId, ItemId } from '../../shared/ids.ts';
import { canEditComment } from '../../shared/policy/can.ts';
import type { Comment } from '../../shared/schema/comment.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { markRead } from '../../shared/schema/reads.ts';
import { addComment, deleteComment, editComment } from '../../shared/schema/comments.ts';
import { LIMITS } from '../../shared/limits.ts';
import { isTooLong, LengthHint } from '../components/LengthHint.tsx';
import { useDraft } from '../hooks/drafts.ts';
import { structIdOf } from '../hooks/serverAck.ts';
import { useBoardContext, useConnectionSnapshot } from '../hooks/useBoard.ts';
import { getItemMap } from '../../shared/schema/board.ts';
import { arrayOf } from '../../shared/schema/operation.ts';
import type { BoardMember } from '../../shared/members.ts';
import { mentionedIn } from '../../shared/mentions/text.ts';
import type { BoardId } from '../../shared/ids.ts';
import { useBoardMembers } from '../hooks/useBoardMembers.ts';
import { MentionText, mentionsToStore } from '../inbox/MentionText.tsx';
import { MentionTextarea } from '../inbox/MentionTextarea.tsx';
import { relativeTime } from './clock.ts';
import { useActor, useMinuteClock, useMyReads } from './hooks.ts';

export function CommentsThread({ item }: { item: ItemSnapshot }) {
  const { doc, origin, canContribute, me, drafts } = useBoardContext();
  const actor = useActor();
  const reads = useMyReads();
  const [draft, setDraft] = useDraft(drafts, item.id, 'comment');
  const now = useMinuteClock();
  // The divider stays where "new" began for as long as the panel shows this item, even
  // though opening it marks everything read.
  const [newFrom, setNewFrom] = useState<{ itemId: string; index: number } | null>(null);
  const seen = reads.get(item.id) ?? 0;
  if (newFrom?.itemId !== item.id) setNewFrom({ itemId: item.id, index: seen });

  // Mark read while the thread is open (viewers cannot write markers, POL-14).
  const count = item.comments.length;
  const lastMarked = useRef(-1);
  useEffect(() => {
    if (!canContribute || count === lastMarked.current) return;
    lastMarked.current = count;
    markRead(doc, me.userId, item.id);
  }, [doc, me.userId, item.id, count, canContribute]);

  const divider = newFrom?.itemId === item.id ? newFrom.index : count;
  const firstNew = item.comments.findIndex((c, i) => i >= divider && c.authorId !== me.userId && c.deletedAt === null);

  const unsent = useUnsentComments(item);
  const members = useBoardMembers(me.boardId as BoardId);

  const send = () => {
    // Mentions are stored as the ids of the members the text names (MEN-1).
    if (addComment(doc, item.id as ItemId, actor, draft, Date.now(), origin, undefined, mentionedIn(draft, members)).ok) setDraft('');
  };

  return (
    <section className="ref-section" aria-labelledby="ref-comments-h" data-testid="comments">
      <h3 id="ref-comments-h" className="ref-h">
        Comments {count > 0 && <span className="ref-count">{item.comments.filter((c) => c.deletedAt === null).length}</span>}
      </h3>
      {count === 0 && <p className="ref-empty">No comments yet.</p>}
      <ol className="ref-comments">
        {item.comments.map((c, i) => (
          <CommentRow key={c.id} itemId={item.id as ItemId} c={c} now={now} isFirstNew={i === firstNew} mine={canEditComment(actor, c)} unsent={unsent.has(c.id)} members={members} />
        ))}
      </ol>
      {canContribute && (
        <form
          className="ref-ask"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <MentionTextarea
            className="input"
            rows={2}
            placeholder="Write a comment… (@ to mention, Ctrl+Enter to send)"
            value={draft}
            onValueChange={setDraft}
            members={members}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) send();
            }}
            aria-label="New comment"
            data-testid="comment-input"
          />
          <div className="ref-row">
            <button type="submit" className="btn btn-small btn-primary" disabled={!draft.trim() || isTooLong(draft, LIMITS.maxCommentLength)} data-testid="send-comment">
              Comment
            </button>
            <LengthHint text={draft} max={LIMITS.maxCommentLength} />
          </div>
        </form>
      )}
    </section>
  );
}

/** Comments of mine the server has not stored yet: written offline or still on the way. */
function useUnsentComments(item: ItemSnapshot): ReadonlySet<string> {
  const { doc, me, connection } = useBoardContext();
  const ack = connection.serverAck;
  useSyncExternalStore(ack.subscribe, ack.getVersion);
  const live = useConnectionSnapshot(connection).state.kind === 'live';
  const out = new Set<string>();
  const mine = item.comments.filter((c) => c.authorId === me.userId);
  if (mine.length === 0) return out;
  for (const map of arrayOf(getItemMap(doc, item.id as ItemId), 'comments')?.toArray() ?? []) {
    const c = mine.find((m) => m.id === map.get('id'));
    const id = structIdOf(map);
    if (!c || !id || ack.has(id)) continue;
    ack.track(id);
    // Online, a comment is acknowledged within a round trip: no flash of "not sent yet".
    if (!live || Date.now() - c.createdAt > 3000) out.add(c.id);
  }
  return out;
}

function CommentRow({
  itemId,
  c,
  now,
  isFirstNew,
  mine,
  unsent,
  members,
}: { itemId: ItemId; c: Comment; now: number; isFirstNew: boolean; mine: boolean; unsent: boolean; members: readonly BoardMember[] }) {
  const { doc, origin } = useBoardContext();
  const actor = useActor();
  const [editing, setEditing] = useState<string | null>(null);
  const deleted = c.deletedAt !== null;
  return (
    <>
      {isFirstNew && (
        <li className="ref-new-divider" aria-label="New since your last visit">
          <span>New</span>
        </li>
      )}
      <li className={`ref-comment ${deleted ? 'is-deleted' : ''}`} data-testid="comment">
        <div className="ref-comment-head">
          <p className="ref-meta">
            <strong>{c.authorName}</strong> ·{' '}
            <time dateTime={new Date(c.createdAt).toISOString()} title={new Date(c.createdAt).toLocaleString()}>
              {relativeTime(c.createdAt, now)}
            </time>
            {c.editedAt !== null && !deleted && <span title={new Date(c.editedAt).toLocaleString()}> · edited</span>}
            {unsent && (
              <span className="ref-unsent" data-testid="comment-unsent" title="Kept on this device; sent when the connection is back">
                {' '}
                · not sent yet
              </span>
            )}
          </p>
          {mine && !deleted && editing === null && (
            <span className="ref-row-quiet">
              <button type="button" className="ref-link-btn" onClick={() => setEditing(c.text)} data-testid="edit-comment">
                Edit
              </button>
              <button
                type="button"
                className="ref-link-btn ref-link-danger"
                data-testid="delete-comment"
                onClick={() => {
                  if (window.confirm('Delete this comment?')) deleteComment(doc, itemId, c.id as CommentId, actor, Date.now(), origin);
                }}
              >
                Delete
              </button>
            </span>
          )}
        </div>
        {deleted ? (
          <p className="ref-deleted">Comment deleted</p>
        ) : editing !== null ? (
          <form
            className="ref-ask"
            onSubmit={(e) => {
              e.preventDefault();
              const mentions = mentionsToStore(mentionedIn(editing, members), members, c.mentions);
              if (editComment(doc, itemId, c.id as CommentId, actor, editing, Date.now(), origin, mentions).ok) setEditing(null);
            }}
          >
            <MentionTextarea
              className="input"
              rows={2}
              value={editing}
              autoFocus
              aria-label="Edit comment"
              onValueChange={setEditing}
              members={members}
              onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
            />
            <div className="ref-row">
              <button type="submit" className="btn btn-small btn-primary" disabled={!editing.trim()}>
                Save
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(null)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <p className="ref-comment-text">
            <MentionText text={c.text} mentions={c.mentions} members={members} />
          </p>
        )}
      </li>
    </>
  );
}
