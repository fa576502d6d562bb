/**
 * Shared checks for the bad-input tests: every refused request answers a complete RFC 9457 problem
 * and leaves every table of the database exactly as it was (row counts and contents).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Test } from 'tap';
import type { Database } from '../../src/db/client.js';
import type { Response, TestApp } from '../helpers/app.js';

/** The demo data's ids (src/demo/data.ts), written out so a change there is noticed here. */
export const IDS = {
  person: '0b000000-0000-4000-8000-000000000001',
  organisation: '0a000000-0000-4000-8000-000000000007',
  post: '0c000000-0000-4000-8000-000000000001',
  assignment: '0d000000-0000-4000-8000-000000000001',
  /** A well-formed UUID (version 4) that names nothing. */
  unknown: '00000000-0000-4000-8000-000000000000',
} as const;

export const COLLECTIONS = ['people', 'organisations', 'posts', 'assignments'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export const RECORD_OF: Record<Collection, string> = {
  people: IDS.person,
  organisations: IDS.organisation,
  posts: IDS.post,
  assignments: IDS.assignment,
};

/** A body each collection accepts on POST; the tests spoil one field at a time. */
export const VALID_BODY: Record<Collection, Record<string, unknown>> = {
  people: { givenName: 'Erika', familyName: 'Mustermann' },
  organisations: { name: 'Testreferat', classification: 'unit' },
  posts: { organisationId: IDS.organisation, label: 'Schriftführung', maxHolders: 1 },
  assignments: { personId: IDS.person, organisationId: IDS.organisation, role: 'Mitglied', startDate: '2020-01-01' },
};

/** A field of each collection's body that takes text (with its maximum length). */
export const TEXT_FIELD: Record<Collection, { field: string; max: number }> = {
  people: { field: 'givenName', max: 200 },
  organisations: { field: 'name', max: 300 },
  posts: { field: 'label', max: 300 },
  assignments: { field: 'role', max: 200 },
};

export type Snapshot = Record<string, { rows: number; digest: string }>;

/** Every table of every schema (history and migrations included): its row count and a digest of its rows. */
export async function snapshot(database: Database): Promise<Snapshot> {
  let query = snapshotQueries.get(database);
  if (!query) {
    const tables = await database.rows<{ schema: string; name: string }>(
      sql`SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'
          ORDER BY table_schema, table_name`,
    );
    query = snapshotQuery(tables);
    snapshotQueries.set(database, query);
  }
  const rows = await database.rows<{ name: string; rows: number | string; digest: string }>(query);
  return Object.fromEntries(rows.map((r) => [r.name, { rows: Number(r.rows), digest: r.digest }]));
}

/** The tables are listed once per database: a test's requests do not create tables. */
const snapshotQueries = new WeakMap<Database, SQL>();

/** Public tables are named plainly (`people`), those of other schemas with their schema. */
function snapshotQuery(tables: { schema: string; name: string }[]): SQL {
  const parts = tables.map(
    ({ schema, name }) =>
      sql`SELECT ${schema === 'public' ? name : `${schema}.${name}`}::text AS name, count(*)::int AS rows,
            md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
          FROM ${sql.identifier(schema)}.${sql.identifier(name)} t`,
  );
  return sql.join(parts, sql` UNION ALL `);
}

export interface ExpectedProblem {
  status: number;
  /** The problem type's last segment: `validation-error`, `bad-request`, … */
  type: string;
  /** For validation problems: the field errors that must be among `errors[]`. */
  errors?: { path: string; in: 'body' | 'query' | 'path' | 'header'; message?: string | RegExp }[];
  /** A fragment the detail must contain. */
  detail?: string | RegExp;
}

/** Checks that a response is the expected problem document. */
export function assertProblem(t: Test, res: Response, expected: ExpectedProblem): void {
  t.equal(res.status, expected.status, `status ${expected.status}`);
  if (res.status !== expected.status) t.comment(`the answer was: ${res.text.slice(0, 500)}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json\b/, 'problem content type');
  t.type(res.body, 'object', 'a JSON body');
  const body = (res.body ?? {}) as Record<string, unknown>;
  t.equal(body.type, `/problems/${expected.type}`, 'problem type');
  t.equal(body.status, expected.status, 'status in the body');
  t.type(body.title, 'string', 'title');
  t.ok(typeof body.detail === 'string' && body.detail.length > 0, 'a detail');
  if (expected.detail !== undefined) t.match(body.detail, expected.detail, 'detail');
  if (expected.errors) {
    t.ok(Array.isArray(body.errors) && body.errors.length > 0, 'errors[]');
    const errors = (Array.isArray(body.errors) ? body.errors : []) as { path: unknown; in: unknown; message: unknown }[];
    for (const error of errors) {
      t.type(error.path, 'string', 'each error has a path');
      t.ok(['body', 'query', 'path', 'header'].includes(String(error.in)), 'each error says where');
      t.ok(typeof error.message === 'string' && error.message.length > 0, 'each error has a message');
    }
    for (const wanted of expected.errors) {
      const found = errors.find((e) => e.path === wanted.path && e.in === wanted.in);
      t.ok(found, `an error at ${wanted.in} ${wanted.path || '(root)'}; got ${JSON.stringify(errors)}`);
      if (found && wanted.message !== undefined) t.match(found.message, wanted.message, `message at ${wanted.path}`);
    }
  }
}

/** Sends a request that must be refused with the expected problem and must change nothing stored. */
export async function expectRefused(
  t: Test,
  app: TestApp,
  options: Parameters<TestApp['request']>[0],
  expected: ExpectedProblem,
): Promise<Response> {
  const before = await snapshot(app.database);
  const res = await app.request(options);
  assertProblem(t, res, expected);
  const after = await snapshot(app.database);
  t.same(after, before, 'no table changed');
  return res;
}

/** The current ETag of a record, for PATCH requests that must fail for their body alone. */
export async function etagOf(app: TestApp, collection: Collection, id: string): Promise<string> {
  const res = await app.request({ method: 'GET', url: `/v1/${collection}/${id}` });
  if (res.status !== 200 || typeof res.headers.etag !== 'string') {
    throw new Error(`GET /v1/${collection}/${id} answered ${res.status}`);
  }
  return res.headers.etag;
}

export const cursorOf = (values: unknown): string => Buffer.from(JSON.stringify(values)).toString('base64url');
