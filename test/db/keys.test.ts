/**
 * API keys (DESIGN.md §5, issue "Who may see and change what"): random (at least 128 bits), shown
 * once, stored only as a hash, revocable at once, expiring; the bootstrap admin key.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/app.js';
import { installBootstrapKeys } from '../../src/db/bootstrap.js';
import type { Database, Executor } from '../../src/db/client.js';
import { countKeys, findActiveKey, generateKey, revokeKey } from '../../src/db/keys.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, DATABASE_KIND } from '../helpers/database.js';
import { findInTables } from '../helpers/table-search.js';

const KEY_FORMAT = /^rbk_[A-Za-z0-9_-]{43}$/;

/** The parts of a key worth looking for: the whole, and its secret part past the stored prefix. */
const needlesOf = (key: string) => [key, key.slice(10), key.slice(-20)];

async function keyIdByName(app: TestApp, name: string): Promise<string> {
  const res = await app.request({ url: '/v1/keys' });
  const found = (res.body.items as Array<{ id: string; name: string }>).find((k) => k.name === name);
  if (!found) throw new Error(`no key named ${name}`);
  return found.id;
}

async function auditCount(database: Database, operation: string): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events WHERE operation = ${operation}`);
  return row!.n;
}

t.test(`API keys on ${DATABASE_KIND}`, async (t) => {
  const app = await buildTestApp(t, { demo: true });

  t.test('a plain key appears nowhere in the database, nor in any answer but its creation', async (t) => {
    const keys: string[] = [app.adminKey];
    const created: Array<{ id: string; key: string }> = [];
    for (const [role, extra] of [
      ['public', {}],
      ['reader', { expiresAt: '2099-01-01T00:00:00Z' }],
      ['editor', { scopes: ['0a000000-0000-4000-8000-000000000007'] }],
      ['auditor', {}],
      ['admin', {}],
    ] as const) {
      const res = await app.request({ method: 'POST', url: '/v1/keys', payload: { name: `HTTP ${role}`, role, ...extra } });
      t.equal(res.status, 201, `${role} key created over HTTP`);
      t.match(res.body.key, KEY_FORMAT, 'the key, once');
      t.equal(res.headers['cache-control'], 'no-store', 'the answer with the key is not cached');
      t.equal(res.body.prefix, `${res.body.key.slice(0, 10)}…`, 'a prefix to tell it apart');
      created.push({ id: res.body.id, key: res.body.key });
      keys.push(res.body.key);
    }
    keys.push(await app.createKey('reader', { name: 'createKey reader' }));
    // Every key used once (requests are audited with the key's name and id as actor) …
    for (const key of keys) {
      const res = await app.request({ url: '/v1/me', key });
      t.equal(res.status, 200, 'the key works');
    }
    // … one of them for a write, with the key in the reason and a request id, where a careless log would keep it.
    const write = await app.request({
      method: 'POST',
      url: '/v1/people',
      key: created[4]!.key,
      payload: { givenName: 'Schlüssel', familyName: 'Probe' },
    });
    t.equal(write.status, 201, 'a write with a new admin key');
    // … and one revoked.
    t.equal((await app.request({ method: 'DELETE', url: `/v1/keys/${created[0]!.id}` })).status, 200, 'revoked');

    const traces = await findInTables(app.database, keys.flatMap(needlesOf));
    t.same(traces, [], 'no table (history and audit_events included) holds a key or its secret part');

    const [stored] = await app.database.rows<{ n: number; hashes: number }>(
      sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE secret_hash ~ '^[0-9a-f]{64}$')::int AS hashes FROM api_keys`,
    );
    t.equal(stored!.hashes, stored!.n, 'every key is stored as a SHA-256 hash');

    for (const url of ['/v1/keys', '/v1/audit?limit=500', '/v1/audit/export?format=csv', '/v1/changes?limit=500']) {
      const res = await app.request({ url });
      t.equal(res.status, 200, url);
      t.notOk(
        keys.some((key) => res.text.includes(key.slice(10))),
        `${url} shows no key`,
      );
    }
  });

  t.test('keys are random: 256 bits, never repeated, no bias', async (t) => {
    const samples = Array.from({ length: 2000 }, generateKey);
    t.ok(samples.every((k) => KEY_FORMAT.test(k)), 'rbk_ and 43 base64url characters');
    t.equal(new Set(samples).size, samples.length, 'no key repeats');
    const bytes = samples.map((k) => Buffer.from(k.slice(4), 'base64url'));
    t.ok(bytes.every((b) => b.length === 32), '32 random bytes each');
    // What the stored prefix gives away (6 characters, 36 bits) leaves far more than 128 bits unknown.
    t.ok((43 - 6) * 6 >= 128, 'at least 128 bits past the prefix');
    let ones = 0;
    const perBit = new Array<number>(256).fill(0);
    for (const b of bytes) {
      for (let i = 0; i < 256; i++) {
        const bit = (b[i >> 3]! >> (i & 7)) & 1;
        ones += bit;
        perBit[i]! += bit;
      }
    }
    const share = ones / (bytes.length * 256);
    t.ok(share > 0.49 && share < 0.51, `ones make half of all bits (${share.toFixed(4)})`);
    const skewed = perBit.map((n) => n / bytes.length).filter((p) => p < 0.4 || p > 0.6);
    t.same(skewed, [], 'no bit position is biased');
  });

  t.test('a revoked key is refused at once', async (t) => {
    const key = await app.createKey('auditor', { name: 'to be revoked' });
    t.equal((await app.request({ url: '/v1/audit/head', key })).status, 200, 'works (and is cached now)');
    const id = await keyIdByName(app, 'to be revoked');
    const revoked = await app.request({ method: 'DELETE', url: `/v1/keys/${id}` });
    t.equal(revoked.status, 200, 'revoked over HTTP');
    t.type(revoked.body.revokedAt, 'string', 'with the time of revocation');
    const refused = await app.request({ url: '/v1/audit/head', key });
    t.equal(refused.status, 401, 'the very next request is refused');
    t.equal((await app.request({ url: '/healthz', key })).status, 401, 'on public routes too');
    t.equal((await app.request({ method: 'DELETE', url: `/v1/keys/${id}` })).status, 200, 'revoking twice is harmless');
    t.equal((await app.request({ url: '/v1/audit/head', key })).status, 401, 'and it stays revoked');
    t.ok((await auditCount(app.database, 'key.revoke')) >= 2, 'revocations are audited');
  });

  t.test('a key revoked elsewhere (the CLI, another instance) is refused within seconds', async (t) => {
    const key = await app.createKey('reader', { name: 'revoked by the CLI' });
    const id = await keyIdByName(app, 'revoked by the CLI');
    const unused = await app.createKey('reader', { name: 'revoked before use' });
    const unusedId = await keyIdByName(app, 'revoked before use');
    t.equal((await app.request({ url: '/v1/me', key })).status, 200, 'works (and is cached now)');
    await app.database.db.transaction(async (tx) => {
      await revokeKey(tx as unknown as Executor, id);
      await revokeKey(tx as unknown as Executor, unusedId);
    });
    t.equal(await findActiveKey(app.database.db, key), undefined, 'the database refuses it at once');
    t.equal((await app.request({ url: '/v1/me', key: unused })).status, 401, 'a key not cached here is refused at once');
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 8000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await app.request({ url: '/v1/me', key })).status;
    }
    t.equal(status, 401, `refused after ${Date.now() - started} ms (the key cache holds for 5 s)`);
  });

  t.test('an expired key is refused', async (t) => {
    const past = await app.createKey('admin', { name: 'expired', expiresAt: '2020-01-01T00:00:00Z' });
    t.equal((await app.request({ url: '/v1/me', key: past })).status, 401, 'expired before its first use');
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await app.request({ method: 'POST', url: '/v1/keys', payload: { name: 'expires soon', role: 'reader', expiresAt: soon } });
    t.equal(created.status, 201, 'created with an expiry');
    t.equal(created.body.expiresAt, soon, 'the expiry is kept');
    const key = created.body.key as string;
    t.equal((await app.request({ url: '/v1/me', key })).status, 200, 'works until then (and is cached)');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(soon) - Date.now()) + 100));
    const res = await app.request({ url: '/v1/me', key });
    t.equal(res.status, 401, 'refused once expired, cached or not');
    t.equal(res.body.type, '/problems/unauthorized', 'an unauthorized problem');
    t.equal(await findActiveKey(app.database.db, key), undefined, 'the database agrees');
  });

  t.test('keys are managed by admins only', async (t) => {
    for (const role of ['public', 'reader', 'editor', 'auditor'] as const) {
      const key = await app.createKey(role);
      t.equal((await app.request({ url: '/v1/keys', key })).status, 403, `${role}: no list`);
      t.equal((await app.request({ method: 'POST', url: '/v1/keys', key, payload: { name: 'x', role: 'admin' } })).status, 403, `${role}: no new key`);
    }
    t.equal((await app.request({ url: '/v1/keys', key: null })).status, 401, 'without a key: 401');
  });
});

t.test(`the bootstrap admin key on ${DATABASE_KIND}`, async (t) => {
  const ENV_KEY = `bootstrap-${generateKey()}`;

  t.test('without ROLEBOOK_ADMIN_KEY: one admin key on a database without keys, and only then', async (t) => {
    const { database, destroy } = await createTestDatabase();
    t.teardown(destroy);
    t.equal(await countKeys(database.db), 0, 'no keys yet');
    const first = await installBootstrapKeys(database, undefined);
    t.match(first, KEY_FORMAT, 'a first admin key, to be shown once');
    t.equal((await findActiveKey(database.db, first!))?.role, 'admin', 'it is an admin key');
    t.equal(await installBootstrapKeys(database, undefined), null, 'the next start makes none');
    t.equal(await countKeys(database.db), 1, 'one key in all');
    t.equal(await auditCount(database, 'key.create'), 1, 'its creation is audited');
    t.same(await findInTables(database, needlesOf(first!)), [], 'the key is stored nowhere in plain');
  });

  t.test('ROLEBOOK_ADMIN_KEY is installed once, and not twice', async (t) => {
    const { database, destroy } = await createTestDatabase();
    const app = await buildApp({ config: {}, database });
    t.teardown(async () => {
      await app.close();
      await destroy();
    });
    t.equal(await installBootstrapKeys(database, ENV_KEY), null, 'installed (nothing to show: the operator knows it)');
    t.equal(await countKeys(database.db), 1, 'one key');
    t.equal(await installBootstrapKeys(database, ENV_KEY), null, 'a second start');
    t.equal(await installBootstrapKeys(database, ENV_KEY), null, 'a third start');
    t.equal(await countKeys(database.db), 1, 'still one key');
    t.equal(await auditCount(database, 'key.create'), 1, 'one creation audited');
    t.equal(await installBootstrapKeys(database, undefined), null, 'without the variable later: no first admin key, as keys exist');
    t.equal(await countKeys(database.db), 1, 'still one key');

    const res = await app.inject({ url: '/v1/keys', headers: { authorization: `Bearer ${ENV_KEY}` } });
    t.equal(res.statusCode, 200, 'it is an admin key');
    t.equal(JSON.parse(res.body).items[0].name, 'ROLEBOOK_ADMIN_KEY', 'named after the variable');
    t.same(await findInTables(database, [ENV_KEY, ENV_KEY.slice(20)]), [], 'stored nowhere in plain');

    // Revoked, it stays revoked: a restart with the same variable does not bring it back.
    const id = JSON.parse(res.body).items[0].id as string;
    const revoked = await app.inject({ method: 'DELETE', url: `/v1/keys/${id}`, headers: { authorization: `Bearer ${ENV_KEY}` } });
    t.equal(revoked.statusCode, 200, 'revoked with itself');
    t.equal(await installBootstrapKeys(database, ENV_KEY), null, 'a restart');
    t.equal(await countKeys(database.db), 1, 'no new key');
    t.equal(await findActiveKey(database.db, ENV_KEY), undefined, 'still revoked');
  });

  t.test('ROLEBOOK_ADMIN_KEY joins the keys a database already has', async (t) => {
    const { database, destroy } = await createTestDatabase();
    t.teardown(destroy);
    const first = await installBootstrapKeys(database, undefined);
    t.ok(first, 'a first admin key');
    t.equal(await installBootstrapKeys(database, ENV_KEY), null, 'then the variable is set');
    t.equal(await countKeys(database.db), 2, 'both keys');
    t.equal((await findActiveKey(database.db, ENV_KEY))?.role, 'admin', 'the variable is an admin key');
    t.equal((await findActiveKey(database.db, first!))?.role, 'admin', 'and the first stays one');
  });
});
