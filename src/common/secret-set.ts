import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * Secrets (API keys, tokens) that a candidate is checked against in constant time: every
 * secret is compared, through fixed-length digests, so that timing tells nothing about any.
 */
export class SecretSet {
  private readonly digests: Buffer[];

  constructor(secrets: string[]) {
    this.digests = secrets.map(digest);
  }

  get size(): number {
    return this.digests.length;
  }

  has(candidate: string): boolean {
    const candidateDigest = digest(candidate);
    return this.digests.reduce((found, secretDigest) => timingSafeEqual(secretDigest, candidateDigest) || found, false);
  }
}
