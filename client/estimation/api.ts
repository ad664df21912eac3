/**
 * Planning-poker REST calls (docs/protocol.md, "Estimation"). A vote travels only here,
 * never through the document or awareness, so nobody else's client ever receives it.
 */
import { ApiFailure } from '../api.ts';

async function call<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, 'network', 'Could not reach the server.');
  }
  const parsed = (await res.json().catch(() => null)) as (T & { error?: string; code?: string }) | null;
  if (!res.ok) throw new ApiFailure(res.status, parsed?.code ?? `http_${res.status}`, parsed?.error ?? `The server answered ${res.status}.`);
  return parsed as T;
}

const base = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`;

export interface PokerApi {
  start(itemId: string, deck?: string | readonly string[]): Promise<{ round: number }>;
  vote(round: number, value: string): Promise<{ round: number; value: string }>;
  myVote(): Promise<{ round: number; value: string | null; voting: boolean }>;
  reveal(round: number): Promise<unknown>;
  agree(itemId: string, value: string | null): Promise<unknown>;
  participation(voting: boolean): Promise<unknown>;
  options(autoReveal: boolean): Promise<unknown>;
  setDeck(cards: readonly string[]): Promise<unknown>;
}

export function pokerApi(boardId: string, token: string): PokerApi {
  const b = base(boardId);
  return {
    start: (itemId, deck) => call(token, 'POST', `${b}/estimation/start`, { itemId, ...(deck !== undefined && { deck }) }),
    vote: (round, value) => call(token, 'POST', `${b}/estimation/vote`, { round, value }),
    myVote: () => call(token, 'GET', `${b}/estimation/vote`),
    reveal: (round) => call(token, 'POST', `${b}/estimation/reveal`, { round }),
    agree: (itemId, value) => call(token, 'POST', `${b}/estimation/agree`, { itemId, value }),
    participation: (voting) => call(token, 'POST', `${b}/estimation/participation`, { voting }),
    options: (autoReveal) => call(token, 'PUT', `${b}/estimation/options`, { autoReveal }),
    setDeck: (cards) => call(token, 'PUT', `${b}/deck`, { cards }),
  };
}
