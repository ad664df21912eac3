/**
 * A socket as a room sees it (implemented by ws/connection.ts; tests fake it).
 */
import type { ControlMessage } from '../../shared/protocol.ts';
import type { AuthUser } from '../extensions.ts';

export interface RoomClient {
  readonly user: AuthUser;
  readonly isOpen: boolean;
  /** True once the server closed this socket (refusal, bad frame): ignore what it sent after. */
  readonly closedByServer: boolean;
  /** Sends an encoded y-websocket frame (shared/codec.ts). */
  send(frame: Uint8Array): void;
  /** Sends a control message, if this socket asked for them (CONTROL_PARAM); else nothing. */
  control(message: ControlMessage): void;
  /** Sends `control` (if given, and if the socket asked for control messages), then closes with `code`. */
  close(code: number, reason: string, control?: ControlMessage): void;
}
