/**
 * Whether a client's document update may be applied, judged against the board as it is,
 * before anything touches the doc. The checks run in this order, cheapest and most
 * basic first: well formed, adds anything at all, no missing dependencies [SRV-12], not a
 * viewer, fits the board's size limit, passes the write gate, and writes only under the
 * sender's own Yjs clientIDs [AUTH-6].
 */
import type * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { canWriteDocument } from '../../shared/policy/can.ts';
import { CloseCode, ServerRule } from '../../shared/protocol.ts';
import type { Limits } from '../config.ts';
import type { AuthUser, UpdateGate } from '../extensions.ts';
import { storageFaultReason } from '../storage/faults.ts';
import { type ClientIdOwners, newStructClients } from './clientIds.ts';
import { addsNothing, decodeUpdateSafe, missingDependency } from './updates.ts';

export type Admission =
  /** Apply it. */
  | { kind: 'admit' }
  /** Changes nothing (a reconnecting client's resend): drop it silently. */
  | { kind: 'ignore' }
  /** Not a Yjs update: close the socket as a bad frame. */
  | { kind: 'malformed'; reason: string }
  /** Refused under `rule`: tell the sender (update-rejected) and close it. */
  | { kind: 'refuse'; rule: string; reason: string }
  /** Not judged on its merits (too large, storage trouble): close with `code`. */
  | { kind: 'close'; code: number; reason: string };

export interface AdmissionContext {
  doc: Y.Doc;
  limits: Limits;
  gate: UpdateGate | null;
  clientIds: ClientIdOwners;
  /** Bytes the board holds or will hold once staged updates are stored. */
  boardBytes: () => number;
  /** The user an awareness id is bound to, if any (AUTH-6 honours presence bindings). */
  awarenessUser: (clientId: number) => UserId | undefined;
  log: (message: string) => void;
}

export async function admitUpdate(ctx: AdmissionContext, user: AuthUser, update: Uint8Array): Promise<Admission> {
  const { doc } = ctx;
  const decoded = decodeUpdateSafe(update);
  if (!decoded) return { kind: 'malformed', reason: 'not a Yjs update' };
  // Resends (a reconnecting client's step 2) change nothing: ignore, don't judge them.
  if (addsNothing(doc, decoded)) return { kind: 'ignore' };
  // Structs Yjs would hold back as pending (unstored, unrelayed, uncounted) [SRV-12].
  const missing = missingDependency(doc, decoded);
  if (missing) {
    return { kind: 'refuse', rule: ServerRule.missingDependency, reason: `update depends on content the board lacks (${missing})` };
  }
  if (!canWriteDocument(user.role)) return { kind: 'refuse', rule: 'AUTH-3', reason: 'viewers cannot change the board' };
  if (ctx.boardBytes() + update.length > ctx.limits.maxBoardBytes) {
    return { kind: 'close', code: CloseCode.boardTooLarge, reason: `board would exceed ${ctx.limits.maxBoardBytes} bytes` };
  }
  if (ctx.gate) {
    let verdict: ReturnType<UpdateGate['check']>;
    try {
      verdict = ctx.gate.check({ doc, user, update, decoded });
    } catch (err) {
      ctx.log(`update gate threw: ${String(err)}`);
      verdict = { ok: false, rule: 'SRV-4', reason: 'update could not be checked' };
    }
    if (!verdict.ok) return { kind: 'refuse', rule: verdict.rule, reason: verdict.reason };
  }
  // [AUTH-6] New structs only under the sender's own clientIDs (deletions may name anyone's);
  // a never-seen clientID is claimed for them, one a socket showed in presence is its user's.
  let taken: number[];
  try {
    taken = await ctx.clientIds.foreign(user.userId, newStructClients(doc, decoded), ctx.awarenessUser);
  } catch (err) {
    ctx.log(`clientID claim failed: ${String(err)}`);
    // Not applied; the client resends it when it reconnects.
    return { kind: 'close', code: CloseCode.internalError, reason: storageFaultReason(err) };
  }
  if (taken.length > 0) {
    return { kind: 'refuse', rule: 'AUTH-6', reason: `update writes under client id ${taken[0]}, which belongs to someone else` };
  }
  return { kind: 'admit' };
}
