import { and, asc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { auditEvents } from '../../../db/schema.js';
import { RECORDED_AT_SQL } from '../../../db/write.js';
import { ChainVerifier } from '../../../domain/hash-chain.js';
import type { AuditEntry } from './schemas.js';

export interface AuditFilter {
  /** Entries whose changes mention this id anywhere (a person's assignments, transitions…). */
  mentions?: string;
  entity?: string;
  entityId?: string;
  actor?: string;
  operation?: string;
  from?: string;
  to?: string;
}

const recordedAtText = sql<string>`${sql.raw(RECORDED_AT_SQL.replace('%s', '"audit_events"."recorded_at"'))}`;

const columns = {
  seq: auditEvents.seq,
  id: auditEvents.id,
  recordedAt: recordedAtText,
  actor: auditEvents.actor,
  requestId: auditEvents.requestId,
  operation: auditEvents.operation,
  reason: auditEvents.reason,
  changes: auditEvents.changes,
  payloadHash: auditEvents.payloadHash,
  prevHash: auditEvents.prevHash,
  hash: auditEvents.hash,
  redacted: sql<boolean>`${auditEvents.redactedAt} IS NOT NULL`,
};

function conditions(filter: AuditFilter): SQL | undefined {
  const about: Record<string, string> = {};
  if (filter.entity) about.entity = filter.entity;
  if (filter.entityId) about.entityId = filter.entityId;
  return and(
    filter.mentions ? sql`${auditEvents.changes}::text LIKE ${`%${filter.mentions}%`}` : undefined,
    Object.keys(about).length ? sql`${auditEvents.changes} @> ${JSON.stringify([about])}::jsonb` : undefined,
    filter.actor ? eq(auditEvents.actor, filter.actor) : undefined,
    filter.operation ? eq(auditEvents.operation, filter.operation) : undefined,
    filter.from ? gte(auditEvents.recordedAt, filter.from) : undefined,
    filter.to ? lt(auditEvents.recordedAt, filter.to) : undefined,
  );
}

/** Entries in chain order after `afterSeq`, at most `limit`. */
export async function auditEntries(db: Executor, filter: AuditFilter, afterSeq: number, limit: number): Promise<AuditEntry[]> {
  const rows = await db
    .select(columns)
    .from(auditEvents)
    .where(and(gt(auditEvents.seq, afterSeq), conditions(filter)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
  return rows as AuditEntry[];
}

/** Every matching entry, fetched a batch at a time so that an export of years streams. */
export async function* allAuditEntries(db: Executor, filter: AuditFilter, batch = 1000): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const rows = await auditEntries(db, filter, after, batch);
    yield* rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export async function chainHeadOf(database: Database): Promise<{ seq: number; hash: string; recordedAt: string } | null> {
  const [head] = await database.db.select({ seq: columns.seq, hash: columns.hash, recordedAt: columns.recordedAt })
    .from(auditEvents)
    .orderBy(sql`${auditEvents.seq} DESC`)
    .limit(1);
  return head ?? null;
}

/**
 * Recomputes the whole chain: every payload hash, every link, every entry hash. With an exported
 * head it also checks that the chain still holds that entry, which a rewrite of the whole table
 * (all hashes recomputed) cannot fake.
 */
export async function verifyAuditChain(database: Database, exported?: { seq: number; hash: string }) {
  const verifier = new ChainVerifier();
  let exportedMatches: boolean | null = exported ? false : null;
  for await (const entry of allAuditEntries(database.db, {})) {
    verifier.check(entry);
    if (exported && entry.seq === exported.seq) exportedMatches = entry.hash === exported.hash;
  }
  return {
    ok: verifier.firstBreak === null && exportedMatches !== false,
    checked: verifier.checked,
    head: verifier.head,
    firstBreak: verifier.firstBreak,
    exportedHead: exported ? { ...exported, matches: exportedMatches === true } : null,
  };
}
