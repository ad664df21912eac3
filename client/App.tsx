import { BoardRoute } from './board/BoardRoute.tsx';
import { HomePage } from './home/HomePage.tsx';
import { ErrorScreen } from './components/ErrorScreen.tsx';
import { matchRoute, useLocation } from './router.ts';

export function App() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'board':
      return <BoardRoute key={route.boardId} boardId={route.boardId} />;
    case 'not-found':
      return (
        <ErrorScreen title="Page not found" actionLabel="Create a board" actionHref="/">
          There is nothing at this address. Board links look like <code>/b/…</code>.
        </ErrorScreen>
      );
  }
}
