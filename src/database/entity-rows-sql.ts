import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

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
  const columns = insertableColumns(dataSource, metadata, omit);
  const driver = dataSource.driver;
  return {
    table: `"${metadata.tableName}"`,
    columns: columns.map(({ name }) => name),
    rows: entities.map((instance) =>
      columns.map(({ column, type }) => params.add(driver.preparePersistentValue(column.getEntityValue(instance), column), type)),
    ),
  };
}

interface InsertableColumn {
  column: ColumnMetadata;
  name: string;
  type: string;
}

const columnsCache = new WeakMap<EntityMetadata, Map<string, InsertableColumn[]>>();

/** The columns an insert sets, with their quoted names and SQL types; worked out once per entity. */
function insertableColumns(dataSource: DataSource, metadata: EntityMetadata, omit: string[]): InsertableColumn[] {
  const byOmission = columnsCache.get(metadata) ?? new Map<string, InsertableColumn[]>();
  columnsCache.set(metadata, byOmission);
  const key = omit.join(',');
  let columns = byOmission.get(key);
  if (!columns) {
    columns = metadata.columns
      .filter((column) => !column.isGenerated && !omit.includes(column.propertyName))
      .map((column) => {
        const type = dataSource.driver.normalizeType(column);
        return { column, name: `"${column.databaseName}"`, type: column.isArray ? `${type}[]` : type };
      });
    byOmission.set(key, columns);
  }
  return columns;
}
