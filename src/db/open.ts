import type { Config } from '../config/config.js';
import { openPglite, openPostgres, type Database } from './client.js';
import { pgErrorOf } from './errors.js';
import { migrate } from './migrate.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Errors that say the server is not there (yet), rather than that something is wrong with it. */
function isUnreachable(error: unknown): boolean {
  const code = pgErrorOf(error)?.code ?? (error as { code?: string })?.code ?? '';
  return /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|CONNECT_TIMEOUT|CONNECTION_CLOSED|CONNECTION_ENDED|08\w{3}|57P0[123])$/.test(code);
}

/**
 * Opens the configured database (a server with DATABASE_URL, else PGlite in DATA_DIR) and migrates
 * it. A server that is not reachable yet (the database starts after the service) is waited for,
 * with a log line per attempt, up to `waitMs`.
 */
export async function openConfiguredDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'STATEMENT_TIMEOUT_MS'>,
  options: { waitMs?: number; log?: (message: string) => void } = {},
): Promise<Database> {
  if (!config.DATABASE_URL) {
    const database = await openPglite({ dataDir: config.DATA_DIR });
    await migrate(database).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
    return database;
  }
  const deadline = Date.now() + (options.waitMs ?? 5 * 60_000);
  for (let attempt = 1; ; attempt++) {
    const database = await openPostgres({ url: config.DATABASE_URL, statementTimeoutMs: config.STATEMENT_TIMEOUT_MS });
    try {
      await migrate(database, config.DATABASE_URL);
      return database;
    } catch (error) {
      await database.close().catch(() => {});
      if (!isUnreachable(error) || Date.now() > deadline) throw error;
      const wait = Math.min(1000 * 2 ** (attempt - 1), 15_000);
      (options.log ?? console.warn)(`database not reachable (${pgErrorOf(error)?.code ?? 'no answer'}); retrying in ${wait / 1000} s (attempt ${attempt})`);
      await sleep(wait);
    }
  }
}
