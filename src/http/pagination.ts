import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { parsePartialDate } from '../domain/partial-date.js';
import { Problem } from './problem.js';
import { asOf } from './schemas.js';

/**
 * Keyset pagination with an opaque cursor. A cursor is the sort key of the last item of a page,
 * base64url-encoded; the next page starts strictly after it, so inserts between page requests
 * never repeat or skip an item that was already there.
 */
export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 50;

export const pageQuery = {
  asOf,
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
    .default(DEFAULT_LIMIT)
    .meta({ description: `Items per page, 1 to ${MAX_LIMIT}` }),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page' }),
};

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
  });
}

type KeyValue = string | number;

export function encodeCursor(values: KeyValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

const invalidCursor = () =>
  new Problem('validation-error', 'The cursor is not one this list handed out.', {
    errors: [{ path: '/cursor', in: 'query', message: 'is not a valid cursor' }],
  });

export function decodeCursor(cursor: string, arity: number): KeyValue[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as KeyValue[];
    }
  } catch {
    // fall through to the problem below
  }
  throw invalidCursor();
}

/** A sort column: an SQL expression and the SQL type its cursor value is cast to. */
export interface KeyColumn {
  expression: SQL;
  type: 'text' | 'uuid' | 'date';
}

/** A sort order for keyset pagination, the last column unique (the id). */
export interface Keyset<Row> {
  columns: KeyColumn[];
  valuesOf(row: Row): KeyValue[];
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a cursor value must look like to be cast to its column's type: a cursor is client input, and
 * a value the database cannot cast is the client's error (400), not the database's.
 */
const CASTABLE: Record<KeyColumn['type'], (value: KeyValue) => boolean> = {
  text: (value) => typeof value === 'string' && !value.includes('\u0000'),
  uuid: (value) => typeof value === 'string' && UUID_TEXT.test(value),
  date: (value) =>
    typeof value === 'string' &&
    (value === '-infinity' || (/^\d{4}-\d{2}-\d{2}$/.test(value) && parsePartialDate(value) !== null)),
};

/** The condition "strictly after the cursor" for a keyset, or undefined on the first page. */
export function afterCursor<Row>(keyset: Keyset<Row>, cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  const values = decodeCursor(cursor, keyset.columns.length);
  if (!keyset.columns.every((column, i) => CASTABLE[column.type](values[i]!))) throw invalidCursor();
  const columns = keyset.columns.map((c) => c.expression);
  const cursorValues = keyset.columns.map((c, i) => sql`CAST(${values[i]} AS ${sql.raw(c.type)})`);
  return sql`(${sql.join(columns, sql`, `)}) > (${sql.join(cursorValues, sql`, `)})`;
}

export function orderBy<Row>(keyset: Keyset<Row>): SQL[] {
  return keyset.columns.map((c) => c.expression);
}

/** Cuts the `limit + 1` rows a query fetched into a page and the cursor of the next one. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyset: Keyset<Row>,
  present: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(present),
    nextCursor: more && last ? encodeCursor(keyset.valuesOf(last)) : null,
  };
}
