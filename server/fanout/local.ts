/**
 * The single-instance fan-out: there are no other instances, so publishing goes nowhere
 * and subscribing only records that the board is open.
 */
import type { BoardId } from '../../shared/ids.ts';
import type { Fanout, FanoutHandler } from './types.ts';

export function createLocalFanout(): Fanout {
  return {
    publish(_boardId: BoardId, _kind, _payload) {},
    async subscribe(_boardId: BoardId, _handler: FanoutHandler) {
      return async () => {};
    },
    async close() {},
  };
}
