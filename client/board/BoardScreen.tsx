/**
 * A joined board: opens the connection, provides BoardContext, lays out header, slots,
 * add box, backlog and archive. Explains a refused connection instead of retrying forever.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { canEditItems, canWriteDocument, isFacilitator } from '../../shared/policy/can.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { ErrorScreen } from '../components/ErrorScreen.tsx';
import { preloadLazyParts } from '../components/LazyPart.tsx';
import { ToastProvider, useToasts } from '../components/Toasts.tsx';
import type { ConnectionState } from '../hooks/boardConnection.ts';
import { DraftStore, draftsStorageKey } from '../hooks/drafts.ts';
import { BoardContext, type BoardContextValue, useConnectionSnapshot, useInitialised, useMeta } from '../hooks/useBoard.ts';
import { useBoardConnection } from '../hooks/useBoardConnection.ts';
import { tokenExpired } from '../lib/personalToken.ts';
import { PlanningTabs } from '../planning/PlanningTabs.tsx';
import { type BoardSession, touchBoardSession } from '../storage.ts';
import { TransferLayer } from '../transfer/TransferLayer.tsx';
import { AddItemBox } from './AddItemBox.tsx';
import { ArchivedSection } from './ArchivedSection.tsx';
import { Backlog } from './Backlog.tsx';
import { BoardHeader } from './BoardHeader.tsx';
import { closeItemDetail, useOpenItemId } from './itemLink.ts';
import { KeyboardShortcuts } from './KeyboardShortcuts.tsx';
import { BacklogToolbarSlot, EstimationPanelSlot, HeaderActionsSlot, ItemDetailSlot, type ItemFilter, SessionBarSlot } from './slots.tsx';
import { useStickyHeight } from './useStickyHeight.ts';

interface BoardScreenProps {
  session: BoardSession;
  onLeave: () => void;
  /** The server refused our token as expired (4401) [AUTH-8]: back to the join screen. */
  onExpired: () => void;
}

export function BoardScreen({ session, onLeave, onExpired }: BoardScreenProps) {
  const open = useBoardConnection(session);
  if (!open) return <BoardSkeleton />;
  return (
    <ToastProvider>
      <ConnectedBoard open={open} session={session} onLeave={onLeave} onExpired={onExpired} />
    </ToastProvider>
  );
}

function closedExplanation(state: Extract<ConnectionState, { kind: 'closed' }>): { title: string; text: string } {
  switch (state.code) {
    case CloseCode.unauthorized:
      // MEM-4: the server's reason says so when the PO removed this person.
      if (/removed/i.test(state.reason)) {
        return { title: 'You were removed from this board', text: 'The Product Owner removed you from this board. Ask them for a new link if this is a mistake.' };
      }
      return { title: 'Your access has expired', text: 'The server no longer accepts your sign-in for this board. Open your join link again to rejoin.' };
    case CloseCode.forbiddenBoard:
      return { title: 'No access to this board', text: 'Your sign-in is for a different board. Open this board’s join link to join it.' };
    case CloseCode.boardNotFound:
      return { title: 'Board not found', text: 'This board does not exist any more, or the address is wrong.' };
    default:
      return { title: 'Disconnected', text: state.reason || `The server closed the connection (code ${state.code}).` };
  }
}

function ConnectedBoard({
  open,
  session,
  onLeave,
  onExpired,
}: { open: NonNullable<ReturnType<typeof useBoardConnection>> } & BoardScreenProps) {
  const { connection, store, presence } = open;
  const snap = useConnectionSnapshot(connection);
  // 4401 is final, so the connection has stopped; an expired token also means rejoining.
  const expiredClose =
    snap.state.kind === 'closed' &&
    snap.state.code === CloseCode.unauthorized &&
    (tokenExpired(session.token) || /expired/i.test(snap.state.reason));
  useEffect(() => {
    if (expiredClose) onExpired();
  }, [expiredClose, onExpired]);
  const meta = useMeta(store);
  const toasts = useToasts();
  const openItemId = useOpenItemId();
  const [filter, setFilterState] = useState<ItemFilter | null>(null);
  // A filter is a function: wrap it so React stores it instead of calling it as an updater.
  const setFilter = useCallback((f: ItemFilter | null) => setFilterState(() => f), []);

  // The server's welcome is the authority on who we are (role changes, renamed user).
  const welcome = snap.welcome;
  const drafts = useMemo(() => new DraftStore(draftsStorageKey(session.boardId, session.userId)), [session.boardId, session.userId]);
  const ctx = useMemo<BoardContextValue>(() => {
    const role = welcome?.role ?? session.role;
    return {
      connection,
      doc: connection.doc,
      origin: connection.origin,
      store,
      presence,
      me: { boardId: session.boardId, userId: welcome?.userId ?? session.userId, name: welcome?.name ?? session.name, role, token: session.token },
      canWrite: canEditItems(role),
      canContribute: canWriteDocument(role),
      facilitator: isFacilitator(role),
      drafts,
    };
  }, [connection, store, presence, session, welcome, drafts]);

  const topRef = useStickyHeight<HTMLDivElement>('--board-top-h');
  const initialised = useInitialised(store);
  useEffect(() => {
    document.title = `${meta.title} · Refinement board`;
    if (initialised) touchBoardSession(session.boardId, meta.title);
  }, [meta.title, initialised, session.boardId]);

  // The board is on screen: fetch the parts split out of the first chunk while idle (issue 16).
  useEffect(() => {
    if (snap.everSynced) preloadLazyParts();
  }, [snap.everSynced]);

  // A refused change replaced the whole connection (useBoardConnection): say so once.
  const shownResync = useRef(false);
  const { resyncedBecause } = open;
  useEffect(() => {
    if (!resyncedBecause || shownResync.current) return;
    shownResync.current = true;
    toasts.show({
      tone: 'warning',
      message: `Your last change was refused: ${resyncedBecause}. The board was reloaded from the server.`,
    });
  }, [resyncedBecause, toasts]);

  if (snap.state.kind === 'closed') {
    const { title, text } = closedExplanation(snap.state);
    return (
      <ErrorScreen title={title} actionLabel="Leave this board" onAction={onLeave}>
        {text}
      </ErrorScreen>
    );
  }

  return (
    <BoardContext.Provider value={ctx}>
      <div className="board-app">
        <a className="skip-link" href="#backlog-heading">
          Skip to the backlog
        </a>
        {/* Header and session toolbar stick together; their height is --board-top-h. */}
        <div className="board-top" ref={topRef}>
          <BoardHeader
            title={meta.title}
            actions={<HeaderActionsSlot />}
            state={snap.state}
            onRetry={connection.reconnectNow}
            onLeave={onLeave}
            unsaved={snap.unsaved}
          />
          <SessionBarSlot />
        </div>
        <PlanningTabs>
        <div className={`board-main ${openItemId ? 'has-detail' : ''}`}>
          {/* The view area: the backlog; other views (e.g. planning) mount beside it here. */}
          <main className="backlog-column" aria-labelledby="backlog-heading">
            {/* The Backlog tab already names this view on screen: the heading is for screen
                readers and the skip link only, so it does not say "Backlog" twice. */}
            <div className={`backlog-heading-row ${ctx.canWrite ? 'backlog-heading-row-empty' : ''}`}>
              <h2 id="backlog-heading" className="visually-hidden" tabIndex={-1}>
                Backlog
              </h2>
              {!ctx.canWrite && (
                <span
                  className="badge badge-view-only"
                  title={ctx.canContribute ? 'Stakeholders comment and ask questions; the team orders and edits items' : 'Viewers can follow along but not change anything'}
                >
                  {ctx.canContribute ? 'Comment and ask' : 'View only'}
                </span>
              )}
            </div>
            {ctx.canWrite && <AddItemBox disabled={!snap.everSynced} />}
            <BacklogToolbarSlot setFilter={setFilter} />
            {snap.everSynced ? <Backlog filter={filter} /> : <ListSkeleton />}
            {snap.everSynced && <ArchivedSection />}
          </main>
          {/* Side column on wide screens: the estimation dock, then the item's details. */}
          <div className="board-side">
            <EstimationPanelSlot detailOpen={openItemId !== null} />
            <ItemDetailSlot itemId={openItemId} onClose={closeItemDetail} />
          </div>
        </div>
        </PlanningTabs>
        <KeyboardShortcuts />
        <TransferLayer />
      </div>
    </BoardContext.Provider>
  );
}

function ListSkeleton() {
  return (
    <ul className="skeleton-list" aria-busy="true" aria-label="Loading the backlog">
      {[0, 1, 2, 3].map((i) => (
        <li key={i} className="skeleton-card" />
      ))}
    </ul>
  );
}

function BoardSkeleton() {
  return (
    <div className="board-app">
      <header className="board-header">
        <div className="board-header-inner">
          <span className="brand-mark" aria-hidden="true" />
          <span className="skeleton-text" />
        </div>
      </header>
      <div className="board-main">
        <main className="backlog-column">
          <ListSkeleton />
        </main>
      </div>
    </div>
  );
}
