import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be true or false',
  })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** DESIGN.md §6: configuration comes from the environment only. */
export const configSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  ROLEBOOK_ADMIN_KEY: z.string().min(32, 'must be at least 32 characters long').optional(),
  ROLEBOOK_DEMO_DATA: booleanFlag.default(true),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(1200),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number({ error: 'must be a number' }).int().min(10).default(2000),
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(
      z.array(z.union([z.literal('*'), z.url({ protocol: /^https?$/, error: 'must be * or a comma-separated list of http(s) origins' })])),
    ),
});

const SECRET_VARIABLES = new Set(['DATABASE_URL', 'ROLEBOOK_ADMIN_KEY']);

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; empty strings count as unset, as shells and compose files write them. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in configSchema.shape && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const variable = String(issue.path[0]);
  // Secrets (keys, URLs with passwords) are never echoed back into logs.
  const shown = SECRET_VARIABLES.has(variable) ? '' : ` (got ${JSON.stringify(env[variable])})`;
  throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}${shown}`);
}
