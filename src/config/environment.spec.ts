import { InvalidEventPolicy, validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('fills every default when nothing is set', () => {
    const settings = validateEnvironment({});
    expect(settings).toMatchObject({
      PORT: 9528,
      DATA_DIR: './data',
      BODY_LIMIT: 64 * 1024 * 1024,
      IMAGE_MAX_BYTES: 5 * 1024 * 1024,
      INVALID_EVENT_POLICY: InvalidEventPolicy.Quarantine,
      INGEST_PATHS: ['/HistoryEvent'],
      MIGRATIONS_RUN: true,
      JSON_MAX_DEPTH: 32,
    });
    expect(settings.DATABASE_URL).toBeUndefined();
  });

  it('converts sizes, numbers, booleans and lists, and treats empty values as unset', () => {
    const settings = validateEnvironment({
      PORT: '8080',
      BODY_LIMIT: '10mb',
      IMAGE_MAX_BYTES: '123456',
      MIGRATIONS_RUN: 'false',
      INGEST_PATHS: '/HistoryEvent, /upload/events ,',
      INVALID_EVENT_POLICY: 'reject',
      DATABASE_URL: '',
      UNRELATED: 'ignored',
    });
    expect(settings).toMatchObject({
      PORT: 8080,
      BODY_LIMIT: 10 * 1024 * 1024,
      IMAGE_MAX_BYTES: 123456,
      MIGRATIONS_RUN: false,
      INGEST_PATHS: ['/HistoryEvent', '/upload/events'],
      INVALID_EVENT_POLICY: InvalidEventPolicy.Reject,
    });
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(settings).not.toHaveProperty('UNRELATED');
  });

  it('refuses bad values with one message naming each variable and what it got', () => {
    expect(() =>
      validateEnvironment({
        PORT: '70000',
        BODY_LIMIT: 'huge',
        DATABASE_URL: 'mysql://x',
        INGEST_PATHS: 'HistoryEvent',
        MIGRATIONS_RUN: 'maybe',
      }),
    ).toThrow(
      [
        'Invalid configuration:',
        '  - PORT must be a whole number between 0 and 65535 (got "70000")',
        '  - DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://x")',
        '  - MIGRATIONS_RUN must be true or false (got "maybe")',
        '  - BODY_LIMIT must be a size of at least 1kb, such as 64mb, or a number of bytes (got "huge")',
        '  - INGEST_PATHS must be a comma-separated list of paths starting with / (got "HistoryEvent")',
      ].join('\n'),
    );
  });

  it('reads the intake settings, and refuses an INGEST_BODY_BUDGET below BODY_LIMIT, default or not', () => {
    expect(validateEnvironment({})).toMatchObject({
      JSON_MAX_ELEMENTS: 20_000,
      INGEST_BODY_BUDGET: 128 * 1024 * 1024,
      BODY_READ_TIMEOUT_MS: 30_000,
      BODY_MIN_BYTES_PER_SECOND: 1024,
      BODY_MAX_INFLATION: 10,
      ADMIN_BODY_LIMIT: 16 * 1024,
      HEADERS_TIMEOUT_MS: 10_000,
      KEEP_ALIVE_TIMEOUT_MS: 5_000,
      MAX_CONNECTIONS: 1000,
      MAX_CONNECTIONS_PER_CLIENT: 256,
    });
    expect(validateEnvironment({ BODY_MIN_BYTES_PER_SECOND: '10kb', BODY_LIMIT: '200mb', INGEST_BODY_BUDGET: '1gb' })).toMatchObject({
      BODY_MIN_BYTES_PER_SECOND: 10 * 1024,
      INGEST_BODY_BUDGET: 1024 * 1024 * 1024,
    });
    expect(() => validateEnvironment({ BODY_LIMIT: '200mb' })).toThrow(
      'INGEST_BODY_BUDGET must be a size such as 128mb, at least BODY_LIMIT (its default is 134217728)',
    );
    expect(() => validateEnvironment({ BODY_LIMIT: '2mb', INGEST_BODY_BUDGET: '1mb' })).toThrow(
      'INGEST_BODY_BUDGET must be a size such as 128mb, at least BODY_LIMIT (got "1mb")',
    );
  });

  it('reads the admin API settings', () => {
    expect(validateEnvironment({}).ADMIN_STATS_INTERVAL_MS).toBe(5000);
    expect(validateEnvironment({ ADMIN_STATS_INTERVAL_MS: '250' }).ADMIN_STATS_INTERVAL_MS).toBe(250);
    expect(() => validateEnvironment({ ADMIN_STATS_INTERVAL_MS: '50' })).toThrow(
      'ADMIN_STATS_INTERVAL_MS must be a whole number of milliseconds between 100 and 3600000 (got "50")',
    );
  });
});

describe('validateEnvironment, hooks section', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('defaults to a retry schedule spanning about a day, and reads durations', () => {
    const defaults = validateEnvironment({});
    const total = defaults.HOOK_RETRY_SCHEDULE.reduce((sum, ms) => sum + ms, 0);
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThan(26 * 3_600_000);
    expect(defaults).toMatchObject({ HOOK_DELIVERY_TIMEOUT: 10_000, HOOK_AMQP_EXCHANGE: 'se3.hooks', HOOK_WEBHOOK_URLS: [] });

    const settings = validateEnvironment({
      HOOK_RETRY_SCHEDULE: '250ms, 10s,2m,1h,1d',
      HOOK_DELIVERY_TIMEOUT: '3s',
      HOOK_WEBHOOK_URLS: 'https://a.example/hooks, http://127.0.0.1:9000/in',
      HOOK_WEBHOOK_SECRET: secret,
    });
    expect(settings.HOOK_RETRY_SCHEDULE).toEqual([250, 10_000, 120_000, 3_600_000, 86_400_000]);
    expect(settings.HOOK_DELIVERY_TIMEOUT).toBe(3_000);
    expect(settings.HOOK_WEBHOOK_URLS).toEqual(['https://a.example/hooks', 'http://127.0.0.1:9000/in']);
  });

  it('refuses webhooks without a Standard Webhooks secret, and bad schedules and URLs', () => {
    expect(() => validateEnvironment({ HOOK_WEBHOOK_URLS: 'https://a.example/hooks' })).toThrow(
      /HOOK_WEBHOOK_SECRET must be set when HOOK_WEBHOOK_URLS is, as whsec_ followed by the base64 of 24 to 64 random bytes/,
    );
    expect(() => validateEnvironment({ HOOK_WEBHOOK_URLS: 'https://a.example/hooks', HOOK_WEBHOOK_SECRET: 'hunter2' })).toThrow(
      /HOOK_WEBHOOK_SECRET must be set .* \(got a value, hidden\)/,
    );
    expect(() => validateEnvironment({ HOOK_RETRY_SCHEDULE: '10s,soon' })).toThrow(
      'HOOK_RETRY_SCHEDULE must be a comma-separated list of durations such as 10s,1m,1h (got "10s,soon")',
    );
    expect(() => validateEnvironment({ HOOK_WEBHOOK_URLS: 'ftp://a.example', HOOK_WEBHOOK_SECRET: secret })).toThrow(
      'HOOK_WEBHOOK_URLS must be a comma-separated list of http:// or https:// URLs (got "ftp://a.example")',
    );
    expect(() => validateEnvironment({ HOOK_AMQP_URL: 'rabbit://x' })).toThrow(
      'HOOK_AMQP_URL must be an amqp:// or amqps:// URL (got "rabbit://x")',
    );
  });
});

describe('validateEnvironment, admin API keys', () => {
  it('takes keys that can be sent as a bearer token, and refuses others (they could never authenticate)', () => {
    expect(validateEnvironment({ ADMIN_API_KEYS: 'se3_abcdefghijklmnop, Key.with~all+the/chars-_==' }).ADMIN_API_KEYS).toEqual([
      'se3_abcdefghijklmnop',
      'Key.with~all+the/chars-_==',
    ]);
    for (const key of ['has a space in it 0123', 'exclamation!0123456789', 'padding=in-the-middle-0123', 'ümlaut-0123456789abc']) {
      expect(() => validateEnvironment({ ADMIN_API_KEYS: key })).toThrow('ADMIN_API_KEYS must be a comma-separated list of keys');
    }
  });
});

describe('validateEnvironment, secrets in its messages', () => {
  it('never repeats a secret it refuses: passwords in URLs and keys are hidden', () => {
    let message = '';
    try {
      validateEnvironment({
        DATABASE_URL: 'mysql://root:db-pass-123@db.example/se3',
        ADMIN_API_KEYS: 'short-admin-key',
        HOOK_WEBHOOK_URLS: 'https://a.example/hooks',
        HOOK_WEBHOOK_SECRET: 'hunter2-webhook',
        HOOK_AMQP_URL: 'rabbit://app:mq-pass-456@mq.example',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://root:***@db.example/se3")');
    expect(message).toContain(
      'ADMIN_API_KEYS must be a comma-separated list of keys of at least 16 characters, each a bearer token (A-Z a-z 0-9 - . _ ~ + /, then = at the end only) (got a value, hidden)',
    );
    expect(message).toContain('HOOK_WEBHOOK_SECRET must be set when HOOK_WEBHOOK_URLS is');
    expect(message).toContain('HOOK_AMQP_URL must be an amqp:// or amqps:// URL (got "rabbit://app:***@mq.example")');
    for (const secret of ['db-pass-123', 'short-admin-key', 'hunter2-webhook', 'mq-pass-456']) expect(message).not.toContain(secret);
  });
});

describe('validateEnvironment, each secret setting hidden in its refusal', () => {
  const refusal = (env: Record<string, string>): string => {
    try {
      validateEnvironment(env);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the settings were accepted');
  };
  const secretWebhook = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('INGEST_TOKEN: a token too short is named, not quoted', () => {
    const message = refusal({ INGEST_TOKEN: 'valid-token-0123456789,short-tok' });
    expect(message).toContain('INGEST_TOKEN must be a comma-separated list of tokens');
    expect(message).toContain('(got a value, hidden)');
    expect(message).not.toContain('valid-token-0123456789');
    expect(message).not.toContain('short-tok');
  });

  it('ADMIN_API_KEYS', () => {
    const message = refusal({ ADMIN_API_KEYS: 'a-long-enough-admin-key,tiny' });
    expect(message).toContain('ADMIN_API_KEYS must be');
    expect(message).not.toMatch(/a-long-enough-admin-key|tiny/);
  });

  it('HOOK_WEBHOOK_SECRET', () => {
    const message = refusal({ HOOK_WEBHOOK_URLS: 'https://a.example/hooks', HOOK_WEBHOOK_SECRET: 'whsec_not-base64!' });
    expect(message).toContain('HOOK_WEBHOOK_SECRET must be');
    expect(message).not.toContain('not-base64');
  });

  it.each([
    ['a plain password', 'mysql://se3:db-pass-123@db.example/se3', 'mysql://se3:***@db.example/se3'],
    ['a password holding @', 'mysql://se3:p@ss@word@db.example/se3', 'mysql://se3:***@db.example/se3'],
    ['a password holding a quote, a slash, a comma and a space', 'mysql://se3:a"b/c,d e@db.example/se3', 'mysql://se3:***@db.example/se3'],
    ['a user name alone (a token)', 'mysql://tok3n-s3cret@db.example/se3', 'mysql://***@db.example/se3'],
  ])('DATABASE_URL with %s', (_, url, shown) => {
    const message = refusal({ DATABASE_URL: url });
    expect(message).toContain(`DATABASE_URL must be a postgres:// or postgresql:// URL (got ${JSON.stringify(shown)})`);
    expect(message).not.toMatch(/db-pass-123|word|a"b|c,d e|tok3n/);
  });

  it('HOOK_AMQP_URL', () => {
    const message = refusal({ HOOK_AMQP_URL: 'rabbit://app:mq@pass@mq.example' });
    expect(message).toContain('HOOK_AMQP_URL must be an amqp:// or amqps:// URL (got "rabbit://app:***@mq.example")');
    expect(message).not.toContain('pass');
  });

  it('HOOK_WEBHOOK_URLS: the user information of every URL of the list', () => {
    const message = refusal({
      HOOK_WEBHOOK_URLS: 'https://hooks.example/in,ftp://user:pw,1@files.example,https://tok3n@b.example/x',
      HOOK_WEBHOOK_SECRET: secretWebhook,
    });
    expect(message).toContain('HOOK_WEBHOOK_URLS must be a comma-separated list of http:// or https:// URLs');
    expect(message).not.toMatch(/pw,1|tok3n/);
  });

  it('HOOK_LINK_BASE_URL and CORS_ORIGINS, which hold no credentials when valid', () => {
    const message = refusal({ HOOK_LINK_BASE_URL: 'https://u:link-pass@se3.example/', CORS_ORIGINS: 'https://u:cors-pass@admin.example/' });
    expect(message).toContain('HOOK_LINK_BASE_URL must be');
    expect(message).toContain('CORS_ORIGINS must be');
    expect(message).not.toMatch(/link-pass|cors-pass/);
  });
});
