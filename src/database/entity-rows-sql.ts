import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** The positional parameters of one SQL statement. */
export class SqlParameters {
  readonly values: unknown[] = [];

  /** A new parameter, as `$n::type`. */
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

export interface EntityRowsSql {
  /** The quoted table name. */
  table: string;
  /** The quoted column names, in the order of the values. */
  columns: string[];
  /** For each entity, its typed parameters (`$n::type`), in column order. */
  rows: string[][];
}

/**
 * Column names and VALUES parameters for entity instances, from the entity's TypeORM metadata:
 * database names, casts, transformers and jsonb serialisation as TypeORM applies them.
 * Generated columns and `omit` are left out. It lets the inserts of several tables share one
 * statement (data-modifying CTEs), where the query builder would need one round trip each.
 */
export function entityRowsSql<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  entities: T[],
  params: SqlParameters,
  omit: string[] = [],
): EntityRowsSql {
  const metadata = dataSource.getMetadata(entity);
  const columns = metadata.columns.filter((column) => !column.isGenerated && !omit.includes(column.propertyName));
  const driver = dataSource.driver;
  return {
    table: `"${metadata.tableName}"`,
    columns: columns.map((column) => `"${column.databaseName}"`),
    rows: entities.map((instance) =>
      columns.map((column) =>
        params.add(driver.preparePersistentValue(column.getEntityValue(instance), column), sqlType(dataSource, column)),
      ),
    ),
  };
}

function sqlType(dataSource: DataSource, column: ColumnMetadata): string {
  const type = dataSource.driver.normalizeType(column);
  return column.isArray ? `${type}[]` : type;
}
