/**
 * `npm run audit:verify [-- --head-seq N --head-hash H]`: recomputes the audit chain of the
 * configured database offline, without the service, and exits 1 when it does not verify.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { openConfiguredDatabase } from '../db/open.js';
import { verifyAuditChain } from '../routes/v1/audit/queries.js';

const { values } = parseArgs({ options: { 'head-seq': { type: 'string' }, 'head-hash': { type: 'string' } } });
try {
  const database = await openConfiguredDatabase(loadConfig());
  const exported =
    values['head-seq'] && values['head-hash'] ? { seq: Number(values['head-seq']), hash: values['head-hash'] } : undefined;
  const result = await verifyAuditChain(database, exported);
  await database.close();
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.ok ? 0 : 1);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
