import pino, { DestinationStream, Logger, LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevelName, LogSettings } from '../config/log.settings';
import type { ServerSettings } from '../config/server.settings';

const PINO_LEVELS: Record<LogLevelName, LevelWithSilent> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Runs of base64 long enough to be an image (or a key): they never reach a log line. */
const BASE64_RUN = /[A-Za-z0-9+/]{120,}={0,2}/g;

export function scrubBase64(text: string): string {
  return text.replace(BASE64_RUN, (run) => `[${run.length} base64 characters removed]`);
}

/**
 * The one pino logger of the process: JSON lines (or pretty text for people), at LOG_LEVEL.
 * Every string logged, messages and error texts alike, is scrubbed of base64 runs.
 */
export function createRootLogger(settings: LogSettings, nodeEnv: ServerSettings['nodeEnv'], destination?: DestinationStream): Logger {
  const format = settings.format ?? (nodeEnv === 'development' ? 'pretty' : 'json');
  const stream =
    destination ??
    (format === 'pretty'
      ? pretty({ sync: true, colorize: true, singleLine: true, ignore: 'pid,hostname,service' })
      : // Asynchronous: lines logged while a write is under way go out together in the next
        // one, so a busy service does not pay a write per line; pino flushes it at exit.
        pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      level: PINO_LEVELS[settings.level],
      base: { service: 'se3-event-server' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: {
        err: (error: Error) => ({
          type: error?.name,
          message: scrubBase64(String(error?.message ?? error)),
          stack: error?.stack ? scrubBase64(error.stack) : undefined,
        }),
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubBase64(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
}
