import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { entryHashOf, GENESIS_HASH, payloadHashOf, type EntryHeader } from '../domain/hash-chain.js';
import type { Database, Executor } from './client.js';
import { auditEvents } from './schema.js';
import { assertWithinScopes } from './scopes.js';

/** Who is writing, and why: recorded with every change. */
export interface WriteContext {
  actor: string;
  requestId: string | null;
  reason: string | null;
  /** An editor key's organisation scopes; null or absent = may write everywhere. */
  scopes?: string[] | null;
}

export interface Change {
  entity: 'person' | 'organisation' | 'post' | 'assignment' | 'transition' | 'organisationEvent' | 'key' | 'import';
  entityId: string;
  /** `read`: an access worth recording (a data-protection export); not a change of data. */
  action: 'create' | 'update' | 'delete' | 'read';
  before: unknown;
  after: unknown;
}

/** What a write changed; the write's one audit event lists all of it. */
export class ChangeSet {
  readonly changes: Change[] = [];
  record(change: Change): void {
    this.changes.push(change);
  }
}

/** Writers take turns at the end of the chain; any number that no other advisory lock uses. */
const AUDIT_CHAIN_LOCK = 0x526f6c67;

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ`: the form the chain hashes, as PostgreSQL can write it back. */
export const RECORDED_AT_SQL = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Appends an audit event to the hash chain. Holding the chain lock until commit makes the
 * events' order (seq) the order in which their transactions commit.
 */
async function appendAuditEvent(database: Database, tx: Executor, context: WriteContext, operation: string, changes: Change[]) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [state] = await database.rows<{ prev: string | null; now: string }>(
    sql.raw(
      `SELECT (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS prev, ${RECORDED_AT_SQL.replace('%s', 'clock_timestamp()')} AS now`,
    ),
    tx,
  );
  const header: EntryHeader = {
    id: randomUUID(),
    recordedAt: state!.now,
    actor: context.actor,
    requestId: context.requestId,
    operation,
  };
  // Stored as the JSON it will be read back as, so that the payload hash can be recomputed.
  const stored = JSON.parse(JSON.stringify(changes)) as unknown;
  const payloadHash = payloadHashOf({ reason: context.reason, changes: stored });
  const prevHash = state!.prev ?? GENESIS_HASH;
  await tx.insert(auditEvents).values({
    ...header,
    reason: context.reason,
    changes: stored,
    payloadHash,
    prevHash,
    hash: entryHashOf(header, payloadHash, prevHash),
  });
}

/**
 * The one door for writes: the work and its audit event commit together in one transaction, or
 * neither does. Routes, imports and the demo loader all come through here.
 */
export async function runWrite<T>(
  database: Database,
  context: WriteContext,
  operation: string,
  work: (tx: Executor, changes: ChangeSet) => Promise<T>,
): Promise<T> {
  return database.db.transaction(async (tx) => {
    const changes = new ChangeSet();
    const result = await work(tx as unknown as Executor, changes);
    if (context.scopes?.length) await assertWithinScopes(database, tx as unknown as Executor, changes.changes, context.scopes);
    if (changes.changes.length > 0) {
      await appendAuditEvent(database, tx as unknown as Executor, context, operation, changes.changes);
    }
    return result;
  });
}
