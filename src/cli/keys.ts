/**
 * `npm run keys -- create --name NAME --role ROLE [--scope ORG_ID]… [--expires RFC3339]`
 * `npm run keys -- list`
 * `npm run keys -- revoke KEY_ID`
 * Manages API keys in the configured database. A created key is printed once; only its hash is stored.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { insertKey, listKeys, loadKey, revokeKey } from '../db/keys.js';
import { openConfiguredDatabase } from '../db/open.js';
import { runWrite } from '../db/write.js';
import { ROLES, type Role } from '../domain/access.js';

const USAGE = `usage:
  npm run keys -- create --name NAME --role ${ROLES.join('|')} [--scope ORG_ID]... [--expires 2027-01-01T00:00:00Z]
  npm run keys -- list
  npm run keys -- revoke KEY_ID`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    role: { type: 'string' },
    scope: { type: 'string', multiple: true },
    expires: { type: 'string' },
    reason: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const [command, argument] = positionals;
if (!command || !['create', 'list', 'revoke'].includes(command)) fail('Name a command.');

try {
  const database = await openConfiguredDatabase(loadConfig());
  const context = { actor: `cli:${process.env.USER ?? 'unknown'}`, requestId: null, reason: values.reason ?? null };
  try {
    if (command === 'list') {
      for (const key of await listKeys(database.db)) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : key.expiresAt ? `expires ${key.expiresAt}` : 'active';
        console.log(`${key.id}  ${key.prefix}  ${key.role.padEnd(7)}  ${key.name}  [${state}]${key.scopes.length ? `  scopes: ${key.scopes.join(', ')}` : ''}`);
      }
    } else if (command === 'create') {
      if (!values.name) fail('--name is required.');
      if (!values.role || !ROLES.includes(values.role as Role)) fail(`--role must be one of ${ROLES.join(', ')}.`);
      if (values.expires && Number.isNaN(Date.parse(values.expires))) fail('--expires must be an RFC 3339 timestamp.');
      const { key, secret } = await runWrite(database, context, 'key.create', async (tx, changes) => {
        const created = await insertKey(tx, { name: values.name!, role: values.role as Role, scopes: values.scope ?? [], expiresAt: values.expires ?? null }, context.actor);
        changes.record({ entity: 'key', entityId: created.key.id, action: 'create', before: null, after: created.key });
        return created;
      });
      console.log(`created ${key.role} key ${key.id} (${key.name}); shown this once:\n${secret}`);
    } else {
      if (!argument) fail('Name the key id to revoke.');
      const revoked = await runWrite(database, context, 'key.revoke', async (tx, changes) => {
        const before = await loadKey(tx, argument);
        if (!before) return undefined;
        const after = (await revokeKey(tx, argument))!;
        changes.record({ entity: 'key', entityId: argument, action: 'update', before, after });
        return after;
      });
      if (!revoked) fail(`No key with id ${argument}.`);
      console.log(`revoked ${revoked.id} (${revoked.name}) at ${revoked.revokedAt}`);
    }
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
