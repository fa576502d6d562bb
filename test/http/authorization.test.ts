/**
 * Who may call what (DESIGN.md §5), generated from the app's route table: every route Fastify holds
 * (ours, the documentation's, CORS's), each with the access level it declares, is called by every
 * kind of caller, and the status is the one the contract demands:
 *
 * - a revoked, expired, unknown or malformed credential: 401 on ANY route, public ones included;
 * - no key on a route that needs one: 401; a valid key without the right: 403;
 * - otherwise the route's own success status, with a valid request (a create with a valid body, a
 *   PATCH with the right If-Match, …), so that the success paths are real.
 *
 * A refused request stores nothing (every table compared). Then: `asOf` on every read that takes it,
 * scoped editors (a transition needs the right on both sides), and contact details by visibility on
 * every read, list and feed, as each role.
 */
import t from 'tap';
import type { Test } from 'tap';
import { DEMO_IDS } from '../../src/demo/data.js';
import type { AccessLevel, Role } from '../../src/domain/access.js';
import type { Response, TestApp, TestRequest } from '../helpers/app.js';
import { DATABASE_KIND } from '../helpers/database.js';
import { buildTestAppWithRoutes, openApiPath, type TableRoute } from '../helpers/route-table.js';
import { cursorOf, snapshot } from './support.js';

/** DESIGN.md §5, written out here rather than taken from src/domain/access.ts. */
const MAY: Record<AccessLevel, readonly Role[]> = {
  public: ['public', 'reader', 'editor', 'auditor', 'admin'],
  write: ['editor', 'admin'],
  audit: ['auditor', 'admin'],
  admin: ['admin'],
};

/** The access level the contract gives a route. */
function contractAccess(method: string, url: string): AccessLevel {
  if (url === '/v1/audit' || url.startsWith('/v1/audit/')) return 'audit';
  if (url === '/v1/keys' || url.startsWith('/v1/keys/')) return 'admin';
  if (/^\/v1\/people\/:id\/(export|erasure)$/.test(url)) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'public' : 'write';
}

interface Caller {
  name: string;
  /** null: the credentials are bad (revoked, expired, unknown, malformed). */
  role: Role | null;
  /** false: no Authorization header at all. */
  keyed: boolean;
  /** An editor key scoped to an organisation outside everything the requests below touch. */
  scoped?: boolean;
  auth: Pick<TestRequest, 'key' | 'headers'>;
}

/** What a route's valid request answers when it is allowed. */
type Success = { status: number } | 'not-refused';

interface Prepared {
  request: TestRequest;
  success: Success;
  /**
   * For writes: whether the change lies outside the scoped editor's subtree (`outside`), touches
   * no organisation (`neutral`), or is not known (`unknown`, for routes without a prepared request).
   */
  scope?: 'outside' | 'neutral' | 'unknown';
}

const ORG = DEMO_IDS.facharbeitskreis;
const DEMO_PERSON = DEMO_IDS.juttaReiter;
const DEMO_POST = DEMO_IDS.chairFacharbeitskreis;
const DEMO_ASSIGNMENT = DEMO_IDS.reiterChair;
const DEMO_TRANSITION = DEMO_IDS.straedeMove;

let counter = 0;
const unique = (label: string) => `${label} ${++counter}`;

async function created(app: TestApp, url: string, payload: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await app.request({ method: 'POST', url, payload });
  if (res.status !== 201) throw new Error(`fixture POST ${url} answered ${res.status}: ${res.text}`);
  return res.body;
}

async function etag(app: TestApp, url: string): Promise<string> {
  const res = await app.request({ method: 'GET', url });
  if (res.status !== 200 || typeof res.headers.etag !== 'string') throw new Error(`fixture GET ${url} answered ${res.status}`);
  return res.headers.etag;
}

/** Fixtures for write requests, made with the admin key; all of them inside the demo's Facharbeitskreis. */
function fixtures(app: TestApp) {
  const person = () => created(app, '/v1/people', { givenName: 'Erika', familyName: unique('Mustermann') });
  const subOrganisation = () =>
    created(app, '/v1/organisations', {
      name: unique('Arbeitsgruppe'),
      classification: 'unit',
      foundingDate: '2020-01-01',
      parents: [{ organisationId: ORG, startDate: '2020-01-01' }],
    });
  const assignment = async (personId?: string) =>
    created(app, '/v1/assignments', {
      personId: personId ?? (await person()).id,
      organisationId: ORG,
      role: 'Mitglied',
      startDate: '2020-01-01',
    });
  const post = () => created(app, '/v1/posts', { organisationId: ORG, label: unique('Schriftführung'), maxHolders: null });
  /** A person who works in the Facharbeitskreis today. */
  const employedPerson = async () => {
    const p = await person();
    await assignment(p.id);
    return p;
  };
  return { person, subOrganisation, assignment, post, employedPerson };
}

/** A valid request for each route we know; other routes get a generic one (see `genericRequest`). */
function knownRequests(app: TestApp): Record<string, () => Promise<Prepared>> {
  const f = fixtures(app);
  const get = (url: string, status = 200) => async (): Promise<Prepared> => ({ request: { method: 'GET', url }, success: { status } });
  const patch = (url: string, payload: Record<string, unknown>): Promise<Prepared> =>
    etag(app, url).then((tag) => ({
      request: { method: 'PATCH', url, payload, headers: { 'if-match': tag, 'content-type': 'application/merge-patch+json' } },
      success: { status: 200 },
      scope: 'outside',
    }));
  return {
    'GET /healthz': get('/healthz'),
    'GET /readyz': get('/readyz'),
    'GET /metrics': get('/metrics'),
    'GET /openapi.json': get('/openapi.json'),
    'GET /docs': get('/docs'),
    'GET /docs/static/index.html': get('/docs/static/index.html', 302),
    'GET /docs/static/swagger-initializer.js': get('/docs/static/swagger-initializer.js'),
    'GET /docs/static/*': get('/docs/static/swagger-ui.css'),
    'GET /docs/json': get('/docs/json'),
    'GET /docs/yaml': get('/docs/yaml'),
    'GET /v1/me': get('/v1/me'),

    'GET /v1/people': get('/v1/people?limit=500'),
    'POST /v1/people': async () => ({
      request: { method: 'POST', url: '/v1/people', payload: { givenName: 'Erika', familyName: unique('Musterfrau') } },
      success: { status: 201 },
      scope: 'neutral',
    }),
    'GET /v1/people/:id': get(`/v1/people/${DEMO_PERSON}`),
    'PATCH /v1/people/:id': async () => patch(`/v1/people/${(await f.employedPerson()).id}`, { honorificPrefix: 'Dr.' }),
    'GET /v1/people/:id/timeline': get(`/v1/people/${DEMO_PERSON}/timeline`),
    'GET /v1/people/:id/export': get(`/v1/people/${DEMO_PERSON}/export`),
    'POST /v1/people/:id/erasure': async () => ({
      request: { method: 'POST', url: `/v1/people/${(await f.employedPerson()).id}/erasure`, payload: { reason: 'Antrag nach Art. 17 DSGVO' } },
      success: { status: 200 },
      scope: 'outside',
    }),

    'GET /v1/organisations': get('/v1/organisations?limit=500'),
    'POST /v1/organisations': async () => ({
      request: {
        method: 'POST',
        url: '/v1/organisations',
        payload: { name: unique('Projektgruppe'), parents: [{ organisationId: ORG, startDate: '2021-01-01' }] },
      },
      success: { status: 201 },
      scope: 'outside',
    }),
    'GET /v1/organisations/:id': get(`/v1/organisations/${ORG}`),
    'PATCH /v1/organisations/:id': async () => patch(`/v1/organisations/${(await f.subOrganisation()).id}`, { location: 'Dortmund' }),
    'GET /v1/organisations/:id/tree': get(`/v1/organisations/${ORG}/tree?at=2016-06-22`),
    'GET /v1/organisations/:id/members': get(`/v1/organisations/${ORG}/members?at=2016-06-22`),
    'GET /v1/organisations/:id/events': get(`/v1/organisations/${DEMO_IDS.mais}/events`),
    'POST /v1/organisations/:id/events': async () => ({
      request: {
        method: 'POST',
        url: `/v1/organisations/${(await f.subOrganisation()).id}/events`,
        payload: { type: 'rename', date: '2024-01-01', name: unique('Arbeitsgruppe (neu)') },
      },
      success: { status: 201 },
      scope: 'outside',
    }),

    'GET /v1/posts': get('/v1/posts?limit=500'),
    'POST /v1/posts': async () => ({
      request: { method: 'POST', url: '/v1/posts', payload: { organisationId: ORG, label: unique('Stellvertretung'), maxHolders: 1 } },
      success: { status: 201 },
      scope: 'outside',
    }),
    'GET /v1/posts/:id': get(`/v1/posts/${DEMO_POST}`),
    'PATCH /v1/posts/:id': async () => patch(`/v1/posts/${(await f.post()).id}`, { label: unique('Schriftführung (neu)') }),
    'GET /v1/posts/:id/holders': get(`/v1/posts/${DEMO_POST}/holders`),

    'GET /v1/assignments': get(`/v1/assignments?organisationId=${ORG}`),
    'POST /v1/assignments': async () => ({
      request: {
        method: 'POST',
        url: '/v1/assignments',
        payload: { personId: (await f.person()).id, organisationId: ORG, role: 'Mitglied', startDate: '2022-01-01' },
      },
      success: { status: 201 },
      scope: 'outside',
    }),
    'GET /v1/assignments/:id': get(`/v1/assignments/${DEMO_ASSIGNMENT}`),
    'PATCH /v1/assignments/:id': async () => patch(`/v1/assignments/${(await f.assignment()).id}`, { note: 'laut Geschäftsverteilungsplan' }),

    'POST /v1/transitions': async () => {
      const a = await f.assignment();
      return {
        request: {
          method: 'POST',
          url: '/v1/transitions',
          payload: {
            date: '2024-01-01',
            end: [{ assignmentId: a.id }],
            start: [{ personId: a.personId, organisationId: ORG, role: 'Sprecherin' }],
            reason: 'Wahl zur Sprecherin',
          },
        },
        success: { status: 201 },
        scope: 'outside',
      };
    },
    'GET /v1/transitions/:id': get(`/v1/transitions/${DEMO_TRANSITION}`),

    'GET /v1/audit': get('/v1/audit?limit=5'),
    'GET /v1/audit/export': get('/v1/audit/export?format=csv'),
    'GET /v1/audit/head': get('/v1/audit/head'),
    'GET /v1/audit/verify': get('/v1/audit/verify'),
    'GET /v1/changes': get('/v1/changes?limit=5'),

    'GET /v1/search': get('/v1/search?q=Reiter'),
    'GET /v1/export/popolo': get('/v1/export/popolo?at=2016-06-22'),
    'POST /v1/import/popolo': async () => {
      const name = unique('Paula Popolo');
      return {
        request: {
          method: 'POST',
          url: '/v1/import/popolo?source=authorisation-test',
          payload: { persons: [{ id: name.replaceAll(' ', '-'), name, given_name: 'Paula', family_name: name.slice(6) }] },
        },
        success: { status: 200 },
        // People without memberships belong to no organisation.
        scope: 'neutral',
      };
    },
    'POST /v1/import/csv': async () => ({
      request: {
        method: 'POST',
        url: '/v1/import/csv',
        headers: { 'content-type': 'text/csv; charset=utf-8' },
        payload: `givenName,familyName\nCarla,${unique('Csv').replace(' ', '')}\n`,
      },
      success: { status: 200 },
      scope: 'neutral',
    }),

    'GET /v1/keys': get('/v1/keys'),
    'POST /v1/keys': async () => ({
      request: { method: 'POST', url: '/v1/keys', payload: { name: unique('Intranet Team-Seite'), role: 'public' } },
      success: { status: 201 },
    }),
    'DELETE /v1/keys/:id': async () => {
      const key = await created(app, '/v1/keys', { name: unique('zu widerrufen'), role: 'reader' });
      return { request: { method: 'DELETE', url: `/v1/keys/${key.id}` }, success: { status: 200 } };
    },
  };
}

/** Path parameters for routes without a prepared request: the demo record of the collection, else a placeholder. */
function fillPath(url: string): string {
  const ids: Array<[RegExp, string]> = [
    [/^\/v1\/people\//, DEMO_PERSON],
    [/^\/v1\/organisations\//, ORG],
    [/^\/v1\/posts\//, DEMO_POST],
    [/^\/v1\/assignments\//, DEMO_ASSIGNMENT],
    [/^\/v1\/transitions\//, DEMO_TRANSITION],
  ];
  const id = ids.find(([pattern]) => pattern.test(url))?.[1] ?? DEMO_PERSON;
  return url.replace(/:[A-Za-z0-9_]+/g, id).replace(/\*$/, 'index.html');
}

/**
 * A route nobody prepared a request for (one added after this test was written): reads are sent
 * as they are, writes with an empty JSON object. Authorisation is decided before validation, so
 * refusals are exact all the same; allowed callers must just not be refused (nor get a 5xx).
 */
function genericRequest(route: { method: string; url: string }): Prepared {
  const write = !['GET', 'HEAD'].includes(route.method);
  return {
    request: { method: route.method as TestRequest['method'], url: fillPath(route.url), ...(write ? { payload: {} } : {}) },
    success: 'not-refused',
    scope: 'unknown',
  };
}

type Expected = { status: number } | 'not-refused' | 'not-401';

function expectation(level: AccessLevel | undefined, prepared: Prepared, caller: Caller): Expected {
  if (caller.role === null) return { status: 401 };
  // A route that declares no access cannot be reached (src/plugins/app/auth.ts).
  if (level === undefined) return { status: 404 };
  if (level !== 'public' && !caller.keyed) return { status: 401 };
  if (!MAY[level].includes(caller.role)) return { status: 403 };
  if (caller.scoped && level === 'write') {
    if (prepared.scope === 'outside') return { status: 403 };
    if (prepared.scope === 'unknown') return 'not-401';
  }
  return prepared.success;
}

function check(t: Test, res: Response, expected: Expected, label: string) {
  if (expected === 'not-refused') {
    t.ok(![401, 403].includes(res.status) && res.status < 500, `${label}: not refused (${res.status})`);
  } else if (expected === 'not-401') {
    t.ok(res.status !== 401 && res.status < 500, `${label}: not 401 (${res.status})`);
  } else {
    t.equal(res.status, expected.status, label);
    if (res.status !== expected.status) t.comment(`${label} answered ${res.text.slice(0, 300)}`);
  }
  if ((res.status === 401 || res.status === 403) && res.text !== '') {
    t.match(String(res.headers['content-type']), /^application\/problem\+json/, `${label}: a problem document`);
    t.equal(res.body?.status, res.status, `${label}: status in the problem`);
    if (res.status === 401) t.match(String(res.headers['www-authenticate']), /^Bearer/, `${label}: WWW-Authenticate`);
  }
}

const send = (app: TestApp, request: TestRequest, caller: Caller) =>
  app.request({ ...request, key: caller.auth.key ?? null, headers: { ...(request.headers ?? {}), ...(caller.auth.headers ?? {}) } });

const UNDECLARED = '/v1/undeclared-route-for-the-test';

t.test(`authorisation of every route on ${DATABASE_KIND}`, async (t) => {
  const app = await buildTestAppWithRoutes(t, {
    demo: true,
    // A route added without `config.access`: it must not be reachable, by anyone.
    beforeReady: (fastify) => fastify.get(UNDECLARED, async () => ({ reached: true })),
  });

  // Callers. The bad credentials are admin keys: even an admin key is refused once revoked or expired.
  const elsewhere = await created(app, '/v1/organisations', { name: 'Anderswo GmbH', classification: 'company' });
  const revokedKey = await app.createKey('admin', { name: 'revoked admin' });
  t.equal((await app.request({ url: '/v1/keys', key: revokedKey })).status, 200, 'the revoked key worked before (and is cached)');
  const keyList = await app.request({ url: '/v1/keys' });
  const revokedId = (keyList.body.items as Array<{ id: string; name: string }>).find((k) => k.name === 'revoked admin')!.id;
  t.equal((await app.request({ method: 'DELETE', url: `/v1/keys/${revokedId}` })).status, 200, 'revoked');
  const expiredKey = await app.createKey('admin', { name: 'expired admin', expiresAt: '2020-01-01T00:00:00Z' });

  const key = (k: string): Caller['auth'] => ({ key: k });
  const callers: Caller[] = [
    { name: 'no key', role: 'public', keyed: false, auth: { key: null } },
    { name: 'widget key (public)', role: 'public', keyed: true, auth: key(await app.createKey('public')) },
    { name: 'reader', role: 'reader', keyed: true, auth: key(await app.createKey('reader')) },
    { name: 'editor', role: 'editor', keyed: true, auth: key(await app.createKey('editor')) },
    {
      name: 'editor scoped to another subtree',
      role: 'editor',
      keyed: true,
      scoped: true,
      auth: key(await app.createKey('editor', { scopes: [elsewhere.id] })),
    },
    { name: 'auditor', role: 'auditor', keyed: true, auth: key(await app.createKey('auditor')) },
    { name: 'admin', role: 'admin', keyed: true, auth: key(app.adminKey) },
    { name: 'revoked key', role: null, keyed: true, auth: key(revokedKey) },
    { name: 'expired key', role: null, keyed: true, auth: key(expiredKey) },
    { name: 'unknown key', role: null, keyed: true, auth: key(`rbk_${'A'.repeat(43)}`) },
    { name: 'malformed Authorization', role: null, keyed: true, auth: { key: null, headers: { authorization: 'Basic cm9sZWJvb2s6c2VjcmV0' } } },
  ];

  const known = knownRequests(app);
  const routes = app.routes.filter((r) => r.method !== 'OPTIONS');
  const routeKey = (r: { method: string; url: string }) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;

  t.test('the route table', async (t) => {
    t.ok(routes.length >= 40, `${routes.length} routes collected`);
    const doc = (await app.request({ url: '/openapi.json' })).body as { paths: Record<string, Record<string, unknown>> };
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        t.ok(
          routes.some((r) => openApiPath(r.url) === path && r.method === method.toUpperCase()),
          `${method.toUpperCase()} ${path} of the OpenAPI document is in the route table`,
        );
      }
    }
    for (const route of routes) {
      if (route.url === UNDECLARED) {
        t.equal(route.access, undefined, 'the undeclared route declares nothing');
        continue;
      }
      t.equal(route.access, contractAccess(route.method, route.url), `${route.method} ${route.url} declares what the contract says`);
    }
    const generic = routes.filter((r) => r.url !== UNDECLARED && !known[routeKey(r)]).map((r) => `${r.method} ${r.url}`);
    if (generic.length) t.comment(`routes without a prepared request (checked with a generic one): ${generic.join(', ')}`);
    const stale = Object.keys(known).filter((k) => !routes.some((r) => routeKey(r) === k));
    t.same(stale, [], 'every prepared request belongs to a route of the table');
  });

  for (const route of routes) {
    const level = route.url === UNDECLARED ? undefined : contractAccess(route.method, route.url);
    t.test(`${route.method} ${route.url} (${level ?? 'undeclared'})`, async (t) => {
      const prepare = async (): Promise<Prepared> => {
        const prepared = await (known[routeKey(route)]?.() ?? Promise.resolve(genericRequest(route)));
        return route.method === 'HEAD' ? { ...prepared, request: { ...prepared.request, method: 'HEAD' } } : prepared;
      };
      // Refused callers first, all with one prepared request: together they must store nothing.
      const prepared = await prepare();
      const refused = callers.filter((c) => {
        const e = expectation(level, prepared, c);
        return typeof e === 'object' && [401, 403, 404].includes(e.status);
      });
      const before = await snapshot(app.database);
      for (const caller of refused) {
        check(t, await send(app, prepared.request, caller), expectation(level, prepared, caller), caller.name);
      }
      t.same(await snapshot(app.database), before, `the refused requests (${refused.length}) stored nothing`);
      // Then every caller that may: each with a request of its own (a fresh record to patch, …).
      for (const caller of callers.filter((c) => !refused.includes(c))) {
        const own = await prepare();
        check(t, await send(app, own.request, caller), expectation(level, own, caller), caller.name);
      }
    });
  }

  t.test('OPTIONS: CORS preflights are answered before authentication', async (t) => {
    // The route table's `OPTIONS *` belongs to @fastify/cors. Browsers send preflights without
    // credentials (Fetch standard), so they are answered whatever Authorization says, and carry no data.
    t.ok(app.routes.some((r) => r.method === 'OPTIONS'), 'the CORS route is in the table');
    for (const caller of callers) {
      const res = await send(
        app,
        { method: 'OPTIONS', url: '/v1/audit', headers: { origin: 'https://intranet.example.org', 'access-control-request-method': 'GET' } },
        caller,
      );
      t.equal(res.status, 204, `${caller.name}: 204`);
      t.equal(res.text, '', `${caller.name}: no body`);
    }
  });

  t.test('unknown routes answer 404 with good credentials and 401 with bad ones', async (t) => {
    for (const caller of callers) {
      const res = await send(app, { method: 'GET', url: '/v1/nothing-here' }, caller);
      t.equal(res.status, caller.role === null ? 401 : 404, caller.name);
    }
  });

  t.test('every malformed Authorization header is a 401, on public routes too', async (t) => {
    const headers = [
      'Basic cm9sZWJvb2s6c2VjcmV0',
      'Bearer',
      'Bearer ',
      'Bearer short',
      `Bearer ${'x'.repeat(600)}`,
      `Bearer ${app.adminKey} extra`,
      `Token ${app.adminKey}`,
      `${app.adminKey}`,
      'Bearer rbk_ä€😀aaaaaaaaaaaaaaaaaaaaaa',
    ];
    for (const url of ['/healthz', '/v1/people', '/openapi.json', '/docs/json', '/v1/me']) {
      for (const authorization of headers) {
        const res = await app.request({ url, key: null, headers: { authorization } });
        t.equal(res.status, 401, `${url} with ${JSON.stringify(authorization.slice(0, 40))}`);
      }
    }
  });

  t.test('asOf on every read that takes it: auditors and admins only', async (t) => {
    const doc = (await app.request({ url: '/openapi.json' })).body as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    };
    const asOf = new Date().toISOString();
    const reads = Object.entries(doc.paths).filter(([, ops]) => ops.get?.parameters?.some((p) => p.name === 'asOf' && p.in === 'query'));
    t.ok(reads.length >= 10, `${reads.length} reads take asOf`);
    for (const [path] of reads) {
      const route = routes.find((r) => r.method === 'GET' && openApiPath(r.url) === path)!;
      const prepared = await (known[routeKey(route)]?.() ?? Promise.resolve(genericRequest(route)));
      const url = String(prepared.request.url);
      const withAsOf = `${url}${url.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}`;
      for (const caller of callers) {
        const res = await send(app, { ...prepared.request, url: withAsOf }, caller);
        const label = `${path} asOf, ${caller.name}`;
        if (caller.role === null || !caller.keyed) check(t, res, { status: 401 }, label);
        else if (caller.role === 'auditor' || caller.role === 'admin') check(t, res, prepared.success, label);
        else check(t, res, { status: 403 }, label);
      }
    }
  });

  t.test('scoped editors write only inside their subtree, on both sides of a transition', async (t) => {
    // An organisation A with a sub-unit A1; the editor may write in A's subtree only.
    const a = await created(app, '/v1/organisations', { name: 'Amt für Beispiele', foundingDate: '2000-01-01' });
    const a1 = await created(app, '/v1/organisations', {
      name: 'Sachgebiet Beispiele',
      foundingDate: '2000-01-01',
      parents: [{ organisationId: a.id, startDate: '2000-01-01' }],
    });
    const scoped = await app.createKey('editor', { scopes: [a.id] });
    const person = await created(app, '/v1/people', { givenName: 'Bea', familyName: 'Beispiel' });
    const inA = await created(app, '/v1/assignments', { personId: person.id, organisationId: a.id, role: 'Referentin', startDate: '2020-01-01' });
    const outside = await created(app, '/v1/assignments', { personId: person.id, organisationId: ORG, role: 'Gast', startDate: '2020-01-01' });
    const transition = (end: string, startIn: string) => ({
      method: 'POST' as const,
      url: '/v1/transitions',
      key: scoped,
      payload: { date: '2025-01-01', end: [{ assignmentId: end }], start: [{ personId: person.id, organisationId: startIn, role: 'Referentin' }] },
    });

    for (const [label, request] of [
      ['end in scope, start outside', transition(inA.id, ORG)],
      ['end outside, start in scope', transition(outside.id, a1.id)],
    ] as const) {
      const before = await snapshot(app.database);
      const res = await app.request(request);
      t.equal(res.status, 403, label);
      t.equal(res.body?.type, '/problems/forbidden', `${label}: a forbidden problem`);
      t.same(await snapshot(app.database), before, `${label}: nothing stored`);
    }
    const res = await app.request(transition(inA.id, a1.id));
    t.equal(res.status, 201, 'both sides in scope (A to its sub-unit A1): recorded');

    // Other writes: inside the subtree yes, outside no.
    t.equal((await app.request({ method: 'POST', url: '/v1/posts', key: scoped, payload: { organisationId: a1.id, label: 'Leitung' } })).status, 201, 'a post in A1');
    t.equal((await app.request({ method: 'POST', url: '/v1/posts', key: scoped, payload: { organisationId: ORG, label: 'Leitung' } })).status, 403, 'a post elsewhere');
    const sub = await app.request({
      method: 'POST',
      url: '/v1/organisations',
      key: scoped,
      payload: { name: 'Team Beispiele', parents: [{ organisationId: a1.id, startDate: '2024-01-01' }] },
    });
    t.equal(sub.status, 201, 'a new unit below A1');
    const move = await app.request({
      method: 'PATCH',
      url: `/v1/organisations/${sub.body.id}`,
      key: scoped,
      headers: { 'if-match': String(sub.headers.etag) },
      payload: { parents: [{ organisationId: ORG, startDate: '2024-01-01' }] },
    });
    t.equal(move.status, 403, 'moving it out of the subtree');
  });

  t.test('contact details by visibility on every read, list and feed', async (t) => {
    const VALUES = {
      public: 'zentrale-7f3a@example.org',
      internal: '+49 231 0000-4711-internal',
      private: 'privat-9c2e@example.net',
    };
    const head = await app.request({ url: '/v1/audit/head' });
    const since = cursorOf([head.body.seq]);
    const person = await created(app, '/v1/people', {
      givenName: 'Vera',
      familyName: 'Sichtbarkeit',
      contactDetails: [
        { type: 'email', value: VALUES.public, visibility: 'public' },
        { type: 'phone', value: VALUES.internal, visibility: 'internal' },
        { type: 'email', value: VALUES.private, label: 'privat', visibility: 'private' },
      ],
    });
    const post = await created(app, '/v1/posts', { organisationId: ORG, label: 'Geschäftsführung des Arbeitskreises' });
    const assignment = await created(app, '/v1/assignments', {
      personId: person.id,
      organisationId: ORG,
      postId: post.id,
      role: 'Geschäftsführerin',
      startDate: '2016-01-01',
    });
    // A version in history, and the feed has an update with contact details in it.
    const tag = await etag(app, `/v1/people/${person.id}`);
    const patched = await app.request({
      method: 'PATCH',
      url: `/v1/people/${person.id}`,
      headers: { 'if-match': tag },
      payload: { honorificPrefix: 'Dr.' },
    });
    t.equal(patched.status, 200, 'patched');
    await created(app, '/v1/keys', { name: 'Team-Seite Vera Sichtbarkeit', role: 'public' });
    const transition = await created(app, '/v1/transitions', {
      date: '2024-01-01',
      end: [{ assignmentId: assignment.id }],
      start: [{ personId: person.id, organisationId: ORG, postId: post.id, role: 'Geschäftsführerin' }],
    });

    const urlFor = (route: TableRoute): string => {
      const id = route.url.startsWith('/v1/people/')
        ? person.id
        : route.url.startsWith('/v1/posts/')
          ? post.id
          : route.url.startsWith('/v1/assignments/')
            ? assignment.id
            : route.url.startsWith('/v1/transitions/')
              ? transition.id
              : ORG;
      const query: Record<string, string> = {
        '/v1/people': 'limit=500',
        '/v1/assignments': `personId=${person.id}`,
        '/v1/changes': `since=${since}&limit=500`,
        '/v1/audit': `entityId=${person.id}&limit=500`,
        '/v1/audit/export': `entityId=${person.id}&format=csv`,
        '/v1/organisations/:id/tree': 'at=2020-01-01',
        '/v1/organisations/:id/members': 'at=2020-01-01',
      };
      const path = route.url.replace(/:[A-Za-z0-9_]+/g, id).replace(/\*$/, 'index.html');
      return query[route.url] ? `${path}?${query[route.url]}` : path;
    };
    const reads = routes.filter((r) => r.method === 'GET' && !r.url.startsWith('/docs') && r.url !== UNDECLARED);
    const viewers = callers.filter((c) => c.role !== null);
    const seen = new Map<string, Set<string>>();
    for (const caller of viewers) {
      const mayNotSee =
        caller.role === 'public' ? [VALUES.internal, VALUES.private] : caller.role === 'reader' ? [VALUES.private] : [];
      for (const route of reads) {
        // As JSON, and as the other representations a read may offer (vCard, CSV lists).
        for (const accept of ['application/json', 'text/vcard', 'text/csv']) {
          const url = urlFor(route);
          const res = await send(app, { method: 'GET', url, headers: { accept } }, caller);
          const label = `${caller.name} ${url} (${accept})`;
          t.ok(res.status < 500, `${label}: ${res.status}`);
          for (const value of mayNotSee) {
            t.notOk(res.text.includes(value), `${label}: no ${value === VALUES.private ? 'private' : 'internal'} contact data`);
          }
          for (const [visibility, value] of Object.entries(VALUES)) {
            const where = `${caller.name} ${visibility}`;
            if (res.text.includes(value)) seen.set(where, (seen.get(where) ?? new Set()).add(accept === 'application/json' ? route.url : `${route.url} ${accept}`));
          }
        }
      }
      // Also as a list filtered by name and the change feed from the person's creation on.
      const named = await send(app, { method: 'GET', url: '/v1/people?q=Sichtbarkeit' }, caller);
      t.equal(named.status, 200, `${caller.name}: the list by name`);
      for (const value of mayNotSee) t.notOk(named.text.includes(value), `${caller.name}: the list by name leaks nothing`);
    }
    // The test sees what it looks for: each role sees what it may, where it may.
    for (const [caller, visibilities] of [
      ['no key', ['public']],
      ['widget key (public)', ['public']],
      ['reader', ['public', 'internal']],
      ['editor', ['public', 'internal', 'private']],
      ['auditor', ['public', 'internal', 'private']],
      ['admin', ['public', 'internal', 'private']],
    ] as const) {
      for (const visibility of visibilities) {
        t.ok(seen.get(`${caller} ${visibility}`)?.has('/v1/people/:id'), `${caller} sees the ${visibility} contact detail on the person`);
        t.ok(seen.get(`${caller} ${visibility}`)?.has('/v1/changes'), `${caller} sees the ${visibility} contact detail in the change feed`);
      }
    }
    // The other representations are shaped too (a CSV row has one column per contact type: not all).
    for (const [where, what, all] of [
      ['/v1/export/popolo', 'the Popolo export', true],
      ['/v1/people/:id text/vcard', 'the vCard', true],
      ['/v1/people text/csv', 'the CSV list of people', false],
    ] as const) {
      if (!reads.some((r) => where.startsWith(`${r.url} `) || where === r.url)) continue;
      t.ok(seen.get('no key public')?.has(where), `${what} shows the public contact detail to everyone`);
      t.ok(seen.get('reader internal')?.has(where), `${what} shows the internal one to readers`);
      if (all) t.ok(seen.get('admin private')?.has(where), `${what} shows the private one to admins`);
    }
    t.ok(seen.get('admin private')?.has('/v1/people/:id/export'), 'the export (admin) has everything');
    t.ok(seen.get('auditor private')?.has('/v1/audit'), 'the audit log (auditor) has everything');

    // Nothing about keys in the feed that anyone may read: key records are not published data.
    const feed = await app.request({ url: `/v1/changes?since=${since}&limit=500`, key: null });
    t.notOk(/"entity":"key"/.test(feed.text), 'the public change feed carries no API key records');
  });
});
