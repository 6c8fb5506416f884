import { AtLeast, ByteSizeSetting, IntSetting, ListSetting, OneOfSetting } from './setting.decorators';

export enum InvalidEventPolicy {
  Quarantine = 'quarantine',
  Reject = 'reject',
}

/** Uploads: who may send them, how bodies are read and bounded, how many are worked on at once, what a bad event gets. */
export class IntakeSettings {
  /** Largest upload body, counted on the wire and again once inflated (gzip, deflate, br). */
  @ByteSizeSetting('BODY_LIMIT', { min: 1024, message: 'must be a size of at least 1kb, such as 64mb, or a number of bytes' })
  bodyLimit = 64 * 1024 * 1024;

  @ByteSizeSetting('IMAGE_MAX_BYTES', { min: 1, message: 'must be a size such as 5mb, or a number of bytes' })
  imageMaxBytes = 5 * 1024 * 1024;

  @IntSetting('JSON_MAX_DEPTH', { min: 8, max: 256 })
  jsonMaxDepth = 32;

  /**
   * Values a JSON body may hold (objects, arrays, items, members), counted as the bytes arrive and
   * before anything parses them: what a body costs the event loop grows with this count, not with
   * its size. A batch of 100 real events holds about 5,500.
   */
  @IntSetting('JSON_MAX_ELEMENTS', { min: 1000, max: 10_000_000 })
  jsonMaxElements = 20_000;

  /**
   * How many times its size on the wire a compressed body may inflate to, past its first 1 MB
   * (413 beyond); 0: no limit but BODY_LIMIT. A box's JSON compresses 1.3 times with images and
   * under 40 times without; a gzip bomb, a thousand times, which would let 64 KB cost what
   * 64 MB costs to process.
   */
  @IntSetting('BODY_MAX_INFLATION', { min: 0, max: 1000 })
  bodyMaxInflation = 10;

  /**
   * Bytes of upload bodies held in memory at once, summed over every upload being read, waiting
   * for a slot or being stored. Past it, reading waits (TCP backpressure): memory stays bounded
   * however many clients send at once.
   */
  @ByteSizeSetting('INGEST_BODY_BUDGET', {
    message: 'must be a size such as 128mb, at least BODY_LIMIT',
    validators: [AtLeast('bodyLimit', { message: 'must be a size such as 128mb, at least BODY_LIMIT' })],
  })
  bodyBudget = 128 * 1024 * 1024;

  /** Longest time a request body may take to arrive, from the end of its headers to its last byte (408 beyond). */
  @IntSetting('BODY_READ_TIMEOUT_MS', { min: 100, max: 600_000, message: 'must be a whole number of milliseconds between 100 and 600000' })
  bodyReadTimeoutMs = 30_000;

  /** Slowest a body may arrive, averaged over 5 s of reading (408 below); 0: no minimum. */
  @ByteSizeSetting('BODY_MIN_BYTES_PER_SECOND', { min: 0, message: 'must be a size per second such as 1kb, or 0' })
  bodyMinBytesPerSecond = 1024;

  /** Largest body of an admin API route that takes one (the key is checked before it is read). */
  @ByteSizeSetting('ADMIN_BODY_LIMIT', { min: 1024, max: 1024 * 1024, message: 'must be a size between 1kb and 1mb, such as 16kb' })
  adminBodyLimit = 16 * 1024;

  /**
   * Uploads parsed, validated and stored at once; more wait with their bodies read (a slot is
   * held until the work ends). Beyond what the database pool can take, more at once only costs
   * memory (a 300 KB photo is ~2 MB in flight).
   */
  @IntSetting('INGEST_CONCURRENCY', { min: 1, max: 1000 })
  concurrency = 16;

  @OneOfSetting('INVALID_EVENT_POLICY', Object.values(InvalidEventPolicy), { message: 'must be quarantine or reject' })
  invalidEventPolicy = InvalidEventPolicy.Quarantine;

  @ListSetting('INGEST_PATHS', { pattern: /^\/[A-Za-z0-9._~\-/]*$/, message: 'must be a comma-separated list of paths starting with /' })
  paths: string[] = ['/HistoryEvent'];

  /** Tokens a box must send (path segment, ?token= or header) when set; empty: uploads need none. */
  @ListSetting('INGEST_TOKEN', {
    secret: true,
    pattern: /^[A-Za-z0-9._~-]{16,256}$/,
    message: 'must be a comma-separated list of tokens of 16 to 256 URL-safe characters (A-Z a-z 0-9 . _ ~ -)',
  })
  tokens: string[] = [];

  /** Addresses allowed to upload, in CIDR notation; empty: any. */
  @ListSetting('INGEST_ALLOW_CIDRS', {
    cidr: true,
    message: 'must be a comma-separated list of addresses or CIDR blocks (10.0.0.0/8, 2001:db8::/32)',
  })
  allowCidrs: string[] = [];
}
