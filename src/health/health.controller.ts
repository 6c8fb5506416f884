import { Controller, Get, HttpStatus, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorResponseDto, FieldErrorsException } from '../common/error-response';
import { LivenessDto, ReadinessDto } from './health.dto';

const PROBE_TIMEOUT_MS = 1000;

const MIGRATIONS_PENDING = 'migrations are pending';

/** What readiness says of a check that is down: the route is open, so no names, addresses or driver messages. */
const DOWN_MESSAGES: Record<string, string> = {
  database: 'the database does not answer or refuses the connection (the service log says why)',
  migrations: 'the migrations could not be checked (the service log says why)',
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers', description: 'Checks nothing else; for a restart-on-failure probe.' })
  @ApiOkResponse({ type: LivenessDto, description: 'The process is up' })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: uploads can be stored',
    description: 'The database answers within 1 s and every migration is applied; for a load balancer or a readiness probe.',
  })
  @ApiOkResponse({ type: ReadinessDto, description: 'Ready: every check is up' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'Not ready: one entry in errors per check that is down (field `database` or `migrations`), with the reason',
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database').withTimeout(PROBE_TIMEOUT_MS),
        () =>
          this.indicators
            .check('migrations')
            .attempt(async () => {
              if (await this.dataSource.showMigrations()) throw new Error(MIGRATIONS_PENDING);
            })
            .withTimeout(PROBE_TIMEOUT_MS),
      ]);
    } catch (error) {
      throw this.notReady(error);
    }
  }

  /**
   * Terminus's 503 in the service's error shape: one entry per check that is down, saying what
   * is wrong in fixed words; the driver's message (database, role and host names) goes to the log.
   */
  private notReady(error: unknown): unknown {
    const result = (error as { getResponse?: () => unknown }).getResponse?.() as HealthCheckResult | undefined;
    if (!result?.error) return error;
    const errors = Object.entries(result.error).map(([field, detail]) => {
      const { message } = detail as { message?: unknown };
      const reason = typeof message === 'string' ? message : 'down';
      if (reason === MIGRATIONS_PENDING) return { field, message: reason };
      this.logger.warn(`not ready, ${field}: ${reason}`);
      return { field, message: DOWN_MESSAGES[field] ?? 'down (the service log says why)' };
    });
    return new FieldErrorsException(
      `not ready: ${errors.map((entry) => entry.field).join(', ')} down`,
      errors,
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
