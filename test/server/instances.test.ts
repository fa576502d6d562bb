import t from 'tap';
import { buildApp } from '../../src/app.js';
import { openPostgres } from '../../src/db/client.js';
import { insertKey } from '../../src/db/keys.js';
import { runWrite } from '../../src/db/write.js';
import { seedDemoDataIfEmpty } from '../../src/demo/seed.js';
import { createTestDatabase, SERVER_URL } from '../helpers/database.js';

const skip = SERVER_URL ? false : 'runs with TEST_DATABASE_URL only: instances share a database server';

t.test('two instances against one server behave as one', { skip }, async (t) => {
  const { url, database: first, destroy } = await createTestDatabase();
  await seedDemoDataIfEmpty(first);
  const second = await openPostgres({ url: url!, statementTimeoutMs: 20_000 });
  const config = { MAX_EVENT_LOOP_DELAY_MS: 60_000 };
  const apps = [await buildApp({ config, database: first }), await buildApp({ config, database: second })];
  const key = await runWrite(first, { actor: 'test', requestId: null, reason: null }, 'key.create', async (tx) =>
    (await insertKey(tx, { name: 'instances admin', role: 'admin' }, 'test')).secret,
  );
  t.teardown(async () => {
    for (const app of apps) await app.close();
    await second.close();
    await destroy();
  });
  const headers = { authorization: `Bearer ${key}` };
  const on = (i: number) => apps[i % 2]!;

  // New people, created alternately on both instances.
  const created = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      on(i).inject({ method: 'POST', url: '/v1/people', headers, payload: { familyName: `Instanz ${i}` } }),
    ),
  );
  t.same([...new Set(created.map((r) => r.statusCode))], [201], 'every create succeeds on either instance');
  const people = created.map((r) => r.json().id as string);

  // Everyone tries to take the single-holder post of the G.I.B. on the same day: one wins.
  const contest = await Promise.all(
    people.map((personId, i) =>
      on(i).inject({
        method: 'POST',
        url: '/v1/transitions',
        headers,
        payload: {
          date: '2030-01-01',
          end: [{ personId: '0b000000-0000-4000-8000-000000000004', organisationId: '0a000000-0000-4000-8000-000000000008' }],
          start: [{ personId, organisationId: '0a000000-0000-4000-8000-000000000008', postId: '0c000000-0000-4000-8000-000000000002' }],
        },
      }),
    ),
  );
  const statuses = contest.map((r) => r.statusCode);
  t.equal(statuses.filter((s) => s === 201).length, 1, 'exactly one transition wins');
  t.equal(statuses.filter((s) => s === 409).length, people.length - 1, 'the others get 409');
  const holders = on(1).inject({ method: 'GET', url: '/v1/posts/0c000000-0000-4000-8000-000000000002/holders?at=2030-01-01', headers });
  t.equal((await holders).json().holders.length, 1, 'the post has one holder on the day');

  // One chain, seen alike from both instances.
  const verify = await Promise.all(apps.map((app) => app.inject({ method: 'GET', url: '/v1/audit/verify', headers })));
  for (const res of verify) t.equal(res.json().ok, true, 'the audit chain verifies');
  t.same(verify[0]!.json().head, verify[1]!.json().head, 'both instances see the same head');

  // The change feed, read from the other instance, has every create exactly once, in commit order.
  const seen = new Map<string, number>();
  let since = '';
  let lastSeq = 0;
  for (;;) {
    const page = (await on(1).inject({ method: 'GET', url: `/v1/changes?limit=7${since ? `&since=${since}` : ''}`, headers })).json();
    for (const item of page.items) {
      t.ok(item.seq > lastSeq, 'in commit order');
      lastSeq = item.seq;
      for (const change of item.changes) {
        if (change.entity === 'person' && change.action === 'create') seen.set(change.entityId, (seen.get(change.entityId) ?? 0) + 1);
      }
    }
    if (page.items.length === 0) break;
    since = page.nextCursor;
  }
  t.same(
    people.map((id) => seen.get(id)),
    people.map(() => 1),
    'every create appears in the feed exactly once',
  );
});
