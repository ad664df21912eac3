/**
 * Text with its mentions highlighted [MEN-3]: `@Name` of a person the record mentions
 * (by id, MEN-1) is marked; one's own name more strongly. Other `@…` stays plain text.
 */
import { Fragment, useMemo } from 'react';
import type { BoardMember } from '../../shared/members.ts';
import { splitMentions } from '../../shared/mentions/text.ts';
import { useBoardContext } from '../hooks/useBoard.ts';

export function MentionText({ text, mentions, members }: { text: string; mentions: readonly string[]; members: readonly BoardMember[] }) {
  const { me } = useBoardContext();
  const segments = useMemo(() => {
    if (mentions.length === 0) return null;
    const people = members.filter((m) => mentions.includes(m.id));
    return people.length === 0 ? null : splitMentions(text, people);
  }, [text, mentions, members]);
  if (!segments) return <>{text}</>;
  // Keyed by where each run starts in the text: stable while the text is.
  let at = 0;
  const parts = segments.map((s) => {
    const key = `${s.kind}-${at}`;
    at += s.text.length;
    return s.kind === 'text' ? (
      <Fragment key={key}>{s.text}</Fragment>
    ) : (
      <span key={key} className={`mention ${s.userIds.includes(me.userId) ? 'is-me' : ''}`} data-testid="mention">
        {s.text}
      </span>
    );
  });
  return <>{parts}</>;
}

/** The ids to store for `text` (MEN-1): members named as `@Name`, plus stored ids of people not in `members` (unknown here, so kept). */
export function mentionsToStore(ids: readonly string[], members: readonly BoardMember[], stored: readonly string[] = []): string[] {
  const known = new Set(members.map((m) => m.id as string));
  return [...ids, ...stored.filter((id) => !known.has(id) && !ids.includes(id))];
}
