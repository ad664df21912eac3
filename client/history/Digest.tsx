/**
 * "Since your last visit" (HIS-5): shown first, above the board, when someone comes back
 * and others changed things meanwhile. "Got it" marks it seen; the next digest starts there.
 */
import { useEffect, useState } from 'react';
import type { DigestEntry, DigestResponse } from '../../shared/history.ts';
import { openItemDetail } from '../board/itemLink.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { ago } from './describe.ts';
import { fetchDigest, markDigestSeen } from './historyApi.ts';
import { AsOf } from './AsOf.tsx';
import { ActivityFeed } from './ItemHistory.tsx';
import './history.css';

function changes(e: DigestEntry): string[] {
  const out: string[] = [];
  if (e.isNew) out.push('new');
  if (e.movedBy > 0) out.push(`moved up ${e.movedBy}`);
  if (e.movedBy < 0) out.push(`moved down ${-e.movedBy}`);
  if (e.estimate) out.push(`estimate ${e.estimate.from ?? 'none'} → ${e.estimate.to ?? 'none'}`);
  if (e.madeReady) out.push('made ready');
  if (e.archived) out.push('archived');
  if (e.newComments) out.push(`${e.newComments} new comment${e.newComments > 1 ? 's' : ''}`);
  if (e.answeredQuestions) out.push(`${e.answeredQuestions} question${e.answeredQuestions > 1 ? 's' : ''} answered`);
  return out;
}

export function Digest() {
  const { me } = useBoardContext();
  const [digest, setDigest] = useState<DigestResponse | null>(null);
  // The last visit's start stays a preset of "As of" after the digest is dismissed.
  const [lastSessionStart, setLastSessionStart] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    fetchDigest(me.boardId, me.token)
      .then((d) => {
        if (!live) return;
        setDigest(d);
        setLastSessionStart(d.since);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [me.boardId, me.token]);
  const dismiss = () => {
    if (!digest) return;
    void markDigestSeen(me.boardId, me.token, digest.until).catch(() => {});
    setDigest(null);
  };
  return (
    <div className="his-top">
      {digest && digest.since !== null && digest.entries.length > 0 && (
        <section className="his-digest" aria-labelledby="his-digest-title" data-testid="digest">
          <h2 id="his-digest-title">Since your last visit ({ago(digest.since)})</h2>
          <ul>
            {digest.entries.map((e) => (
              <li key={e.itemId} data-testid="digest-entry">
                <button type="button" className="his-item" onClick={() => openItemDetail(e.itemId as never)}>
                  {e.title || 'Untitled'}
                </button>
                : {changes(e).join(', ')}
              </li>
            ))}
          </ul>
          <button type="button" className="btn" onClick={dismiss} data-testid="digest-dismiss">
            Got it
          </button>
        </section>
      )}
      <ActivityFeed />
      <AsOf lastSessionStart={lastSessionStart} />
    </div>
  );
}
