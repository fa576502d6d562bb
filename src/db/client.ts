import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { Logger, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { guardAgainstOrphanedWrites } from './postgres-guard.js';
import * as relations from './relations.js';
import * as tables from './schema.js';

export const schema = { ...tables, ...relations };
export type Schema = typeof schema;

/** Both drivers' databases and transactions: everything the queries need. */
export type Executor = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Executor;
  /** Connections the driver may open at once. */
  readonly poolSize: number;
  /** Raw SQL returning rows, the same shape on both drivers. */
  rows<T = Record<string, unknown>>(query: SQL, executor?: Executor): Promise<T[]>;
  /**
   * SQL text with `$n` parameters on the shared connection(s), as a named statement where the
   * driver keeps them (PostgreSQL): planned once per connection. For src/db/prepared.ts.
   */
  preparedRows<T = Record<string, unknown>>(text: string, params: unknown[]): Promise<T[]>;
  /** Succeeds when the database answers a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PgliteOptions {
  /** A folder to keep the database in; omitted, it lives in memory. */
  dataDir?: string;
  /** A tarball of a data folder (PGlite's dumpDataDir) to start from, e.g. a migrated template. */
  loadDataDir?: Blob | File;
}

export const PGLITE_EXTENSIONS = { btree_gist, pg_trgm, unaccent };

/** Dates and times as the text PostgreSQL sends, as drizzle's PGlite driver reads them. */
const AS_DRIZZLE_READS = Object.fromEntries(
  [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE].map((type) => [type, (value: string) => value]),
);

/**
 * The floor of search's word similarity, set for every session: the trigram index's `%>` finds the
 * names whose similarity reaches `pg_trgm.word_similarity_threshold`, and search filters stricter
 * words again (src/routes/v1/search/queries.ts). A session setting lets a search be one statement,
 * not a transaction that sets it first (four round trips).
 */
export const WORD_SIMILARITY_FLOOR = 0.4;
const SESSION_SETTINGS = { 'pg_trgm.word_similarity_threshold': String(WORD_SIMILARITY_FLOOR) };

export async function openPglite(options: PgliteOptions = {}): Promise<Database & { client: PGlite }> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: PGLITE_EXTENSIONS,
  });
  for (const [name, value] of Object.entries(SESSION_SETTINGS)) await client.query('SELECT set_config($1, $2, false)', [name, value]);
  return pgliteDatabase(client);
}

/** The Database over an open PGlite client; `logger` is drizzle's (the benchmarks capture SQL with it). */
export function pgliteDatabase(client: PGlite, logger?: Logger): Database & { client: PGlite } {
  const db = drizzlePglite(client, { schema, ...(logger ? { logger } : {}) }) as unknown as Executor;
  return {
    kind: 'pglite',
    db,
    client,
    poolSize: 1,
    rows: async <T>(query: SQL, executor: Executor = db) =>
      ((await executor.execute(query)) as unknown as { rows: T[] }).rows,
    preparedRows: async <T>(text: string, params: unknown[]) => {
      logger?.logQuery(text, params);
      return (await client.query<T>(text, params, { parsers: AS_DRIZZLE_READS })).rows;
    },
    ping: async () => {
      await client.query('SELECT 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

export interface PostgresOptions {
  url: string;
  statementTimeoutMs?: number;
  max?: number;
}

export async function openPostgres(options: PostgresOptions): Promise<Database & { client: postgres.Sql }> {
  guardAgainstOrphanedWrites();
  const client = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Never let a request hang on an unreachable server: fail fast, answer 503, try again later.
    connect_timeout: 5,
    // postgres.js waits up to 20 s between reconnects after errors, and queued queries wait with
    // it; a request should get its 503 within a second instead.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    connection: {
      application_name: 'rolebook',
      // Short, planned-once queries: JIT compilation cost more than it saved (300 ms on an as-of tree).
      jit: 'off',
      ...SESSION_SETTINGS,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Executor;
  return {
    kind: 'postgres',
    db,
    client,
    poolSize: options.max ?? 10,
    rows: async <T>(query: SQL, executor: Executor = db) =>
      (await executor.execute(query)) as unknown as T[],
    preparedRows: async <T>(text: string, params: unknown[]) =>
      (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[],
    ping: async () => {
      await client`SELECT 1`;
    },
    close: async () => {
      await client.end({ timeout: 5 });
    },
  };
}
