import { z } from 'zod';
import { lastDay as lastDayOf, parsePartialDate } from '../domain/partial-date.js';

/** Shared zod schemas for request and response fields. */

export const uuid = z.uuid({ error: 'must be a UUID' });

export const idParams = z.strictObject({ id: uuid });

export const partialDate = z
  .string({ error: 'must be a date written as YYYY, YYYY-MM or YYYY-MM-DD' })
  .refine((value) => parsePartialDate(value) !== null, {
    error: 'must be a real date written as YYYY, YYYY-MM or YYYY-MM-DD',
  })
  .meta({
    description:
      'A partial date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. The precision is kept: a year covers its ' +
      'first to its last day.',
    examples: ['2016', '2016-06', '2016-06-22'],
  });

/** A calendar day, full precision: for `at` and other points in valid time. */
export const day = z
  .string({ error: 'must be a date written as YYYY-MM-DD' })
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && parsePartialDate(value) !== null, {
    error: 'must be a real date written as YYYY-MM-DD',
  })
  .meta({ description: 'A calendar day, `YYYY-MM-DD`', examples: ['2016-06-22'] });

export const timestamp = z.string().meta({ description: 'RFC 3339 timestamp' });

/**
 * What a text column cannot hold as sent: NUL (PostgreSQL refuses it) and a lone UTF-16 surrogate
 * (no character at all; it would be stored as U+FFFD, so the record would read back changed).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (value: string) => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

/** Free text: trimmed of nothing, but never empty, never absurdly long, always storable. */
export const text = (max = 500) =>
  z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters long`)
    .refine(storable, 'must not contain NUL characters or unpaired surrogates');

/** `endDate` is the last day: it may not end before `startDate` begins (DESIGN.md §3). */
export function endNotBeforeStart(
  startText: string | null | undefined,
  endText: string | null | undefined,
  startKey = 'startDate',
  endKey = 'endDate',
): z.core.$ZodRawIssue | undefined {
  const start = startText ? parsePartialDate(startText) : null;
  const end = endText ? parsePartialDate(endText) : null;
  if (!start || !end) return undefined;
  // The last day of the end's period against the first day of the start's period.
  if (lastDayOf(end) >= start.first) return undefined;
  return {
    code: 'custom',
    path: [endKey],
    message: `must not be before ${startKey} (${startText})`,
    input: endText,
  };
}

/** Adds the end-not-before-start check to an object schema with two date fields. */
export function withOrderedDates<T extends z.ZodObject>(schema: T, startKey = 'startDate', endKey = 'endDate'): T {
  return schema.check((ctx) => {
    const value = ctx.value as Record<string, string | null | undefined>;
    const issue = endNotBeforeStart(value[startKey], value[endKey], startKey, endKey);
    if (issue) ctx.issues.push(issue);
  });
}

export const datedName = withOrderedDates(
  z.strictObject({
    name: text(),
    startDate: partialDate.nullish(),
    endDate: partialDate.nullish(),
    note: text(2000).nullish(),
  }),
);

export const identifier = z.strictObject({
  scheme: text(100),
  identifier: text(500),
});


/** `at`: the day a read is about; reads about a day default to today (DESIGN.md §2). */
export const onDay = day.optional().meta({ description: 'The day the answer is about, YYYY-MM-DD; default today' });

export const certainty = z
  .enum(['certain', 'possible'])
  .meta({ description: '`possible` when the day lies within the uncertainty of a partial date' });

export const personRef = z.object({ id: uuid, name: z.string() });

/** `asOf`: transaction time. The answer is what the directory said at that moment (DESIGN.md §2). */
export const asOf = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 timestamp such as 2026-03-01T12:00:00Z' })
  .optional()
  .meta({ description: 'Answer as the directory stood at this moment (RFC 3339); default now' });

/** The query of a read without filters: only `asOf`. */
export const readQuery = z.strictObject({ asOf });
