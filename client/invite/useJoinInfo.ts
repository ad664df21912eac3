/**
 * The join screen's look at the board before joining: its title, or why the link no
 * longer works (revoked, replaced or expired: INV-4, INV-5), asked with the link token.
 */
import { useEffect, useState } from 'react';
import type { BoardInfoResponse } from '../../shared/api.ts';
import { apiPaths } from '../../shared/api.ts';
import { LINK_REFUSAL_CODES } from '../../shared/invites.ts';
import { ApiFailure, request } from '../api.ts';

export interface JoinInfo {
  title: string | null;
  /** Set when the link cannot join at all; the text says what to do. */
  failure: { text: string; fatal: true } | null;
}

/** What to tell a person whose link the server refused as revoked or expired; null otherwise. */
export function linkRefusalText(err: unknown): string | null {
  if (!(err instanceof ApiFailure) || err.status !== 401) return null;
  if (err.code === LINK_REFUSAL_CODES.revoked) {
    return 'This join link was replaced or revoked by the board’s Product Owner. Ask them for the new link.';
  }
  if (err.code === LINK_REFUSAL_CODES.expired) return 'This join link has expired. Ask the board’s Product Owner for a new one.';
  return null;
}

export function useJoinInfo(boardId: string, linkToken: string): JoinInfo {
  const [info, setInfo] = useState<JoinInfo>({ title: null, failure: null });
  useEffect(() => {
    let live = true;
    request<BoardInfoResponse>(apiPaths.board(boardId), { method: 'GET', token: linkToken }).then(
      (r) => live && setInfo({ title: r.title, failure: null }),
      (err: unknown) => {
        const text = linkRefusalText(err);
        // Other failures (offline, a bad link) surface when the person submits the form.
        if (live && text) setInfo({ title: null, failure: { text, fatal: true } });
      },
    );
    return () => {
      live = false;
    };
  }, [boardId, linkToken]);
  return info;
}
