/** What the Redis fan-out reports goes to the metrics and the log (OBS-1, OBS-2). */
import type { RedisFanoutOptions } from '../fanout/redis.ts';
import { errorField, type Logger } from '../log/logger.ts';
import type { ServerMetrics } from './metrics.ts';

export function fanoutHooks(metrics: ServerMetrics, logger: Logger): Pick<RedisFanoutOptions, 'onError' | 'onReconnect' | 'timing'> {
  return {
    onError: (err) => {
      metrics.redisErrors.inc();
      logger.error({ event: 'redis.fault', error: errorField(err) }, 'redis error');
    },
    onReconnect: (connection) => {
      metrics.redisReconnects.inc({ connection });
      logger.warn({ event: 'redis.reconnect', connection }, 'redis connection is back; resyncing boards');
    },
    timing: {
      published: (seconds) => metrics.redisPublish.observe(seconds),
      echoed: (seconds) => metrics.redisReceiveLag.observe(seconds),
    },
  };
}
