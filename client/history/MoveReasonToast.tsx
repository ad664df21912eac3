/**
 * After I move a card (drag, keyboard or "move to top"), a toast says where it went and
 * offers a small "why?" field (HIS-3). Nothing takes the focus, so a fast drag is never
 * slowed; the toast disappears as usual unless the person clicks into the field. Enter
 * sends the reason to POST history/notes, which attaches it to my latest move.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { listItems } from '../../shared/schema/board.ts';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext } from '../hooks/useBoard.ts';
import { describeTransaction } from '../hooks/undoDescription.ts';
import { noteMyLatestMove } from './historyApi.ts';
import './history.css';

const NOTE_MAX = 140;

export function MoveReasonToasts() {
  const { doc, origin, me } = useBoardContext();
  const toasts = useToasts();
  useEffect(() => {
    const onTx = (tx: Y.Transaction) => {
      // Only my own moves made through the board (not undo, not remote, not other edits).
      if (!tx.local || tx.origin !== origin) return;
      const what = describeTransaction(doc, tx);
      if (!what?.text.startsWith('move of') || !what.itemId) return;
      const items = listItems(doc);
      const index = items.findIndex((i) => i.id === what.itemId);
      if (index < 0) return;
      const title = items[index]!.title || 'Untitled';
      toasts.show({
        message: `Moved “${title.length > 30 ? `${title.slice(0, 30)}…` : title}” to #${index + 1}`,
        durationMs: 6000,
        extra: (done) => <ReasonField boardId={me.boardId} token={me.token} done={done} />,
      });
    };
    doc.on('afterTransaction', onTx);
    return () => doc.off('afterTransaction', onTx);
  }, [doc, origin, me.boardId, me.token, toasts]);
  return null;
}

function ReasonField({ boardId, token, done }: { boardId: string; token: string; done: () => void }) {
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'sending' | 'failed'>('idle');
  const send = () => {
    const text = note.trim();
    if (!text || state === 'sending') return;
    setState('sending');
    noteMyLatestMove(boardId, token, text)
      .then(() => done())
      .catch(() => setState('failed'));
  };
  return (
    <input
      className={`his-reason${state === 'failed' ? ' is-failed' : ''}`}
      type="text"
      placeholder={state === 'failed' ? 'Not saved, retry' : 'why?'}
      aria-label="Why did you move it? (optional, Enter to save)"
      maxLength={NOTE_MAX}
      value={note}
      disabled={state === 'sending'}
      onChange={(e) => setNote(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          send();
        } else if (e.key === 'Escape') done();
      }}
      data-testid="move-reason"
    />
  );
}
