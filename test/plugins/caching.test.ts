import t from 'tap';
import { buildApp } from '../../src/app.js';
import { DEMO_IDS as ID } from '../../src/demo/data.js';
import { seedDemoDataIfEmpty } from '../../src/demo/seed.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase, DATABASE_KIND } from '../helpers/database.js';

t.test(`Cache-Control and ETag on reads (${DATABASE_KIND})`, async (t) => {
  const { request, createKey } = await buildTestApp(t, { demo: true });
  const person = `/v1/people/${ID.katjaStraede}`;

  const anonymous = await request({ method: 'GET', url: person, key: null });
  t.equal(anonymous.headers['cache-control'], 'public, max-age=60', 'anonymous reads of published data: a minute');
  t.match(String(anonymous.headers.vary), /Authorization/, 'varies by credentials');
  const again = await request({ method: 'GET', url: person, key: null, headers: { 'if-none-match': String(anonymous.headers.etag) } });
  t.equal(again.status, 304, 'a matching If-None-Match: 304');
  t.equal(again.headers['cache-control'], 'public, max-age=60', 'the 304 says how long it is fresh again');

  const keyed = await request({ method: 'GET', url: person, key: await createKey('reader') });
  t.equal(keyed.headers['cache-control'], 'private, no-cache', 'with a key: private, revalidated each time');

  for (const url of ['/v1/changes', '/healthz']) {
    const res = await request({ method: 'GET', url, key: null });
    t.equal(res.headers['cache-control'], 'no-cache', `${url}: always asked again`);
  }
  const tree = await request({ method: 'GET', url: `/v1/organisations/${ID.gib}/tree?at=2016-07-01`, key: null });
  t.equal(tree.headers['cache-control'], 'public, max-age=60', 'the tree a team widget reads');
  t.match(String(tree.headers.etag), /^"/, 'with an ETag');
});

t.test(`Vary keeps Origin when CORS names origins (${DATABASE_KIND})`, async (t) => {
  const { database, destroy } = await createTestDatabase();
  await seedDemoDataIfEmpty(database);
  const app = await buildApp({ config: { CORS_ORIGINS: ['https://intranet.example'] }, database });
  t.teardown(async () => {
    await app.close();
    await destroy();
  });
  const res = await app.inject({ method: 'GET', url: `/v1/people/${ID.katjaStraede}`, headers: { origin: 'https://intranet.example' } });
  t.equal(res.headers['access-control-allow-origin'], 'https://intranet.example');
  const vary = String(res.headers.vary).split(',').map((v) => v.trim().toLowerCase());
  t.ok(vary.includes('origin') && vary.includes('authorization') && vary.includes('accept'), `Vary: ${res.headers.vary}`);
});

t.test(`GET /v1/me (${DATABASE_KIND})`, async (t) => {
  const { request, createKey } = await buildTestApp(t);
  const anonymous = await request({ method: 'GET', url: '/v1/me', key: null });
  t.same(anonymous.body, { role: 'public', name: 'anonymous', keyId: null, scopes: null, may: ['public'] });
  const editor = await request({ method: 'GET', url: '/v1/me', key: await createKey('editor', { name: 'HR Dortmund' }) });
  t.match(editor.body, { role: 'editor', name: 'HR Dortmund', may: ['public', 'write'] });
  const auditor = await request({ method: 'GET', url: '/v1/me', key: await createKey('auditor') });
  t.same(auditor.body.may, ['public', 'audit']);
  const wrong = await request({ method: 'GET', url: '/v1/me', key: 'rbk_no-such-key-000000000000000' });
  t.equal(wrong.status, 401, 'an unknown key is refused');
});
