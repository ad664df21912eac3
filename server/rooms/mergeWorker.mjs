/**
 * Merges a server change's updates into one (Y.mergeUpdates) on a thread of its own, for
 * updateMerger.ts: a 10,000-item import's steps merge into ~8 MB in a few hundred ms, which
 * on the event loop would hold up every other board.
 *
 * Protocol: requests `{ id, parts: ArrayBuffer[] }` (transferred); replies `{ id, ok, value }`,
 * value the merged update's ArrayBuffer (transferred) or an error message.
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

const port = parentPort;
if (!port) throw new Error('mergeWorker.mjs must run as a worker thread');

port.on('message', (/** @type {{ id: number; parts: ArrayBuffer[] }} */ msg) => {
  try {
    const merged = Y.mergeUpdates(msg.parts.map((b) => new Uint8Array(b)));
    // Its own buffer, whole, so it can be transferred without copying.
    const own = merged.byteOffset === 0 && merged.byteLength === merged.buffer.byteLength ? merged : merged.slice();
    port.postMessage({ id: msg.id, ok: true, value: own.buffer }, [own.buffer]);
  } catch (err) {
    port.postMessage({ id: msg.id, ok: false, value: String(err instanceof Error ? err.message : err) });
  }
});
