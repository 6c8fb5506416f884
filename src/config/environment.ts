import bytes from 'bytes';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

export enum InvalidEventPolicy {
  Quarantine = 'quarantine',
  Reject = 'reject',
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off'].includes(normalised)) return false;
  return value;
};

/** "64mb", "5MB", "5242880": a byte count, or the original value so that validation names it. */
const toByteCount = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const parsed = bytes.parse(value.trim());
  return parsed === null || Number.isNaN(parsed) ? value : Math.floor(parsed);
};

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    : value;

/**
 * Every setting the service reads, with its default. `validateEnvironment` refuses to start
 * on a value it cannot use, naming the variable; `.env.example` documents each one.
 */
export class EnvironmentVariables {
  @Expose()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'production';

  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 0 and 65535' })
  @Min(0, { message: 'must be a whole number between 0 and 65535' })
  @Max(65535, { message: 'must be a whole number between 0 and 65535' })
  PORT = 9528;

  @Expose()
  @IsString()
  HOST = '0.0.0.0';

  @Expose()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 1 and 200' })
  @Min(1, { message: 'must be a whole number between 1 and 200' })
  @Max(200, { message: 'must be a whole number between 1 and 200' })
  DATABASE_POOL_SIZE = 10;

  @Expose()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  MIGRATIONS_RUN = true;

  @Expose()
  @IsString()
  DATA_DIR = './data';

  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be 0 (pick a free port) or a port number' })
  @Min(0, { message: 'must be 0 (pick a free port) or a port number' })
  @Max(65535, { message: 'must be 0 (pick a free port) or a port number' })
  EMBEDDED_PG_PORT = 0;

  @Expose()
  @Transform(toByteCount)
  @IsInt({ message: 'must be a size of at least 1kb, such as 64mb, or a number of bytes' })
  @Min(1024, { message: 'must be a size of at least 1kb, such as 64mb, or a number of bytes' })
  BODY_LIMIT = 64 * 1024 * 1024;

  @Expose()
  @Transform(toByteCount)
  @IsInt({ message: 'must be a size such as 5mb, or a number of bytes' })
  @Min(1, { message: 'must be a size such as 5mb, or a number of bytes' })
  IMAGE_MAX_BYTES = 5 * 1024 * 1024;

  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 8 and 256' })
  @Min(8, { message: 'must be a whole number between 8 and 256' })
  @Max(256, { message: 'must be a whole number between 8 and 256' })
  JSON_MAX_DEPTH = 32;

  @Expose()
  @IsEnum(InvalidEventPolicy, { message: 'must be quarantine or reject' })
  INVALID_EVENT_POLICY = InvalidEventPolicy.Quarantine;

  @Expose()
  @Transform(toList)
  @Matches(/^\/[A-Za-z0-9._~\-/]*$/, {
    each: true,
    message: 'must be a comma-separated list of paths starting with /',
  })
  INGEST_PATHS: string[] = ['/HistoryEvent'];

  // ---- Hooks: want_action 1001/1002 (and event.stored), the dispatcher and its subscribers ----

  /** Publish an `event.stored` hook for every stored event, besides the want_action hooks. */
  @Expose()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  HOOK_EVENT_STORED = false;

  // (end of the hooks settings)

  // ---- Admin API ----

  /** Empty: a key is generated at first start and kept in DATA_DIR. */
  @Expose()
  @Transform(toList)
  @MinLength(16, { each: true, message: 'must be a comma-separated list of keys of at least 16 characters' })
  ADMIN_API_KEYS: string[] = [];

  /**
   * How often new events are folded into the device list and the summary counts, in ms. Answers
   * are exact either way (events not yet folded are counted from the events table); folding keeps
   * that remainder small.
   */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 100 and 3600000' })
  @Min(100, { message: 'must be a whole number of milliseconds between 100 and 3600000' })
  @Max(3_600_000, { message: 'must be a whole number of milliseconds between 100 and 3600000' })
  ADMIN_STATS_INTERVAL_MS = 5000;

  // (end of the admin API settings)

  // ---- Operations: ingest security, logs, metrics, retention, shutdown ----

  @Expose()
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevelName = 'log';

  // (end of the operations settings)
}

function describe(errors: ValidationError[], raw: Record<string, unknown>): string[] {
  return errors.map((error) => {
    const reason = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
    return `${error.property} ${reason} (got ${JSON.stringify(raw[error.property])})`;
  });
}

/**
 * Turns raw environment strings into typed settings, or throws one error that lists every bad
 * variable. Empty values count as unset, so `.env.example` can be copied as it is.
 */
export function validateEnvironment(config: Record<string, unknown>): EnvironmentVariables {
  const raw = Object.fromEntries(
    Object.entries(config).filter(([, value]) => value !== undefined && value !== ''),
  );
  const settings = plainToInstance(EnvironmentVariables, raw, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(settings, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${describe(errors, raw).join('\n  - ')}`);
  }
  return settings;
}
