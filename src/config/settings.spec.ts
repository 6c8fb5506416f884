import { InvalidEventPolicy } from './intake.settings';
import { validateSettings } from './settings';

describe('validateSettings', () => {
  it('fills every default when nothing is set', () => {
    const settings = validateSettings({});
    expect(settings).toMatchObject({
      server: { port: 9528, dataDir: './data' },
      intake: {
        bodyLimit: 64 * 1024 * 1024,
        imageMaxBytes: 5 * 1024 * 1024,
        invalidEventPolicy: InvalidEventPolicy.Quarantine,
        paths: ['/HistoryEvent'],
        jsonMaxDepth: 32,
      },
      database: { migrationsRun: true },
    });
    expect(settings.database.url).toBeUndefined();
  });

  it('converts sizes, numbers, booleans and lists, and treats empty values as unset', () => {
    const settings = validateSettings({
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
      server: { port: 8080 },
      intake: {
        bodyLimit: 10 * 1024 * 1024,
        imageMaxBytes: 123456,
        paths: ['/HistoryEvent', '/upload/events'],
        invalidEventPolicy: InvalidEventPolicy.Reject,
      },
      database: { migrationsRun: false },
    });
    expect(settings.database.url).toBeUndefined();
    for (const area of Object.values(settings)) {
      expect(area).not.toHaveProperty('UNRELATED');
      expect(area).not.toHaveProperty('PORT');
    }
  });

  it('refuses bad values with one message naming each variable and what it got', () => {
    expect(() =>
      validateSettings({
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
    expect(validateSettings({})).toMatchObject({
      intake: {
        jsonMaxElements: 20_000,
        bodyBudget: 128 * 1024 * 1024,
        bodyReadTimeoutMs: 30_000,
        bodyMinBytesPerSecond: 1024,
        bodyMaxInflation: 10,
        adminBodyLimit: 16 * 1024,
      },
      server: { headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 1000, maxConnectionsPerClient: 256 },
    });
    expect(validateSettings({ BODY_MIN_BYTES_PER_SECOND: '10kb', BODY_LIMIT: '200mb', INGEST_BODY_BUDGET: '1gb' }).intake).toMatchObject({
      bodyMinBytesPerSecond: 10 * 1024,
      bodyBudget: 1024 * 1024 * 1024,
    });
    expect(() => validateSettings({ BODY_LIMIT: '200mb' })).toThrow(
      'INGEST_BODY_BUDGET must be a size such as 128mb, at least BODY_LIMIT (its default is 134217728)',
    );
    expect(() => validateSettings({ BODY_LIMIT: '2mb', INGEST_BODY_BUDGET: '1mb' })).toThrow(
      'INGEST_BODY_BUDGET must be a size such as 128mb, at least BODY_LIMIT (got "1mb")',
    );
  });

  it('reads the admin API settings', () => {
    expect(validateSettings({}).admin.statsIntervalMs).toBe(5000);
    expect(validateSettings({ ADMIN_STATS_INTERVAL_MS: '250' }).admin.statsIntervalMs).toBe(250);
    expect(() => validateSettings({ ADMIN_STATS_INTERVAL_MS: '50' })).toThrow(
      'ADMIN_STATS_INTERVAL_MS must be a whole number of milliseconds between 100 and 3600000 (got "50")',
    );
  });
});

describe('validateSettings, hooks section', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('defaults to a retry schedule spanning about a day, and reads durations', () => {
    const defaults = validateSettings({}).hooks;
    const total = defaults.retryScheduleMs.reduce((sum, ms) => sum + ms, 0);
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThan(26 * 3_600_000);
    expect(defaults).toMatchObject({ deliveryTimeoutMs: 10_000, amqpExchange: 'se3.hooks', webhookUrls: [] });

    const settings = validateSettings({
      HOOK_RETRY_SCHEDULE: '250ms, 10s,2m,1h,1d',
      HOOK_DELIVERY_TIMEOUT: '3s',
      HOOK_WEBHOOK_URLS: 'https://a.example/hooks, http://127.0.0.1:9000/in',
      HOOK_WEBHOOK_SECRET: secret,
    }).hooks;
    expect(settings.retryScheduleMs).toEqual([250, 10_000, 120_000, 3_600_000, 86_400_000]);
    expect(settings.deliveryTimeoutMs).toBe(3_000);
    expect(settings.webhookUrls).toEqual(['https://a.example/hooks', 'http://127.0.0.1:9000/in']);
    expect(settings.webhookSecret).toBe(secret);
  });

  it('refuses webhooks without a Standard Webhooks secret, and bad schedules and URLs', () => {
    expect(() => validateSettings({ HOOK_WEBHOOK_URLS: 'https://a.example/hooks' })).toThrow(
      /HOOK_WEBHOOK_SECRET must be set when HOOK_WEBHOOK_URLS is, as whsec_ followed by the base64 of 24 to 64 random bytes/,
    );
    expect(() => validateSettings({ HOOK_WEBHOOK_URLS: 'https://a.example/hooks', HOOK_WEBHOOK_SECRET: 'hunter2' })).toThrow(
      /HOOK_WEBHOOK_SECRET must be set .* \(got a value, hidden\)/,
    );
    expect(() => validateSettings({ HOOK_RETRY_SCHEDULE: '10s,soon' })).toThrow(
      'HOOK_RETRY_SCHEDULE must be a comma-separated list of durations such as 10s,1m,1h (got "10s,soon")',
    );
    expect(() => validateSettings({ HOOK_WEBHOOK_URLS: 'ftp://a.example', HOOK_WEBHOOK_SECRET: secret })).toThrow(
      'HOOK_WEBHOOK_URLS must be a comma-separated list of http:// or https:// URLs (got "ftp://a.example")',
    );
    expect(() => validateSettings({ HOOK_AMQP_URL: 'rabbit://x' })).toThrow(
      'HOOK_AMQP_URL must be an amqp:// or amqps:// URL (got "rabbit://x")',
    );
  });
});

describe('validateSettings, admin API keys', () => {
  it('takes keys that can be sent as a bearer token, and refuses others (they could never authenticate)', () => {
    expect(validateSettings({ ADMIN_API_KEYS: 'se3_abcdefghijklmnop, Key.with~all+the/chars-_==' }).admin.apiKeys).toEqual([
      'se3_abcdefghijklmnop',
      'Key.with~all+the/chars-_==',
    ]);
    for (const key of ['has a space in it 0123', 'exclamation!0123456789', 'padding=in-the-middle-0123', 'ümlaut-0123456789abc']) {
      expect(() => validateSettings({ ADMIN_API_KEYS: key })).toThrow('ADMIN_API_KEYS must be a comma-separated list of keys');
    }
  });
});

describe('validateSettings, secrets in its messages', () => {
  it('never repeats a secret it refuses: passwords in URLs and keys are hidden', () => {
    let message = '';
    try {
      validateSettings({
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

describe('validateSettings, each secret setting hidden in its refusal', () => {
  const refusal = (env: Record<string, string>): string => {
    try {
      validateSettings(env);
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
