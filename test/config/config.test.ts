/**
 * Configuration from the environment (DESIGN.md §6): the defaults, and one clear line for each bad
 * variable that names it and never repeats a secret.
 */
import fc from 'fast-check';
import t from 'tap';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const KEY = 'k3y-0123456789abcdef0123456789abcdef'; // 36 characters

/** The error loadConfig throws for an environment; fails the test when it does not throw one. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(Object.keys(env))}`);
}

t.test('defaults', async (t) => {
  const config = loadConfig({});
  const defaults = {
    PORT: 3000,
    HOST: '127.0.0.1',
    DATA_DIR: './data',
    ROLEBOOK_DEMO_DATA: true,
    LOG_LEVEL: 'info',
    BODY_LIMIT_BYTES: 1024 * 1024,
    STATEMENT_TIMEOUT_MS: 5000,
  } as const;
  for (const [variable, value] of Object.entries(defaults)) {
    t.equal(config[variable as keyof typeof defaults], value, `${variable} defaults to ${String(value)}`);
  }
  t.equal(config.DATABASE_URL, undefined, 'no DATABASE_URL: the embedded database');
  t.equal(config.ROLEBOOK_ADMIN_KEY, undefined, 'no admin key unless given');
  t.same(loadConfig({ PORT: '', DATABASE_URL: '', ROLEBOOK_ADMIN_KEY: '', LOG_LEVEL: '' }), loadConfig({}), 'empty strings count as unset');
  t.same(loadConfig({ PATH: '/bin', HOME: '/root', port: 'abc' }), loadConfig({}), 'other variables are ignored');
});

t.test('good values', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://rolebook:secret@db:5432/rolebook',
    DATA_DIR: '/var/lib/rolebook',
    ROLEBOOK_ADMIN_KEY: KEY,
    ROLEBOOK_DEMO_DATA: 'false',
    LOG_LEVEL: 'debug',
  });
  t.equal(config.PORT, 8080);
  t.equal(config.HOST, '0.0.0.0');
  t.equal(config.DATABASE_URL, 'postgres://rolebook:secret@db:5432/rolebook');
  t.equal(config.DATA_DIR, '/var/lib/rolebook');
  t.equal(config.ROLEBOOK_ADMIN_KEY, KEY);
  t.equal(config.ROLEBOOK_DEMO_DATA, false);
  t.equal(config.LOG_LEVEL, 'debug');
  t.equal(loadConfig({ DATABASE_URL: 'postgresql://localhost/x' }).DATABASE_URL, 'postgresql://localhost/x');
  t.equal(loadConfig({ PORT: '0' }).PORT, 0, 'port 0: any free port');
  t.equal(loadConfig({ PORT: '65535' }).PORT, 65535);
  t.equal(loadConfig({ ROLEBOOK_ADMIN_KEY: 'x'.repeat(32) }).ROLEBOOK_ADMIN_KEY, 'x'.repeat(32), '32 characters are enough');
  for (const [text, flag] of [['true', true], ['false', false], ['1', true], ['0', false], ['yes', true], ['no', false]] as const) {
    t.equal(loadConfig({ ROLEBOOK_DEMO_DATA: text }).ROLEBOOK_DEMO_DATA, flag, `ROLEBOOK_DEMO_DATA=${text}`);
  }
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    t.equal(loadConfig({ LOG_LEVEL: level }).LOG_LEVEL, level);
  }
});

t.test('each bad variable: a ConfigError whose one line names it', async (t) => {
  const cases: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['ROLEBOOK_ADMIN_KEY', 'short'],
    ['ROLEBOOK_ADMIN_KEY', 'x'.repeat(31)],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'mysql://root:hunter2@db/rolebook'],
    ['DATABASE_URL', 'localhost:5432'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_LEVEL', 'INFO'],
    ['ROLEBOOK_DEMO_DATA', 'maybe'],
    ['ROLEBOOK_DEMO_DATA', 'TRUE'],
    ['BODY_LIMIT_BYTES', '10'],
    ['STATEMENT_TIMEOUT_MS', 'soon'],
  ];
  for (const [variable, value] of cases) {
    const error = configError({ [variable]: value });
    t.type(error, ConfigError, `${variable}=${value}`);
    t.notMatch(error.message, /[\r\n]/, 'one line');
    t.match(error.message, new RegExp(`^Invalid configuration: ${variable} `), 'names the variable first');
    if (variable === 'ROLEBOOK_ADMIN_KEY' || variable === 'DATABASE_URL') {
      t.notOk(error.message.includes(value), 'does not repeat the secret');
    }
  }
  t.notOk(configError({ DATABASE_URL: 'mysql://root:hunter2@db/rolebook' }).message.includes('hunter2'), 'nor the password in it');
  t.match(configError({ PORT: 'abc' }).message, /port/i, 'says what is wrong');
  t.match(configError({ LOG_LEVEL: 'loud' }).message, /info/, 'lists the levels');
});

t.test('secrets never appear in any error message', async () => {
  const hex = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${min},${max}}$`));
  const environment = fc.record(
    {
      PORT: fc.constantFrom('3000', 'abc', '70000', ''),
      LOG_LEVEL: fc.constantFrom('info', 'loud', ''),
      ROLEBOOK_DEMO_DATA: fc.constantFrom('true', 'maybe', ''),
      // Too short to be a key (but long enough to be noticed in a message).
      ROLEBOOK_ADMIN_KEY: hex(8, 31),
      DATABASE_URL: fc.tuple(fc.constantFrom('mysql', 'http', 'postgres', 'postgresql'), hex(8, 20)).map(
        ([scheme, password]) => `${scheme}://admin:${password}@db.internal:5432/rolebook`,
      ),
    },
    { requiredKeys: ['ROLEBOOK_ADMIN_KEY'] },
  );
  fc.assert(
    fc.property(environment, (env) => {
      const message = configError(env).message;
      const password = env.DATABASE_URL?.match(/admin:([0-9a-f]+)@/)?.[1];
      return (
        !message.includes(env.ROLEBOOK_ADMIN_KEY!) &&
        (env.DATABASE_URL === undefined || (!message.includes(env.DATABASE_URL) && !message.includes(password!))) &&
        !/[\r\n]/.test(message)
      );
    }),
    { numRuns: 500 },
  );
});
