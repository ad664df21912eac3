/** Reads a request body as bytes with a size cap: past it, 413 import_too_large. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.ts';

export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new HttpError(413, 'import_too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB: import it in parts`, { connection: 'close' });
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
