import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database, Schema } from './client.js';

/** `drizzle/` at the project root, from `src/db` (sources) as from `dist/db` (build). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any 64-bit number that no other application on the server uses for an advisory lock. */
const MIGRATION_LOCK = 0x526f6c65; // "Role"

/**
 * Applies the migrations in `drizzle/` that the database has not seen yet. Idempotent; on a
 * server, instances starting together take turns through an advisory lock held on a connection of
 * its own.
 */
export async function migrate(database: Database, url?: string): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase<Schema>, {
      migrationsFolder: MIGRATIONS_FOLDER,
    });
    return;
  }
  if (!url) throw new Error('migrating a PostgreSQL server needs its URL');
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lock`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(database.db as unknown as PostgresJsDatabase<Schema>, {
      migrationsFolder: MIGRATIONS_FOLDER,
    });
  } finally {
    await lock`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await lock.end({ timeout: 5 });
  }
}

/** How many migrations of `drizzle/` the database has not applied (0 when it is up to date). */
export async function pendingMigrations(database: Database): Promise<number> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  const [row] = await database.rows<{ applied: number }>(
    sql`SELECT count(*)::int AS applied FROM drizzle.__drizzle_migrations`,
  );
  return journal.entries.length - (row?.applied ?? 0);
}
