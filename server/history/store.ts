/** Whether a storage keeps history (both adapters do; a test's stand-in may not). */
import type { HistoryStore } from '../storage/types.ts';

export function historyStoreOf(storage: object): HistoryStore | undefined {
  return 'appendHistory' in storage ? (storage as HistoryStore) : undefined;
}
