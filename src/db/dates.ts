import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { formatPartialDate, parsePartialDate, type Precision } from '../domain/partial-date.js';

/** A partial date in the API (`2016-06`) as the two columns that store it. */
export function toColumns<K extends string>(
  name: K,
  value: string | null | undefined,
): Record<`${K}Date`, string | null> & Record<`${K}Precision`, Precision | null> {
  const parsed = value ? parsePartialDate(value) : null;
  return {
    [`${name}Date`]: parsed?.first ?? null,
    [`${name}Precision`]: parsed?.precision ?? null,
  } as Record<`${K}Date`, string | null> & Record<`${K}Precision`, Precision | null>;
}

/** The stored columns back to the partial date the client sent. */
export function fromColumns(day: string | null, precision: Precision | null): string | null {
  return day && precision ? formatPartialDate({ first: day, precision }) : null;
}

interface DatedColumns {
  startDate: AnyPgColumn;
  endDate: AnyPgColumn;
  endPrecision: AnyPgColumn;
}

/** The last day a dated row may cover: the end of its end's period, or open. */
const lastDayOf = (t: DatedColumns) => sql`rb_period_end(${t.endDate}, ${t.endPrecision}::text)`;

/** Rows whose period may include `day` (DESIGN.md §2: partial dates cover their whole period). */
export function coversDay(t: DatedColumns, day: string): SQL {
  return sql`((${t.startDate} IS NULL OR ${t.startDate} <= ${day}::date)
    AND (${t.endDate} IS NULL OR ${lastDayOf(t)} >= ${day}::date))`;
}

/** Rows whose period may overlap [from, to]; either bound may be open. */
export function overlapsPeriod(t: DatedColumns, from: string | undefined, to: string | undefined): SQL {
  const parts: SQL[] = [];
  if (to !== undefined) parts.push(sql`(${t.startDate} IS NULL OR ${t.startDate} <= ${to}::date)`);
  if (from !== undefined) parts.push(sql`(${t.endDate} IS NULL OR ${lastDayOf(t)} >= ${from}::date)`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`TRUE`;
}
