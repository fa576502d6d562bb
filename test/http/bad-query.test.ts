/**
 * Bad paths, query parameters, cursors, routes and methods on the list and read routes: each gets a
 * clear RFC 9457 problem (never a 5xx) and changes nothing stored.
 */
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { DATABASE_KIND } from '../helpers/database.js';
import { assertProblem, COLLECTIONS, cursorOf, expectRefused, IDS, RECORD_OF } from './support.js';

/** The query parameters each list takes, besides `limit` and `cursor`. */
const LIST_FILTERS = {
  people: { uuids: ['organisationId'], days: ['at'], texts: ['q'] },
  organisations: { uuids: ['parentId'], days: ['at'], texts: ['q', 'classification'] },
  posts: { uuids: ['organisationId'], days: [], texts: ['q'] },
  assignments: { uuids: ['personId', 'organisationId', 'postId'], days: ['at', 'from', 'to'], texts: [] },
} as const;

const NOT_DAYS = ['2016-02-30', '2016-13-01', '2015-02-29', '1900-02-29', '16-06-22', '2016-6-1', '2016-06', '2016', '20160622', '2016-06-22T00:00', 'today', '0000-01-01', '2016-06-00'];

t.test(`bad paths and queries on ${DATABASE_KIND}`, async (t) => {
  const app = await buildTestApp(t, { demo: true });
  const get = (url: string) => ({ method: 'GET' as const, url });

  for (const collection of COLLECTIONS) {
    t.test(`GET and PATCH /v1/${collection}/{id}`, async (t) => {
      for (const bad of ['not-a-uuid', '123', '0b000000-0000-4000-8000-00000000000', '0b000000-0000-4000-8000-0000000000011', 'zb000000-0000-4000-8000-000000000001', "1' OR '1'='1", '%00', '..%2F..%2Fetc']) {
        await expectRefused(t, app, get(`/v1/${collection}/${bad}`), {
          status: 400,
          type: 'validation-error',
          errors: [{ path: '/id', in: 'path', message: 'must be a UUID' }],
        });
        await expectRefused(
          t,
          app,
          { method: 'PATCH', url: `/v1/${collection}/${bad}`, headers: { 'if-match': '*' }, payload: {} },
          { status: 400, type: 'validation-error', errors: [{ path: '/id', in: 'path', message: 'must be a UUID' }] },
        );
      }
      const unknown = await expectRefused(t, app, get(`/v1/${collection}/${IDS.unknown}`), { status: 404, type: 'not-found' });
      t.match(unknown.body.detail, IDS.unknown, 'the detail names the id');
      await expectRefused(
        t,
        app,
        { method: 'PATCH', url: `/v1/${collection}/${IDS.unknown}`, headers: { 'if-match': '*' }, payload: {} },
        { status: 404, type: 'not-found' },
      );
      // A malformed percent escape and an overlong segment are refused before routing.
      await expectRefused(t, app, get(`/v1/${collection}/%E0%A4%A`), { status: 400, type: 'bad-request' });
      await expectRefused(t, app, get(`/v1/${collection}/${'a'.repeat(300)}`), { status: 400, type: 'bad-request' });
      // Read routes take no query parameters.
      await expectRefused(t, app, get(`/v1/${collection}/${RECORD_OF[collection]}?expand=all`), {
        status: 400,
        type: 'validation-error',
        errors: [{ path: '/expand', in: 'query', message: 'is not a known field' }],
      });
    });

    t.test(`GET /v1/${collection}: limit`, async (t) => {
      for (const [limit, message] of [
        ['0', 'must be at least 1'],
        ['-1', 'must be at least 1'],
        ['501', 'must be at most 500'],
        ['100000000000000000000', /at most 500|whole number/],
        ['abc', 'must be a number'],
        ['1.5', 'must be a whole number'],
        ['NaN', 'must be a number'],
        ['Infinity', /./],
      ] as const) {
        await expectRefused(t, app, get(`/v1/${collection}?limit=${limit}`), {
          status: 400,
          type: 'validation-error',
          errors: [{ path: '/limit', in: 'query', message }],
        });
      }
      await expectRefused(t, app, get(`/v1/${collection}?limit=1&limit=2`), {
        status: 400,
        type: 'validation-error',
        errors: [{ path: '/limit', in: 'query' }],
      });
      for (const limit of ['1', '500']) {
        const res = await app.request(get(`/v1/${collection}?limit=${limit}`));
        t.equal(res.status, 200, `limit=${limit} is fine`);
      }
    });

    t.test(`GET /v1/${collection}: cursor`, async (t) => {
      const bad = [
        'garbage',
        '%%%',
        '!!!!',
        'bm90IGpzb24', // "not json"
        cursorOf({ a: 1 }),
        cursorOf('x'),
        cursorOf(null),
        cursorOf([]),
        cursorOf(['x']),
        cursorOf(['x', IDS.unknown, 'y']),
        cursorOf(['x', 'not-a-uuid']),
        cursorOf(['x', null]),
        cursorOf([1, IDS.unknown]),
        cursorOf([['x'], IDS.unknown]),
        cursorOf(['a\u0000', IDS.unknown]),
        cursorOf(['-infinity', 'not-a-uuid']),
        cursorOf(['x'.repeat(5000), IDS.unknown]),
        // Assignments sort by start date: their cursors start with a day (or -infinity).
        ...(collection === 'assignments'
          ? [cursorOf(['2016-02-30', IDS.unknown]), cursorOf(['2016-06', IDS.unknown]), cursorOf(['infinity', IDS.unknown])]
          : []),
      ];
      for (const cursor of bad) {
        await expectRefused(t, app, get(`/v1/${collection}?cursor=${encodeURIComponent(cursor)}`), {
          status: 400,
          type: 'validation-error',
          errors: [{ path: '/cursor', in: 'query' }],
        });
      }
      // The cursors a list hands out walk it whole, one item at a time.
      const all = await app.request(get(`/v1/${collection}?limit=500`));
      t.equal(all.status, 200);
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await app.request(get(`/v1/${collection}?limit=1${cursor ? `&cursor=${cursor}` : ''}`));
        t.equal(page.status, 200, 'a page');
        ids.push(...(page.body.items as { id: string }[]).map((i) => i.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor !== null && ids.length <= all.body.items.length);
      t.same(ids, (all.body.items as { id: string }[]).map((i) => i.id), 'every item once, in order');
      t.ok(ids.length >= 2, 'more than one page was walked');
    });

    t.test(`GET /v1/${collection}: unknown and malformed parameters`, async (t) => {
      await expectRefused(t, app, get(`/v1/${collection}?foo=1`), {
        status: 400,
        type: 'validation-error',
        errors: [{ path: '/foo', in: 'query', message: 'is not a known field' }],
      });
      const two = await expectRefused(t, app, get(`/v1/${collection}?foo=1&Limit=5`), {
        status: 400,
        type: 'validation-error',
        errors: [
          { path: '/foo', in: 'query' },
          { path: '/Limit', in: 'query' },
        ],
      });
      t.equal(two.body.errors.length, 2);
      const filters = LIST_FILTERS[collection];
      for (const name of filters.uuids) {
        for (const value of ['abc', '', '0b000000-0000-4000-8000-00000000000g']) {
          await expectRefused(t, app, get(`/v1/${collection}?${name}=${value}`), {
            status: 400,
            type: 'validation-error',
            errors: [{ path: `/${name}`, in: 'query', message: 'must be a UUID' }],
          });
        }
        const res = await app.request(get(`/v1/${collection}?${name}=${IDS.unknown}`));
        t.equal(res.status, 200, `${name} that names nothing filters everything out`);
        t.same(res.body.items, []);
      }
      for (const name of filters.days) {
        for (const value of NOT_DAYS) {
          await expectRefused(t, app, get(`/v1/${collection}?${name}=${value}`), {
            status: 400,
            type: 'validation-error',
            errors: [{ path: `/${name}`, in: 'query', message: /date/ }],
          });
        }
        const res = await app.request(get(`/v1/${collection}?${name}=2016-02-29`));
        t.equal(res.status, 200, `${name}=2016-02-29 is a day`);
      }
      for (const name of filters.texts) {
        await expectRefused(t, app, get(`/v1/${collection}?${name}=`), {
          status: 400,
          type: 'validation-error',
          errors: [{ path: `/${name}`, in: 'query' }],
        });
        await expectRefused(t, app, get(`/v1/${collection}?${name}=${'x'.repeat(201)}`), {
          status: 400,
          type: 'validation-error',
          errors: [{ path: `/${name}`, in: 'query' }],
        });
        // PostgreSQL cannot compare a NUL: a client error all the same.
        await expectRefused(t, app, get(`/v1/${collection}?${name}=a%00b`), { status: 400, type: 'bad-request' });
        for (const odd of ['%E0%A4%A', '%FF', '%ED%A0%80', '%F0%9F%98%80', 'e%CC%81', '%25_%5C', "'%3B--"]) {
          const res = await app.request(get(`/v1/${collection}?${name}=${odd}`));
          t.equal(res.status, 200, `${name}=${odd} is searched for, not a failure`);
        }
      }
      if (collection === 'assignments') {
        await expectRefused(t, app, get('/v1/assignments?from=2016-06-01&to=2016-05-31'), {
          status: 400,
          type: 'validation-error',
          errors: [{ path: '/to', in: 'query', message: /from/ }],
        });
        const res = await app.request(get('/v1/assignments?from=2016-06-01&to=2016-06-01'));
        t.equal(res.status, 200, 'a one-day period');
      }
    });
  }

  t.test('unknown routes', async (t) => {
    for (const url of ['/v1/nothing', '/v2/people', '/v1/people/x/y/z', `/v1/people/${IDS.person}/nothing`, '/v1', '/.env', '/v1/people%2F..']) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await expectRefused(t, app, { method, url, headers: { 'content-type': 'application/json' }, payload: '{}' }, {
          status: 404,
          type: 'not-found',
        });
        t.match(res.body.detail, method, 'the detail names the request');
      }
    }
  });

  t.test('wrong methods', async (t) => {
    const cases = [
      ['DELETE', '/v1/people', 'GET, HEAD, POST'],
      ['PUT', '/v1/organisations', 'GET, HEAD, POST'],
      ['PATCH', '/v1/posts', 'GET, HEAD, POST'],
      ['PUT', `/v1/people/${IDS.person}`, 'GET, HEAD, PATCH'],
      ['POST', `/v1/organisations/${IDS.organisation}`, 'GET, HEAD, PATCH'],
      ['DELETE', `/v1/posts/${IDS.post}`, 'GET, HEAD, PATCH'],
      ['DELETE', `/v1/assignments/${IDS.assignment}`, 'GET, HEAD, PATCH'],
      ['DELETE', '/v1/assignments/not-a-uuid/', 'GET, HEAD, PATCH'],
    ] as const;
    for (const [method, url, allow] of cases) {
      const res = await expectRefused(t, app, { method, url, headers: { 'content-type': 'application/json' }, payload: '{}' }, {
        status: 405,
        type: 'method-not-allowed',
      });
      t.equal(res.headers.allow, allow, `${method} ${url}: Allow names what the path answers`);
    }
  });

  t.test('HEAD of a bad id answers the GET status without a body', async (t) => {
    const res = await app.request({ method: 'HEAD', url: '/v1/people/not-a-uuid' });
    t.equal(res.status, 400);
    t.equal(res.text, '');
    const known = await app.request({ method: 'HEAD', url: `/v1/people/${IDS.person}` });
    t.equal(known.status, 200);
  });

  t.test('malformed or unknown credentials', async (t) => {
    const body = { method: 'POST' as const, url: '/v1/people', payload: { familyName: 'Ohne Schlüssel' } };
    for (const authorization of ['Basic dXNlcjpwYXNzd29yZA==', 'Bearer', 'Bearer short', 'Bearer rbk_thiskeywasneverissuedtoanyone0123456789', `Bearer ${'x'.repeat(600)}`]) {
      const res = await expectRefused(t, app, { ...body, headers: { authorization } }, { status: 401, type: 'unauthorized' });
      t.match(res.headers['www-authenticate'], /^Bearer/, 'says how to authenticate');
    }
    await expectRefused(t, app, { ...body, key: null }, { status: 401, type: 'unauthorized' });
  });

  t.test('a problem answer is a complete problem', async (t) => {
    const res = await app.request(get('/v1/people?limit=0'));
    assertProblem(t, res, { status: 400, type: 'validation-error', errors: [{ path: '/limit', in: 'query' }] });
    t.same(Object.keys(res.body).sort(), ['detail', 'errors', 'status', 'title', 'type']);
  });
});
