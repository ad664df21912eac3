/** Types of historyCheckpoint.mjs. */
export const CHECKPOINT_MARGIN_MS: number;
export const MIN_CHECKPOINT_BYTES: number;
