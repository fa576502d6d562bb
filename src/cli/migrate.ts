/** `npm run db:migrate`: brings the configured database's schema up to date, then exits. */
import { ConfigError, loadConfig } from '../config/config.js';
import { openConfiguredDatabase } from '../db/open.js';

try {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  await database.close();
  console.log(`migrations applied (${config.DATABASE_URL ? 'PostgreSQL server' : config.DATA_DIR})`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
