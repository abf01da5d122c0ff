// Structured JSON logs (pino) to stdout, one logger per process, children per component.
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config.ts';

export type { Logger };

/**
 * Synchronous writes to stdout so the last lines before exit (shutdown, fatal errors) are never lost;
 * logs are few (no per-request line at info level), so the cost is negligible.
 */
export function createLogger(level: LogLevel, destination: pino.DestinationStream = pino.destination({ sync: true })): Logger {
  return pino({ level, base: { service: 'esdn', pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
