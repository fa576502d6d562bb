/**
 * What is written survives a restart: on the embedded database, a file DATA_DIR closed and opened
 * again; with TEST_DATABASE_URL, the server's database with the connection closed and opened
 * again. Migrating an already migrated database changes nothing, every time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { installBootstrapKeys } from '../../src/db/bootstrap.js';
import { openPglite, openPostgres, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createTestDatabase, SERVER_URL } from '../helpers/database.js';
import { auditEventsFor, type Assert } from '../helpers/fixtures.js';

// No load shedding: opening PGlite blocks the event loop, which under-pressure would answer with 503.
const CONFIG = { BODY_LIMIT_BYTES: 1024 * 1024, MAX_EVENT_LOOP_DELAY_MS: 0 };
/** Installed at each start, as ROLEBOOK_ADMIN_KEY is; the second start finds it installed. */
const ADMIN_KEY = 'restart-test-admin-key-0123456789abcdef';

const PERSON = {
  givenName: 'Katja',
  familyName: 'Sträde',
  otherNames: [{ name: 'K. Sträde', startDate: '2016-06' }],
  contactDetails: [{ type: 'email', value: 'k.straede@example.org', visibility: 'public' }],
  identifiers: [{ scheme: 'staff', identifier: 'GIB-0042' }],
};

async function appliedMigrations(database: Database): Promise<number> {
  const [row] = await database.rows<{ count: number | string }>(
    sql`SELECT count(*)::int AS count FROM drizzle.__drizzle_migrations`,
  );
  return Number(row?.count);
}

async function inject(app: FastifyInstance, options: InjectOptions) {
  const headers = { ...(options.headers ?? {}), authorization: `Bearer ${ADMIN_KEY}` };
  const res = await app.inject({ ...options, headers });
  return { status: res.statusCode, etag: res.headers.etag, body: res.body ? JSON.parse(res.body) : undefined };
}

/** First life: create a person over HTTP and remember what the API answered. */
async function createOver(t: Assert, database: Database) {
  await installBootstrapKeys(database, ADMIN_KEY);
  const app = await buildApp({ config: CONFIG, database });
  try {
    const created = await inject(app, {
      method: 'POST',
      url: '/v1/people',
      payload: PERSON,
      headers: { 'x-reason': 'vor dem Neustart' },
    });
    t.equal(created.status, 201);
    const read = await inject(app, { method: 'GET', url: `/v1/people/${created.body.id}` });
    t.equal(read.status, 200);
    return { person: read.body as Record<string, any> & { id: string }, etag: String(read.etag) };
  } finally {
    await app.close();
  }
}

/** Second life: the same person, the same ETag, still editable with it, and its audit event. */
async function readBackIn(t: Assert, database: Database, before: { person: Record<string, any> & { id: string }; etag: string }) {
  await installBootstrapKeys(database, ADMIN_KEY);
  const app = await buildApp({ config: CONFIG, database });
  try {
    const read = await inject(app, { method: 'GET', url: `/v1/people/${before.person.id}` });
    t.equal(read.status, 200, 'the person is still there');
    t.same(read.body, before.person, 'exactly as before');
    t.equal(read.etag, before.etag, 'with the same ETag');
    t.equal(read.body.otherNames[0].startDate, '2016-06', 'the partial date kept its precision');

    const list = await inject(app, { method: 'GET', url: '/v1/people' });
    t.same(
      list.body.items.map((p: { id: string }) => p.id),
      [before.person.id],
    );

    const events = await auditEventsFor(database, before.person.id);
    t.same(
      events.map((e) => [e.operation, e.reason]),
      [['person.create', 'vor dem Neustart']],
      'the audit event survived',
    );

    const patched = await inject(app, {
      method: 'PATCH',
      url: `/v1/people/${before.person.id}`,
      payload: { honorificPrefix: 'Dr.' },
      headers: { 'if-match': before.etag, 'content-type': 'application/merge-patch+json' },
    });
    t.equal(patched.status, 200, 'the ETag from before the restart still matches');
    t.equal(patched.body.name, 'Dr. Katja Sträde');
  } finally {
    await app.close();
  }
}

if (!SERVER_URL) {
  t.test('an embedded database in a DATA_DIR survives a restart', async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rolebook-restart-'));
    t.teardown(() => rm(dataDir, { recursive: true, force: true }));

    const first = await openPglite({ dataDir });
    let before;
    let migrations: number;
    try {
      await migrate(first);
      migrations = await appliedMigrations(first);
      t.ok(migrations > 0, 'the migrations ran');
      await migrate(first);
      t.equal(await appliedMigrations(first), migrations, 'migrating twice changes nothing');
      before = await createOver(t, first);
    } finally {
      await first.close();
    }

    const second = await openPglite({ dataDir });
    try {
      await migrate(second);
      t.equal(await appliedMigrations(second), migrations, 'migrating on restart changes nothing');
      await readBackIn(t, second, before);
    } finally {
      await second.close();
    }
  });
} else {
  t.test('a PostgreSQL server database survives closing and reopening the connection', async (t) => {
    const { database, url, destroy } = await createTestDatabase();
    t.teardown(destroy);
    if (!url) throw new Error('createTestDatabase gave no URL for the server');

    let before;
    let migrations: number;
    try {
      migrations = await appliedMigrations(database);
      t.ok(migrations > 0, 'the test database is migrated');
      await migrate(database, url);
      await migrate(database, url);
      t.equal(await appliedMigrations(database), migrations, 'migrating twice changes nothing');
      before = await createOver(t, database);
    } finally {
      await database.close();
    }

    const reopened = await openPostgres({ url });
    try {
      await migrate(reopened, url);
      t.equal(await appliedMigrations(reopened), migrations, 'migrating on restart changes nothing');
      await readBackIn(t, reopened, before);
    } finally {
      await reopened.close();
    }
  });
}
