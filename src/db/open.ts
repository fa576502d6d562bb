import type { Config } from '../config/config.js';
import { openPglite, openPostgres, type Database } from './client.js';
import { migrate } from './migrate.js';

/** Opens the configured database (a server with DATABASE_URL, else PGlite in DATA_DIR) and migrates it. */
export async function openConfiguredDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'STATEMENT_TIMEOUT_MS'>,
): Promise<Database> {
  const database = config.DATABASE_URL
    ? await openPostgres({ url: config.DATABASE_URL, statementTimeoutMs: config.STATEMENT_TIMEOUT_MS })
    : await openPglite({ dataDir: config.DATA_DIR });
  try {
    await migrate(database, config.DATABASE_URL);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
