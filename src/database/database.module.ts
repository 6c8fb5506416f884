import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/database.settings';
import { runMigrations } from './migration-runner';
import { typeOrmOptions } from './typeorm-options';

type EntityList = NonNullable<DataSourceOptions['entities']>;

@Module({})
export class DatabaseModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(DatabaseModule.name);

  /** The pool on DATABASE_URL, with the timeouts of every connection, over `entities` (ENTITIES of src/entities.ts). */
  static forRoot(entities: EntityList): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [DatabaseSettings],
          useFactory: (settings: DatabaseSettings) => {
            if (!settings.url) throw new Error('DATABASE_URL is not set (main.ts starts the embedded database when it is missing)');
            const timeouts = { statementTimeoutMs: settings.statementTimeoutMs, lockTimeoutMs: settings.lockTimeoutMs };
            return { ...typeOrmOptions(settings.url, settings.poolSize, timeouts), entities };
          },
        }),
      ],
    };
  }

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: DatabaseSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.migrationsRun) return;
    const applied = await runMigrations(this.dataSource);
    if (applied.length > 0) this.logger.log(`applied migrations: ${applied.join(', ')}`);
  }
}
