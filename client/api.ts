/**
 * Every REST call the client makes, through one `request()` (shapes and routes from
 * shared/api.ts; endpoints in docs/protocol.md).
 */
import type { ApiError, CreateBoardResponse, JoinResponse, RenewTokenResponse } from '../shared/api.ts';
import { apiPaths } from '../shared/api.ts';
import type { MembersResponse } from '../shared/members.ts';
import type { Confidence } from '../shared/schema/asyncRound.ts';

/** A failed API call: `status` is the HTTP status (0 when the network failed). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiFailure(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = (body ?? {}) as Partial<ApiError>;
    throw new ApiFailure(res.status, err.code ?? `http_${res.status}`, err.error ?? `The server answered ${res.status}.`);
  }
  return body as T;
}

export const createBoard = (title: string): Promise<CreateBoardResponse> =>
  request(apiPaths.boards(), { method: 'POST', body: JSON.stringify({ title }) });

export const joinBoard = (boardId: string, linkToken: string, name: string): Promise<JoinResponse> =>
  request(apiPaths.join(boardId), { method: 'POST', body: JSON.stringify({ name }), token: linkToken });

/** A fresh personal token for the same person, while `personalToken` is still valid [AUTH-9]. */
export const renewToken = (boardId: string, personalToken: string): Promise<RenewTokenResponse> =>
  request(apiPaths.renewToken(boardId), { method: 'POST', token: personalToken });

export interface PokerApi {
  start(itemId: string, deck?: string | readonly string[]): Promise<{ round: number }>;
  vote(round: number, value: string): Promise<{ round: number; value: string }>;
  myVote(): Promise<{ round: number; value: string | null; voting: boolean }>;
  reveal(round: number): Promise<unknown>;
  /** [UX-4] Drops the open round unrevealed (facilitators). */
  cancel(round: number): Promise<unknown>;
  agree(itemId: string, value: string | null): Promise<unknown>;
  participation(voting: boolean): Promise<unknown>;
  options(autoReveal: boolean): Promise<unknown>;
  setDeck(cards: readonly string[]): Promise<unknown>;
}

/**
 * Planning poker [EST-1]: a vote travels only here, never through the document or
 * awareness, so nobody else's client ever receives it.
 */
export function pokerApi(boardId: string, token: string): PokerApi {
  const json = (method: 'POST' | 'PUT', body: unknown) => ({ method, token, body: JSON.stringify(body) });
  return {
    start: (itemId, deck) => request(apiPaths.estimationStart(boardId), json('POST', { itemId, ...(deck !== undefined && { deck }) })),
    vote: (round, value) => request(apiPaths.estimationVote(boardId), json('POST', { round, value })),
    myVote: () => request(apiPaths.estimationVote(boardId), { method: 'GET', token }),
    reveal: (round) => request(apiPaths.estimationReveal(boardId), json('POST', { round })),
    cancel: (round) => request(apiPaths.estimationCancel(boardId), json('POST', { round })),
    agree: (itemId, value) => request(apiPaths.estimationAgree(boardId), json('POST', { itemId, value })),
    participation: (voting) => request(apiPaths.estimationParticipation(boardId), json('POST', { voting })),
    options: (autoReveal) => request(apiPaths.estimationOptions(boardId), json('PUT', { autoReveal })),
    setDeck: (cards) => request(apiPaths.deck(boardId), json('PUT', { cards })),
  };
}

/** One of your own async votes, as the server returns it (GET …/estimation/async/vote). */
export interface MyAsyncVote {
  round: number;
  itemId: string;
  value: string;
  comment: string;
  confidence: Confidence | null;
}

export interface AsyncPokerApi {
  start(itemId: string, deadline: number, voters: readonly string[]): Promise<{ round: number }>;
  vote(round: number, value: string, comment: string, confidence: Confidence | null): Promise<MyAsyncVote>;
  myVotes(): Promise<{ votes: MyAsyncVote[] }>;
  reveal(round: number): Promise<unknown>;
}

/** Async planning poker [EST-12…17]: like live votes, a vote and its note travel only here. */
export function asyncPokerApi(boardId: string, token: string): AsyncPokerApi {
  const post = (body: unknown) => ({ method: 'POST', token, body: JSON.stringify(body) });
  return {
    start: (itemId, deadline, voters) => request(apiPaths.asyncEstimationStart(boardId), post({ itemId, deadline, voters })),
    vote: (round, value, comment, confidence) => request(apiPaths.asyncEstimationVote(boardId), post({ round, value, comment, confidence })),
    myVotes: () => request(apiPaths.asyncEstimationVote(boardId), { method: 'GET', token }),
    reveal: (round) => request(apiPaths.asyncEstimationReveal(boardId), post({ round })),
  };
}

/** The people who joined the board [MEM-2], by name. */
export function fetchMembers(boardId: string, token: string): Promise<MembersResponse> {
  return request<MembersResponse>(apiPaths.members(boardId), { token });
}
