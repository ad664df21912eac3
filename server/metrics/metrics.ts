/**
 * The server's Prometheus metrics [OBS-1]. One registry per server instance (tests run many
 * servers in one process; prom-client's global registry would collide), and one per
 * process for what belongs to the process (memory, event-loop lag, GC), created on first
 * scrape because its perf hooks cannot be released again.
 *
 * Hot paths only call `inc()`/`observe()` on handles made once here.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const PREFIX = 'board_';
/** Seconds, 0.5 ms … 10 s: local relays sit in the first buckets, storage stalls in the last. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export interface ServerGauges {
  socketsOpen(): number;
  boardsLoaded(): number;
  /** Bytes queued in sockets and not yet sent (slow consumers show here first). */
  socketBufferedBytes(): number;
  /** Whether shutdown has begun (1) or not (0). */
  draining(): boolean;
}

/** A count bumped on the hot path with a plain increment; prom-client hears of it at scrape time. */
export class HotCount {
  value = 0;
  inc(): void {
    this.value++;
  }
}

/** A histogram handle made once (prom-client's unlabelled observe builds a closure per call). */
export interface Observer {
  observe(value: number): void;
}

export class ServerMetrics {
  readonly registry = new Registry();
  /** Per update: a plain increment. */
  readonly updatesAccepted = new HotCount();
  readonly updatesRefused: Counter<'rule'>;
  /** Per update: a stored update, from its acceptance to the last of the room's sockets written. */
  readonly fanoutLatency: Observer;
  readonly storageAppend: Observer;
  readonly groupCommitBatch: Observer;
  readonly compaction: Histogram;
  readonly redisPublish: Histogram;
  /** Publish → this instance's subscriber receiving its own message back through Redis. */
  readonly redisReceiveLag: Histogram;
  readonly redisReconnects: Counter<'connection'>;
  readonly redisErrors: Counter;
  readonly storageFaults: Counter;
  readonly slowConsumersClosed: Counter<'reason'>;
  readonly addressLimited: Counter<'limit'>;
  private gauges: ServerGauges | null = null;

  constructor() {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: (g: ServerGauges) => number) => {
      const value = () => (this.gauges ? read(this.gauges) : 0);
      new Gauge({
        name: PREFIX + name,
        help,
        registers,
        collect() {
          this.set(value());
        },
      });
    };
    gauge('sockets_open', 'Open WebSocket connections', (g) => g.socketsOpen());
    gauge('boards_loaded', 'Boards loaded in memory', (g) => g.boardsLoaded());
    gauge('socket_buffered_bytes', 'Bytes queued in sockets, not yet sent', (g) => g.socketBufferedBytes());
    gauge('draining', '1 once shutdown began (/readyz answers 503)', (g) => (g.draining() ? 1 : 0));
    const accepted = this.updatesAccepted;
    let acceptedReported = 0;
    new Counter({
      name: `${PREFIX}updates_accepted_total`,
      help: 'Client updates applied and staged for storage',
      registers,
      collect() {
        const delta = accepted.value - acceptedReported;
        acceptedReported = accepted.value;
        if (delta > 0) this.inc(delta);
      },
    });
    this.updatesRefused = new Counter({
      name: `${PREFIX}updates_refused_total`,
      help: 'Client updates refused, by SPEC rule id',
      labelNames: ['rule'],
      registers,
    });
    this.fanoutLatency = new Histogram({
      name: `${PREFIX}fanout_latency_seconds`,
      help: 'From an update accepted to the last socket of its room written (includes the storage append)',
      buckets: LATENCY_BUCKETS,
      registers,
    }).labels();
    this.storageAppend = new Histogram({
      name: `${PREFIX}storage_append_seconds`,
      help: 'Storage append of one group commit',
      buckets: LATENCY_BUCKETS,
      registers,
    }).labels();
    this.groupCommitBatch = new Histogram({
      name: `${PREFIX}group_commit_batch_size`,
      help: 'Updates appended per group commit',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers,
    }).labels();
    this.compaction = new Histogram({
      name: `${PREFIX}compaction_seconds`,
      help: 'Duration of one compaction (fold of the update log into the snapshot)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.redisPublish = new Histogram({
      name: `${PREFIX}redis_publish_seconds`,
      help: 'Redis PUBLISH round trip (call to acknowledgement)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.redisReceiveLag = new Histogram({
      name: `${PREFIX}redis_receive_lag_seconds`,
      help: "Publish to this instance's subscriber receiving its own message back (what other instances see)",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.redisReconnects = new Counter({
      name: `${PREFIX}redis_reconnects_total`,
      help: 'Redis connections re-established, by connection (pub, sub)',
      labelNames: ['connection'],
      registers,
    });
    this.redisErrors = new Counter({ name: `${PREFIX}redis_errors_total`, help: 'Redis connection and publish errors', registers });
    this.storageFaults = new Counter({ name: `${PREFIX}storage_faults_total`, help: 'Storage writes or loads that failed', registers });
    this.slowConsumersClosed = new Counter({
      name: `${PREFIX}slow_consumers_closed_total`,
      help: 'Sockets closed with 4008 for not reading, by reason (ceiling, stalled)',
      labelNames: ['reason'],
      registers,
    });
    this.addressLimited = new Counter({
      name: `${PREFIX}address_limited_total`,
      help: 'Requests and upgrades refused with 429 by a per-address limit',
      labelNames: ['limit'],
      registers,
    });
  }

  /** Where the gauges read from (set once the server runs). */
  attach(gauges: ServerGauges): void {
    this.gauges = gauges;
  }

  /** The text exposition: this server's metrics, then the process's. */
  async exposition(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processRegistry().metrics()]);
    return `${own}\n${proc}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

let processMetrics: Registry | null = null;

function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** Seconds since `start` (a performance.now() reading). */
export const secondsSince = (start: number): number => (performance.now() - start) / 1000;
