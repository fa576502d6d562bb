import t from 'tap';
import { buildApp } from '../../src/app.js';
import { openPostgres } from '../../src/db/client.js';
import { createTestDatabase, SERVER_URL } from '../helpers/database.js';
import { startProxy } from '../helpers/tcp-proxy.js';
import { insertKey } from '../../src/db/keys.js';
import { runWrite } from '../../src/db/write.js';

const skip = SERVER_URL ? false : 'runs with TEST_DATABASE_URL only: the embedded database has no network to cut';

t.test('the database goes away and comes back', { skip }, async (t) => {
    const { url, destroy } = await createTestDatabase();
    const target = new URL(url!);
    const proxy = await startProxy(target.hostname, Number(target.port || 5432));
    const proxied = new URL(url!);
    proxied.host = `127.0.0.1:${proxy.port}`;
    const database = await openPostgres({ url: proxied.toString(), statementTimeoutMs: 3000, max: 4 });
    const app = await buildApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 60_000 }, database });
    const key = await runWrite(database, { actor: 'test', requestId: null, reason: null }, 'key.create', async (tx) =>
      (await insertKey(tx, { name: 'outage admin', role: 'admin' }, 'test')).secret,
    );
    t.teardown(async () => {
      await app.close();
      await database.close();
      await proxy.close();
      await destroy();
    });
    const auth = { authorization: `Bearer ${key}` };
    const create = (n: number) =>
      app.inject({ method: 'POST', url: '/v1/people', headers: auth, payload: { familyName: `Ausfall ${n}` } });

    const acknowledged = new Set<string>();
    for (let n = 0; n < 10; n++) {
      const res = await create(n);
      t.equal(res.statusCode, 201);
      acknowledged.add(res.json().id);
    }

    // Cut the connection while requests run: each answers 2xx or 503, none hangs, none is a 500.
    const running = Array.from({ length: 20 }, (_, n) => create(100 + n));
    await proxy.cut();
    const started = Date.now();
    const results = await Promise.all(running);
    t.ok(Date.now() - started < 15_000, `the running requests end within the timeouts (${Date.now() - started} ms)`);
    for (const res of results) {
      t.ok([201, 503].includes(res.statusCode), `a request during the cut answers ${res.statusCode}`);
      if (res.statusCode === 201) acknowledged.add(res.json().id);
      else t.ok(res.headers['retry-after'], '503 carries Retry-After');
    }

    const during = Date.now();
    const read = await app.inject({ method: 'GET', url: '/v1/people', headers: auth });
    t.equal(read.statusCode, 503, 'reads answer 503 while the database is away');
    t.equal(read.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.ok(read.headers['retry-after'], 'with Retry-After');
    t.notMatch(read.body, /ECONN|postgres|at .*\.js/i, 'without internals');
    t.ok(Date.now() - during < 8000, 'and quickly, not after a hang');
    t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, 'readiness turns false');
    t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the process itself is alive');

    await proxy.restore();
    let ready = 0;
    for (let attempt = 0; attempt < 40 && ready !== 200; attempt++) {
      ready = (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    t.equal(ready, 200, 'the service recovers by itself');
    const after = await create(999);
    t.equal(after.statusCode, 201, 'writes work again');
    acknowledged.add(after.json().id);

    const listed = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await app.inject({ method: 'GET', url: `/v1/people?limit=500${cursor ? `&cursor=${cursor}` : ''}`, headers: auth })
      ).json();
      for (const p of page.items) listed.add(p.id);
      cursor = page.nextCursor;
    } while (cursor);
    const lost = [...acknowledged].filter((id) => !listed.has(id));
    t.same(lost, [], `no acknowledged write is lost (${acknowledged.size} acknowledged)`);
    const verify = (await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: auth })).json();
    t.equal(verify.ok, true, 'the audit chain is intact');
  });
