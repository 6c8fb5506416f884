import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * Secrets (API keys, tokens) that a candidate is checked against in constant time: every
 * secret is compared, through fixed-length digests, so that timing tells nothing about any.
 * Only the digests are kept.
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
    return this.match(candidate) !== null;
  }

  /** The sha256 of the secret the candidate equals, or null. */
  match(candidate: string): Buffer | null {
    const candidateDigest = digest(candidate);
    return this.digests.reduce<Buffer | null>(
      (found, secretDigest) => (timingSafeEqual(secretDigest, candidateDigest) ? secretDigest : found),
      null,
    );
  }
}
