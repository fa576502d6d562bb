import type { Database, Executor } from './client.js';
import { auditEvents } from './schema.js';

/** Who is writing, and why: recorded with every change. */
export interface WriteContext {
  actor: string;
  requestId: string | null;
  reason: string | null;
}

export interface Change {
  entity: 'person' | 'organisation' | 'post' | 'assignment' | 'transition' | 'organisationEvent';
  entityId: string;
  action: 'create' | 'update' | 'delete';
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
    if (changes.changes.length > 0) {
      await tx.insert(auditEvents).values({
        actor: context.actor,
        requestId: context.requestId,
        operation,
        reason: context.reason,
        changes: changes.changes,
      });
    }
    return result;
  });
}
