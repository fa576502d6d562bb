import { fillPlaceholders, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database, Executor } from './client.js';

/**
 * Hot reads compose their SQL once. drizzle spends longer building a query (walking the schema,
 * naming columns, nesting relations) than PostgreSQL spends answering a small one: a person read
 * spent 54 % of the server's CPU there (bench/profile.ts). A prepared query keeps the SQL text
 * and the row mapping; on PostgreSQL it also becomes a named statement, which skips parsing and,
 * after a few runs, planning.
 *
 * Queries are kept per executor, because a prepared query runs on the connection it was made
 * for: on the shared database for the life of the process; in a transaction (an `asOf` read, a
 * write) for that transaction. Named statements follow `search_path`: PostgreSQL plans them again
 * when it differs, so an `asOf` read that reuses the text of a current read still sees `asof`'s
 * views (test/routes/v1/audit: as-of reads).
 */
const kept = new WeakMap<Executor, Map<string, unknown>>();

export function prepared<Query>(db: Executor, name: string, build: (db: Executor, name: string) => Query): Query {
  let queries = kept.get(db);
  if (!queries) kept.set(db, (queries = new Map()));
  let query = queries.get(name) as Query | undefined;
  if (query === undefined) queries.set(name, (query = build(db, name)));
  return query;
}

const dialect = new PgDialect();

/**
 * Raw SQL compiled and prepared once, for reads too big for drizzle's query builder (the tree).
 * `build` writes the statement from its inputs: from placeholders when the statement is compiled
 * for the shared connections, where it then runs as a named statement with the values bound; from
 * the values themselves in a transaction (an `asOf` read), where it runs unprepared as before.
 * Only the values may differ from call to call, never the statement's shape.
 */
export function preparedSql<Values extends Record<string, unknown>>(build: (inputs: Record<keyof Values, unknown>) => SQL) {
  let compiled: { sql: string; params: unknown[] } | undefined;
  return async function run<T>(database: Database, db: Executor, values: Values): Promise<T[]> {
    if (db !== database.db) return database.rows<T>(build(values), db);
    compiled ??= dialect.sqlToQuery(
      build(Object.fromEntries(Object.keys(values).map((name) => [name, sql.placeholder(name)])) as Record<keyof Values, unknown>),
    );
    return database.preparedRows<T>(compiled.sql, fillPlaceholders(compiled.params, values));
  };
}
