/**
 * Follow mode for one person [REF-12, UX-1, UX-3]: wires the Follower rule (follow.ts) to
 * the page. "Busy" means focus in an editable field anywhere, or unsent drafts on the
 * item shown (client/hooks/drafts.ts): then a focus change is only offered. A page opened
 * on a shared `?item=` link stays there: the focus it finds on load is acknowledged, and
 * only the next change moves it. The choice to follow is remembered per board for this
 * tab (sessionStorage).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { openItemDetail, useOpenItemId } from '../board/itemLink.ts';
import type { DraftStore } from '../hooks/drafts.ts';
import { Follower } from './follow.ts';

const key = (boardId: string) => `refinement:follow:${boardId}`;

function isEditable(t: Element | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLTextAreaElement) return !t.readOnly;
  return t instanceof HTMLInputElement && !t.readOnly && !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(t.type);
}

export interface FollowState {
  following: boolean;
  setFollowing: (on: boolean) => void;
  /** The focus item this person was not moved to (they were typing or have unsent text). */
  held: ItemId | null;
  goThere: () => void;
}

export function useFollow(boardId: string, focusItemId: ItemId | null, synced: boolean, drafts: DraftStore): FollowState {
  const shown = useOpenItemId();
  const [following, setFollowingState] = useState(() => {
    try {
      return window.sessionStorage.getItem(key(boardId)) === '1';
    } catch {
      return false;
    }
  });
  const [held, setHeld] = useState<ItemId | null>(null);
  const follower = useRef<Follower | null>(null);
  const shownRef = useRef(shown);
  shownRef.current = shown;
  // Opened on a link: the focus read until the server sync is the one the link overrides.
  const linkWins = useRef(shown !== null);

  useEffect(() => {
    const f = new Follower({
      open: (id) => openItemDetail(id as ItemId),
      isBusy: () => isEditable(document.activeElement) || (shownRef.current !== null && drafts.hasDrafts(shownRef.current)),
      onChange: () => setHeld(f.held as ItemId | null),
    });
    follower.current = f;
    // Leaving a field or sending a draft may end being busy; check once the event settled.
    const retry = () => setTimeout(() => f.retry(), 0);
    document.addEventListener('focusout', retry, true);
    const unsubscribe = drafts.subscribe(retry);
    return () => {
      document.removeEventListener('focusout', retry, true);
      unsubscribe();
      follower.current = null;
    };
  }, [drafts]);

  useEffect(() => {
    follower.current?.setShown(shown);
  }, [shown]);

  useEffect(() => {
    const f = follower.current;
    if (!f) return;
    f.setShown(shownRef.current);
    f.setFollowing(following);
    if (linkWins.current) {
      f.acknowledge(focusItemId);
      if (synced) linkWins.current = false;
    } else {
      f.setFocus(focusItemId);
    }
    setHeld(f.held as ItemId | null);
  }, [following, focusItemId, synced]);

  const setFollowing = useCallback(
    (on: boolean) => {
      // Turning follow on is asking to be moved now.
      linkWins.current = false;
      setFollowingState(on);
      try {
        window.sessionStorage.setItem(key(boardId), on ? '1' : '0');
      } catch {
        // not remembered; still works for this page
      }
    },
    [boardId],
  );
  const goThere = useCallback(() => follower.current?.goThere(), []);

  return { following, setFollowing, held, goThere };
}
