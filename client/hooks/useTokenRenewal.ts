/**
 * Keeps the personal token of an open board fresh [AUTH-9]: once it is past half its
 * lifetime (or has no `exp`, issued before tokens expired) it is swapped for a new one
 * through `POST /api/boards/:id/token`. Checked when the board opens, every few minutes,
 * and when the network returns. The open socket is not touched (the server checks tokens at
 * connect only); the new token is used from the next reconnect and REST call on.
 */
import { useEffect, useRef } from 'react';
import { ApiFailure, renewToken } from '../api.ts';
import { renewalDue, tokenExpired } from '../lib/personalToken.ts';

const CHECK_EVERY_MS = 10 * 60 * 1000;

export interface TokenRenewalCallbacks {
  /** A fresh token for the same person (store it). */
  onRenewed: (token: string) => void;
  /** The token is past its lifetime: the person has to join again. */
  onExpired: () => void;
}

export function useTokenRenewal(boardId: string, token: string | null, callbacks: TokenRenewalCallbacks): void {
  const latest = useRef(callbacks);
  latest.current = callbacks;
  useEffect(() => {
    if (!token) return;
    let stopped = false;
    let inFlight = false;
    const check = () => {
      if (stopped || inFlight) return;
      if (tokenExpired(token)) {
        latest.current.onExpired();
        return;
      }
      if (!renewalDue(token)) return;
      inFlight = true;
      renewToken(boardId, token)
        .then((res) => {
          if (!stopped) latest.current.onRenewed(res.token);
        })
        .catch((err: unknown) => {
          if (stopped) return;
          // Expired on the server's clock: join again. A network failure: try at the next check.
          // Any other refusal (revoked secret, deleted board) the socket explains; stop asking.
          if (err instanceof ApiFailure && err.code === 'token_expired') latest.current.onExpired();
          else if (err instanceof ApiFailure && err.status !== 0 && err.status < 500) stopped = true;
        })
        .finally(() => {
          inFlight = false;
        });
    };
    check();
    const timer = setInterval(check, CHECK_EVERY_MS);
    window.addEventListener('online', check);
    return () => {
      stopped = true;
      clearInterval(timer);
      window.removeEventListener('online', check);
    };
  }, [boardId, token]);
}
