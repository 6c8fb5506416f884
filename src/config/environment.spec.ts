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

  it('reads the admin API settings', () => {
    expect(validateEnvironment({}).ADMIN_STATS_INTERVAL_MS).toBe(5000);
    expect(validateEnvironment({ ADMIN_STATS_INTERVAL_MS: '250' }).ADMIN_STATS_INTERVAL_MS).toBe(250);
    expect(() => validateEnvironment({ ADMIN_STATS_INTERVAL_MS: '50' })).toThrow(
      'ADMIN_STATS_INTERVAL_MS must be a whole number of milliseconds between 100 and 3600000 (got "50")',
    );
  });
});
