import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class HealthCheckStatusDto {
  @ApiProperty({ enum: ['up'] })
  status: 'up';
}

/** The checks of /health/ready, by name. */
export class ReadinessChecksDto {
  @ApiProperty({ type: HealthCheckStatusDto, description: 'The database answers within 1 s' })
  database: HealthCheckStatusDto;

  @ApiProperty({ type: HealthCheckStatusDto, description: 'Every migration is applied' })
  migrations: HealthCheckStatusDto;
}

/** Terminus's answer when every check is up. */
export class ReadinessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ type: ReadinessChecksDto, description: 'The checks that are up: all of them' })
  info: ReadinessChecksDto;

  @ApiProperty({ type: 'object', properties: {}, description: 'The checks that are down: none', example: {} })
  error: Record<string, never>;

  @ApiProperty({ type: ReadinessChecksDto, description: 'Every check' })
  details: ReadinessChecksDto;
}
