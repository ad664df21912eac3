/**
 * Follow mode for one person [REF-12]: wires the Follower rule (follow.ts) to the page.
 * Typing anywhere editable counts as "busy" (so a follower writing a comment on another
 * item is not pulled away); leaving the field or `TYPING_QUIET_MS` of quiet lets the move happen.
 * The choice is remembered per board for this tab (sessionStorage).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { openItemDetail, useOpenItemId } from '../board/itemLink.ts';
import { Follower } from './follow.ts';

const key = (boardId: string) => `refinement:follow:${boardId}`;

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLTextAreaElement) return true;
  return t instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(t.type);
}

export interface FollowState {
  following: boolean;
  setFollowing: (on: boolean) => void;
  /** A focus change is waiting for this person to stop typing. */
  waiting: boolean;
}

export function useFollow(boardId: string, focusItemId: ItemId | null): FollowState {
  const shown = useOpenItemId();
  const [following, setFollowingState] = useState(() => {
    try {
      return window.sessionStorage.getItem(key(boardId)) === '1';
    } catch {
      return false;
    }
  });
  const [waiting, setWaiting] = useState(false);
  const follower = useRef<Follower | null>(null);

  useEffect(() => {
    const f = new Follower({ open: (id) => id && openItemDetail(id as ItemId) });
    follower.current = f;
    const refreshWaiting = () => setWaiting(f.isWaiting);
    const onInput = (e: Event) => {
      if (!isEditable(e.target)) return;
      f.keystroke();
      refreshWaiting();
    };
    const onBlur = (e: FocusEvent) => {
      if (!isEditable(e.target)) return;
      f.blur();
      refreshWaiting();
    };
    document.addEventListener('input', onInput, true);
    document.addEventListener('keydown', onInput, true);
    document.addEventListener('focusout', onBlur, true);
    const poll = setInterval(refreshWaiting, 500);
    return () => {
      document.removeEventListener('input', onInput, true);
      document.removeEventListener('keydown', onInput, true);
      document.removeEventListener('focusout', onBlur, true);
      clearInterval(poll);
      f.destroy();
      follower.current = null;
    };
  }, []);

  const shownRef = useRef(shown);
  shownRef.current = shown;
  useEffect(() => {
    follower.current?.setShown(shown);
  }, [shown]);

  // Read `shown` through a ref: opening another item by hand does not snap back to the
  // focus; the next focus change (or turning follow on) moves the panel again.
  useEffect(() => {
    const f = follower.current;
    if (!f) return;
    f.setShown(shownRef.current);
    f.setFollowing(following);
    f.setFocus(focusItemId);
    setWaiting(f.isWaiting);
  }, [following, focusItemId]);

  const setFollowing = useCallback(
    (on: boolean) => {
      setFollowingState(on);
      try {
        window.sessionStorage.setItem(key(boardId), on ? '1' : '0');
      } catch {
        // not remembered; still works for this page
      }
    },
    [boardId],
  );

  return { following, setFollowing, waiting };
}
