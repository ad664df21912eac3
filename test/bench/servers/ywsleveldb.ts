/**
 * @y/websocket-server 0.1.1 with its own persistence: y-leveldb in the YPERSISTENCE
 * directory, as its README shows (`YPERSISTENCE=./dbDir`). Every update is handed to
 * LevelDB (`storeUpdate`, no fsync) as the doc emits it, in parallel with the relay; a
 * document with no sockets left is unloaded. The data directory is BENCH_DATA_DIR when set
 * (kept, so the durability check can restart on it) or a fresh temporary one (deleted on
 * SIGTERM). GET /stats reports loaded documents. Prints {"port": n} once listening.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';

const keep = process.env.BENCH_DATA_DIR;
const dataDir = keep ?? mkdtempSync(path.join(os.tmpdir(), 'yws-leveldb-bench-'));
// utils.js reads YPERSISTENCE when it is first imported.
process.env.YPERSISTENCE = dataDir;
const { docs, setupWSConnection } = await import('@y/websocket-server/utils');

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);

const server = http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ loadedBoards: (docs as Map<string, unknown>).size }));
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
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
