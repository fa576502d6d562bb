/**
 * The read paths on PostgreSQL at size: the SQL each read issues, as the app issues it, under
 * EXPLAIN (ANALYZE, BUFFERS), and each read's end-to-end latency through the app.
 *
 *   npx tsx bench/explain-reads.ts                       # generates 10k/1k/100k, drops it after
 *   npx tsx bench/explain-reads.ts --url postgres://…/rolebook_bench_1234   # a database kept by generate.ts
 *
 * Options: --people/--organisations/--assignments/--seed/--patch (as generate.ts, when no --url),
 * --at 2024-06-15 (the day asked about), --requests 200 (per read, end to end), --keep,
 * --plans <file> (writes every statement, its parameters and its text plan there).
 *
 * How the SQL is captured: the app is built with buildApp() over a Database made exactly as
 * src/db/client.ts makes it, except that drizzle gets a logger; one request per read goes through
 * app.inject(), the logger records every statement the real route, query functions and
 * drizzle issued (with parameters), and each statement is then run again under EXPLAIN (ANALYZE,
 * BUFFERS, FORMAT JSON) with the same parameters through the same postgres.js client, inside a
 * transaction with track_functions = 'all' so that calls of SQL functions per row show up too.
 */
import { writeFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { openPostgres } from '../src/db/client.js';
import { postHoldings } from '../src/routes/v1/assignments/holdings.js';
import { listAssignments } from '../src/routes/v1/assignments/queries.js';
import { chartJsonOn } from '../src/routes/v1/organisations/chart.js';
import { membersOn, unitsOn } from '../src/routes/v1/organisations/day-queries.js';
import { listPeople } from '../src/routes/v1/people/queries.js';
import { loadPost } from '../src/routes/v1/posts/queries.js';
import { generateForBench } from './generate.js';
import {
  benchApp,
  CapturingLogger,
  databaseName,
  EXPLAINED_HEADER,
  explainedRow,
  explainStatement,
  machineNote,
  int,
  intArg,
  isMain,
  ms,
  now,
  openLoggedPostgres,
  parseArgs,
  stringArg,
  summarise,
  table,
} from './lib.js';

interface Read {
  name: string;
  /** The request EXPLAIN looks at. */
  url: string;
  /** The requests the end-to-end timing rotates through. */
  urls: string[];
  /** The same work by the route's query functions, without HTTP, validation and serialisation. */
  direct?: (i: number) => Promise<unknown>;
}

async function pickTargets(database: Awaited<ReturnType<typeof openPostgres>>, at: string) {
  const rows = <T>(text: string) => database.rows<T>(sql.raw(text));
  const roots = (
    await rows<{ id: string }>(`SELECT o.id FROM organisations o
      WHERE NOT EXISTS (SELECT 1 FROM organisation_parents p WHERE p.organisation_id = o.id) ORDER BY o.id`)
  ).map((r) => r.id);
  const sizes = await Promise.all(roots.map(async (id) => ({ id, units: (await unitsOn(database, database.db, id, at)).length })));
  sizes.sort((a, b) => b.units - a.units || a.id.localeCompare(b.id));
  const single = await rows<{ id: string; n: number; held: boolean }>(`SELECT a.post_id AS id, count(*)::int AS n,
        bool_or(a.possible_span @> '${at}'::date) AS held
      FROM assignments a JOIN posts p ON p.id = a.post_id WHERE p.max_holders = 1
     GROUP BY a.post_id ORDER BY count(*) DESC, a.post_id LIMIT 1`);
  const somePosts = await rows<{ id: string }>(`SELECT id FROM posts WHERE max_holders = 1 ORDER BY md5(id::text) LIMIT 20`);
  const person = await rows<{ id: string; n: number }>(`SELECT person_id AS id, count(*)::int AS n FROM assignments
     GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT 1`);
  const somePeople = await rows<{ id: string }>(`SELECT DISTINCT ON (md5(person_id::text)) person_id AS id FROM assignments ORDER BY md5(person_id::text) LIMIT 20`);
  const busy = await rows<{ id: string; n: number }>(`SELECT organisation_id AS id, count(*)::int AS n FROM assignments
     WHERE possible_span @> '${at}'::date GROUP BY organisation_id ORDER BY count(*) DESC, organisation_id LIMIT 20`);
  const [span] = await rows<{ lo: string; hi: string }>(`SELECT min(start_date)::text AS lo, max(start_date)::text AS hi FROM assignments`);
  return { roots: sizes, single: single[0]!, somePosts: somePosts.map((r) => r.id), person: person[0]!, somePeople: somePeople.map((r) => r.id), busy, span: span! };
}

function days(count: number, from: string, to: string): string[] {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Array.from({ length: count }, (_, i) => new Date(a + ((b - a) * (i + 0.5)) / count).toISOString().slice(0, 10));
}

export async function explainReads(url: string, options: { at: string; requests: number; plansFile?: string }): Promise<string> {
  const { at } = options;
  const out: string[] = [];
  const plansText: string[] = [];
  const plain = await openPostgres({ url });
  const targets = await pickTargets(plain, at);
  const top = targets.roots[0]!;
  const treeUrls = targets.roots.map((r) => `/v1/organisations/${r.id}/tree?at=${at}`);
  const dayList = days(20, '2011-07-01', '2026-06-30');
  const quarterList = days(20, '2012-01-01', '2025-10-01').map((d) => [d, new Date(Date.parse(d) + 90 * 86_400_000).toISOString().slice(0, 10)] as const);
  const db = plain.db;
  const reads: Read[] = [
    {
      name: 'organisation tree of a top unit on a day',
      url: treeUrls[0]!,
      urls: treeUrls,
      direct: (i) => chartJsonOn(plain, db, targets.roots[i % targets.roots.length]!.id, at, false),
    },
    {
      name: 'members of a top unit with includeSubUnits',
      url: `/v1/organisations/${top.id}/members?at=${at}&includeSubUnits=true`,
      urls: targets.roots.map((r) => `/v1/organisations/${r.id}/members?at=${at}&includeSubUnits=true`),
      direct: (i) => membersOn(plain, db, targets.roots[i % targets.roots.length]!.id, at, true),
    },
    {
      name: 'post holders on a day',
      url: `/v1/posts/${targets.single.id}/holders?at=${at}`,
      urls: targets.somePosts.map((id) => `/v1/posts/${id}/holders?at=${at}`),
      direct: async (i) => {
        const id = targets.somePosts[i % targets.somePosts.length]!;
        return [await loadPost(db, id), await postHoldings(db, id, at)];
      },
    },
    {
      name: 'post holders, full succession',
      url: `/v1/posts/${targets.single.id}/holders`,
      urls: targets.somePosts.map((id) => `/v1/posts/${id}/holders`),
      direct: async (i) => {
        const id = targets.somePosts[i % targets.somePosts.length]!;
        return [await loadPost(db, id), await postHoldings(db, id, undefined)];
      },
    },
    {
      name: "a person's timeline",
      url: `/v1/people/${targets.person.id}/timeline`,
      urls: targets.somePeople.map((id) => `/v1/people/${id}/timeline`),
    },
    {
      name: 'assignments?at=',
      url: `/v1/assignments?at=${at}`,
      urls: dayList.map((d) => `/v1/assignments?at=${d}`),
      direct: (i) => listAssignments(db, { at: dayList[i % dayList.length]!, limit: 50 }),
    },
    {
      name: 'assignments?from=&to=',
      url: `/v1/assignments?from=2018-01-01&to=2018-03-31`,
      urls: quarterList.map(([from, to]) => `/v1/assignments?from=${from}&to=${to}`),
      direct: (i) => listAssignments(db, { from: quarterList[i % quarterList.length]![0], to: quarterList[i % quarterList.length]![1], limit: 50 }),
    },
    {
      name: 'people?organisationId=&at=',
      url: `/v1/people?organisationId=${targets.busy[0]!.id}&at=${at}`,
      urls: targets.busy.map((b) => `/v1/people?organisationId=${b.id}&at=${at}`),
      direct: (i) => listPeople(db, { organisationId: targets.busy[i % targets.busy.length]!.id, at, limit: 50 }),
    },
  ];

  out.push(`Machine: ${machineNote()}.`);
  out.push('');
  out.push(`Data: ${(await plain.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM assignments`))[0]!.n.toLocaleString('en-US')} assignments; day asked about: ${at}.`);
  out.push('');
  out.push(
    table(
      ['target', 'id', 'why'],
      [
        ['top unit', top.id, `largest of ${targets.roots.length} top units: ${top.units} units in its tree on ${at}`],
        ['post', targets.single.id, `single-holder post with the longest succession (${targets.single.n} holdings)`],
        ['person', targets.person.id, `most assignments (${targets.person.n})`],
        ['organisation', targets.busy[0]!.id, `most assignments on ${at} (${targets.busy[0]!.n})`],
      ],
    ),
  );
  out.push('');

  // ------------------------------------------------------------ EXPLAIN of the captured SQL
  const logger = new CapturingLogger();
  const logged = await openLoggedPostgres(url, logger);
  const app = await benchApp(logged);
  const summary: Array<Array<string | number>> = [];
  for (const read of reads) {
    await app.inject({ method: 'GET', url: read.url }); // warm the cache and the plans
    logger.start();
    const response = await app.inject({ method: 'GET', url: read.url });
    const statements = logger.stop();
    if (response.statusCode !== 200) throw new Error(`${read.url}: ${response.statusCode} ${response.body.slice(0, 500)}`);
    const rows: Array<Array<string | number>> = [];
    let totalExec = 0;
    for (const [i, statement] of statements.entries()) {
      const explained = await explainStatement(logged.client, statement);
      totalExec += explained.plan['Execution Time'];
      rows.push(explainedRow(i + 1, statement.sql, explained));
      plansText.push(`-- ${read.name}, statement ${i + 1}\n-- params: ${JSON.stringify(statement.params)}\n${statement.sql}\n\n${explained.text}\n`);
    }
    out.push(`### ${read.name}: \`GET ${read.url}\``);
    out.push('');
    out.push(`${statements.length} statement(s), ${int(response.body.length / 1024)} KB response.`);
    out.push('');
    out.push(table(EXPLAINED_HEADER, rows));
    out.push('');
    summary.push([read.name, statements.length, ms(totalExec)]);
  }
  await app.close();
  await logged.close();

  // ------------------------------------------------------------ end to end through the app
  const app2 = await benchApp(plain);
  const e2e: Array<Array<string | number>> = [];
  for (const [k, read] of reads.entries()) {
    for (let i = 0; i < 10; i++) await app2.inject({ method: 'GET', url: read.urls[i % read.urls.length]! });
    const latencies: number[] = [];
    let bytes = 0;
    const started = now();
    for (let i = 0; i < options.requests; i++) {
      const target = read.urls[i % read.urls.length]!;
      const t0 = now();
      const response = await app2.inject({ method: 'GET', url: target });
      latencies.push(now() - t0);
      if (response.statusCode !== 200) throw new Error(`${target}: ${response.statusCode} ${response.body.slice(0, 300)}`);
      bytes += response.body.length;
    }
    const seconds = (now() - started) / 1000;
    const s = summarise(latencies);
    let direct = '–';
    if (read.direct) {
      const times: number[] = [];
      for (let i = 0; i < Math.min(options.requests, 100); i++) {
        const t0 = now();
        await read.direct(i);
        times.push(now() - t0);
      }
      direct = ms(summarise(times).p50);
    }
    e2e.push([read.name, read.urls.length, s.n, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), int(s.n / seconds), int(bytes / s.n / 1024), summary[k]![1]!, summary[k]![2]!, direct]);
  }
  await app2.close();
  await plain.close();
  out.push(`### End to end through the app (\`app.inject\`, sequential, ${options.requests} requests per read rotating over the targets)`);
  out.push('');
  out.push(
    table(
      ['read', 'targets', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s', 'KB per response', 'statements', 'EXPLAIN exec ms (sum)', 'query functions alone, p50 ms'],
      e2e,
    ),
  );
  out.push('');
  out.push(
    '“query functions alone”: the same targets through the exported query functions (treeJsonOn, membersOn, loadPost + holdings, ' +
      'listAssignments, listPeople) without HTTP, validation and serialisation; the timeline’s function is not exported. ' +
      `Machine at the end: ${machineNote()}.`,
  );
  if (options.plansFile) await writeFile(options.plansFile, plansText.join('\n'));
  return out.join('\n');
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const at = stringArg(args, 'at', '2024-06-15');
  const requests = intArg(args, 'requests', 200);
  const plansFile = stringArg(args, 'plans');
  let url = stringArg(args, 'url');
  let drop: (() => Promise<void>) | undefined;
  const started = now();
  if (!url) ({ url, drop } = await generateForBench(args, started));
  console.log(`## bench/explain-reads.ts — ${databaseName(url)}\n`);
  try {
    console.log(await explainReads(url, { at, requests, ...(plansFile ? { plansFile } : {}) }));
  } finally {
    if (drop) await drop();
  }
  console.log(`\n(${((now() - started) / 1000).toFixed(0)} s in all${drop ? '; database dropped' : ''})`);
}
