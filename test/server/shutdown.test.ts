import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createTestDatabase, SERVER_URL } from '../helpers/database.js';

/** The real process: `src/server.ts` started as `npm start` would, stopped with SIGTERM. */
t.test('SIGTERM drains running requests and closes the database', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'rolebook-shutdown-'));
  const server = SERVER_URL ? await createTestDatabase() : undefined;
  if (server) await server.database.close();
  t.teardown(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await server?.destroy().catch(() => {});
  });
  const adminKey = `shutdown-test-admin-key-${'x'.repeat(24)}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      // The process as a user starts it: without the test runner's loaders and coverage hooks.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|TAP|_TAP|NYC|NODE_V8_COVERAGE)/.test(k))),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      ROLEBOOK_ADMIN_KEY: adminKey,
      ...(server ? { DATABASE_URL: server.url } : { DATABASE_URL: '' }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s: ${output}`)), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /running at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  t.equal((await fetch(`${base}/readyz`)).status, 200, 'ready');
  // Requests under way when the signal comes: each gets a whole answer.
  const running = Array.from({ length: 20 }, (_, i) =>
    fetch(`${base}/v1/people`, { method: 'POST', headers, body: JSON.stringify({ familyName: `Feierabend ${i}` }) }).then(
      async (res) => ({ status: res.status, body: await res.text() }),
      (error: Error) => ({ status: 0, body: String(error.cause ?? error) }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 30));
  child.kill('SIGTERM');
  const results = await Promise.all(running);
  const answered = results.filter((r) => r.status !== 0);
  t.ok(answered.length > 0, `requests under way were answered (${answered.length} of ${results.length})`);
  for (const r of answered) {
    t.ok([201, 503].includes(r.status), `a whole answer: ${r.status}`);
    t.doesNotThrow(() => JSON.parse(r.body), 'with a complete body');
  }
  for (const r of results.filter((x) => x.status === 0)) t.match(r.body, /ECONNREFUSED|ECONNRESET|other side closed|SocketError/, 'refused, not cut off mid-answer');
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
  t.equal(code, 0, 'the process exits cleanly');
  t.notMatch(output, /unexpected error|Error:/, 'without errors in its log');
});
