/**
 * Messages between the bench orchestrator (test/bench/run.ts) and its load workers
 * (child processes, so the load runs beside the server, not inside the orchestrator).
 */

/** One simulated person: a WebsocketProvider on one board. */
export interface ClientSpec {
  /** Global index, unique across workers. */
  idx: number;
  serverUrl: string;
  room: string;
  /** Personal token for the project server; absent for the reference (no auth). */
  token?: string;
  userId: string;
  name: string;
  /** How the client frames messages: y-websocket (default) or Hocuspocus' (hocuspocusSocket.ts). */
  protocol?: 'y-websocket' | 'hocuspocus';
}

/** Durability check: the worker kills the server right after one of its clients receives an update. */
export interface KillOnDelivery {
  pid: number;
  /** Arm the trigger this long after the burst starts. */
  afterMs: number;
}

export type ToWorker =
  | { t: 'connect'; clients: ClientSpec[]; batch: number }
  /** The client writes a board's starting content (items; `init` also writes meta). */
  | { t: 'seed'; idx: number; items: number; init: boolean; chunk: number }
  | { t: 'record'; on: boolean }
  | { t: 'rate'; idxs: number[]; opsPerSec: number; durationMs: number }
  | { t: 'burst'; idxs: number[]; ops: number; kill?: KillOnDelivery }
  /** A fresh client syncs from the server and reports its state vector (clientID → clock). */
  | { t: 'probe'; spec: ClientSpec }
  | { t: 'vectors' }
  | { t: 'digests' }
  | { t: 'collect' }
  | { t: 'disconnect' }
  /** `expectItems`: the join also waits until the doc holds that many items (contentTimes). */
  | { t: 'joins'; spec: ClientSpec; count: number; expectItems?: number }
  | { t: 'exit' };

/** Per receiving client: for each writer Yjs clientID, the (exclusive) end clocks seen and when. */
export type RecvLog = Record<string, { clocks: number[]; times: number[] }>;

export type FromWorker =
  | { t: 'ready' }
  | { t: 'connected'; clientIds: Record<number, number>; failed: number; ms: number }
  | { t: 'seeded' }
  | { t: 'ok' }
  | { t: 'ran'; ops: number; skipped: number; killedAt?: number }
  | { t: 'probed'; stateVector: Record<string, number> }
  | { t: 'vectors'; vectors: Record<number, string> }
  | { t: 'digests'; digests: Record<number, string> }
  | {
      t: 'collected';
      /** [writer clientID, end clock after the op, stamp (ms, shared clock)] */
      sends: [number, number, number][];
      recvs: Record<number, RecvLog>;
      deliveries: number;
      /** Close codes seen by providers (policy rejections, rate limits...). */
      closes: Record<string, number>;
    }
  | { t: 'joined'; times: number[]; openTimes: number[]; step2Times: number[]; contentTimes: number[] }
  | { t: 'error'; message: string };
