import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './client.js';

/**
 * Lists owned by a record (names, contact details, identifiers, parents) are written whole:
 * a create or a PATCH that names the list replaces it, in the order given; one that leaves it out
 * keeps it.
 */
export async function replaceChildren<T extends PgTable, K extends keyof T & string>(
  tx: Executor,
  table: T,
  ownerKey: K,
  ownerId: string,
  rows: Record<string, unknown>[] | undefined,
): Promise<void> {
  if (rows === undefined) return;
  await tx.delete(table).where(eq(table[ownerKey] as unknown as PgColumn, ownerId));
  if (rows.length === 0) return;
  await tx
    .insert(table)
    .values(rows.map((row, position) => ({ ...row, [ownerKey]: ownerId, position })) as never);
}
