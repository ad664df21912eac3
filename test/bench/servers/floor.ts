/**
 * The floor: a relay that keeps no document. It answers a client's sync step 1 with an
 * empty step 2 (so the provider reports "synced") and forwards every other frame's bytes
 * (updates, awareness) to the room's other sockets, as they came. No storage, no checks,
 * no Yjs: what `ws` fan-out alone costs. A late joiner gets nothing (it holds no state),
 * so the bench skips the join scenario for it. GET /stats reports the rooms with sockets.
 * Prints {"port": n} once listening.
 */
import http from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

// [messageSync, syncStep2, varUint8Array(an empty update: 0 structs, 0 deletes)]
const EMPTY_STEP2 = Uint8Array.of(0, 1, 2, 0, 0);

const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ noServer: true });

wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => {
  const name = (req.url ?? '/').slice(1).split('?')[0]!;
  let room = rooms.get(name);
  if (!room) {
    room = new Set();
    rooms.set(name, room);
  }
  const peers = room;
  peers.add(ws);
  ws.binaryType = 'nodebuffer';
  ws.on('message', (data: Buffer) => {
    // Sync step 1 (0, 0): answer with nothing; query awareness (3): nothing to answer with.
    if ((data[0] === 0 && data[1] === 0) || data[0] === 3) {
      if (data[0] === 0) ws.send(EMPTY_STEP2);
      return;
    }
    for (const other of peers) if (other !== ws && other.readyState === WebSocket.OPEN) other.send(data);
  });
  ws.on('close', () => {
    peers.delete(ws);
    if (peers.size === 0) rooms.delete(name);
  });
});

const server = http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ loadedBoards: rooms.size }));
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
  if (addr && typeof addr === 'object') process.stdout.write(`${JSON.stringify({ port: addr.port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
