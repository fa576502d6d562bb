/**
 * Looks for strings in every row of every table, as text: `SELECT … WHERE t::text ILIKE '%needle%'`.
 * Used to prove that something (a plain API key, an erased person's name) is stored nowhere, history
 * tables and the audit log included.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';

export interface Trace {
  table: string;
  needle: string;
  rows: number;
  /** The start of one matching row, to say where the trace is. */
  sample: string;
}

/** The base tables of these schemas (all but the system's when none are named). */
export async function tablesOf(database: Database, schemas?: string[]): Promise<{ schema: string; name: string }[]> {
  const rows = await database.rows<{ schema: string; name: string }>(
    sql`SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY table_schema, table_name`,
  );
  return schemas ? rows.filter((r) => schemas.includes(r.schema)) : rows;
}

/** Every (table, needle) with rows whose text contains the needle, case-insensitively. */
export async function findInTables(database: Database, needles: string[], schemas?: string[]): Promise<Trace[]> {
  const traces: Trace[] = [];
  for (const { schema, name } of await tablesOf(database, schemas)) {
    for (const needle of needles) {
      const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const [row] = await database.rows<{ rows: number; sample: string | null }>(
        sql`SELECT count(*)::int AS rows, min(left(t::text, 300)) AS sample
              FROM ${sql.identifier(schema)}.${sql.identifier(name)} t WHERE t::text ILIKE ${pattern}`,
      );
      if (row && row.rows > 0) {
        traces.push({ table: schema === 'public' ? name : `${schema}.${name}`, needle, rows: row.rows, sample: row.sample ?? '' });
      }
    }
  }
  return traces;
}
