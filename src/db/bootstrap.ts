import type { Database } from './client.js';
import { countKeys, insertKey, keyExists } from './keys.js';
import { runWrite } from './write.js';

/**
 * Makes sure somebody can administer the directory: ROLEBOOK_ADMIN_KEY is installed as an admin key
 * when it is not installed yet; without it, the first start on a database without keys creates one
 * admin key and returns it, to be shown once.
 */
export async function installBootstrapKeys(database: Database, adminKey: string | undefined): Promise<string | null> {
  if (adminKey !== undefined) {
    if (await keyExists(database.db, adminKey)) return null;
    await runWrite(database, { actor: 'system:bootstrap', requestId: null, reason: 'ROLEBOOK_ADMIN_KEY' }, 'key.create', async (tx, changes) => {
      const { key } = await insertKey(tx, { name: 'ROLEBOOK_ADMIN_KEY', role: 'admin' }, 'system:bootstrap', adminKey);
      changes.record({ entity: 'key', entityId: key.id, action: 'create', before: null, after: key });
    });
    return null;
  }
  if ((await countKeys(database.db)) > 0) return null;
  return runWrite(
    database,
    { actor: 'system:bootstrap', requestId: null, reason: 'first start: no keys yet' },
    'key.create',
    async (tx, changes) => {
      const { key, secret } = await insertKey(tx, { name: 'first admin key', role: 'admin' }, 'system:bootstrap');
      changes.record({ entity: 'key', entityId: key.id, action: 'create', before: null, after: key });
      return secret;
    },
  );
}
