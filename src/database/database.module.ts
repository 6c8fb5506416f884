import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnvironmentVariables } from '../config/environment';
import { runMigrations } from './migration-runner';
import { typeOrmOptions } from './typeorm-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => {
        const url = config.get('DATABASE_URL', { infer: true });
        if (!url) throw new Error('DATABASE_URL is not set (main.ts starts the embedded database when it is missing)');
        const timeouts = {
          statementTimeoutMs: config.get('DATABASE_STATEMENT_TIMEOUT', { infer: true }),
          lockTimeoutMs: config.get('DATABASE_LOCK_TIMEOUT', { infer: true }),
        };
        return { ...typeOrmOptions(url, config.get('DATABASE_POOL_SIZE', { infer: true }), timeouts), autoLoadEntities: true };
      },
    }),
  ],
})
export class DatabaseModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(DatabaseModule.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('MIGRATIONS_RUN', { infer: true })) return;
    const applied = await runMigrations(this.dataSource);
    if (applied.length > 0) this.logger.log(`applied migrations: ${applied.join(', ')}`);
  }
}
