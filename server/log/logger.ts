/**
 * Structured JSON logs (pino) [OBS-2]: one line per event, `event` naming it. What a line
 * may hold: board ids, user ids, roles, rule ids, codes, counts, durations. Never a token,
 * a vote value or document text; the redaction below is a second net, not the plan.
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from '../config.ts';

export type { Logger };

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'headers', '*.headers'], censor: '[redacted]' },
  };
  // Without a destination, pino's own stdout (which flushes on exit).
  return destination ? pino(options, destination) : pino(options);
}

/** An error as a log field: its class and message only (a stack says where, not what). */
export const errorField = (err: unknown): { type: string; message: string } =>
  err instanceof Error ? { type: err.name, message: err.message } : { type: typeof err, message: String(err) };
