import { DurationSetting, IntSetting, ListSetting } from './setting.decorators';

/** The admin API and the console: keys, sessions, budgets, and the cost of its queries. */
export class AdminSettings {
  /** Empty: a key is generated at first start and kept in DATA_DIR. */
  @ListSetting('ADMIN_API_KEYS', {
    secret: true,
    pattern: /^(?=.{16,}$)[A-Za-z0-9._~+/-]+=*$/,
    message:
      'must be a comma-separated list of keys of at least 16 characters, each a bearer token (A-Z a-z 0-9 - . _ ~ + /, then = at the end only)',
  })
  apiKeys: string[] = [];

  /**
   * How often new events are folded into the device list and the summary counts, in ms. Answers
   * are exact either way (events not yet folded are counted from the events table); folding keeps
   * that remainder small.
   */
  @IntSetting('ADMIN_STATS_INTERVAL_MS', {
    min: 100,
    max: 3_600_000,
    message: 'must be a whole number of milliseconds between 100 and 3600000',
  })
  statsIntervalMs = 5000;

  /**
   * Longest each statement of an admin search, count, summary or device list may run: beyond it
   * the request is answered 503, asking to narrow the search, and the database is free again.
   */
  @DurationSetting('ADMIN_QUERY_TIMEOUT', { min: 100, max: 600_000, message: 'must be a duration such as 5s' })
  queryTimeoutMs = 5_000;

  /** How long a console sign-in lasts (a shift); signing out ends it earlier. */
  @DurationSetting('CONSOLE_SESSION_TTL', { min: 60_000, max: 30 * 86_400_000, message: 'must be a duration such as 12h or 30m' })
  sessionTtlMs = 12 * 3_600_000;

  /** Requests per minute to the admin API with one key (per authenticated caller). */
  @IntSetting('ADMIN_RATE_LIMIT_PER_MINUTE', { min: 1 })
  rateLimitPerMinute = 600;

  /**
   * Requests per admin key per minute to the image and thumbnail routes, counted apart from
   * ADMIN_RATE_LIMIT_PER_MINUTE: a console page shows a hundred faces at once.
   */
  @IntSetting('ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE', { min: 1 })
  imageRateLimitPerMinute = 6000;

  /** Failed authentications to the admin API a client address may make per minute (429 beyond); apart from the keys' budgets. */
  @IntSetting('ADMIN_AUTH_FAILURES_PER_MINUTE', { min: 1 })
  authFailuresPerMinute = 60;
}
