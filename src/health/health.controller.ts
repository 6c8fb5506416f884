import { Controller, Get, HttpStatus } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FieldErrorsException } from '../common/error-response';

const PROBE_TIMEOUT_MS = 1000;

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The process answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The database answers and every migration is applied: uploads can be stored. */
  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database').withTimeout(PROBE_TIMEOUT_MS),
        () =>
          this.indicators
            .check('migrations')
            .attempt(async () => {
              if (await this.dataSource.showMigrations()) throw new Error('migrations are pending');
            })
            .withTimeout(PROBE_TIMEOUT_MS),
      ]);
    } catch (error) {
      throw notReady(error);
    }
  }
}

/** Terminus's 503 in the service's error shape: one entry per check that is down. */
function notReady(error: unknown): unknown {
  const result = (error as { getResponse?: () => unknown }).getResponse?.() as HealthCheckResult | undefined;
  if (!result?.error) return error;
  const errors = Object.entries(result.error).map(([field, detail]) => ({
    field,
    message: String((detail as { message?: unknown }).message ?? 'down'),
  }));
  return new FieldErrorsException(`not ready: ${errors.map((entry) => entry.field).join(', ')} down`, errors, HttpStatus.SERVICE_UNAVAILABLE);
}
