/**
 * Parts of the board a returning member does not see first (the planning view, the item
 * panel, the import and summary dialogs, the invite QR code) live in chunks of their own,
 * so the board's first screen parses only what it shows (issue 16). `lazyPart` declares
 * one; `<LazyPart>` shows a short, announced "Loading…" while its chunk arrives and, if the
 * chunk cannot be fetched (the server went away before it was ever loaded), says so instead
 * of taking the whole board down. `preloadLazyParts()` fetches every chunk once the board
 * is live and the page is idle, so opening any of them later is as quick as before the split
 * and works offline (the service worker keeps what was fetched).
 */
import { Component, type ComponentType, lazy, type ReactNode, Suspense } from 'react';

const loaders: Array<() => Promise<unknown>> = [];

/** A chunk that could not be fetched; other errors pass through LazyPart untouched. */
class ChunkLoadError extends Error {}

/** A component loaded on first render (or by preloadLazyParts); `load` is `() => import(…).then((m) => m.X)`. */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>) {
  let pending: Promise<{ default: ComponentType<P> }> | null = null;
  const get = () => {
    // A failed preload must not poison the first render: forget it, so rendering tries again.
    pending ??= load().then(
      (c) => ({ default: c }),
      (err: unknown) => {
        pending = null;
        throw new ChunkLoadError(String(err));
      },
    );
    return pending;
  };
  loaders.push(get);
  return lazy(get);
}

let preloading = false;

/** Once the board is live: fetch every lazy part when the page is next idle. */
export function preloadLazyParts(): void {
  if (preloading) return;
  preloading = true;
  const run = () => {
    for (const get of loaders) get().catch(() => {});
  };
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(run, { timeout: 2000 });
  else window.setTimeout(run, 500);
}

interface LazyPartProps {
  /** What is loading, for screen readers ("the planning view"). */
  what: string;
  /** Show the loading line visibly (a view) or only to screen readers (a dialog opening). */
  visible?: boolean;
  children: ReactNode;
}

export function LazyPart({ what, visible = true, children }: LazyPartProps) {
  const fallback = (
    <p className={visible ? 'muted' : 'visually-hidden'} role="status">
      Loading {what}…
    </p>
  );
  return (
    <LoadFailure what={what}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </LoadFailure>
  );
}

class LoadFailure extends Component<{ what: string; children: ReactNode }, { error: unknown }> {
  state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    // Not a missing chunk: a bug in the part itself goes on to whatever handled it before.
    if (!(error instanceof ChunkLoadError)) throw error;
    return (
      <p className="form-error" role="alert">
        Could not load {this.props.what}: the server is not reachable.{' '}
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </p>
    );
  }
}
