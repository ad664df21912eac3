/** Types of bytes.mjs (plain JS so worker threads load it). */

/** A plain Uint8Array view of a Buffer. */
export function toBytes(b: Buffer): Uint8Array;

/** Copies byte arrays into one fresh, transferable ArrayBuffer. */
export function pack(parts: readonly Uint8Array[]): { buffer: ArrayBuffer; lengths: number[] };

/** The parts `pack` joined, as views into its buffer. */
export function unpack(buffer: ArrayBuffer, lengths: readonly number[]): Uint8Array[];

/** `bytes` if it spans its whole buffer, else a copy that does. */
export function ownBuffer(bytes: Uint8Array): Uint8Array;
