import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Request } from 'express';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SecretSet } from '../common/secret-set';
import { AdminSettings } from '../config/admin.settings';
import { ServerSettings } from '../config/server.settings';
import { AdminCredentialSource, AdminPrincipal, bearerToken } from './admin-principal';

export const GENERATED_KEY_FILE = 'admin-api-key';

/** A key's fingerprint, from the sha256 that SecretSet keeps of it: names a key (rate limits, sessions) without revealing it. */
const keyIdOfDigest = (digest: Buffer) => digest.subarray(0, 8).toString('hex');

/**
 * The keys that open the admin API: ADMIN_API_KEYS, or else one generated at first start and
 * kept in DATA_DIR (printed that once), so that a quick start is never open to anyone. Only their
 * sha256 digests are kept; a caller is known by a prefix of its key's digest.
 */
@Injectable()
export class AdminApiKeysService implements OnModuleInit, AdminCredentialSource {
  private readonly logger = new Logger('AdminApiKeys');
  private keys = new SecretSet([]);
  private keyIds = new Set<string>();

  constructor(
    private readonly settings: AdminSettings,
    private readonly server: ServerSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.settings.apiKeys;
    const keys = configured.length > 0 ? configured : [await this.generatedKey()];
    this.keys = new SecretSet(keys);
    this.keyIds = new Set(keys.map((key) => keyIdOfDigest(this.keys.match(key)!)));
  }

  isValid(candidate: string): boolean {
    return this.keys.has(candidate);
  }

  /** The caller of a request with `Authorization: Bearer <one of the keys>`; null without an Authorization header or with any other. */
  authenticate(req: Request): AdminPrincipal | null {
    const token = bearerToken(req.headers.authorization);
    const keyId = token === null ? null : this.keyIdOf(token);
    return keyId ? { keyId, via: 'bearer' } : null;
  }

  /** The fingerprint of a valid key (what a session records of it); null for anything else. */
  keyIdOf(candidate: string): string | null {
    const digest = this.keys.match(candidate);
    return digest ? keyIdOfDigest(digest) : null;
  }

  /** Whether the key with this fingerprint is still configured (a removed key ends its sessions). */
  hasKeyId(id: string): boolean {
    return this.keyIds.has(id);
  }

  private async generatedKey(): Promise<string> {
    const dataDir = resolve(this.server.dataDir);
    const file = join(dataDir, GENERATED_KEY_FILE);
    if (existsSync(file)) {
      this.logger.log(`admin API key: the one generated earlier, in ${file}`);
      return (await readFile(file, 'utf8')).trim();
    }
    const key = `se3_${randomBytes(24).toString('base64url')}`;
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    // Shown once, on the console rather than in the log: secrets never reach a log line.
    process.stderr.write(`\n  Admin API key (generated, shown this once, kept in ${file}):\n\n    ${key}\n\n`);
    this.logger.warn(`no ADMIN_API_KEYS set: generated an admin API key, printed once on the console and kept in ${file}`);
    return key;
  }
}
