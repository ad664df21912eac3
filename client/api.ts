/** REST calls the client makes (shapes and routes from shared/api.ts). */
import type { ApiError, CreateBoardResponse, JoinResponse, RenewTokenResponse } from '../shared/api.ts';
import { apiRoutes } from '../shared/api.ts';

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

async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
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
  request(apiRoutes.boards(), { method: 'POST', body: JSON.stringify({ title }) });

export const joinBoard = (boardId: string, linkToken: string, name: string): Promise<JoinResponse> =>
  request(apiRoutes.join(boardId), { method: 'POST', body: JSON.stringify({ name }), token: linkToken });

/** A fresh personal token for the same person, while `personalToken` is still valid [AUTH-9]. */
export const renewToken = (boardId: string, personalToken: string): Promise<RenewTokenResponse> =>
  request(apiRoutes.renewToken(boardId), { method: 'POST', token: personalToken });
