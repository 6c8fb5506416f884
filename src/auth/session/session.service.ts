import { ForbiddenException, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { AdminApiKeysService } from '../admin-api-keys.service';
import type { AdminCredentialSource, AdminPrincipal } from '../admin-principal';
import { AdminSettings } from '../../config/admin.settings';
import { CONSOLE_REQUEST_HEADER, sessionTokenOf } from './session-cookie';
import { SessionRepository } from './session.repository';

/** How long a checked session is believed without asking the database again (a sign-out elsewhere takes this long to reach this instance). */
const CACHE_MS = 5_000;
const CACHE_ENTRIES = 1_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface NewSession {
  token: string;
  keyId: string;
  expiresAt: Date;
}

interface Checked {
  keyId: string;
  expiresAt: number;
  checkedAt: number;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Console sign-ins: an admin API key is exchanged for a random token (the cookie), of which the
 * database keeps only the hash. A session resolves to the principal of the key that opened it,
 * for as long as CONSOLE_SESSION_TTL, until signed out, or until that key is removed.
 */
@Injectable()
export class SessionService implements AdminCredentialSource {
  private readonly logger = new Logger('Sessions');
  private readonly ttlMs: number;
  private readonly checked = new Map<string, Checked>();
  private readonly closedListeners = new Set<(sessionId: string) => void>();

  constructor(
    private readonly repository: SessionRepository,
    private readonly keys: AdminApiKeysService,
    settings: AdminSettings,
  ) {
    this.ttlMs = settings.sessionTtlMs;
  }

  get lifetimeMs(): number {
    return this.ttlMs;
  }

  /** A new session for a valid key; null for anything else. */
  async open(key: string, from: string | null, userAgent: string | undefined): Promise<NewSession | null> {
    const keyId = this.keys.keyIdOf(key);
    if (!keyId) return null;
    // Expired sessions are removed as new ones come: the table stays as small as the sessions alive.
    await this.repository.deleteExpired(new Date());
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.repository.insert({
      tokenHash: hashOf(token),
      keyId,
      expiresAt,
      createdFrom: from,
      userAgent: userAgent ? userAgent.slice(0, 256) : null,
    });
    this.logger.log(`console sign-in with key ${keyId}`);
    return { token, keyId, expiresAt };
  }

  /**
   * The principal of the request's session cookie; null without a live one, and for a request
   * with an Authorization header (judged by that header alone). A cookie-authenticated request
   * that changes something without the console's header is refused (403).
   */
  async authenticate(req: Request): Promise<AdminPrincipal | null> {
    if (req.headers.authorization !== undefined) return null;
    const token = sessionTokenOf(req);
    if (!token) return null;
    const id = hashOf(token).toString('hex');
    const session = await this.find(id);
    if (!session) return null;
    if (!SAFE_METHODS.has(req.method) && (!req.headers[CONSOLE_REQUEST_HEADER] || req.headers['sec-fetch-site'] === 'cross-site')) {
      throw new ForbiddenException(
        `a request signed in with the console's cookie that changes something needs the ${CONSOLE_REQUEST_HEADER} header`,
      );
    }
    return { keyId: session.keyId, via: 'session', sessionId: id };
  }

  /** When the session ends; null when it has ended (signed out, expired, or its key removed). */
  async expiryOf(sessionId: string): Promise<Date | null> {
    const session = await this.find(sessionId);
    return session ? new Date(session.expiresAt) : null;
  }

  /** Whether a session is still alive, for long-lived streams that checked it once at their start. */
  async isActive(sessionId: string): Promise<boolean> {
    return (await this.find(sessionId)) !== null;
  }

  /** Ends the session of this cookie value, if there is one. */
  async close(token: string): Promise<void> {
    const hash = hashOf(token);
    const id = hash.toString('hex');
    this.checked.delete(id);
    await this.repository.deleteByTokenHash(hash);
    for (const listener of this.closedListeners) listener(id);
  }

  /** Calls `listener` with the id of each session signed out on this instance (others are found by `isActive`). */
  onClosed(listener: (sessionId: string) => void): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  private async find(id: string): Promise<Checked | null> {
    const now = Date.now();
    let session = this.checked.get(id);
    if (!session || now - session.checkedAt > CACHE_MS) {
      const row = await this.repository.findAlive(Buffer.from(id, 'hex'), new Date(now));
      this.checked.delete(id);
      if (!row) return null;
      session = { keyId: row.keyId, expiresAt: row.expiresAt.getTime(), checkedAt: now };
      if (this.checked.size >= CACHE_ENTRIES) this.checked.delete(this.checked.keys().next().value!);
      this.checked.set(id, session);
    }
    if (session.expiresAt <= now || !this.keys.hasKeyId(session.keyId)) return null;
    return session;
  }
}
