/**
 * A fresh, migrated database for each test file, on the embedded database (PGlite) or, with
 * TEST_DATABASE_URL, on a PostgreSQL server. Creating and migrating a database is slow, so each
 * run migrates one template (keyed by the migrations' contents) and copies it: PGlite from a
 * dumped data folder, PostgreSQL with CREATE DATABASE … TEMPLATE.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openPglite, openPostgres, type Database } from '../../src/db/client.js';
import { MIGRATIONS_FOLDER, migrate } from '../../src/db/migrate.js';

export const SERVER_URL = process.env.TEST_DATABASE_URL || undefined;
export const DATABASE_KIND = SERVER_URL ? 'postgres' : 'pglite';

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else hash.update(entry.name).update(await readFile(path));
    }
  };
  await walk(MIGRATIONS_FOLDER);
  return hash.digest('hex').slice(0, 16);
}

async function pgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `rolebook-template-${await migrationsHash()}.tar.gz`);
  if (!existsSync(file)) {
    const fresh = await openPglite();
    await migrate(fresh);
    const dump = await fresh.client.dumpDataDir('gzip');
    await fresh.close();
    // Parallel test processes may race here; the rename makes the last one win whole.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  }
  return new Blob([await readFile(file)]);
}

/** Databases the tests make are named after TEST_DATABASE_URL's, so that CI can drop them all. */
function namePrefix(): string {
  const base = new URL(SERVER_URL!).pathname.slice(1).replace(/[^a-z0-9_]/gi, '_');
  return !base || base === 'postgres' ? 'rolebook' : base.slice(0, 30);
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function serverTemplate(admin: postgres.Sql, url: string): Promise<string> {
  const template = `${namePrefix()}_tpl_${await migrationsHash()}`;
  await admin`SELECT pg_advisory_lock(7251)`;
  try {
    const [found] = await admin`SELECT 1 FROM pg_database WHERE datname = ${template}`;
    if (!found) {
      await admin.unsafe(`CREATE DATABASE "${template}_building"`).catch(async () => {
        await admin.unsafe(`DROP DATABASE "${template}_building"`);
        await admin.unsafe(`CREATE DATABASE "${template}_building"`);
      });
      const building = await openPostgres({ url: withDatabase(url, `${template}_building`), max: 1 });
      try {
        await migrate(building, withDatabase(url, `${template}_building`));
      } finally {
        await building.close();
      }
      await admin.unsafe(`ALTER DATABASE "${template}_building" RENAME TO "${template}"`);
    }
  } finally {
    await admin`SELECT pg_advisory_unlock(7251)`;
  }
  return template;
}

export interface TestDatabase {
  database: Database;
  /** A connection string for this database (PostgreSQL server only). */
  url?: string;
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!SERVER_URL) {
    const database = await openPglite({ loadDataDir: await pgliteTemplate() });
    return { database, destroy: () => database.close() };
  }
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const template = await serverTemplate(admin, SERVER_URL);
  const name = `${namePrefix()}_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = withDatabase(SERVER_URL, name);
  const database = await openPostgres({ url, statementTimeoutMs: 20_000 });
  return {
    database,
    url,
    destroy: async () => {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}
