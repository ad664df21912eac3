import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../hooks/boardConnection.ts';
import { ConnectionBadge } from './BoardHeader.tsx';

// Server rendering (no DOM here): navigator.onLine has no server snapshot.
vi.mock('../hooks/useOnline.ts', () => ({ useOnline: () => true }));

const render = (state: ConnectionState, unsaved?: boolean) =>
  renderToStaticMarkup(<ConnectionBadge state={state} onRetry={() => {}} unsaved={unsaved} />);
const reason = 'storage full: changes not saved; resent on reconnect';

describe('ConnectionBadge', () => {
  it('[FLT-3] says "Not saved", with the server\'s reason, after storage refused our edits', () => {
    const html = render({ kind: 'reconnecting', attempt: 1, retryAt: null, reason }, true);
    expect(html).toContain('data-connection="not-saved"');
    expect(html).toContain('>Not saved<');
    expect(html).toContain('The server could not save your latest changes (storage full');
  });

  it('[FLT-3] says "Saving…" once reconnected, until the server acknowledges the edit', () => {
    const html = render({ kind: 'live' }, true);
    expect(html).toContain('data-connection="saving"');
    expect(html).toContain('Saving…');
  });

  it('is Live when nothing waits, and Reconnecting after an ordinary drop', () => {
    expect(render({ kind: 'live' })).toContain('data-connection="live"');
    expect(render({ kind: 'reconnecting', attempt: 1, retryAt: null })).toContain('data-connection="reconnecting"');
  });
});
