/**
 * Boards: create (with one join link per role), join (link token + name → personal
 * token), renew a personal token, info. Shapes in shared/api.ts; documented in
 * docs/protocol.md.
 */
import type { IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import type {
  BoardInfoResponse,
  CreateBoardResponse,
  JoinLink,
  JoinResponse,
  RenewTokenResponse,
} from '../../shared/api.ts';
import { joinPagePath, routePatterns } from '../../shared/api.ts';
import { newBoardId, newUserId } from '../../shared/ids.ts';
import { ROLES } from '../../shared/roles.ts';
import { initBoard, readMeta } from '../../shared/schema/board.ts';
import type { ServerConfig } from '../config.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { AuthUser } from '../extensions.ts';
import { HttpError } from '../http/errors.ts';
import { SERVER_OWNER } from '../rooms/clientIds.ts';
import type { Route } from '../http/router.ts';
import { assertLinkUsable } from './linkCheck.ts';
import { recordMember } from './members.ts';
import { boardIdParam, boardNotFound } from './boardAccess.ts';

// Control characters would break the UI and logs; names and titles are single lines.
const hasControlChars = (text: string): boolean =>
  [...text].some((ch) => {
    const code = ch.codePointAt(0)!;
    return code < 0x20 || code === 0x7f;
  });

export function cleanText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string') throw new HttpError(400, 'invalid_field', `"${field}" must be a string`);
  const text = value.trim();
  if (text.length === 0) throw new HttpError(400, 'invalid_field', `"${field}" must not be empty`);
  if (text.length > maxLength) {
    throw new HttpError(400, 'invalid_field', `"${field}" is longer than ${maxLength} characters`);
  }
  if (hasControlChars(text)) throw new HttpError(400, 'invalid_field', `"${field}" contains control characters`);
  return text;
}

/** Origin for absolute links: PUBLIC_URL, else the request's own Host. */
export function publicOrigin(req: IncomingMessage, config: ServerConfig): string {
  if (config.publicUrl) return config.publicUrl;
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  const host = req.headers.host && /^[\w.:[\]-]+$/.test(req.headers.host) ? req.headers.host : `localhost:${config.port}`;
  return `${proto}://${host}`;
}

/** What a person gets for joining or renewing: a fresh personal token and who it names. */
async function personalToken(tokens: TokenService, user: AuthUser): Promise<JoinResponse> {
  const issued = await tokens.issueUser(user);
  return { boardId: user.boardId, userId: user.userId, role: user.role, name: user.name, token: issued.token, expiresAt: issued.expiresAt };
}

export const boardRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: routePatterns.boards,
    async handler({ req, json, services }) {
      const body = await json();
      const title = cleanText(body.title, 'title', services.config.limits.maxBoardTitleLength);
      const boardId = newBoardId();
      const createdAt = Date.now();
      // The server writes a new board's default content exactly once [SRV-3].
      const doc = new Y.Doc();
      initBoard(doc, { title, createdAt });
      const initial = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      await services.storage.createBoard({ id: boardId, title, createdAt }, initial);
      // Its clientID is the server's, like a room's own [AUTH-6].
      await services.storage.claimClientIds(boardId, SERVER_OWNER, [doc.clientID]);
      const origin = publicOrigin(req, services.config);
      const links: JoinLink[] = await Promise.all(
        ROLES.map(async (role) => {
          const token = await services.tokens.signLink(boardId, role);
          return { role, token, url: `${origin}${joinPagePath(boardId)}#t=${token}` };
        }),
      );
      const response: CreateBoardResponse = { boardId, title, links };
      return { status: 201, body: response };
    },
  },
  {
    method: 'POST',
    path: routePatterns.join,
    async handler({ params, json, claims, services }) {
      const boardId = boardIdParam(params.id);
      const token = await claims();
      if (token.kind !== 'link') throw new HttpError(401, 'link_token_required', 'Join with a board link token');
      if (token.board !== boardId) throw new HttpError(403, 'wrong_board', 'This link is for another board');
      await assertLinkUsable(services, token);
      const body = await json();
      const name = cleanText(body.name, 'name', services.config.limits.maxDisplayNameLength);
      if (!(await services.storage.getBoard(boardId))) throw boardNotFound();
      const user: AuthUser = { boardId, userId: newUserId(), role: token.role, name };
      await recordMember(services.storage, user);
      return { status: 200, body: await personalToken(services.tokens, user) };
    },
  },
  {
    // Renewal [AUTH-9]: a still-valid personal token buys a fresh one for the same person.
    // An expired one gets 401 token_expired from claims(); the person joins again.
    method: 'POST',
    path: routePatterns.renewToken,
    async handler({ params, user, services }) {
      const boardId = boardIdParam(params.id);
      const me = await user(boardId);
      if (!(await services.storage.getBoard(boardId))) throw boardNotFound();
      await recordMember(services.storage, me);
      const response: RenewTokenResponse = await personalToken(services.tokens, me);
      return { status: 200, body: response };
    },
  },
  {
    method: 'GET',
    path: routePatterns.board,
    async handler({ params, claims, services }) {
      const boardId = boardIdParam(params.id);
      const token = await claims();
      if (token.board !== boardId) throw new HttpError(403, 'wrong_board', 'This token is for another board');
      if (token.kind === 'link') await assertLinkUsable(services, token);
      else if (await services.storage.memberRemoved(boardId, token.userId)) {
        throw new HttpError(401, 'member_removed', 'You were removed from this board');
      }
      const record = await services.storage.getBoard(boardId);
      if (!record) throw boardNotFound();
      // The title may have been renamed in the document since creation.
      const title = await services.withBoard(boardId, (board) => readMeta(board.doc).title);
      const response: BoardInfoResponse = { boardId, title, role: token.role };
      return { status: 200, body: response };
    },
  },
];
