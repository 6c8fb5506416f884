import bytes from 'bytes';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import {
  ArrayMinSize,
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
  ValidateBy,
  ValidateIf,
  ValidationOptions,
  validateSync,
  ValidationError,
} from 'class-validator';
import { IsCidr } from '../common/address-list';
import { toDuration, toDurationList, WEBHOOK_SECRET_FORMAT, WEBHOOK_SECRET_MESSAGE } from './hook-settings';

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

/** A number at least as large as another setting's (INGEST_BODY_BUDGET >= BODY_LIMIT); a bad other value is refused on its own. */
function AtLeastSetting(other: 'BODY_LIMIT', options: ValidationOptions) {
  return ValidateBy(
    {
      name: 'atLeastSetting',
      validator: {
        validate: (value: unknown, args) => {
          const minimum: unknown = (args?.object as EnvironmentVariables)[other];
          return typeof value === 'number' && (typeof minimum !== 'number' || value >= minimum);
        },
      },
    },
    options,
  );
}

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

  /**
   * Longest a statement may run on any connection of the service (PostgreSQL's statement_timeout):
   * a query stuck behind a lock or a broken plan fails (503, the box retries) instead of holding
   * an upload and a connection. 0: no limit. Migrations and VACUUM run without it.
   */
  @Expose()
  @Transform(toDuration)
  @IsInt({ message: 'must be a duration such as 30s (0: no limit)' })
  @Min(0, { message: 'must be a duration such as 30s (0: no limit)' })
  @Max(3_600_000, { message: 'must be a duration of at most 1h' })
  DATABASE_STATEMENT_TIMEOUT = 30_000;

  /** Longest a statement waits for a lock (PostgreSQL's lock_timeout), e.g. behind a migration elsewhere. 0: no limit. */
  @Expose()
  @Transform(toDuration)
  @IsInt({ message: 'must be a duration such as 10s (0: no limit)' })
  @Min(0, { message: 'must be a duration such as 10s (0: no limit)' })
  @Max(3_600_000, { message: 'must be a duration of at most 1h' })
  DATABASE_LOCK_TIMEOUT = 10_000;

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

  /**
   * Started as root: where the embedded PostgreSQL's binaries and cluster go when the postgres
   * user (which PostgreSQL runs as) cannot reach them under the install folder or DATA_DIR.
   * Unset: /var/lib/se3-event-server (DEFAULT_EMBEDDED_PG_SYSTEM_DIR of the embedded server).
   */
  @Expose()
  @IsOptional()
  @Matches(/^\//, { message: 'must be an absolute path' })
  EMBEDDED_PG_SYSTEM_DIR?: string;

  /** Largest upload body, counted on the wire and again once inflated (gzip, deflate, br). */
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

  /**
   * Values a JSON body may hold (objects, arrays, items, members), counted as the bytes arrive and
   * before anything parses them: what a body costs the event loop grows with this count, not with
   * its size. A batch of 100 real events holds about 5,500.
   */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 1000 and 10000000' })
  @Min(1000, { message: 'must be a whole number between 1000 and 10000000' })
  @Max(10_000_000, { message: 'must be a whole number between 1000 and 10000000' })
  JSON_MAX_ELEMENTS = 20_000;

  /**
   * How many times its size on the wire a compressed body may inflate to, past its first 1 MB
   * (413 beyond); 0: no limit but BODY_LIMIT. A box's JSON compresses 1.3 times with images and
   * under 40 times without; a gzip bomb, a thousand times, which would let 64 KB cost what
   * 64 MB costs to process.
   */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 0 and 1000' })
  @Min(0, { message: 'must be a whole number between 0 and 1000' })
  @Max(1000, { message: 'must be a whole number between 0 and 1000' })
  BODY_MAX_INFLATION = 10;

  /**
   * Bytes of upload bodies held in memory at once, summed over every upload being read, waiting
   * for a slot or being stored. Past it, reading waits (TCP backpressure): memory stays bounded
   * however many clients send at once.
   */
  @Expose()
  @Transform(toByteCount)
  @IsInt({ message: 'must be a size such as 128mb, at least BODY_LIMIT' })
  @AtLeastSetting('BODY_LIMIT', { message: 'must be a size such as 128mb, at least BODY_LIMIT' })
  INGEST_BODY_BUDGET = 128 * 1024 * 1024;

  /** Longest time a request body may take to arrive, from the end of its headers to its last byte (408 beyond). */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 100 and 600000' })
  @Min(100, { message: 'must be a whole number of milliseconds between 100 and 600000' })
  @Max(600_000, { message: 'must be a whole number of milliseconds between 100 and 600000' })
  BODY_READ_TIMEOUT_MS = 30_000;

  /** Slowest a body may arrive, averaged over 5 s of reading (408 below); 0: no minimum. */
  @Expose()
  @Transform(toByteCount)
  @IsInt({ message: 'must be a size per second such as 1kb, or 0' })
  @Min(0, { message: 'must be a size per second such as 1kb, or 0' })
  BODY_MIN_BYTES_PER_SECOND = 1024;

  /** Largest body of an admin API route that takes one (the key is checked before it is read). */
  @Expose()
  @Transform(toByteCount)
  @IsInt({ message: 'must be a size between 1kb and 1mb, such as 16kb' })
  @Min(1024, { message: 'must be a size between 1kb and 1mb, such as 16kb' })
  @Max(1024 * 1024, { message: 'must be a size between 1kb and 1mb, such as 16kb' })
  ADMIN_BODY_LIMIT = 16 * 1024;

  /** Longest time a client may take to send a request's headers; a connection that sends nothing is closed after it. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 100 and 300000' })
  @Min(100, { message: 'must be a whole number of milliseconds between 100 and 300000' })
  @Max(300_000, { message: 'must be a whole number of milliseconds between 100 and 300000' })
  HEADERS_TIMEOUT_MS = 10_000;

  /** How long an idle keep-alive connection stays open after an answer. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of milliseconds between 100 and 300000' })
  @Min(100, { message: 'must be a whole number of milliseconds between 100 and 300000' })
  @Max(300_000, { message: 'must be a whole number of milliseconds between 100 and 300000' })
  KEEP_ALIVE_TIMEOUT_MS = 5_000;

  /** Open HTTP connections at most; a connection beyond it is closed as it arrives. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 1 and 1000000' })
  @Min(1, { message: 'must be a whole number between 1 and 1000000' })
  @Max(1_000_000, { message: 'must be a whole number between 1 and 1000000' })
  MAX_CONNECTIONS = 1000;

  /**
   * Open connections from one client at most (an IPv4 address, an IPv6 /64), so that one client
   * cannot take all of MAX_CONNECTIONS; TRUSTED_PROXIES are not limited (their clients are many).
   */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 1 and 1000000' })
  @Min(1, { message: 'must be a whole number between 1 and 1000000' })
  @Max(1_000_000, { message: 'must be a whole number between 1 and 1000000' })
  MAX_CONNECTIONS_PER_CLIENT = 256;

  /**
   * Uploads parsed, validated and stored at once; more wait with their bodies read (a slot is
   * held until the work ends). Beyond what the database pool can take, more at once only costs
   * memory (a 300 KB photo is ~2 MB in flight).
   */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 1 and 1000' })
  @Min(1, { message: 'must be a whole number between 1 and 1000' })
  @Max(1000, { message: 'must be a whole number between 1 and 1000' })
  INGEST_CONCURRENCY = 16;

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

  /** Run the dispatcher in this instance (false: this instance only writes the outbox). */
  @Expose()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  HOOK_DISPATCHER_ENABLED = true;

  /** Webhook receivers, comma-separated: each gets every hook as a signed JSON POST. */
  @Expose()
  @Transform(toList)
  @Matches(/^https?:\/\/[^\s,]+$/, { each: true, message: 'must be a comma-separated list of http:// or https:// URLs' })
  HOOK_WEBHOOK_URLS: string[] = [];

  /** Signs webhook deliveries (Standard Webhooks); required with HOOK_WEBHOOK_URLS. */
  @Expose()
  @ValidateIf((settings: EnvironmentVariables) => settings.HOOK_WEBHOOK_URLS?.length > 0 || settings.HOOK_WEBHOOK_SECRET !== undefined)
  @Matches(WEBHOOK_SECRET_FORMAT, { message: WEBHOOK_SECRET_MESSAGE })
  HOOK_WEBHOOK_SECRET?: string;

  /** RabbitMQ (AMQP 0-9-1) broker to publish hooks to; empty: no AMQP subscriber. */
  @Expose()
  @IsOptional()
  @Matches(/^amqps?:\/\/\S+$/, { message: 'must be an amqp:// or amqps:// URL' })
  HOOK_AMQP_URL?: string;

  /** Topic exchange the hooks are published to, with the hook type as routing key. */
  @Expose()
  @Matches(/^[A-Za-z0-9._:-]{1,255}$/, { message: 'must be an exchange name: letters, digits, . _ : -' })
  HOOK_AMQP_EXCHANGE = 'se3.hooks';

  /** How long one delivery attempt may take: the webhook's answer, the broker's confirm, the gallery's handler. */
  @Expose()
  @Transform(toDuration)
  @IsInt({ message: 'must be a duration such as 10s or 500ms' })
  @Min(100, { message: 'must be a duration of at least 100ms' })
  @Max(600_000, { message: 'must be a duration of at most 10m' })
  HOOK_DELIVERY_TIMEOUT = 10_000;

  /** Waits between failed attempts; after the last one the delivery is dead. About a day in all by default. */
  @Expose()
  @Transform(toDurationList)
  @ArrayMinSize(1, { message: 'must be a comma-separated list of durations such as 10s,1m,1h' })
  @IsInt({ each: true, message: 'must be a comma-separated list of durations such as 10s,1m,1h' })
  HOOK_RETRY_SCHEDULE: number[] = [10, 30, 60, 300, 900, 3_600, 10_800, 21_600, 43_200].map((s) => s * 1_000);

  /** How often an idle dispatcher looks for work (new hooks also wake it at once). */
  @Expose()
  @Transform(toDuration)
  @IsInt({ message: 'must be a duration such as 1s or 250ms' })
  @Min(10, { message: 'must be a duration of at least 10ms' })
  HOOK_POLL_INTERVAL = 1_000;

  /** Put the images in the message as base64 instead of only linking to them. */
  @Expose()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  HOOK_INLINE_IMAGES = false;

  /** Prefix of the image links in messages, e.g. https://se3.example.com; empty: links are paths. */
  @Expose()
  @IsOptional()
  @Matches(/^https?:\/\/[^\s?#]+[^\s?#/]$/, { message: 'must be an http:// or https:// URL without a trailing slash' })
  HOOK_LINK_BASE_URL?: string;

  // (end of the hooks settings)

  // ---- Admin API ----

  /** Empty: a key is generated at first start and kept in DATA_DIR. */
  @Expose()
  @Transform(toList)
  @Matches(/^(?=.{16,}$)[A-Za-z0-9._~+/-]+=*$/, {
    each: true,
    message:
      'must be a comma-separated list of keys of at least 16 characters, each a bearer token (A-Z a-z 0-9 - . _ ~ + /, then = at the end only)',
  })
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

  /**
   * Longest each statement of an admin search, count, summary or device list may run: beyond it
   * the request is answered 503, asking to narrow the search, and the database is free again.
   */
  @Expose()
  @Transform(toDuration)
  @IsInt({ message: 'must be a duration such as 5s' })
  @Min(100, { message: 'must be a duration of at least 100ms' })
  @Max(600_000, { message: 'must be a duration of at most 10m' })
  ADMIN_QUERY_TIMEOUT = 5_000;

  /** How long a console sign-in lasts (a shift); signing out ends it earlier. */
  @Expose()
  @Transform(toDuration)
  @IsInt({ message: 'must be a duration such as 12h or 30m' })
  @Min(60_000, { message: 'must be a duration of at least 1m' })
  @Max(30 * 86_400_000, { message: 'must be a duration of at most 30d' })
  CONSOLE_SESSION_TTL = 12 * 3_600_000;

  /**
   * Requests per admin key per minute to the image and thumbnail routes, counted apart from
   * ADMIN_RATE_LIMIT_PER_MINUTE: a console page shows a hundred faces at once.
   */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of at least 1' })
  @Min(1, { message: 'must be a whole number of at least 1' })
  ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE = 6000;

  // (end of the admin API settings)

  // ---- Operations: ingest security, logs, metrics, retention, shutdown ----

  /** Tokens a box must send (path segment, ?token= or header) when set; empty: uploads need none. */
  @Expose()
  @Transform(toList)
  @Matches(/^[A-Za-z0-9._~-]{16,256}$/, {
    each: true,
    message: 'must be a comma-separated list of tokens of 16 to 256 URL-safe characters (A-Z a-z 0-9 . _ ~ -)',
  })
  INGEST_TOKEN: string[] = [];

  /** Addresses allowed to upload, in CIDR notation; empty: any. */
  @Expose()
  @Transform(toList)
  @IsCidr({ each: true, message: 'must be a comma-separated list of addresses or CIDR blocks (10.0.0.0/8, 2001:db8::/32)' })
  INGEST_ALLOW_CIDRS: string[] = [];

  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR blocks); empty: none. */
  @Expose()
  @Transform(toList)
  @IsCidr({ each: true, message: 'must be a comma-separated list of addresses or CIDR blocks' })
  TRUSTED_PROXIES: string[] = [];

  /** Origins allowed to call the API from a browser; empty: CORS off. */
  @Expose()
  @Transform(toList)
  @Matches(/^https?:\/\/[^\s/]+$/, { each: true, message: 'must be a comma-separated list of origins such as https://admin.example.com' })
  CORS_ORIGINS: string[] = [];

  /** Requests per minute to the admin API with one key (per authenticated caller). */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of at least 1' })
  @Min(1, { message: 'must be a whole number of at least 1' })
  ADMIN_RATE_LIMIT_PER_MINUTE = 600;

  /** Failed authentications to the admin API a client address may make per minute (429 beyond); apart from the keys' budgets. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of at least 1' })
  @Min(1, { message: 'must be a whole number of at least 1' })
  ADMIN_AUTH_FAILURES_PER_MINUTE = 60;

  @Expose()
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevelName = 'log';

  /** json (one object per line) or pretty (for people); empty: pretty in development, json otherwise. */
  @Expose()
  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'must be json or pretty' })
  LOG_FORMAT?: 'json' | 'pretty';

  /** Days an event keeps its images; 0: forever. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of days (0: keep forever)' })
  @Min(0, { message: 'must be a whole number of days (0: keep forever)' })
  IMAGE_RETENTION_DAYS = 30;

  /** Days a stranger's event (person_type 4) keeps its images; 0: as IMAGE_RETENTION_DAYS. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of days (0: as IMAGE_RETENTION_DAYS)' })
  @Min(0, { message: 'must be a whole number of days (0: as IMAGE_RETENTION_DAYS)' })
  STRANGER_IMAGE_RETENTION_DAYS = 7;

  /** Days an event is kept, with everything that belongs to it; 0: forever. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of days (0: keep forever)' })
  @Min(0, { message: 'must be a whole number of days (0: keep forever)' })
  EVENT_RETENTION_DAYS = 365;

  /** Days a quarantined event is kept; 0: forever. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of days (0: keep forever)' })
  @Min(0, { message: 'must be a whole number of days (0: keep forever)' })
  QUARANTINE_RETENTION_DAYS = 90;

  /** When retention runs: a cron expression (seconds optional). */
  @Expose()
  @Matches(/^\S+( \S+){4,5}$/, { message: 'must be a cron expression such as "17 * * * *"' })
  RETENTION_CRON = '17 * * * *';

  /** Rows removed per statement: small batches never hold long locks. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 10 and 100000' })
  @Min(10, { message: 'must be a whole number between 10 and 100000' })
  @Max(100_000, { message: 'must be a whole number between 10 and 100000' })
  RETENTION_BATCH_SIZE = 1000;

  /** How long a shutdown waits for requests in flight before it gives up on them. */
  @Expose()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must be a whole number of milliseconds' })
  SHUTDOWN_TIMEOUT_MS = 25_000;

  // (end of the operations settings)
}

/** Settings whose whole value is a secret: a refusal names them without repeating the value. */
const SECRET_SETTINGS = new Set(['ADMIN_API_KEYS', 'HOOK_WEBHOOK_SECRET', 'INGEST_TOKEN']);

/** What a refusal quotes of a value: nothing of a secret setting, and URLs without their credentials. */
function quoted(property: string, value: unknown): string {
  if (SECRET_SETTINGS.has(property)) return 'a value, hidden';
  return JSON.stringify(typeof value === 'string' ? withoutCredentials(value) : value);
}

/**
 * `text` with the user information of its URLs hidden: `postgresql://se3:***@db/se3`. Everything
 * from the first `://` to the last `@` counts as user information, so that a password holding
 * `@`, `,`, `/`, quotes or spaces is hidden whole, in a list of URLs too; a user name alone (a
 * token) is hidden as well. It hides too much rather than too little.
 */
export function withoutCredentials(text: string): string {
  const start = text.indexOf('://') + 3;
  const at = text.lastIndexOf('@');
  if (start < 3 || at < start) return text;
  const userInfo = text.slice(start, at);
  const colon = userInfo.indexOf(':');
  return text.slice(0, start) + (colon >= 0 ? `${userInfo.slice(0, colon)}:***` : '***') + text.slice(at);
}

function describe(errors: ValidationError[], raw: Record<string, unknown>): string[] {
  return errors.map((error) => {
    const reason = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
    // A default can fail a check that depends on another setting (INGEST_BODY_BUDGET >= BODY_LIMIT).
    const given = error.property in raw ? `got ${quoted(error.property, raw[error.property])}` : `its default is ${quoted(error.property, error.value)}`;
    return `${error.property} ${reason} (${given})`;
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
