/**
 * Byte helpers for the SQLite adapter's threads (sqlite.ts, sqlite-worker.mjs,
 * sqlite-compactor.mjs) and the PostgreSQL adapter. Plain JS so worker threads load it;
 * typed in bytes.d.mts.
 */

/**
 * A plain Uint8Array view of a Buffer (better-sqlite3 and pg return Buffers), so callers
 * never depend on Buffer-only behaviour.
 * @param {Buffer} b
 * @returns {Uint8Array}
 */
export const toBytes = (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * Copies byte arrays into one fresh ArrayBuffer that can be transferred (moved, not
 * copied) to another thread: a view's whole backing buffer would otherwise be cloned, and
 * better-sqlite3's Buffers may share pooled memory.
 * @param {readonly Uint8Array[]} parts
 * @returns {{ buffer: ArrayBuffer; lengths: number[] }}
 */
export function pack(parts) {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  const lengths = [];
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
    lengths.push(p.byteLength);
  }
  return { buffer: out.buffer, lengths };
}

/**
 * The parts `pack` joined, as views into its buffer.
 * @param {ArrayBuffer} buffer
 * @param {readonly number[]} lengths
 * @returns {Uint8Array[]}
 */
export function unpack(buffer, lengths) {
  let off = 0;
  return lengths.map((len) => {
    const part = new Uint8Array(buffer, off, len);
    off += len;
    return part;
  });
}

/**
 * `bytes` itself if it spans its whole buffer (so that buffer can be transferred alone),
 * else a copy that does.
 * @param {Uint8Array} bytes
 * @returns {Uint8Array}
 */
export const ownBuffer = (bytes) =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
