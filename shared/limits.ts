/**
 * Every limit the server enforces and the client respects, in one place.
 * The server may override some through its config (server/config.ts), never the shapes.
 */
export const LIMITS = {
  /** Largest WebSocket frame the server accepts (ws `maxPayload`). Larger → close 1009. */
  maxFrameBytes: 4 * 1024 * 1024,
  /** Largest encoded board state; an update that would grow a board past it is refused. */
  maxBoardBytes: 32 * 1024 * 1024,
  /** Concurrent sockets on one board. */
  maxConnectionsPerBoard: 250,
  /** Sustained messages per second per socket (token bucket) and the burst it allows. */
  messagesPerSecond: 60,
  messageBurst: 300,
  /** Largest JSON body the REST API reads. */
  maxJsonBodyBytes: 64 * 1024,
  /** Largest CSV import body. */
  maxImportBytes: 2 * 1024 * 1024,
  maxTitleLength: 500,
  maxBoardTitleLength: 120,
  maxDisplayNameLength: 40,
  maxLabelLength: 32,
  maxCommentLength: 10_000,
  maxDeckCards: 20,
  maxCardLength: 12,
  /** Rank keys longer than this trigger a re-spread of the whole backlog. */
  maxRankLength: 24,
} as const;
