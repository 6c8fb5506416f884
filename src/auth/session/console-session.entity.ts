import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A console sign-in: the browser holds a random token in an HttpOnly cookie, the database only
 * its sha256, so that a copy of the table opens nothing. Signing out deletes the row.
 */
@Entity('console_session')
@Index('console_session_expires_at', ['expiresAt'])
export class ConsoleSessionEntity {
  /** sha256 of the cookie's token. */
  @PrimaryColumn({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  /** Which admin API key signed in (its fingerprint): the session ends when that key is removed. */
  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'created_from', type: 'inet', nullable: true })
  createdFrom: string | null;

  /** The browser's User-Agent, cut to 256 characters: tells an operator's sessions apart. */
  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true })
  userAgent: string | null;
}
