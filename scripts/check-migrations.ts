/**
 * Fails when src/db/schema.ts describes something that drizzle/ has no migration for: runs
 * drizzle-kit generate against a copy of the migrations and sees whether it writes a new one.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const scratch = await mkdtemp(join(tmpdir(), 'rolebook-migrations-'));
try {
  await cp(join(root, 'drizzle'), join(scratch, 'drizzle'), { recursive: true });
  const config = join(scratch, 'drizzle.config.mjs');
  await writeFile(
    config,
    // drizzle-kit wants paths relative to where it runs.
    `export default { dialect: 'postgresql', schema: ${JSON.stringify(relative(scratch, join(root, 'src/db/schema.ts')))}, out: './drizzle' };\n`,
  );
  const before = (await readdir(join(scratch, 'drizzle'))).length;
  const output = execFileSync(join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', config], {
    cwd: scratch,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const after = (await readdir(join(scratch, 'drizzle'))).length;
  if (after === before && !output.includes('No schema changes')) {
    console.error(`drizzle-kit generate did not report on the schema:\n${output}`);
    process.exit(1);
  }
  if (after !== before) {
    console.error('src/db/schema.ts has changes without a migration: run `npm run db:generate` and commit drizzle/.');
    process.exit(1);
  }
  console.log('drizzle/ has a migration for every schema change');
} finally {
  await rm(scratch, { recursive: true, force: true });
}
