/**
 * Answering a sync step 1 from the built doc. A fresh joiner (empty state vector) needs
 * the whole doc: its step 2 is encoded once per doc version, not once per joiner.
 */
import type * as Y from 'yjs';
import { encodeSyncStep2 } from '../../shared/codec.ts';

/** A v1 state vector with no clients: what a fresh y-websocket client sends in step 1. */
export function isEmptyStateVector(sv: Uint8Array): boolean {
  return sv.length === 1 && sv[0] === 0;
}

export class SyncAnswers {
  /** Sync step 2 for an empty state vector; dropped on every doc update. */
  private full: Uint8Array | null = null;

  constructor(private readonly doc: Y.Doc) {}

  /** The doc changed: the cached full step 2 is stale. */
  invalidate(): void {
    this.full = null;
  }

  /** Takes a full step 2 made elsewhere (from the stored bytes the doc was just built from). */
  adopt(fullStep2: Uint8Array | null): void {
    this.full = fullStep2;
  }

  /** Sync step 2 frame for `stateVector`. Throws on a state vector that does not decode. */
  answer(stateVector: Uint8Array): Uint8Array {
    if (!isEmptyStateVector(stateVector)) return encodeSyncStep2(this.doc, stateVector);
    this.full ??= encodeSyncStep2(this.doc, stateVector);
    return this.full;
  }
}
