/** REST calls of the history feature (docs/protocol.md, "History"), with the personal token. */
import { type AsOfResponse, type DigestResponse, type HistoryEvent, type HistoryPage, historyPaths } from '../../shared/history.ts';

async function call<T>(path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`history: ${res.status}`);
  return (await res.json()) as T;
}

export const fetchHistory = (boardId: string, token: string, itemId: string | null, limit = 30) =>
  call<HistoryPage>(`${historyPaths.events(boardId)}?limit=${limit}${itemId ? `&item=${encodeURIComponent(itemId)}` : ''}`, token);
export const fetchDigest = (boardId: string, token: string) => call<DigestResponse>(historyPaths.digest(boardId), token);
export const markDigestSeen = (boardId: string, token: string, until: number) =>
  call<{ since: number }>(historyPaths.digestSeen(boardId), token, { until });
export const noteMyLatestMove = (boardId: string, token: string, note: string) =>
  call<{ event: HistoryEvent }>(historyPaths.notes(boardId), token, { note });
export const fetchAsOf = (boardId: string, token: string, at: number) => call<AsOfResponse>(`${historyPaths.asOf(boardId)}?at=${at}`, token);
