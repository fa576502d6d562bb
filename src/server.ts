import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { openConfiguredDatabase } from './db/open.js';
import { seedDemoDataIfEmpty } from './demo/seed.js';
import { installBootstrapKeys } from './db/bootstrap.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }

  const started = performance.now();
  const database = await openConfiguredDatabase(config);
  const app = await buildApp({ config, database, logger: { level: config.LOG_LEVEL } });
  const firstAdminKey = await installBootstrapKeys(database, config.ROLEBOOK_ADMIN_KEY);
  if (config.ROLEBOOK_DEMO_DATA) {
    const seeded = await seedDemoDataIfEmpty(database);
    if (seeded) app.log.info('loaded the demo data set (press note of 04.07.2016)');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    // Requests under way get SHUTDOWN_GRACE_MS to finish; then keep-alive connections that a client
    // holds open are closed too, so the process never waits on an idle peer.
    const force = setTimeout(() => {
      app.log.warn('grace period over: closing the remaining connections');
      app.server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await app.close();
    } finally {
      await database.close();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
  const where = config.DATABASE_URL ? 'PostgreSQL server' : `embedded database in ${config.DATA_DIR}`;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const base = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  console.log(
    `Rolebook is running at ${base} (${where}, ready in ${Math.round(performance.now() - started)} ms)\n` +
      `  API docs: ${base}/docs   OpenAPI: ${base}/openapi.json`,
  );
  if (firstAdminKey) {
    console.log(
      `\nAdmin key (shown this once; keep it safe):\n  ${firstAdminKey}\n` +
        `  curl -H 'Authorization: Bearer ${firstAdminKey}' ${base}/v1/keys`,
    );
  }
}

await main();
