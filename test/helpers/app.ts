import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/client.js';
import { seedDemoDataIfEmpty } from '../../src/demo/seed.js';
import { createTestDatabase } from './database.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** An HTTP request against the app, answering the parsed JSON body too. */
  request(options: InjectOptions): Promise<Response>;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  text: string;
}

/** The whole app over a fresh database of its own, closed when the test ends. */
export async function buildTestApp(t: Teardown, options: { demo?: boolean } = {}): Promise<TestApp> {
  const { database, destroy } = await createTestDatabase();
  if (options.demo) await seedDemoDataIfEmpty(database);
  const app = await buildApp({ config: { BODY_LIMIT_BYTES: 1024 * 1024 }, database });
  t.teardown(async () => {
    await app.close();
    await destroy();
  });
  const request = async (injectOptions: InjectOptions): Promise<Response> => {
    const response = await app.inject(injectOptions);
    let body: unknown = undefined;
    if (response.body && String(response.headers['content-type'] ?? '').includes('json')) {
      body = JSON.parse(response.body);
    }
    return { status: response.statusCode, headers: response.headers, body, text: response.body };
  };
  return { app, database, request };
}
