import { type Logger, type LoggerOptions, pino } from 'pino';
import { currentCorrelationId } from './correlation.js';

export {
  acceptCorrelationId,
  currentCorrelationId,
  MAX_CORRELATION_ID_LENGTH,
  withCorrelationId,
  withoutCorrelationId,
} from './correlation.js';
export type { Logger };

/** Paths whose values never reach a log line: passwords, cookies, tokens, secrets, wherever they sit. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'sobrusPassword',
  '*.sobrusPassword',
  'cookie',
  'cookies',
  '*.cookie',
  '*.cookies',
  '*.*.cookies',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
];

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  /** Pretty output for humans; defaults to whether stdout is a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger({ service, level = 'info', pretty, destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    name: service,
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: correlationMixin,
  };
  const usePretty = pretty ?? (destination === undefined && process.stdout.isTTY === true);
  if (usePretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

/** Every line written while working for a caller names its correlation id, unless a child logger already binds one. */
function correlationMixin(_line: object, _level: number, logger: Logger): object {
  const correlationId = currentCorrelationId();
  if (!correlationId || logger.bindings().correlationId !== undefined) return {};
  return { correlationId };
}

type LogFn = (obj: object, msg?: string) => void;

/** What code that only logs needs: satisfied by pino loggers and Fastify's `app.log` alike. */
export interface Log {
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  child(bindings: Record<string, unknown>): Log;
}
