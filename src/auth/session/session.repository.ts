import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThan, Repository } from 'typeorm';
import { ConsoleSessionEntity } from './console-session.entity';

/** A new session's row: the database keeps only the hash of its token. */
export type NewSessionRow = Pick<ConsoleSessionEntity, 'tokenHash' | 'keyId' | 'expiresAt' | 'createdFrom' | 'userAgent'>;

@Injectable()
export class SessionRepository {
  private readonly sessions: Repository<ConsoleSessionEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.sessions = dataSource.getRepository(ConsoleSessionEntity);
  }

  async insert(session: NewSessionRow): Promise<void> {
    await this.sessions.insert(session);
  }

  /** Removes sessions expired before `now`: the table stays as small as the sessions alive. */
  async deleteExpired(now: Date): Promise<void> {
    await this.sessions.delete({ expiresAt: LessThan(now) });
  }

  async deleteByTokenHash(tokenHash: Buffer): Promise<void> {
    await this.sessions.delete({ tokenHash });
  }

  /** The key and expiry of the session with this token hash, if it is alive at `now`. */
  findAlive(tokenHash: Buffer, now: Date): Promise<Pick<ConsoleSessionEntity, 'keyId' | 'expiresAt'> | null> {
    return this.sessions.findOne({ select: { keyId: true, expiresAt: true }, where: { tokenHash, expiresAt: MoreThan(now) } });
  }
}
