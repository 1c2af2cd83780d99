/**
 * The part of better-sqlite3 the benchmark uses. The service reaches better-sqlite3 through
 * TypeORM only, so the project has no @types/better-sqlite3; this keeps `tsc` strict without
 * adding a dependency for a script.
 */
declare module 'better-sqlite3' {
  interface Statement {
    run(...params: unknown[]): { changes: number };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  }
  interface Database {
    prepare(sql: string): Statement;
    exec(sql: string): Database;
    pragma(sql: string): unknown;
    transaction<A extends unknown[]>(work: (...args: A) => void): (...args: A) => void;
    close(): void;
  }
  const Database: new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => Database;
  export default Database;
}
