import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/client.js';
import { insertKey } from '../../src/db/keys.js';
import { runWrite } from '../../src/db/write.js';
import { seedDemoDataIfEmpty } from '../../src/demo/seed.js';
import type { Role } from '../../src/domain/access.js';
import { createTestDatabase } from './database.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface TestRequest extends InjectOptions {
  /** The API key to send: an admin key when omitted, none when null. */
  key?: string | null;
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** The admin key every request sends unless it names another (or null). */
  adminKey: string;
  /** An HTTP request against the app, answering the parsed JSON body too. */
  request(options: TestRequest): Promise<Response>;
  /** Creates a key with this role (and editor scopes) and returns it. */
  createKey(role: Role, options?: { scopes?: string[]; expiresAt?: string; name?: string }): Promise<string>;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  text: string;
}

/** The whole app over a fresh database of its own, closed when the test ends. */
export async function buildTestApp(t: Teardown, options: { demo?: boolean; rateLimitPerMinute?: number } = {}): Promise<TestApp> {
  const { database, destroy } = await createTestDatabase();
  if (options.demo) await seedDemoDataIfEmpty(database);
  const app = await buildApp({
    // Two test processes share two cores with their embedded databases: the event loop lags, and
    // when PGlite blocks it for a whole sampling interval under-pressure reports the delay as
    // Infinity (no sample), over any limit. 0 turns the event-loop check off.
    config: { BODY_LIMIT_BYTES: 1024 * 1024, RATE_LIMIT_PER_MINUTE: options.rateLimitPerMinute ?? 1_000_000, MAX_EVENT_LOOP_DELAY_MS: 0 },
    database,
  });
  t.teardown(async () => {
    await app.close();
    await destroy();
  });
  const createKey: TestApp['createKey'] = (role, keyOptions = {}) =>
    runWrite(database, { actor: 'test', requestId: null, reason: null }, 'key.create', async (tx) => {
      const { secret } = await insertKey(
        tx,
        { name: keyOptions.name ?? `test ${role}`, role, scopes: keyOptions.scopes ?? [], expiresAt: keyOptions.expiresAt ?? null },
        'test',
      );
      return secret;
    });
  const adminKey = await createKey('admin', { name: 'test admin' });
  const request = async ({ key, ...injectOptions }: TestRequest): Promise<Response> => {
    const sent = key === undefined ? adminKey : key;
    const headers = { ...(injectOptions.headers ?? {}) } as Record<string, string>;
    if (sent !== null && headers.authorization === undefined) headers.authorization = `Bearer ${sent}`;
    const response = await app.inject({ ...injectOptions, headers });
    let body: unknown = undefined;
    if (response.body && String(response.headers['content-type'] ?? '').includes('json')) {
      body = JSON.parse(response.body);
    }
    return { status: response.statusCode, headers: response.headers, body, text: response.body };
  };
  return { app, database, adminKey, request, createKey };
}
