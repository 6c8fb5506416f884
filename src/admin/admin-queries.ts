import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { isStatementTimeout } from '../common/database-errors';
import { AdminSettings } from '../config/admin.settings';
import { formatDuration } from '../config/durations';

/**
 * The reads of the admin API whose cost grows with what they match (search, count, summary,
 * devices, quarantine): one transaction in which each statement may run ADMIN_QUERY_TIMEOUT at
 * most. A search too broad for the database is answered 503, asking to narrow it, and frees the
 * database, rather than holding a connection up to the service's statement timeout.
 */
@Injectable()
export class AdminQueries {
  private readonly timeoutMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    settings: AdminSettings,
  ) {
    this.timeoutMs = settings.queryTimeoutMs;
  }

  async read<T>(work: (manager: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    const bounded = async (manager: EntityManager) => {
      await manager.query(`SET LOCAL statement_timeout = ${Math.floor(this.timeoutMs)}`);
      return work(manager);
    };
    try {
      return await (isolation ? this.dataSource.transaction(isolation, bounded) : this.dataSource.transaction(bounded));
    } catch (error) {
      if (!isStatementTimeout(error)) throw error;
      throw new ServiceUnavailableException(
        `the query took longer than ADMIN_QUERY_TIMEOUT (${formatDuration(this.timeoutMs)}): narrow it ` +
          '(a shorter from-to range, one box or edge point, an exact identity) or retry later',
        { cause: error },
      );
    }
  }
}
