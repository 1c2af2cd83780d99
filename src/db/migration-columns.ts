import { Table, TableIndex, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Column builders that write the same logical schema on SQLite and MySQL, so that one
 * migration file serves both databases. Types follow what the entities declare.
 */
export function columnKit(queryRunner: QueryRunner) {
  const mysql = ['mysql', 'mariadb'].includes(queryRunner.connection.driver.options.type);
  return {
    mysql,
    id: (): TableColumnOptions => ({
      name: 'id',
      type: mysql ? 'int' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    int: (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: mysql ? 'int' : 'integer',
      ...options,
    }),
    varchar: (name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...options,
    }),
    /**
     * An identifier compared exactly (logins, course and item codes): MySQL's default collation
     * would take `Demo` and `demo`, or `é` and `e`, for the same key; SQLite compares bytes.
     */
    key: (name: string, length: number): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...(mysql ? { collation: 'utf8mb4_bin' } : {}),
    }),
    text: (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'text',
      ...options,
    }),
    bool: (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: mysql ? 'tinyint' : 'boolean',
      ...options,
    }),
    double: (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'double',
      ...options,
    }),
    date: (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'date',
      ...options,
    }),
    datetime: (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'datetime',
      ...options,
    }),
    /** A timestamp filled by the database, as TypeORM's Create/UpdateDateColumn expect it. */
    stamp: (name: string, options: { onUpdate?: boolean } = {}): TableColumnOptions =>
      mysql
        ? {
            name,
            type: 'datetime',
            precision: 6,
            default: 'CURRENT_TIMESTAMP(6)',
            ...(options.onUpdate ? { onUpdate: 'CURRENT_TIMESTAMP(6)' } : {}),
          }
        : { name, type: 'datetime', default: "datetime('now')" },
    /** created/updated job ids and timestamps, carried by every imported row. */
    jobStamps(): TableColumnOptions[] {
      return [
        this.int('created_job_id', { isNullable: true }),
        this.int('updated_job_id', { isNullable: true }),
        this.stamp('created_at'),
        this.stamp('updated_at', { onUpdate: true }),
      ];
    },
    async createTable(name: string, columns: TableColumnOptions[], indices: TableIndex[] = []) {
      await queryRunner.createTable(new Table({ name, columns, indices }), true);
    },
  };
}

export const uniqueIndex = (name: string, columnNames: string[]) =>
  new TableIndex({ name, columnNames, isUnique: true });

export const index = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames });
