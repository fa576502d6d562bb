/**
 * Partial calendar dates (DESIGN.md §2): `2016`, `2016-06` or `2016-06-22`. A partial date names a
 * period; it is stored as the period's first day plus its precision and can be written back
 * unchanged.
 */
export type Precision = 'year' | 'month' | 'day';

export interface PartialDate {
  /** The first day of the period, `YYYY-MM-DD`. */
  readonly first: string;
  readonly precision: Precision;
}

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids daylight-saving surprises.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Parses a partial date; `null` for anything that is not one (2016-02-30, 2016-13, 16-06-22). */
export function parsePartialDate(text: string): PartialDate | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1) return null;
  if (match[2] === undefined) return { first: `${match[1]}-01-01`, precision: 'year' };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  if (match[3] === undefined) return { first: `${match[1]}-${match[2]}-01`, precision: 'month' };
  const day = Number(match[3]);
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { first: text, precision: 'day' };
}

/** The text a client sent: the first day cut to the precision. */
export function formatPartialDate(date: PartialDate): string {
  switch (date.precision) {
    case 'year':
      return date.first.slice(0, 4);
    case 'month':
      return date.first.slice(0, 7);
    case 'day':
      return date.first;
  }
}

/** The last day of the period, `YYYY-MM-DD`. */
export function lastDay(date: PartialDate): string {
  const year = Number(date.first.slice(0, 4));
  switch (date.precision) {
    case 'year':
      return `${pad(year, 4)}-12-31`;
    case 'month': {
      const month = Number(date.first.slice(5, 7));
      return `${date.first.slice(0, 7)}-${pad(daysInMonth(year, month), 2)}`;
    }
    case 'day':
      return date.first;
  }
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The calendar day `n` days after `day` (before, for negative `n`), `YYYY-MM-DD`. */
export function addDays(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}
