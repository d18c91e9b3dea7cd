import { destination as pinoDestination, pino, type DestinationStream, type Logger } from 'pino';

/** Paths that could hold a secret; redacted even if a future log call includes them by mistake. */
const REDACTED_PATHS = [
  'authorization', 'headers.authorization', 'req.headers.authorization', 'request.headers.authorization',
  'apiKey', 'api_key', 'key', '*.apiKey', '*.api_key', '*.authorization', 'headers["x-api-key"]', 'headers["x-goog-api-key"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'switchyard' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Asynchronous writes to stdout: lines logged while a write is in flight go out together in the next one.
  return pino(options, destination ?? pinoDestination({ dest: 1, sync: false }));
}

export type { Logger };
