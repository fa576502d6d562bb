import { sql } from 'drizzle-orm';
import t from 'tap';
import { DEMO_IDS } from '../../../../src/demo/data.js';
import { buildTestApp, type TestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';

const codeOf = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e.cause?.code ?? e.code;
};

async function refused(t: any, database: TestApp['database'], statement: ReturnType<typeof sql>, what: string) {
  try {
    await database.rows(statement);
    t.fail(`${what} was allowed`);
  } catch (error) {
    t.equal(codeOf(error), 'RB403', `${what} is refused by the database`);
  }
}

t.test(`the audit log on ${DATABASE_KIND}`, async (t) => {
  const app = await buildTestApp(t, { demo: true });
  const { request, database } = app;
  const person = `/v1/people/${DEMO_IDS.juttaReiter}`;

  await t.test('every write is one event with actor, request id, reason, before and after', async (t) => {
    const before = await request({ method: 'GET', url: person });
    const res = await request({
      method: 'PATCH',
      url: person,
      headers: { 'if-match': String(before.headers.etag), 'x-reason': 'Tippfehler', 'x-request-id': 'req-audit-1' },
      payload: { honorificPrefix: 'Dr.' },
    });
    t.equal(res.status, 200);
    const log = await request({ method: 'GET', url: `/v1/audit?entityId=${DEMO_IDS.juttaReiter}&operation=person.update` });
    t.equal(log.body.items.length, 1);
    const entry = log.body.items[0];
    t.equal(entry.reason, 'Tippfehler');
    t.equal(entry.requestId, 'req-audit-1');
    t.match(entry.actor, /^test admin \(key [0-9a-f-]{36}\)$/);
    t.equal(entry.changes[0].before.honorificPrefix, null);
    t.equal(entry.changes[0].after.honorificPrefix, 'Dr.');
    t.match(entry.recordedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  await t.test('the database refuses to change or delete entries', async (t) => {
    await refused(t, database, sql`UPDATE audit_events SET reason = 'forged' WHERE seq = 1`, 'an update');
    await refused(t, database, sql`DELETE FROM audit_events WHERE seq = 1`, 'a delete');
    await refused(t, database, sql`TRUNCATE audit_events`, 'a truncate');
    // Even the erasure switch does not allow touching the chain's own fields.
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('rolebook.erasure', 'on', true)`);
      await tx
        .execute(sql`UPDATE audit_events SET hash = repeat('0', 64), redacted_at = now() WHERE seq = 1`)
        .then(() => t.fail('the hash was changed'), (error) => t.equal(codeOf(error), 'RB403', 'the hash stays'));
    }).catch(() => {});
    t.equal((await request({ method: 'GET', url: '/v1/audit/verify' })).body.ok, true);
  });

  await t.test('verify finds the exact entry a superuser tampered with', async (t) => {
    const head = (await request({ method: 'GET', url: '/v1/audit/head' })).body;
    const [second] = await database.rows<{ seq: number; id: string }>(sql`SELECT seq, id FROM audit_events ORDER BY seq OFFSET 1 LIMIT 1`);
    await database.rows(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
    await database.rows(sql`UPDATE audit_events SET changes = jsonb_set(changes, '{0,after,familyName}', '"Fälscher"') WHERE seq = ${second!.seq}`);
    const broken = (await request({ method: 'GET', url: '/v1/audit/verify' })).body;
    t.equal(broken.ok, false);
    t.same(broken.firstBreak, { seq: second!.seq, id: second!.id, problem: 'payload', detail: broken.firstBreak.detail });

    // A rewrite of the whole table (every hash recomputed) still differs from an exported head.
    await database.rows(sql`UPDATE audit_events SET changes = jsonb_set(changes, '{0,after,familyName}', '"Reiter"') WHERE seq = ${second!.seq}`);
    await database.rows(sql`UPDATE audit_events SET hash = repeat('f', 64) WHERE seq = ${head.seq}`);
    await database.rows(sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    const rewritten = (await request({ method: 'GET', url: `/v1/audit/verify?headSeq=${head.seq}&headHash=${head.hash}` })).body;
    t.equal(rewritten.ok, false, 'the exported head no longer matches');
    t.equal(rewritten.exportedHead.matches, false);
  });
});

t.test(`concurrent writers keep one chain, and the feed sees every change once, on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t, { demo: true });
  const seen = new Map<string, number>();
  let since = '';
  const follow = async () => {
    const page = (await request({ method: 'GET', url: `/v1/changes?limit=5${since ? `&since=${since}` : ''}` })).body;
    for (const item of page.items) for (const c of item.changes) if (c.action === 'create') seen.set(c.entityId, (seen.get(c.entityId) ?? 0) + 1);
    since = page.nextCursor;
    return page.items.length;
  };
  // A follower reads the feed while the writers run (one page after the other, as a client
  // would), then it is read to the end.
  let queue: Promise<number> = Promise.resolve(0);
  const work: Array<Promise<unknown>> = [];
  for (let i = 0; i < 40; i++) {
    work.push(request({ method: 'POST', url: '/v1/people', payload: { familyName: `Gleichzeitig ${i}` } }));
    if (i % 4 === 0) work.push((queue = queue.then(follow)));
  }
  const writes = (await Promise.all(work)).filter((r): r is { status: number; body: { id: string } } => typeof r === 'object');
  for (let pages = 0; (await follow()) > 0 && pages < 100; pages++);
  const ids = writes.map((w) => {
    t.equal(w.status, 201);
    return w.body.id as string;
  });
  t.same(ids.map((id) => seen.get(id)), ids.map(() => 1), 'every create exactly once');
  const verify = (await request({ method: 'GET', url: '/v1/audit/verify' })).body;
  t.equal(verify.ok, true, 'one unbroken chain');
  t.ok(verify.checked >= 41);
});

t.test(`as-of answers across corrections, on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t, { demo: true });
  const tick = () => new Promise((resolve) => setTimeout(resolve, 30));
  // Record: a new head of the Facharbeitskreis's chair post, then correct her start twice.
  const created = await request({
    method: 'POST',
    url: '/v1/transitions',
    payload: {
      date: '2020-03-01',
      end: [{ assignmentId: DEMO_IDS.reiterChair }],
      start: [{ personId: DEMO_IDS.marionSiebert, organisationId: DEMO_IDS.facharbeitskreis, postId: DEMO_IDS.chairFacharbeitskreis, role: 'Vorsitzende' }],
    },
  });
  t.equal(created.status, 201);
  const assignment = `/v1/assignments/${created.body.started[0].id}`;
  await tick();
  const moments: string[] = [new Date().toISOString()];
  for (const startDate of ['2020-04-01', '2020-05-01']) {
    await tick();
    const current = await request({ method: 'GET', url: assignment });
    const fixed = await request({ method: 'PATCH', url: assignment, headers: { 'if-match': String(current.headers.etag) }, payload: { startDate } });
    t.equal(fixed.status, 200);
    await tick();
    moments.push(new Date().toISOString());
  }
  const expected = ['2020-03-01', '2020-04-01', '2020-05-01'];
  for (const [i, asOf] of moments.entries()) {
    const q = `asOf=${encodeURIComponent(asOf)}`;
    t.equal((await request({ method: 'GET', url: `${assignment}?${q}` })).body.startDate, expected[i], `the assignment as of correction ${i}`);
    const holders = await request({ method: 'GET', url: `/v1/posts/${DEMO_IDS.chairFacharbeitskreis}/holders?at=2020-03-15&${q}` });
    t.same(holders.body.holders.map((h: { person: { name: string } }) => h.person.name), i === 0 ? ['Marion Siebert'] : [], `holders on 2020-03-15 as of correction ${i}`);
    const tree = await request({ method: 'GET', url: `/v1/organisations/${DEMO_IDS.facharbeitskreis}/tree?at=2020-04-15&${q}` });
    t.equal(tree.body.root.posts[0].vacant, i === 2, `the chart of 2020-04-15 as of correction ${i}`);
    const timeline = await request({ method: 'GET', url: `/v1/people/${DEMO_IDS.marionSiebert}/timeline?${q}` });
    t.ok(timeline.body.items.some((x: { assignment: { startDate: string } }) => x.assignment.startDate === expected[i]), `her timeline as of correction ${i}`);
  }
  const before = await request({ method: 'GET', url: `/v1/people/${DEMO_IDS.marionSiebert}?asOf=2000-01-01T00:00:00Z` });
  t.equal(before.status, 404, 'before the directory knew her, there is no such person');
});

t.test('/metrics counts requests by route and status', async (t) => {
  const { request } = await buildTestApp(t);
  await request({ method: 'GET', url: '/v1/people' });
  const metrics = await request({ method: 'GET', url: '/metrics', key: null });
  t.equal(metrics.status, 200);
  t.match(metrics.text, /rolebook_http_requests_total\{route="\/v1\/people",method="GET",status="200"\} 1/);
  t.match(metrics.text, /nodejs_eventloop_lag_seconds/);
  t.match(metrics.text, /rolebook_database_up 1/);
});
