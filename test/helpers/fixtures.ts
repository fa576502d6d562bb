/**
 * Shared fixtures and assertions for the HTTP tests: records created over the API, paging through
 * lists, problem responses and the audit log.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import type { Response, TestApp } from './app.js';

export type Request = TestApp['request'];
/** A resource as the API answers it (parsed JSON). */
export type Resource = Record<string, any> & { id: string };

/** The subset of tap's assertions these helpers use, so any test or subtest can be passed. */
type Message = [] | [string];
export interface Assert {
  equal(found: any, wanted: any, ...message: Message): unknown;
  same(found: any, wanted: any, ...message: Message): unknown;
  match(found: any, wanted: any, ...message: Message): unknown;
  ok(value: any, ...message: Message): unknown;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The actor the audit log records for the admin key buildTestApp sends (named "test admin"). */
export const TEST_ADMIN_ACTOR = /^test admin \(key [0-9a-f-]{36}\)$/;
/** An id no record has. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** POSTs a record and insists on 201, so a broken fixture names its cause. */
export async function create(
  request: Request,
  path: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Resource> {
  const res = await request({ method: 'POST', url: path, payload: body, headers });
  if (res.status !== 201) {
    throw new Error(`POST ${path} ${JSON.stringify(body)} answered ${res.status}: ${res.text}`);
  }
  return res.body as Resource;
}

export function createPerson(request: Request, overrides: Record<string, unknown> = {}): Promise<Resource> {
  return create(request, '/v1/people', { givenName: 'Erika', familyName: 'Mustermann', ...overrides });
}

export function createOrganisation(request: Request, overrides: Record<string, unknown> = {}): Promise<Resource> {
  return create(request, '/v1/organisations', { name: 'Regionalagentur Westfälisches Ruhrgebiet', ...overrides });
}

/** A post; without an `organisationId`, in a new organisation of its own. */
export async function createPost(request: Request, overrides: Record<string, unknown> = {}): Promise<Resource> {
  const organisationId = overrides.organisationId ?? (await createOrganisation(request)).id;
  return create(request, '/v1/posts', { label: 'Vorsitz', maxHolders: 1, ...overrides, organisationId });
}

/** An assignment; without `personId` or `organisationId`, of a new person in a new organisation. */
export async function createAssignment(request: Request, overrides: Record<string, unknown> = {}): Promise<Resource> {
  const personId = overrides.personId ?? (await createPerson(request)).id;
  const organisationId = overrides.organisationId ?? (await createOrganisation(request)).id;
  return create(request, '/v1/assignments', { role: 'Mitglied', ...overrides, personId, organisationId });
}

export function read(request: Request, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return request({ method: 'GET', url: path, headers });
}

export interface PatchOptions {
  /** The If-Match header; omitted, none is sent. */
  ifMatch?: string;
  contentType?: 'application/json' | 'application/merge-patch+json';
  reason?: string;
}

export function patch(request: Request, path: string, body: unknown, options: PatchOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/merge-patch+json' };
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  if (options.reason !== undefined) headers['x-reason'] = options.reason;
  return request({ method: 'PATCH', url: path, payload: JSON.stringify(body), headers });
}

/** GETs a resource and PATCHes it with its current ETag; insists on 200. */
export async function patchCurrent(request: Request, path: string, body: unknown, options: PatchOptions = {}): Promise<Response> {
  const current = await read(request, path);
  if (current.status !== 200) throw new Error(`GET ${path} answered ${current.status}: ${current.text}`);
  return patch(request, path, body, { ...options, ifMatch: String(current.headers.etag) });
}

export function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The ids of one page of a list; throws unless it answered 200. */
export async function listIds(request: Request, path: string, query: Record<string, string | number | undefined> = {}): Promise<string[]> {
  const res = await read(request, `${path}${queryString(query)}`);
  if (res.status !== 200) throw new Error(`GET ${path}${queryString(query)} answered ${res.status}: ${res.text}`);
  if (res.body.nextCursor !== null) throw new Error(`GET ${path}${queryString(query)} has more than one page`);
  return (res.body.items as Resource[]).map((item) => item.id);
}

/** Follows `nextCursor` until it is null; every page but the last is full. */
export async function listAll(
  request: Request,
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<{ items: Resource[]; pageSizes: number[] }> {
  const items: Resource[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const url = `${path}${queryString({ ...query, cursor })}`;
    const res = await read(request, url);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.text}`);
    items.push(...(res.body.items as Resource[]));
    pageSizes.push(res.body.items.length);
    if (res.body.nextCursor === null) return { items, pageSizes };
    if (typeof res.body.nextCursor !== 'string' || res.body.nextCursor === '') {
      throw new Error(`GET ${url}: nextCursor is ${JSON.stringify(res.body.nextCursor)}`);
    }
    cursor = res.body.nextCursor;
  }
  throw new Error(`GET ${path}: the cursors never end`);
}

/** The page sizes a list of `total` items must come in with this `limit`. */
export function expectedPageSizes(total: number, limit: number): number[] {
  const sizes: number[] = [];
  for (let left = total; left > 0; left -= limit) sizes.push(Math.min(left, limit));
  return sizes.length ? sizes : [0];
}

/**
 * Pages through a list with several limits and checks that each returns exactly `expectedIds`, in
 * that order, each once, in pages of the right sizes.
 */
export async function assertPagination(
  t: Assert,
  request: Request,
  path: string,
  expectedIds: string[],
  limits: number[] = [1, 3, expectedIds.length, 500],
  query: Record<string, string | number | undefined> = {},
): Promise<void> {
  for (const limit of limits) {
    const { items, pageSizes } = await listAll(request, path, { ...query, limit });
    t.same(
      items.map((item) => item.id),
      expectedIds,
      `limit=${limit}: every item once, in order`,
    );
    t.same(pageSizes, expectedPageSizes(expectedIds.length, limit), `limit=${limit}: page sizes`);
  }
}

/** Asserts an RFC 9457 problem response of this status and type (`/problems/<type>`). */
export function assertProblem(t: Assert, res: Response, status: number, type: string): void {
  t.equal(res.status, status, `status ${status}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, 'problem content type');
  t.equal(res.body?.type, `/problems/${type}`, 'problem type');
  t.equal(res.body?.status, status, 'problem status member');
  t.equal(typeof res.body?.title, 'string', 'problem title');
  t.ok(typeof res.body?.detail === 'string' && res.body.detail.length > 0, 'problem detail');
}

/** Asserts a 400 validation problem whose errors include one at `path` in `where`. */
export function assertValidationProblem(
  t: Assert,
  res: Response,
  path: string,
  where: 'body' | 'query' | 'path' | 'header' = 'body',
): void {
  assertProblem(t, res, 400, 'validation-error');
  const errors = (res.body?.errors ?? []) as Array<{ path: string; in: string; message: string }>;
  const found = errors.find((e) => e.path === path && e.in === where);
  t.ok(found, `an error at ${where} ${path} (got ${JSON.stringify(errors)})`);
  t.ok(found && typeof found.message === 'string' && found.message.length > 0, 'the error has a message');
}

export interface AuditRow {
  seq: number;
  actor: string;
  operation: string;
  reason: string | null;
  requestId: string | null;
  changes: Array<{ entity: string; entityId: string; action: string; before: unknown; after: unknown }>;
}

function auditRowOf(row: Record<string, unknown>): AuditRow {
  const changes = typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes;
  return {
    seq: Number(row.seq),
    actor: String(row.actor),
    operation: String(row.operation),
    reason: (row.reason as string | null) ?? null,
    requestId: (row.request_id as string | null) ?? null,
    changes: changes as AuditRow['changes'],
  };
}

/** The audit events that changed this record, oldest first. */
export async function auditEventsFor(database: Database, entityId: string): Promise<AuditRow[]> {
  const rows = await database.rows(
    sql`SELECT seq, actor, operation, reason, request_id, changes FROM audit_events
        WHERE changes @> ${JSON.stringify([{ entityId }])}::jsonb ORDER BY seq`,
  );
  return rows.map(auditRowOf);
}

export async function auditEventCount(database: Database): Promise<number> {
  const [row] = await database.rows<{ count: number | string }>(sql`SELECT count(*)::int AS count FROM audit_events`);
  return Number(row?.count);
}
