import { sql, type Placeholder, type SQL } from 'drizzle-orm';
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

/**
 * Reads on a day go through the spans the database derives for every dated row (drizzle/0002):
 * `possible_span` holds every day a row may cover, `certain_span` the days it covers for sure.
 */
export interface Spans {
  possibleSpan: AnyPgColumn;
  certainSpan: AnyPgColumn;
}

/** A day, or a prepared query's placeholder for one. */
export type DayValue = string | Placeholder;

/** Rows that may cover `day` (a partial date covers its whole period); the GiST indexes serve it. */
export function coversDay(t: Spans, day: DayValue): SQL {
  return sql`${t.possibleSpan} @> ${day}::date`;
}

/** Rows that may share a day with [from, to]; either bound may be open. */
export function overlapsPeriod(t: Spans, from: string | undefined, to: string | undefined): SQL {
  return sql`${t.possibleSpan} && daterange(${from ?? null}::date, ${to ?? null}::date, '[]')`;
}

/** DESIGN.md §2: `certain` when the day lies within the row for sure, else `possible`. */
export function certaintyOn(t: Spans, day: DayValue): SQL<'certain' | 'possible'> {
  return sql<'certain' | 'possible'>`CASE WHEN ${t.certainSpan} @> ${day}::date THEN 'certain' ELSE 'possible' END`;
}
