/**
 * The token signing secret: TOKEN_SECRET, or one generated on first start and kept in
 * DATA_DIR/secret.key (mode 0600) so tokens survive restarts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function loadSecret(dataDir: string, configured: string | null): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  const file = path.join(dataDir, 'secret.key');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return new TextEncoder().encode(existing);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const fresh = randomBytes(32).toString('hex');
  try {
    // 'wx': if two processes race on a fresh DATA_DIR, the second reads the first's key.
    await writeFile(file, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
    return new TextEncoder().encode(fresh);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return new TextEncoder().encode((await readFile(file, 'utf8')).trim());
  }
}
