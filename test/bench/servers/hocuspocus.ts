/**
 * Hocuspocus 3.4 (@hocuspocus/server) with @hocuspocus/extension-database storing each
 * document's whole state in better-sqlite3, as the extension's documentation shows: `fetch`
 * reads the row, `store` upserts it. Defaults otherwise: the store runs 2 s after the last
 * change (debounce), at most every 10 s (maxDebounce), and at once when the last socket
 * leaves (unloadImmediately). better-sqlite3 at its defaults (rollback journal,
 * synchronous=FULL). No auth hook: any token is accepted, like the reference.
 * The data directory is BENCH_DATA_DIR when set (kept, for the durability restart) or a
 * fresh temporary one (deleted on SIGTERM). GET /stats reports loaded documents.
 * Prints {"port": n} once listening.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Database } from '@hocuspocus/extension-database';
import { Hocuspocus } from '@hocuspocus/server';
import BetterSqlite3 from 'better-sqlite3';
import { WebSocketServer } from 'ws';

const keep = process.env.BENCH_DATA_DIR;
const dataDir = keep ?? mkdtempSync(path.join(os.tmpdir(), 'hocuspocus-bench-'));
const db = new BetterSqlite3(path.join(dataDir, 'documents.sqlite'));
db.exec('CREATE TABLE IF NOT EXISTS "documents" ("name" varchar(255) NOT NULL, "data" blob NOT NULL, UNIQUE(name))');
const select = db.prepare('SELECT data FROM "documents" WHERE name = ? ORDER BY rowid DESC');
const upsert = db.prepare(
  'INSERT INTO "documents" ("name", "data") VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data',
);

const hocuspocus = new Hocuspocus({
  quiet: true,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => {
        const row = select.get(documentName) as { data: Buffer } | undefined;
        return row ? new Uint8Array(row.data) : null;
      },
      store: async ({ documentName, state }) => {
        upsert.run(documentName, state);
      },
    }),
  ],
});

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => hocuspocus.handleConnection(ws as never, req));

const server = http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ loadedBoards: hocuspocus.getDocumentsCount() }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('okay');
});
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object') process.stdout.write(`${JSON.stringify({ port: addr.port, dataDir })}\n`);
});
process.on('SIGTERM', () => {
  db.close();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
