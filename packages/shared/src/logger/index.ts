import { type Logger, type LoggerOptions, pino } from 'pino';

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
  };
  const usePretty = pretty ?? (destination === undefined && process.stdout.isTTY === true);
  if (usePretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
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
