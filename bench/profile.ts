/**
 * Where a request's time goes: loads one scenario of `npm run bench` against Rolebook (autocannon
 * in a worker thread) while the V8 profiler samples the server's thread, then prints the functions
 * and packages with the most self time and writes a .cpuprofile (open it in Chrome DevTools).
 *
 *   npx tsx bench/profile.ts --url postgres://…/rolebook_bench_1234 --scenario tree [--duration 10]
 *   npx tsx bench/profile.ts --scenario person        # generates the medium directory first
 *
 * --scenario matches a substring of the scenario's name; --out names the profile file
 * (default bench/results/<scenario>.cpuprofile).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { openPostgres } from '../src/db/client.js';
import { generateForBench } from './generate.js';
import { benchApp, createKey, intArg, parseArgs, stringArg, table } from './lib.js';
import { pickScenarios } from './scenarios.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Self time per function and per package (node_modules/<name>, src/<folder>, node:…). */
function summarise(profile: { nodes: ProfileNode[]; samples?: number[] }) {
  const total = profile.samples?.length ?? profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
    const fn = `${functionName || '(anonymous)'} ${where ? `${where.split('/node_modules/').at(-1)}:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    const pkg = where.includes('node_modules/')
      ? where.split('node_modules/').at(-1)!.split('/').slice(0, where.split('node_modules/').at(-1)!.startsWith('@') ? 2 : 1).join('/')
      : where.startsWith('src/') ? where.split('/').slice(0, 2).join('/') : where || functionName;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, `${((100 * v) / total).toFixed(1)} %`]);
  return { total, functions: top(byFunction, 30), packages: top(byPackage, 20) };
}

const args = parseArgs();
const duration = intArg(args, 'duration', 10);
const connections = intArg(args, 'connections', 10);
const wanted = stringArg(args, 'scenario', 'person');
let url = stringArg(args, 'url');
let drop: (() => Promise<void>) | undefined;
if (!url) ({ url, drop } = await generateForBench(args, performance.now()));
const database = await openPostgres({ url, max: 20 });
const app = await benchApp(database);
await app.listen({ port: 0, host: '127.0.0.1' });
const adminKey = await createKey(database, 'admin');
const scenario = (await pickScenarios(database)).find((s) => s.name.includes(wanted));
if (!scenario) throw new Error(`no scenario matches "${wanted}"`);
const target = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${scenario.path}`;
const headers: Record<string, string> = scenario.admin ? { authorization: `Bearer ${adminKey}` } : {};
if (scenario.body) headers['content-type'] = 'application/json';
if (scenario.conditional) headers['if-none-match'] = String((await app.inject({ url: scenario.path })).headers.etag);
const body = scenario.body ? JSON.stringify(scenario.body) : undefined;
await autocannon({ url: target, method: scenario.method, headers, body, duration: 2, connections, workers: 1 }); // warm up

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const result = await autocannon({ url: target, method: scenario.method, headers, body, duration, connections, workers: 1 });
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const out = stringArg(args, 'out') ?? new URL(`./results/${wanted}.cpuprofile`, import.meta.url).pathname;
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(out, JSON.stringify(profile));
const summary = summarise(profile as never);
console.log(`## ${scenario.name}: ${scenario.method} ${scenario.path}\n`);
console.log(`${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx; ${summary.total} samples; profile: ${out}\n`);
console.log(table(['package', 'self'], summary.packages));
console.log();
console.log(table(['function', 'self'], summary.functions));
await app.close();
await database.close();
await drop?.();
process.exit(0);
