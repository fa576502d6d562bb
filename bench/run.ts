/**
 * `npm run bench -- [--size small|medium|large] [--target postgres|pglite|both] [--duration 10]
 *                   [--connections 10] [--repeat 1] [--only <name part>] [--url postgres://…/kept_db]`
 *
 * Load tests of the hot reads and the writes with autocannon (in a worker thread, so that the load
 * generator does not share the server's event loop), each against Rolebook and against a bare
 * baseline in the same run: a minimal Fastify route that replays the very SQL Rolebook issues for
 * that request (captured once through drizzle's logger) with the driver alone — no validation,
 * auth, audit or serialisation schemas. The figure that matters is Rolebook ÷ baseline, at
 * `--connections` concurrent clients. Each Rolebook request is then timed again with one client
 * at a time: the latency the targets of issue 8 speak of. Results go to bench/results/<time>.json
 * and .md, and the tables to stdout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import type { Logger } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/client.js';
import { insertKey } from '../src/db/keys.js';
import { runWrite } from '../src/db/write.js';
import { seedDemoDataIfEmpty } from '../src/demo/seed.js';
import { generate, optionsFromArgs } from './generate.js';
import { CapturingLogger, int, intArg, machineNote, ms, openLoggedPostgres, parseArgs, stringArg, table } from './lib.js';
import { pickScenarios, type Scenario } from './scenarios.js';

const SIZES = {
  small: { people: 0, organisations: 0, assignments: 0 },
  medium: { people: 10_000, organisations: 1_000, assignments: 100_000 },
  large: { people: 100_000, organisations: 1_000, assignments: 1_000_000 },
} as const;

interface Result {
  target: string;
  scenario: string;
  server: 'rolebook' | 'baseline';
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Rolebook only: one client at a time. */
  alone?: { p50: number; p99: number; requests: number };
}

async function load(url: string, scenario: Scenario, headers: Record<string, string>, duration: number, connections: number) {
  const result = await autocannon({
    url,
    method: scenario.method,
    headers: { ...headers, ...(scenario.body ? { 'content-type': 'application/json' } : {}) },
    body: scenario.body ? JSON.stringify(scenario.body) : undefined,
    duration,
    connections,
    workers: 1,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx - (scenario.conditional ? result['3xx'] ?? 0 : 0),
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
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

  const kept = target === 'postgres' ? stringArg(args, 'url') : undefined;
  const generated =
    size.people > 0 && !kept
      ? await generate({ ...optionsFromArgs({ ...args, target, verbose: false }), ...size, target, verbose: false })
      : undefined;
  const phases = generated?.phases.map((p) => `${p.phase} ${int(p.rows)} rows ${p.seconds.toFixed(1)} s`).join('; ');
  if (phases) log(`loaded: ${phases}`);

  const logger = new CapturingLogger();
  let database: Database;
  let replay: (statements: Statement[]) => Promise<unknown>;
  let close: () => Promise<void>;
  if (target === 'postgres') {
    const url = kept ?? generated?.url ?? (await createEmpty());
    database = await openLoggedPostgres(url, logger as unknown as Logger, 20);
    await (await import('../src/db/migrate.js')).migrate(database, url);
    const bare = postgres(url, { max: 20, onnotice: () => {} });
    replay = async (statements) => {
      let last: unknown;
      // Named statements, as Rolebook's prepared reads use: the baseline gets the plan cache too.
      for (const s of statements) last = await bare.unsafe(s.sql, s.params as never[], { prepare: true });
      return last;
    };
    close = async () => {
      await bare.end();
      await database.close();
      if (kept) return;
      if (generated && !args.keep) await generated.drop();
      else if (!generated) await dropEmpty();
    };
  } else {
    const { openPglite, pgliteDatabase } = await import('../src/db/client.js');
    const { migrate } = await import('../src/db/migrate.js');
    const opened = generated?.pglite ? undefined : await openPglite();
    const client: PGlite = generated?.pglite ?? opened!.client;
    if (opened) await migrate(opened);
    database = pgliteDatabase(client, logger as unknown as Logger);
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

  const only = stringArg(args, 'only');
  const scenarios = (await pickScenarios(database)).filter((s) => !only || only.split(',').some((part) => s.name.includes(part)));
  const routes = new Map<string, Statement[]>();
  const results: Result[] = [];
  const repeat = Math.max(1, intArg(args, 'repeat', 1));
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  // The baseline serves each request as soon as its statements are captured, so that the two
  // servers take turns on every scenario instead of one after the other (the machine drifts).
  const baseline = await baselineServer(replay, routes);
  const baseUrl = `http://127.0.0.1:${(baseline.server.address() as AddressInfo).port}`;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
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
    log(`${scenario.name}: ${captured.length} statement(s)`);
    // Both servers warm up first (JIT, prepared statements, caches): 2 s each, not counted.
    await load(`${base}${scenario.path}`, scenario, headers, 2, connections);
    await load(`${baseUrl}${scenario.path}`, { ...scenario, conditional: false }, {}, 2, connections);
    const mine: Array<Awaited<ReturnType<typeof load>>> = [];
    const theirs: Array<Awaited<ReturnType<typeof load>>> = [];
    const alone: Array<Awaited<ReturnType<typeof load>>> = [];
    for (let round = 0; round < repeat; round++) {
      mine.push(await load(`${base}${scenario.path}`, scenario, headers, duration, connections));
      theirs.push(await load(`${baseUrl}${scenario.path}`, { ...scenario, conditional: false }, {}, duration, connections));
      alone.push(await load(`${base}${scenario.path}`, scenario, headers, duration, 1));
    }
    // With --repeat, each figure is the median of the rounds.
    const summary = (runs: typeof mine) => ({
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
      errors: runs.reduce((n, r) => n + r.errors, 0),
    });
    results.push({
      target,
      scenario: scenario.name,
      server: 'rolebook',
      ...summary(mine),
      alone: { ...summary(alone), requests: alone.reduce((n, r) => n + r.requests, 0) },
    });
    results.push({ target, scenario: scenario.name, server: 'baseline', ...summary(theirs) });
  }
  await baseline.close();
  await app.close();
  await close();
  if (generated && args.keep && generated.url) log(`kept: ${generated.url}`);
  return { results, load: generated?.phases ?? [], scenarios };
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

const args = parseArgs();
const targetArg = stringArg(args, 'target', 'both');
const targets = targetArg === 'both' ? (['postgres', 'pglite'] as const) : ([targetArg] as Array<'postgres' | 'pglite'>);
const machineAtStart = machineNote();
const all: Result[] = [];
const loads: Record<string, unknown> = {};
const picked: Record<string, Scenario[]> = {};
for (const target of targets) {
  const { results, load: phases, scenarios } = await benchTarget(target, args);
  all.push(...results);
  loads[target] = phases;
  picked[target] = scenarios;
}

const RATIO_TARGET = 0.7;
const rows: string[][] = [];
const checks: string[][] = [];
for (const target of targets) {
  for (const scenario of picked[target]!) {
    const mine = all.find((r) => r.target === target && r.scenario === scenario.name && r.server === 'rolebook');
    const theirs = all.find((r) => r.target === target && r.scenario === scenario.name && r.server === 'baseline');
    if (!mine || !theirs) continue;
    const ratio = mine.requestsPerSecond / theirs.requestsPerSecond;
    rows.push([
      target,
      scenario.name,
      int(mine.requestsPerSecond),
      ms(mine.p50, 0),
      ms(mine.p99, 0),
      int(theirs.requestsPerSecond),
      ms(theirs.p50, 0),
      ms(theirs.p99, 0),
      ratio.toFixed(2),
      ms(mine.alone!.p50, 1),
      ms(mine.alone!.p99, 1),
      String(mine.non2xx + mine.errors),
    ]);
    const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
    if (scenario.hot) {
      checks.push([target, scenario.name, `throughput ≥ ${RATIO_TARGET} × baseline`, ratio.toFixed(2), verdict(ratio >= RATIO_TARGET)]);
    }
    if (scenario.p99TargetMs !== undefined) {
      checks.push([
        target,
        scenario.name,
        `p99 < ${scenario.p99TargetMs} ms (one client)`,
        `${ms(mine.alone!.p99, 1)} ms`,
        verdict(mine.alone!.p99 < scenario.p99TargetMs),
      ]);
    }
  }
}
const markdown = [
  `Machine: ${machineAtStart} at the start; ${machineNote()} at the end. ${intArg(args, 'connections', 10)} connections, ` +
    `${intArg(args, 'duration', 10)} s per run, ${Math.max(1, intArg(args, 'repeat', 1))} round(s) per request (medians); ` +
    'Rolebook and the baseline take turns on each request.',
  '',
  table(
    ['db', 'request', 'req/s', 'p50 ms', 'p99 ms', 'baseline req/s', 'baseline p50', 'baseline p99', 'ratio', 'one client p50', 'one client p99', 'non-2xx'],
    rows,
  ),
  '',
  'Targets of issue 8 (they are set for the medium size on PostgreSQL):',
  '',
  table(['db', 'request', 'target', 'measured', ''], checks),
].join('\n');
console.log(markdown);
const stamp = new Date().toISOString().replaceAll(':', '-');
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL(`./results/${stamp}.json`, import.meta.url), JSON.stringify({ args, loads, results: all }, null, 2));
await writeFile(new URL(`./results/${stamp}.md`, import.meta.url), `${markdown}\n`);
process.exit(0);
