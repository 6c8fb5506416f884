import type { Request } from 'express';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSettings } from '../config/settings';
import { AdminApiKeysService, GENERATED_KEY_FILE } from './admin-api-keys.service';

const service = (settings: { ADMIN_API_KEYS: string[]; DATA_DIR: string }) => {
  const { admin, server } = validateSettings({ ADMIN_API_KEYS: settings.ADMIN_API_KEYS.join(','), DATA_DIR: settings.DATA_DIR });
  return new AdminApiKeysService(admin, server);
};

describe('AdminApiKeysService', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'se3-keys-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('accepts each configured key and nothing else', async () => {
    const keys = service({ ADMIN_API_KEYS: ['first-key-0123456789', 'second-key-0123456789'], DATA_DIR: dataDir });
    await keys.onModuleInit();
    expect(keys.isValid('first-key-0123456789')).toBe(true);
    expect(keys.isValid('second-key-0123456789')).toBe(true);
    expect(keys.isValid('first-key-012345678')).toBe(false);
    expect(keys.isValid('')).toBe(false);
    await expect(stat(join(dataDir, GENERATED_KEY_FILE))).rejects.toThrow('ENOENT');
  });

  it('knows a caller by a digest of its key, never the key', async () => {
    const keys = service({ ADMIN_API_KEYS: ['first-key-0123456789', 'second-key-0123456789'], DATA_DIR: dataDir });
    await keys.onModuleInit();
    const callerOf = (authorization?: string) => keys.authenticate({ headers: { authorization } } as Request);
    const first = callerOf('Bearer first-key-0123456789');
    expect(first).toEqual({ keyId: expect.stringMatching(/^[0-9a-f]{16}$/), via: 'bearer' });
    expect(first!.keyId).not.toContain('first-key');
    expect(callerOf('bearer first-key-0123456789')).toEqual(first);
    expect(callerOf('Bearer second-key-0123456789')?.keyId).not.toBe(first!.keyId);
    expect(callerOf('Bearer first-key-0123456789 junk')).toBeNull();
    expect(callerOf('Bearer wrong-key-0123456789')).toBeNull();
    expect(callerOf(undefined)).toBeNull();
  });

  it('without configured keys, generates one at first start, keeps it private in DATA_DIR and reuses it', async () => {
    const first = service({ ADMIN_API_KEYS: [], DATA_DIR: dataDir });
    await first.onModuleInit();
    const file = join(dataDir, GENERATED_KEY_FILE);
    const key = (await readFile(file, 'utf8')).trim();
    expect(key).toMatch(/^se3_[A-Za-z0-9_-]{32}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.isValid(key)).toBe(true);

    const second = service({ ADMIN_API_KEYS: [], DATA_DIR: dataDir });
    await second.onModuleInit();
    expect(second.isValid(key)).toBe(true);
    expect((await readFile(file, 'utf8')).trim()).toBe(key);
  });
});
