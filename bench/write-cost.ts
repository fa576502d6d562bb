/**
 * What auditing a write costs on PostgreSQL, and what history costs an as-of read.
 *
 *   npx tsx bench/write-cost.ts                      # generates 10k/1k/100k, drops it after
 *   npx tsx bench/write-cost.ts --url postgres://…/rolebook_bench_1234   # a kept database (it is written to)
 *
 * Options: --writes 1000 (per variant, sequential), --concurrent-writes 2000 (per variant, over
 * --writers 8), --updates 3000 (to build history), --requests 200 (per as-of read), --at 2024-06-15,
 * and the sizes of generate.ts when no --url is given (--patch too); --keep keeps the generated database.
 *
 * 1. Creating a person, four ways, each sequentially and with 8 concurrent writers:
 *    a. POST /v1/people through the app (app.inject): validation, insert, read back, audit event
 *       (advisory lock on the chain, previous hash, sha256, insert), serialisation;
 *    b. runWrite() from src/db/write.ts with the route's work (insertPerson + loadPerson): the
 *       audited write without HTTP;
 *    c. the same work in database.db.transaction() without the audit event;
 *    d. insertPerson alone in database.db.transaction() (the bare insert).
 *    b − c is the audit event's price; a − b the HTTP layer's.
 * 2. A few thousand updates through the app (PATCH with If-Match) to assignments, organisations,
 *    posts and people in one top unit's tree, which fill the history tables; then the tree of that
 *    unit read now and as of several moments (before, during and after the updates), with the
 *    as-of SQL under EXPLAIN.
 */
import { sql } from 'drizzle-orm';
import { openPostgres } from '../src/db/client.js';
import { runWrite } from '../src/db/write.js';
import { unitsOn } from '../src/routes/v1/organisations/day-queries.js';
import { insertPerson, loadPerson } from '../src/routes/v1/people/queries.js';
import type { PersonInput } from '../src/routes/v1/people/schemas.js';
import { generateForBench } from './generate.js';
import {
  benchApp,
  CapturingLogger,
  createKey,
  databaseName,
  EXPLAINED_HEADER,
  explainedRow,
  explainStatement,
  int,
  intArg,
  isMain,
  machineNote,
  ms,
  now,
  openLoggedPostgres,
  parseArgs,
  runConcurrently,
  stringArg,
  summarise,
  table,
} from './lib.js';

let serial = 0;
function personBody(): PersonInput {
  const n = ++serial;
  return {
    givenName: `Erika ${n}`,
    familyName: 'Mustermann',
    honorificPrefix: n % 10 === 0 ? 'Dr.' : null,
    contactDetails: [{ type: 'email', value: `erika.${n}@example.nrw`, visibility: 'internal' }],
    identifiers: [{ scheme: 'bench-write-cost', identifier: `W${process.pid}-${n}` }],
  };
}

interface Variant {
  name: string;
  audited: boolean;
  run(): Promise<void>;
}

export async function writeCost(
  url: string,
  options: { writes: number; concurrentWrites: number; writers: number; updates: number; requests: number; at: string },
): Promise<string> {
  const out: string[] = [];
  const database = await openPostgres({ url });
  const app = await benchApp(database);
  // Writes need an editor or admin key, as-of reads an auditor or admin: one admin key for all.
  const authorization = `Bearer ${await createKey(database, 'admin')}`;
  const inject = (options: { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: object; headers?: Record<string, string> }) =>
    app.inject({ ...options, headers: { ...options.headers, authorization } });
  out.push(`Machine: ${machineNote()}. Database ${databaseName(url)}, pool of 10 connections (openPostgres default).`);
  out.push('');

  // ------------------------------------------------------------ 1. audited vs not
  const context = { actor: 'bench', requestId: null, reason: 'write-cost benchmark' };
  const variants: Variant[] = [
    {
      name: 'a. POST /v1/people through the app (audited, hash-chained)',
      audited: true,
      run: async () => {
        const response = await inject({ method: 'POST', url: '/v1/people', payload: personBody(), headers: { 'x-reason': 'bench' } });
        if (response.statusCode !== 201) throw new Error(`POST /v1/people: ${response.statusCode} ${response.body}`);
      },
    },
    {
      name: 'b. runWrite(insertPerson + loadPerson): audited, no HTTP',
      audited: true,
      run: async () => {
        await runWrite(database, context, 'person.create', async (tx, changes) => {
          const id = await insertPerson(tx, personBody());
          const after = await loadPerson(tx, id);
          changes.record({ entity: 'person', entityId: id, action: 'create', before: null, after });
        });
      },
    },
    {
      name: 'c. transaction(insertPerson + loadPerson): not audited',
      audited: false,
      run: async () => {
        await database.db.transaction(async (tx) => {
          const id = await insertPerson(tx as never, personBody());
          await loadPerson(tx as never, id);
        });
      },
    },
    {
      name: 'd. transaction(insertPerson): not audited',
      audited: false,
      run: async () => {
        await database.db.transaction(async (tx) => {
          await insertPerson(tx as never, personBody());
        });
      },
    },
  ];
  for (const v of variants) for (let i = 0; i < 30; i++) await v.run(); // warm up
  const writeRows: Array<Array<string | number>> = [];
  const rates = new Map<string, number>();
  for (const [mode, count, concurrency] of [
    ['sequential', options.writes, 1],
    [`${options.writers} concurrent writers`, options.concurrentWrites, options.writers],
  ] as const) {
    for (const v of variants) {
      const { latencies, seconds } = await runConcurrently(count, concurrency, () => v.run());
      const s = summarise(latencies);
      rates.set(`${mode}|${v.name[0]}`, count / seconds);
      writeRows.push([v.name, mode, int(count), int(count / seconds), ms(s.p50), ms(s.p95), ms(s.p99)]);
    }
  }
  out.push(`### Creating a person: audited vs not (${int(options.writes)} sequential, ${int(options.concurrentWrites)} over ${options.writers} writers, per variant)`);
  out.push('');
  out.push(table(['variant', 'mode', 'writes', 'writes/s', 'p50 ms', 'p95 ms', 'p99 ms'], writeRows));
  out.push('');
  const costRows: Array<Array<string | number>> = [];
  for (const mode of ['sequential', `${options.writers} concurrent writers`]) {
    const per = (k: string) => 1000 / rates.get(`${mode}|${k}`)!;
    costRows.push([
      mode,
      ms(per('b') - per('c')),
      `${(((per('b') - per('c')) / per('b')) * 100).toFixed(0)} %`,
      ms(per('a') - per('b')),
      ms(per('c') - per('d')),
    ]);
  }
  out.push(
    table(
      ['mode', 'audit event, ms per write (b − c)', 'share of the audited write (b)', 'HTTP layer, ms per write (a − b)', 'reading the person back (c − d)'],
      costRows,
    ),
  );
  out.push('');
  out.push('(Per-write costs from throughput: 1000 / writes per second.)');
  out.push('');

  // ------------------------------------------------------------ 2. history, then as-of reads
  const at = options.at;
  const roots = await database.rows<{ id: string }>(sql`SELECT o.id FROM organisations o
    WHERE NOT EXISTS (SELECT 1 FROM organisation_parents p WHERE p.organisation_id = o.id) ORDER BY o.id`);
  const sized = await Promise.all(roots.map(async (r) => ({ id: r.id, units: await unitsOn(database, database.db, r.id, at) })));
  sized.sort((x, y) => y.units.length - x.units.length || x.id.localeCompare(y.id));
  const top = sized[0]!;
  const unitIds = top.units.map((u) => u.id);
  const inTree = sql.join(unitIds.map((id) => sql`${id}::uuid`), sql`, `);
  const assignmentIds = (
    await database.rows<{ id: string }>(sql`SELECT id FROM assignments WHERE organisation_id IN (${inTree}) AND possible_span @> ${at}::date ORDER BY md5(id::text)`)
  ).map((r) => r.id);
  const postIds = (await database.rows<{ id: string }>(sql`SELECT id FROM posts WHERE organisation_id IN (${inTree}) ORDER BY md5(id::text)`)).map((r) => r.id);
  const personIds = (
    await database.rows<{ id: string }>(sql`SELECT DISTINCT person_id AS id FROM assignments WHERE organisation_id IN (${inTree}) AND possible_span @> ${at}::date ORDER BY person_id`)
  ).map((r) => r.id);
  const clock = async () => (await database.rows<{ t: string }>(sql`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`))[0]!.t;

  const kinds = [
    { kind: 'assignment', share: 0.6, path: '/v1/assignments/', ids: assignmentIds, patch: (n: number) => ({ note: `Revision ${n}` }) },
    { kind: 'organisation', share: 0.2, path: '/v1/organisations/', ids: unitIds, patch: (n: number) => ({ location: `Standort ${n % 7}` }) },
    { kind: 'post', share: 0.1, path: '/v1/posts/', ids: postIds, patch: (n: number) => ({ label: `Stelle, Fassung ${n}` }) },
    { kind: 'person', share: 0.1, path: '/v1/people/', ids: personIds, patch: (n: number) => ({ honorificPrefix: n % 2 ? 'Dr.' : null }) },
  ];
  const moments: Array<{ label: string; asOf: string }> = [{ label: 'before the updates', asOf: await clock() }];
  const updateTimes = new Map<string, number[]>();
  const updateStarted = now();
  let done = 0;
  for (const k of kinds) {
    const count = Math.round(options.updates * k.share);
    for (let i = 0; i < count && k.ids.length > 0; i++) {
      const id = k.ids[i % k.ids.length]!;
      const t0 = now();
      const current = await inject({ method: 'GET', url: `${k.path}${id}` });
      const response = await inject({
        method: 'PATCH',
        url: `${k.path}${id}`,
        payload: k.patch(i),
        headers: { 'if-match': String(current.headers.etag), 'content-type': 'application/merge-patch+json' },
      });
      if (response.statusCode !== 200) throw new Error(`PATCH ${k.path}${id}: ${response.statusCode} ${response.body.slice(0, 400)}`);
      updateTimes.set(k.kind, [...(updateTimes.get(k.kind) ?? []), now() - t0]);
      if (++done === Math.round(options.updates / 2)) moments.push({ label: 'half-way through the updates', asOf: await clock() });
    }
  }
  const updateSeconds = (now() - updateStarted) / 1000;
  moments.push({ label: 'after the updates', asOf: await clock() });
  const history = (
    await database.rows<{ t: string; n: number }>(sql`SELECT t, n FROM (VALUES
      ('assignments_history', (SELECT count(*) FROM assignments_history)::int),
      ('organisations_history', (SELECT count(*) FROM organisations_history)::int),
      ('organisation_parents_history', (SELECT count(*) FROM organisation_parents_history)::int),
      ('organisation_names_history', (SELECT count(*) FROM organisation_names_history)::int),
      ('posts_history', (SELECT count(*) FROM posts_history)::int),
      ('people_history', (SELECT count(*) FROM people_history)::int),
      ('contact_details_history', (SELECT count(*) FROM contact_details_history)::int),
      ('audit_events', (SELECT count(*) FROM audit_events)::int)) v(t, n)`)
  ).map((r) => [r.t, int(r.n)]);
  out.push(`### Building history: ${int(done)} updates through the app (GET for the ETag + PATCH with If-Match), in the tree of top unit ${top.id} (${top.units.length} units on ${at})`);
  out.push('');
  out.push(
    table(
      ['entity', 'updates', 'p50 ms (GET + PATCH)', 'p99 ms'],
      [...updateTimes.entries()].map(([kind, t]) => {
        const s = summarise(t);
        return [kind, int(s.n), ms(s.p50), ms(s.p99)];
      }),
    ),
  );
  out.push('');
  out.push(`${int(done)} updates in ${updateSeconds.toFixed(1)} s (${int(done / updateSeconds)} updates/s, sequential). Rows now in the history tables and the audit log:`);
  out.push('');
  out.push(table(['table', 'rows'], history));
  out.push('');

  // Reads of the tree: current, and as of each moment.
  const treeUrl = `/v1/organisations/${top.id}/tree?at=${at}`;
  const currentBody = (await inject({ method: 'GET', url: treeUrl })).body;
  const readRows: Array<Array<string | number>> = [];
  const cases = [{ label: 'current (no asOf)', url: treeUrl }, ...moments.map((m) => ({ label: `asOf = ${m.label}`, url: `${treeUrl}&asOf=${m.asOf}` }))];
  for (const c of cases) {
    for (let i = 0; i < 10; i++) await inject({ method: 'GET', url: c.url });
    const latencies: number[] = [];
    let body = '';
    for (let i = 0; i < options.requests; i++) {
      const t0 = now();
      const response = await inject({ method: 'GET', url: c.url });
      latencies.push(now() - t0);
      if (response.statusCode !== 200) throw new Error(`${c.url}: ${response.statusCode} ${response.body.slice(0, 400)}`);
      body = response.body;
    }
    const s = summarise(latencies);
    readRows.push([c.label, int(s.n), ms(s.p50), ms(s.p95), ms(s.p99), int(body.length / 1024), body === currentBody ? 'yes' : 'no']);
  }
  out.push(`### The tree of that unit on ${at}: now and as of earlier moments (${options.requests} sequential requests each)`);
  out.push('');
  out.push(table(['read', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'KB', 'same body as the current read'], readRows));
  out.push('');
  out.push(`Moments: ${moments.map((m) => `${m.label} = ${m.asOf}`).join('; ')}.`);
  out.push('');

  // EXPLAIN of the SQL of the current and the as-of read (the earliest moment: the most history to skip).
  const logger = new CapturingLogger();
  const logged = await openLoggedPostgres(url, logger);
  const loggedApp = await benchApp(logged);
  for (const c of [cases[0]!, cases[1]!]) {
    logger.start();
    const response = await loggedApp.inject({ method: 'GET', url: c.url, headers: { authorization } });
    const statements = logger.stop();
    if (response.statusCode !== 200) throw new Error(`${c.url}: ${response.statusCode}`);
    const setup = statements.filter((s) => /set_config|SET TRANSACTION/i.test(s.sql));
    const queries = statements.filter((s) => !setup.includes(s));
    const rows: Array<Array<string | number>> = [];
    for (const [i, q] of queries.entries()) rows.push(explainedRow(i + 1, q.sql, await explainStatement(logged.client, q, setup)));
    out.push(`#### EXPLAIN: ${c.label}${setup.length ? ` (${setup.length} setup statements: read-only transaction, rolebook.as_of, search_path = asof, public)` : ''}`);
    out.push('');
    out.push(table(EXPLAINED_HEADER, rows));
    out.push('');
  }
  await loggedApp.close();
  await logged.close();
  await app.close();
  await database.close();
  out.push(`Machine at the end: ${machineNote()}.`);
  return out.join('\n');
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const started = now();
  let url = stringArg(args, 'url');
  let drop: (() => Promise<void>) | undefined;
  if (!url) ({ url, drop } = await generateForBench(args, started));
  console.log(`## bench/write-cost.ts — ${databaseName(url)}\n`);
  try {
    console.log(
      await writeCost(url, {
        writes: intArg(args, 'writes', 1000),
        concurrentWrites: intArg(args, 'concurrent-writes', 2000),
        writers: Math.max(1, intArg(args, 'writers', 8)),
        updates: intArg(args, 'updates', 3000),
        requests: intArg(args, 'requests', 200),
        at: stringArg(args, 'at', '2024-06-15'),
      }),
    );
  } finally {
    if (drop) await drop();
  }
  console.log(`\n(${((now() - started) / 1000).toFixed(0)} s in all${drop ? '; database dropped' : ''})`);
}
