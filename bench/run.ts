/**
 * `npm run bench -- [--size small|medium|large] [--target postgres|pglite|both] [--duration 10]`
 *
 * Load tests of the hot reads and the writes with autocannon, each against Rolebook and against a
 * bare baseline in the same run: a minimal Fastify route that replays the very SQL Rolebook issues
 * for that request (captured once through drizzle's logger) with the driver alone — no
 * validation, auth, audit or serialisation schemas. The figure that matters is Rolebook ÷
 * baseline. Results go to bench/results/<time>.json and .md, and the table to stdout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import Fastify, { type FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { buildApp } from '../src/app.js';
import { schema, type Database, type Executor } from '../src/db/client.js';
import { insertKey } from '../src/db/keys.js';
import { runWrite } from '../src/db/write.js';
import { seedDemoDataIfEmpty } from '../src/demo/seed.js';
import { DEMO_IDS } from '../src/demo/data.js';
import { generate, optionsFromArgs, type Directory } from './generate.js';
import { CapturingLogger, int, intArg, ms, openLoggedPostgres, parseArgs, stringArg, table } from './lib.js';

const SIZES = {
  small: { people: 0, organisations: 0, assignments: 0 },
  medium: { people: 10_000, organisations: 1_000, assignments: 100_000 },
  large: { people: 100_000, organisations: 1_000, assignments: 1_000_000 },
} as const;

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Send the admin key (writes); reads go out anonymous, as widgets send them. */
  admin?: boolean;
  /** Send If-None-Match with the first answer's ETag: the cached widget request. */
  conditional?: boolean;
}

interface Result {
  target: string;
  scenario: string;
  server: 'rolebook' | 'baseline';
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, scenario: Scenario, headers: Record<string, string>, duration: number, connections: number) {
  const result = await autocannon({
    url,
    method: scenario.method,
    headers: { ...headers, ...(scenario.body ? { 'content-type': 'application/json' } : {}) },
    body: scenario.body ? JSON.stringify(scenario.body) : undefined,
    duration,
    connections,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx - (scenario.conditional ? result['3xx'] ?? 0 : 0),
    errors: result.errors + result.timeouts,
  };
}

/** The bare baseline: one route per scenario replaying the captured statements, nothing else. */
async function baselineServer(run: (statements: Statement[]) => Promise<unknown>, routes: Map<string, Statement[]>) {
  const app: FastifyInstance = Fastify({ logger: false });
  app.all('/*', async (request, reply) => {
    const statements = routes.get(`${request.method} ${request.url}`);
    if (!statements) return reply.code(404).send();
    return run(statements);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

interface Statement {
  sql: string;
  params: unknown[];
}

/** Statements of the audit chain are Rolebook's extra work, not part of the same SQL. */
const AUDIT = /audit_events|pg_advisory_xact_lock/;

async function benchTarget(target: 'postgres' | 'pglite', args: ReturnType<typeof parseArgs>) {
  const size = SIZES[(stringArg(args, 'size', 'medium') as keyof typeof SIZES)] ?? SIZES.medium;
  const duration = intArg(args, 'duration', 10);
  const connections = intArg(args, 'connections', 10);
  const log = (line: string) => process.stderr.write(`[${target}] ${line}\n`);

  const generated =
    size.people > 0
      ? await generate({ ...optionsFromArgs({ ...args, target, verbose: false }), ...size, target, verbose: false })
      : undefined;
  const phases = generated?.phases.map((p) => `${p.phase} ${int(p.rows)} rows ${p.seconds.toFixed(1)} s`).join('; ');
  if (phases) log(`loaded: ${phases}`);

  const logger = new CapturingLogger();
  let database: Database;
  let replay: (statements: Statement[]) => Promise<unknown>;
  let close: () => Promise<void>;
  if (target === 'postgres') {
    const url = generated?.url ?? (await createEmpty());
    database = await openLoggedPostgres(url, logger as unknown as Logger, 20);
    if (!generated) await (await import('../src/db/migrate.js')).migrate(database, url);
    const bare = postgres(url, { max: 20, onnotice: () => {} });
    replay = async (statements) => {
      let last: unknown;
      for (const s of statements) last = await bare.unsafe(s.sql, s.params as never[]);
      return last;
    };
    close = async () => {
      await bare.end();
      await database.close();
      if (generated) await generated.drop();
      else await dropEmpty();
    };
  } else {
    const { openPglite } = await import('../src/db/client.js');
    const { migrate } = await import('../src/db/migrate.js');
    const opened = generated?.pglite ? undefined : await openPglite();
    const client: PGlite = generated?.pglite ?? opened!.client;
    if (opened) await migrate(opened);
    const db = drizzlePglite(client, { schema, logger: logger as unknown as Logger }) as unknown as Executor;
    database = {
      kind: 'pglite',
      db,
      poolSize: 1,
      rows: async <T>(query: Parameters<Database['rows']>[0], executor: Executor = db) =>
        ((await executor.execute(query)) as unknown as { rows: T[] }).rows,
      ping: async () => void (await client.query('SELECT 1')),
      close: async () => client.close(),
    };
    replay = async (statements) => {
      let last: unknown;
      for (const s of statements) last = (await client.query(s.sql, s.params as unknown[])).rows;
      return last;
    };
    close = async () => {
      if (!client.closed) await client.close();
    };
  }
  await seedDemoDataIfEmpty(database);
  const adminKey = await runWrite(database, { actor: 'bench', requestId: null, reason: null }, 'key.create', async (tx) =>
    (await insertKey(tx, { name: 'bench admin', role: 'admin' }, 'bench')).secret,
  );
  const app = await buildApp({ config: { RATE_LIMIT_PER_MINUTE: 100_000_000, MAX_EVENT_LOOP_DELAY_MS: 0 }, database });
  await app.listen({ port: 0, host: '127.0.0.1' });

  const scenarios = scenariosFor(generated?.directory);
  const routes = new Map<string, Statement[]>();
  const results: Result[] = [];
  for (const scenario of scenarios) {
    // Capture the SQL of one request, once the previous load has drained.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    logger.start();
    const first = await app.inject({
      method: scenario.method,
      url: scenario.path,
      headers: scenario.admin ? { authorization: `Bearer ${adminKey}` } : {},
      ...(scenario.body ? { payload: scenario.body as object } : {}),
    });
    const captured = logger.stop().filter((s) => !AUDIT.test(s.sql) && !/api_keys/.test(s.sql));
    if (first.statusCode >= 300) {
      log(`${scenario.name}: ${first.statusCode} ${first.body.slice(0, 200)}; skipped`);
      continue;
    }
    routes.set(`${scenario.method} ${scenario.path}`, captured);
    const headers: Record<string, string> = {};
    if (scenario.admin) headers.authorization = `Bearer ${adminKey}`;
    if (scenario.conditional) headers['if-none-match'] = String(first.headers.etag);
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    log(`${scenario.name}: ${captured.length} statement(s)`);
    const mine = await load(`${base}${scenario.path}`, scenario, headers, duration, connections);
    results.push({ target, scenario: scenario.name, server: 'rolebook', ...mine });
  }
  const baseline = await baselineServer(replay, routes);
  const baseUrl = `http://127.0.0.1:${(baseline.server.address() as AddressInfo).port}`;
  for (const scenario of scenarios) {
    if (!routes.has(`${scenario.method} ${scenario.path}`)) continue;
    const theirs = await load(`${baseUrl}${scenario.path}`, { ...scenario, conditional: false }, {}, duration, connections);
    results.push({ target, scenario: scenario.name, server: 'baseline', ...theirs });
  }
  await baseline.close();
  await app.close();
  await close();
  return { results, load: generated?.phases ?? [] };
}

const SMALL = `rolebook_bench_small_${process.pid}`;
async function createEmpty(): Promise<string> {
  const { createServerDatabase, DEFAULT_SERVER_URL } = await import('./lib.js');
  return createServerDatabase(process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL, SMALL);
}
async function dropEmpty(): Promise<void> {
  const { dropServerDatabase, DEFAULT_SERVER_URL } = await import('./lib.js');
  await dropServerDatabase(process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL, SMALL);
}

/** The hot reads of widgets and HR, and the two writes, on the busiest parts of the directory. */
function scenariosFor(directory: Directory | undefined): Scenario[] {
  const day = '2020-06-01';
  let top: string = DEMO_IDS.mais;
  let post: string = DEMO_IDS.chairFacharbeitskreis;
  let person: string = DEMO_IDS.katjaStraede;
  let writeOrg: string = DEMO_IDS.gib;
  let name = 'Strade';
  if (directory) {
    const size = (i: number): number => 1 + directory.orgs[i]!.children.reduce((n, c) => n + size(c), 0);
    const roots = directory.orgs.map((o, i) => ({ o, i })).filter(({ o }) => o.level === 0);
    const biggest = roots.sort((a, b) => size(b.i) - size(a.i))[0]!;
    top = biggest.o.id;
    post = directory.posts.find((p) => p.maxHolders === 1)?.id ?? post;
    person = directory.people[0]!.id;
    writeOrg = directory.orgs.find((o) => o.existTo === Infinity && o.existFrom === -Infinity)?.id ?? directory.orgs[0]!.id;
    name = directory.people[1]!.family.slice(0, 6);
  }
  return [
    { name: 'person with current roles', method: 'GET', path: `/v1/people/${person}` },
    { name: 'organisation tree on a day', method: 'GET', path: `/v1/organisations/${top}/tree?at=${day}` },
    { name: 'post holders on a day', method: 'GET', path: `/v1/posts/${post}/holders?at=${day}` },
    { name: 'search', method: 'GET', path: `/v1/search?q=${encodeURIComponent(name)}&limit=10` },
    { name: 'widget: team (304 when unchanged)', method: 'GET', path: `/v1/organisations/${top}/tree`, conditional: true },
    {
      name: 'create assignment',
      method: 'POST',
      path: '/v1/assignments',
      admin: true,
      body: { personId: person, organisationId: writeOrg, role: 'Benchmark', startDate: '2024' },
    },
    {
      name: 'transition',
      method: 'POST',
      path: '/v1/transitions',
      admin: true,
      body: { date: '2025-01-01', start: [{ personId: person, organisationId: writeOrg, role: 'Benchmark' }], reason: 'bench' },
    },
  ];
}

const args = parseArgs();
const targetArg = stringArg(args, 'target', 'both');
const targets = targetArg === 'both' ? (['postgres', 'pglite'] as const) : ([targetArg] as Array<'postgres' | 'pglite'>);
const all: Result[] = [];
const loads: Record<string, unknown> = {};
for (const target of targets) {
  const { results, load: phases } = await benchTarget(target, args);
  all.push(...results);
  loads[target] = phases;
}

const rows = [];
for (const target of targets) {
  for (const scenario of [...new Set(all.filter((r) => r.target === target).map((r) => r.scenario))]) {
    const mine = all.find((r) => r.target === target && r.scenario === scenario && r.server === 'rolebook');
    const theirs = all.find((r) => r.target === target && r.scenario === scenario && r.server === 'baseline');
    if (!mine || !theirs) continue;
    rows.push([
      target,
      scenario,
      int(mine.requestsPerSecond),
      ms(mine.p50, 0),
      ms(mine.p99, 0),
      int(theirs.requestsPerSecond),
      ms(theirs.p50, 0),
      ms(theirs.p99, 0),
      (mine.requestsPerSecond / theirs.requestsPerSecond).toFixed(2),
      String(mine.non2xx + mine.errors),
    ]);
  }
}
const markdown = table(
  ['db', 'request', 'req/s', 'p50 ms', 'p99 ms', 'baseline req/s', 'baseline p50', 'baseline p99', 'ratio', 'non-2xx'],
  rows,
);
console.log(markdown);
const stamp = new Date().toISOString().replaceAll(':', '-');
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL(`./results/${stamp}.json`, import.meta.url), JSON.stringify({ args, loads, results: all }, null, 2));
await writeFile(new URL(`./results/${stamp}.md`, import.meta.url), `${markdown}\n`);
process.exit(0);
