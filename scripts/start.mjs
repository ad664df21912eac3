#!/usr/bin/env node
// `npm start`: build the client if it has not been built, then run the server.
// Signals are forwarded so SIGTERM reaches the server and it can flush and exit cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clientIndex = path.join(root, 'dist', 'client', 'index.html');

if (!existsSync(clientIndex) || process.env.REBUILD_CLIENT === '1') {
  console.log('building the client (vite build)…');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('client build failed; fix the error above or run `npm run build`');
    process.exit(build.status ?? 1);
  }
}

// `--import tsx` runs the TypeScript server in this one child process (no extra wrapper),
// so a signal sent to it reaches the server itself.
const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => {
    if (server.exitCode === null) server.kill(signal);
  });
}

server.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 1) : 1));
});
