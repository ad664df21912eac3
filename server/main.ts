/**
 * Process entry: config from the environment, one server, clean shutdown on SIGTERM /
 * SIGINT [SRV-6]. Prints `listening on http://HOST:PORT` once ready (tests parse it).
 */
import { ConfigError, configFromEnv } from './config.ts';
import { createServer } from './createServer.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof configFromEnv>;
  try {
    config = configFromEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const server = createServer(config);
  const { url } = await server.start();
  console.log(`listening on ${url}`);
  if (config.redisUrl && config.storage.kind === 'sqlite') {
    console.error('note: REDIS_URL is ignored with SQLite storage (one instance owns the file)');
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.error(`${signal}: closing sockets, flushing boards`);
    // SHUTDOWN_DRAIN_MS (readiness 503 while still serving) comes before the 10 s of closing.
    const force = setTimeout(() => {
      console.error('shutdown took more than 10 s; exiting');
      process.exit(1);
    }, 10_000 + config.drainMs);
    force.unref();
    server.stop().then(
      () => {
        console.error('stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        console.error('shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  // A bug in one async path must not take every board offline; say so loudly instead.
  process.on('unhandledRejection', (reason) => {
    console.error('unhandled rejection (server keeps running):', reason);
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('failed to start:', err);
  process.exit(1);
});
