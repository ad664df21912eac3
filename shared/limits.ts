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
  /**
   * Largest import body (POST /api/boards/:id/import): a 10,000-row Jira export with
   * descriptions is 3–6 MB. Larger → 413 [XFER-5].
   */
  maxImportBytes: 8 * 1024 * 1024,
  /** Rows (items) one import may write. */
  maxImportRows: 10_000,
  /** An item's key in the system it was imported from (Jira key, Trello card id) [POL-20]. */
  maxExternalKeyLength: 64,
  maxTitleLength: 500,
  maxBoardTitleLength: 120,
  maxDisplayNameLength: 40,
  maxLabelLength: 32,
  maxCommentLength: 10_000,
  /** Item description (Y.Text), in UTF-16 code units as Yjs counts them. */
  maxDescriptionLength: 20_000,
  /** Per item: questions, comments, acceptance criteria and labels (the gate counts live entries). */
  maxQuestionsPerItem: 200,
  maxCommentsPerItem: 1_000,
  maxCriteriaPerItem: 100,
  maxLabelsPerItem: 30,
  /** Hard cap on a stored rank key (re-spreads keep real keys near maxRankLength). */
  maxRankKeyLength: 200,
  /** Any other plain string field of the schema (names, ids, phase, status, …). */
  maxFieldLength: 200,
  maxDeckCards: 20,
  /** Async poker (EST-12…17): a vote's optional comment, in code points, shown at reveal. */
  maxVoteCommentLength: 280,
  /** Async poker: the latest deadline a round may have, from its start (14 days). */
  maxAsyncRoundMs: 14 * 24 * 3600 * 1000,
  /** Async poker: people invited to one round. */
  maxAsyncVoters: 100,
  /** Async poker: rounds open at once on one board (one per item). */
  maxOpenAsyncRounds: 50,
  maxCardLength: 12,
  /** The agreed estimate: a card, or short free text ("2 days"), in code points. */
  maxEstimateLength: 24,
  /**
   * How far concurrent edits may carry a text, list or map past its limit. Each person's
   * update stays within the limit, but two people replacing one title at once leave both
   * texts (a CRDT merge): refusing the second would cost them their unsent work. Past this
   * multiple the server refuses whatever grows it [POL-17].
   */
  concurrentSlack: 4,
  /** Rank keys longer than this trigger a re-spread of the whole backlog. */
  maxRankLength: 24,
  /**
   * Sockets one person (one personal token's userId) may hold on one board: several tabs
   * and devices. One more is closed with 4431 [SRV-13].
   */
  maxSocketsPerUser: 8,
  /**
   * Largest awareness state (its JSON, in UTF-8 bytes) the server keeps and relays; larger
   * entries are dropped [SRV-14]. The app's own state (user + a few item ids) is ~200 bytes.
   */
  maxAwarenessStateBytes: 4 * 1024,
  /** Sprint planning (SPR rules): a sprint's name and goal, the board's product goal. */
  maxSprintNameLength: 80,
  maxSprintGoalLength: 1_000,
  maxProductGoalLength: 2_000,
  /** Longest sprint, in days (a sprint is a timebox of at most a month; 8 weeks leaves room). */
  maxSprintDays: 56,
  /** Days off one member may enter for one sprint (no sprint has more working days). */
  maxDaysOff: 56,
  /** Team focus factor (0..1] and points per person-day. */
  maxPointsPerDay: 100,
  /** Items one frozen sprint record lists (committed, completed, added, removed). */
  maxSprintRecordItems: 2_000,
  /** Members with an availability entry in one sprint. */
  maxSprintMembers: 100,
  /** Why an item is blocked. */
  maxBlockedReasonLength: 500,
  /** Definition of Ready [DOR-1]: the team's own checklist entries, and each entry's label. */
  maxCustomReadyChecks: 20,
  maxReadyCheckLabelLength: 80,
  /**
   * People one comment, question or answer may mention (MEN-2). Twenty covers a whole team
   * named one by one; past it a client is flooding others' inboxes, not talking to them.
   */
  maxMentionsPerEntry: 20,
} as const;
