/**
 * The people who joined the board [MEM-2] (server-recorded, online or not), for sprint
 * capacity, @mentions and the For me inbox. Fetched when the board opens and again when
 * the people present change (someone just joined) or the network returns.
 * Offline, the last answer stays; before the first one, the people present are listed so
 * the picker is never empty while someone is on the board.
 */
import { useEffect, useMemo, useState } from 'react';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { type BoardMember, byName } from '../../shared/members.ts';
import { fetchMembers } from '../api.ts';
import { useBoardContext, usePeople } from './useBoard.ts';

export function useBoardMembers(boardId: BoardId): readonly BoardMember[] {
  const { me, presence } = useBoardContext();
  const people = usePeople(presence);
  const [fetched, setFetched] = useState<readonly BoardMember[] | null>(null);
  // A key that changes only when the set of people present changes, not on every heartbeat.
  const presentKey = useMemo(
    () =>
      people
        .map((p) => p.user.id)
        .sort()
        .join(','),
    [people],
  );
  // Bumped when the network returns, to ask again.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const again = () => setAttempt((n) => n + 1);
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, []);

  // Asked again whenever the set of people present changes (rare: arrivals and departures).
  // biome-ignore lint/correctness/useExhaustiveDependencies: presentKey and attempt are the triggers
  useEffect(() => {
    let stopped = false;
    fetchMembers(boardId, me.token)
      .then((res) => {
        if (!stopped) setFetched(res.members);
      })
      .catch(() => {
        // Offline or refused: keep what we had; the next arrival or 'online' asks again.
      });
    return () => {
      stopped = true;
    };
  }, [boardId, me.token, presentKey, attempt]);

  return useMemo(() => {
    const listed = fetched ?? [];
    const extra: BoardMember[] = [];
    for (const p of people) {
      if (listed.some((m) => m.id === p.user.id) || extra.some((m) => m.id === p.user.id)) continue;
      extra.push({ id: p.user.id as UserId, name: p.user.name, role: p.user.role, joinedAt: 0, lastSeenAt: Date.now() });
    }
    return extra.length === 0 ? listed : byName([...listed, ...extra]);
  }, [fetched, people]);
}
