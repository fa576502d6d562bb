/**
 * Writes the OpenAPI document the routes describe to openapi/openapi.json (`write`), or fails when
 * the committed document differs from it (`check`, run by CI).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/client.js';

const target = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));

// The document depends on the routes only; describing them needs no database connection.
const noDatabase: Database = {
  kind: 'pglite',
  get db(): never {
    throw new Error('no database while generating the OpenAPI document');
  },
  poolSize: 0,
  rows: async () => {
    throw new Error('no database');
  },
  preparedRows: async () => {
    throw new Error('no database');
  },
  ping: async () => {},
  close: async () => {},
};

const app = await buildApp({ config: { BODY_LIMIT_BYTES: 1024 * 1024 }, database: noDatabase });
await app.ready();
const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
await app.close();

const mode = process.argv[2];
if (mode === 'write') {
  await mkdir(fileURLToPath(new URL('../openapi/', import.meta.url)), { recursive: true });
  await writeFile(target, document);
  console.log(`wrote ${target}`);
} else if (mode === 'check') {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== document) {
    console.error('openapi/openapi.json is stale: run `npm run openapi:write` and commit the result.');
    process.exit(1);
  }
  console.log('openapi/openapi.json matches the routes');
} else {
  console.error('usage: openapi.ts write|check');
  process.exit(2);
}
