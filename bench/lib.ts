/**
 * Shared helpers of the measurement scripts in bench/: arguments, a seeded PRNG, day arithmetic,
 * throwaway databases on a PostgreSQL server, a Database with a query logger, statistics and
 * Markdown tables. Nothing here is used by the service itself.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger, SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { openPostgres, schema, type Database, type Executor } from '../src/db/client.js';
import { insertKey } from '../src/db/keys.js';
import { runWrite } from '../src/db/write.js';
import type { Role } from '../src/domain/access.js';

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

// ---------------------------------------------------------------- arguments

export type Args = Record<string, string | boolean>;

/** `--people 10000 --keep` → { people: '10000', keep: true }. */
export function parseArgs(argv: string[] = process.argv.slice(2)): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) args[key] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) args[key] = argv[++i]!;
    else args[key] = true;
  }
  return args;
}

export function intArg(args: Args, key: string, fallback: number): number {
  const value = args[key];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${key} must be a whole number, not ${String(value)}`);
  return n;
}

export function stringArg(args: Args, key: string, fallback: string): string;
export function stringArg(args: Args, key: string): string | undefined;
export function stringArg(args: Args, key: string, fallback?: string): string | undefined {
  const value = args[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new Error(`--${key} needs a value`);
  return value;
}

// ---------------------------------------------------------------- deterministic randomness

/** sfc32: a small, fast PRNG with a 128-bit state; the same seed gives the same directory. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next32();
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.next32() / 4294967296;
  }

  /** [min, max], whole numbers */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: [[value, weight], …]. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** A version-4 UUID made of the PRNG's bits, so that ids are reproducible. */
  uuid(): string {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    const a = hex(this.next32());
    const b = hex(this.next32());
    const c = hex(this.next32());
    const d = hex(this.next32());
    const variant = ((parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

// ---------------------------------------------------------------- days

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 (UTC) of a `YYYY-MM-DD`. */
export const dayNumber = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
export const isoDay = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
export const firstOfYear = (day: number): number => dayNumber(`${isoDay(day).slice(0, 4)}-01-01`);
export const firstOfMonth = (day: number): number => dayNumber(`${isoDay(day).slice(0, 7)}-01`);

// ---------------------------------------------------------------- databases

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Creates an empty database on the server; returns its URL. */
export async function createServerDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return withDatabase(serverUrl, name);
}

export async function dropServerDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * A Database as src/db/client.ts openPostgres() makes it, with a drizzle logger added, so that
 * the SQL the real query functions issue can be captured and explained: the same postgres.js
 * client and settings, only `db` (and `rows`, which defaults to it) replaced.
 */
export async function openLoggedPostgres(url: string, logger: Logger, max = 10): Promise<Database & { client: postgres.Sql }> {
  const base = await openPostgres({ url, max });
  const db = drizzle(base.client, { schema, logger }) as unknown as Executor;
  return {
    ...base,
    db,
    rows: async <T>(query: SQL, executor: Executor = db) => (await executor.execute(query)) as unknown as T[],
    preparedRows: async <T>(text: string, params: unknown[]) => {
      logger.logQuery(text, params);
      return base.preparedRows<T>(text, params);
    },
  };
}

/** A drizzle logger that records statements while `on` is set. */
export class CapturingLogger implements Logger {
  on = false;
  statements: Array<{ sql: string; params: unknown[] }> = [];
  logQuery(query: string, params: unknown[]): void {
    if (this.on) this.statements.push({ sql: query, params });
  }
  start(): void {
    this.statements = [];
    this.on = true;
  }
  stop(): Array<{ sql: string; params: unknown[] }> {
    this.on = false;
    return this.statements;
  }
}

// ---------------------------------------------------------------- measuring

export const now = (): number => performance.now();

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    mean: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export const ms = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');
export const int = (x: number): string => Math.round(x).toLocaleString('en-US');

/** A Markdown table; cells are escaped for pipes. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** Runs `task` `count` times in total on `concurrency` workers; returns each call's latency in ms. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = now();
      await task(i);
      latencies.push(now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, seconds: (now() - started) / 1000 };
}

/** True when this module is the script node was started with (tsx included). */
export function isMain(importMetaUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const normalise = (s: string) => s.replace(/\.[cm]?[jt]s$/, '');
  return normalise(new URL(importMetaUrl).pathname) === normalise(script.startsWith('/') ? script : `${process.cwd()}/${script}`);
}

// ---------------------------------------------------------------- EXPLAIN

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Sort Method'?: string;
  'Sort Space Type'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Function Name'?: string;
  Plans?: PlanNode[];
}

export interface ExplainResult {
  Plan: PlanNode;
  'Planning Time': number;
  'Execution Time': number;
  JIT?: { Timing?: { Total?: number } };
}

/** The scans of a plan, one entry each: node type, index or table, loops; seq scans in bold. */
export function scansOf(node: PlanNode, out: string[] = []): string[] {
  const type = node['Node Type'];
  const loops = node['Actual Loops'] > 1 ? ` ×${node['Actual Loops']}` : '';
  if (type === 'Seq Scan') {
    const removed = node['Rows Removed by Filter'] ? `, ${int(node['Rows Removed by Filter'] * node['Actual Loops'])} removed` : '';
    out.push(`**Seq Scan ${node['Relation Name']}**${loops} (${int(node['Actual Rows'] * node['Actual Loops'])} rows${removed})`);
  } else if (type.includes('Index')) {
    const short = type.replace('Bitmap Index Scan', 'Bitmap').replace('Index Only Scan', 'IndexOnly').replace('Index Scan', 'Index');
    out.push(`${short} ${node['Index Name']}${loops}`);
  } else if (type === 'Function Scan') {
    out.push(`Function Scan ${node['Function Name']}${loops}`);
  } else if (type === 'Sort' && node['Sort Space Type'] === 'Disk') {
    out.push(`**Sort on disk** (${node['Sort Method']})`);
  }
  for (const child of node.Plans ?? []) scansOf(child, out);
  return out;
}

/** A statement in a few words: what it reads. */
export function statementLabel(statement: string): string {
  const s = statement.replace(/\s+/g, ' ').trim();
  if (/^with recursive units/i.test(s)) return 'units (recursive)';
  if (/to_jsonb\(a\.\*\) AS assignment/i.test(s)) return 'timeline rows';
  if (/concat_ws\(' ', honorific_prefix/i.test(s)) return 'person name';
  const from = /\bfrom "?([a-z_]+)"?/i.exec(s)?.[1] ?? '?';
  const joins = [...s.matchAll(/\bjoin "?([a-z_]+)"?/gi)].map((m) => m[1]);
  const lateral = (s.match(/lateral/gi) ?? []).length;
  return `${s.slice(0, 6).toLowerCase()} ${from}${joins.length ? ` ⋈ ${[...new Set(joins)].join(', ')}` : ''}${lateral ? ` (+${lateral} lateral)` : ''}`;
}

export interface Explained {
  plan: ExplainResult;
  text: string;
  functions: Array<{ funcname: string; calls: number; total: number }>;
}

/**
 * Runs a captured statement again under EXPLAIN (ANALYZE, BUFFERS), with its parameters, in a
 * transaction of its own (rolled back) in which `setup` statements run first (an as-of read's
 * set_config), and with track_functions on so that per-row calls of SQL functions show.
 */
export async function explainStatement(
  client: postgres.Sql,
  statement: { sql: string; params: unknown[] },
  setup: Array<{ sql: string; params: unknown[] }> = [],
): Promise<Explained> {
  let result: Explained | undefined;
  await client
    .begin(async (tx) => {
      for (const s of setup) await tx.unsafe(s.sql, s.params as never[]);
      await tx.unsafe(`SET LOCAL track_functions = 'all'`);
      // The view holds the backend's function statistics not yet flushed (PostgreSQL 15 flushes
      // them at most once a second), earlier transactions' included: the difference is this one's.
      const stats = async () =>
        (await tx.unsafe(`SELECT funcname, calls::int AS calls, total_time::float8 AS total FROM pg_stat_xact_user_functions`)) as unknown as Array<{
          funcname: string;
          calls: number;
          total: number;
        }>;
      const before = new Map((await stats()).map((f) => [f.funcname, f]));
      const [json] = await tx.unsafe(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.sql}`, statement.params as never[]);
      const functions = (await stats())
        .map((f) => ({ ...f, calls: f.calls - (before.get(f.funcname)?.calls ?? 0), total: f.total - (before.get(f.funcname)?.total ?? 0) }))
        .filter((f) => f.calls > 0)
        .sort((x, y) => y.total - x.total);
      const text = (await tx.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params as never[])) as unknown as Array<Record<string, string>>;
      result = {
        plan: (json as Record<string, ExplainResult[]>)['QUERY PLAN']![0]!,
        text: text.map((r) => r['QUERY PLAN']).join('\n'),
        functions,
      };
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return result!;
}

class Rollback extends Error {}

/** One table row for an explained statement. */
export function explainedRow(i: number, statement: string, e: Explained): Array<string | number> {
  const p = e.plan;
  const jit = p.JIT?.Timing?.Total ? ` **JIT ${ms(p.JIT.Timing.Total, 1)} ms**` : '';
  return [
    i,
    statementLabel(statement),
    [...new Set(scansOf(p.Plan))].join('; ') || '(no scan)',
    int(p.Plan['Actual Rows']),
    ms(p['Planning Time']),
    ms(p['Execution Time']) + jit,
    `${int(p.Plan['Shared Hit Blocks'] ?? 0)} / ${int(p.Plan['Shared Read Blocks'] ?? 0)}`,
    e.functions.map((f) => `${f.funcname} ×${int(f.calls)} (${ms(f.total, 1)} ms)`).join(', ') || '–',
  ];
}

export const EXPLAINED_HEADER = ['#', 'statement', 'scans: index names (**seq scans in bold**)', 'rows', 'plan ms', 'exec ms', 'buffers hit / read', 'SQL functions called'];

/** The machine's state, for the record: measurements on a shared 2-core box are noisy. */
export function machineNote(): string {
  const [one, five] = loadavg();
  return `${cpus().length} CPUs, load average ${one!.toFixed(1)} (1 min) / ${five!.toFixed(1)} (5 min), Node ${process.version}`;
}

// ---------------------------------------------------------------- the app under measurement

/**
 * The app as src/app.ts builds it, with the rate limit and the load shedding out of the way: the
 * benchmarks send thousands of requests a minute from one address on a busy 2-core machine, and
 * measure the work, not the limits.
 */
export async function benchApp(database: Database): Promise<FastifyInstance> {
  return buildApp({
    config: { BODY_LIMIT_BYTES: 1024 * 1024, RATE_LIMIT_PER_MINUTE: 1_000_000_000, MAX_EVENT_LOOP_DELAY_MS: 60_000 },
    database,
  });
}

/** Stores an API key with this role (as the tests do, through runWrite: audited) and returns the secret. */
export async function createKey(database: Database, role: Role): Promise<string> {
  return runWrite(database, { actor: 'bench', requestId: null, reason: 'benchmark key' }, 'key.create', async (tx, changes) => {
    const { key, secret } = await insertKey(tx, { name: `bench ${role}`, role }, 'bench');
    changes.record({ entity: 'key', entityId: key.id, action: 'create', before: null, after: key });
    return secret;
  });
}
