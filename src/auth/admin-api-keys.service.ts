import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EnvironmentVariables } from '../config/environment';

export const GENERATED_KEY_FILE = 'admin-api-key';

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * The keys that open the admin API: ADMIN_API_KEYS, or else one generated at first start and
 * kept in DATA_DIR (printed that once), so that a quick start is never open to anyone.
 */
@Injectable()
export class AdminApiKeysService implements OnModuleInit {
  private readonly logger = new Logger('AdminApiKeys');
  private digests: Buffer[] = [];

  constructor(private readonly config: ConfigService<EnvironmentVariables, true>) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.get('ADMIN_API_KEYS', { infer: true });
    const keys = configured.length > 0 ? configured : [await this.generatedKey()];
    this.digests = keys.map(digest);
  }

  /** Compares in constant time against every key, so that timing tells nothing about any of them. */
  isValid(candidate: string): boolean {
    const candidateDigest = digest(candidate);
    return this.digests.reduce((found, keyDigest) => timingSafeEqual(keyDigest, candidateDigest) || found, false);
  }

  private async generatedKey(): Promise<string> {
    const dataDir = resolve(this.config.get('DATA_DIR', { infer: true }));
    const file = join(dataDir, GENERATED_KEY_FILE);
    if (existsSync(file)) {
      this.logger.log(`admin API key: the one generated earlier, in ${file}`);
      return (await readFile(file, 'utf8')).trim();
    }
    const key = `se3_${randomBytes(24).toString('base64url')}`;
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    this.logger.warn(
      `no ADMIN_API_KEYS set: generated an admin API key, shown this once and kept in ${file}: ${key}`,
    );
    return key;
  }
}
