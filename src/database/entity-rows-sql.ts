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
  /** For each entity, its typed parameters (`$n::type`), in column order; `DEFAULT` where the entity leaves the column unset. */
  rows: string[][];
}

/** Rows that set the same columns, with the positions of their entities in the list given. */
export interface EntityRowGroup extends EntityRowsSql {
  indexes: number[];
}

/** `($1, $2), ($3, $4)`: the rows of a VALUES list. */
export function tuples(rows: string[][]): string {
  return rows.map((row) => `(${row.join(', ')})`).join(', ');
}

/**
 * Column names and VALUES parameters for entity instances, from the entity's TypeORM metadata:
 * database names, casts, transformers and jsonb serialisation as TypeORM applies them.
 * Generated columns and `omit` are left out. A property left `undefined` is sent as `DEFAULT`,
 * as TypeORM's own insert does (null is sent as NULL): a column added with a default is filled
 * by PostgreSQL until the mapper sets it. It lets the inserts of several tables share one
 * statement (data-modifying CTEs), where the query builder would need one round trip each.
 * `DEFAULT` is valid only in the VALUES of an INSERT itself; see `entityRowGroupsSql` for others.
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
      columns.map(({ column, type }) => {
        const value: unknown = column.getEntityValue(instance);
        return value === undefined ? 'DEFAULT' : params.add(driver.preparePersistentValue(value, column), type);
      }),
    ),
  };
}

/**
 * As `entityRowsSql`, for rows inserted through a SELECT (`INSERT … SELECT … FROM (VALUES …)`),
 * where `DEFAULT` cannot stand: the entities are grouped by the columns they set, and each group
 * names only those (an unset column takes its default). Entities of one mapper set the same
 * columns, so that this is one group in practice.
 */
export function entityRowGroupsSql<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  entities: T[],
  params: SqlParameters,
  omit: string[] = [],
): EntityRowGroup[] {
  const metadata = dataSource.getMetadata(entity);
  const columns = insertableColumns(dataSource, metadata, omit);
  const groups = new Map<string, { set: InsertableColumn[]; indexes: number[] }>();
  entities.forEach((instance, index) => {
    const set = columns.filter(({ column }) => column.getEntityValue(instance) !== undefined);
    const shape = set.map(({ name }) => name).join(',');
    const group = groups.get(shape) ?? { set, indexes: [] };
    group.indexes.push(index);
    groups.set(shape, group);
  });
  const driver = dataSource.driver;
  return [...groups.values()].map(({ set, indexes }) => ({
    table: `"${metadata.tableName}"`,
    columns: set.map(({ name }) => name),
    rows: indexes.map((index) =>
      set.map(({ column, type }) => params.add(driver.preparePersistentValue(column.getEntityValue(entities[index]), column), type)),
    ),
    indexes,
  }));
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
