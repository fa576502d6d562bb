/**
 * Partial dates against a naive model: the calendar is enumerated day by day with JavaScript's own
 * UTC date arithmetic, and every claim of src/domain/partial-date.ts (and of the ordering check in
 * src/http/schemas.ts) is compared with what that enumeration says.
 */
import fc from 'fast-check';
import t from 'tap';
import { daysInMonth, formatPartialDate, lastDay, parsePartialDate, type PartialDate } from '../../src/domain/partial-date.js';
import { endNotBeforeStart } from '../../src/http/schemas.js';

// ---------------------------------------------------------------- the naive model

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const MS_PER_DAY = 86_400_000;

interface ModelDay {
  text: string;
  /** Days since 1970-01-01, for comparing days by counting. */
  ordinal: number;
}

const yearCache = new Map<number, ModelDay[]>();

/**
 * Every day of a year (0001 to 9999), by stepping one UTC day at a time from 1 January until the
 * year changes. setUTCFullYear is used because Date.UTC maps years 0 to 99 to 1900 to 1999.
 */
function modelYear(year: number): ModelDay[] {
  const cached = yearCache.get(year);
  if (cached) return cached;
  const days: ModelDay[] = [];
  if (year >= 1 && year <= 9999) {
    const date = new Date(0);
    date.setUTCFullYear(year, 0, 1);
    while (date.getUTCFullYear() === year) {
      days.push({
        text: `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`,
        ordinal: Math.round(date.getTime() / MS_PER_DAY),
      });
      date.setUTCDate(date.getUTCDate() + 1);
    }
  }
  yearCache.set(year, days);
  return days;
}

/** The days a partial date's text covers, according to the model; empty when it is no date. */
function modelPeriod(text: string): ModelDay[] {
  const year = /^\d{4}/.test(text) ? Number(text.slice(0, 4)) : NaN;
  if (!Number.isInteger(year)) return [];
  const days = modelYear(year);
  if (/^\d{4}$/.test(text)) return days;
  if (/^\d{4}-\d{2}$/.test(text)) return days.filter((d) => d.text.startsWith(`${text}-`));
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return days.filter((d) => d.text === text);
  return [];
}

// ---------------------------------------------------------------- generators

/** Year, month and day numbers, including impossible ones, written in one of the three forms. */
const shapedText = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1895, max: 2105 }), fc.constantFrom(0, 1, 4, 100, 400, 1900, 2000, 9999)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    form: fc.constantFrom('year', 'month', 'day'),
  })
  .map(({ year, month, day, form }) =>
    form === 'year'
      ? pad(year, 4)
      : form === 'month'
        ? `${pad(year, 4)}-${pad(month, 2)}`
        : `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`,
  );

/** Near misses: unpadded, short years, separators, spaces, non-ASCII digits, extra parts. */
const nearMiss = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${y}-${m}-${d}`),
  // Four-digit years with an unpadded month or day: 2016-6, 2016-06-1.
  fc.tuple(fc.integer({ min: 1000, max: 2999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.boolean()).map(
    ([y, m, d, withDay]) => (withDay ? `${y}-${pad(m, 2)}-${d}` : `${y}-${m}`),
  ),
  fc.tuple(shapedText, fc.constantFrom(' ', '\n', 'T00:00', 'Z', '-', '-01', '/', '\u0000')).map(([s, extra]) => s + extra),
  fc.tuple(fc.constantFrom(' ', '+', '-', '0', '\uFEFF'), shapedText).map(([extra, s]) => extra + s),
  shapedText.map((s) => s.replaceAll('-', '/')),
  shapedText.map((s) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))), // full-width digits
  shapedText.map((s) => s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)))), // Arabic-Indic digits
  fc.string({ maxLength: 12 }),
);

const anyText = fc.oneof(shapedText, nearMiss);

/** Texts the model says are dates. */
const validText = shapedText.filter((s) => modelPeriod(s).length > 0);

/** Valid partial dates close together, so that orderings are often decided by a day. */
const nearbyValidText = fc
  .record({
    year: fc.integer({ min: 2014, max: 2017 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    form: fc.constantFrom('year', 'month', 'day'),
  })
  .map(({ year, month, day, form }) =>
    form === 'year' ? pad(year, 4) : form === 'month' ? `${pad(year, 4)}-${pad(month, 2)}` : `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`,
  )
  .filter((s) => modelPeriod(s).length > 0);

const runs = { numRuns: 3000 };

// ---------------------------------------------------------------- properties

t.test('the model agrees with the calendar it is built from', async (t) => {
  t.equal(modelYear(2016).length, 366, '2016 is a leap year');
  t.equal(modelYear(2015).length, 365);
  t.equal(modelYear(1900).length, 365, '1900 is not a leap year');
  t.equal(modelYear(2000).length, 366, '2000 is one');
  t.equal(modelYear(4).length, 366, 'year 4 (proleptic Gregorian) is one');
  t.equal(modelYear(100).length, 365, 'year 100 is not');
  t.equal(modelYear(0).length, 0, 'there is no year 0000 in the API');
  t.equal(modelYear(2016).at(-1)?.text, '2016-12-31');
});

t.test('parsePartialDate accepts exactly the days, months and years of the calendar', async (t) => {
  fc.assert(
    fc.property(anyText, (text) => (parsePartialDate(text) !== null) === modelPeriod(text).length > 0),
    runs,
  );
  for (const text of ['2016-02-30', '2016-13', '2015-02-29', '16-06-22', '2016-6-1', '2016-00', '2016-06-00', '0000', '1900-02-29', '2016-04-31', '', ' 2016', '2016 ', '+2016', '２０１６']) {
    t.equal(parsePartialDate(text), null, `${JSON.stringify(text)} is no date`);
  }
  for (const text of ['2016', '2016-06', '2016-06-22', '2016-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '0004-02-29']) {
    t.not(parsePartialDate(text), null, `${text} is a date`);
  }
});

t.test('a parsed date keeps its precision and starts on the first day of its period', async (t) => {
  fc.assert(
    fc.property(validText, (text) => {
      const parsed = parsePartialDate(text)!;
      const period = modelPeriod(text);
      const precision = text.length === 4 ? 'year' : text.length === 7 ? 'month' : 'day';
      return parsed.precision === precision && parsed.first === period[0]!.text;
    }),
    runs,
  );
  t.same(parsePartialDate('2016'), { first: '2016-01-01', precision: 'year' });
  t.same(parsePartialDate('2016-06'), { first: '2016-06-01', precision: 'month' });
  t.same(parsePartialDate('2016-06-22'), { first: '2016-06-22', precision: 'day' });
});

t.test('formatPartialDate(parsePartialDate(x)) === x', async (t) => {
  fc.assert(
    fc.property(validText, (text) => formatPartialDate(parsePartialDate(text)!) === text),
    runs,
  );
  t.equal(formatPartialDate({ first: '2016-06-01', precision: 'month' }), '2016-06');
});

t.test('lastDay is the last day of the period, found by stepping day by day', async (t) => {
  fc.assert(
    fc.property(validText, (text) => {
      const parsed = parsePartialDate(text)!;
      // Step from the first day while the next day is still inside the period.
      const prefix = formatPartialDate(parsed);
      const date = new Date(0);
      date.setUTCFullYear(Number(parsed.first.slice(0, 4)), Number(parsed.first.slice(5, 7)) - 1, Number(parsed.first.slice(8, 10)));
      let last = parsed.first;
      for (;;) {
        date.setUTCDate(date.getUTCDate() + 1);
        const next = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
        if (!next.startsWith(prefix)) break;
        last = next;
      }
      return lastDay(parsed) === last && lastDay(parsed) === modelPeriod(text).at(-1)!.text;
    }),
    runs,
  );
  const cases: [PartialDate, string][] = [
    [{ first: '2016-02-01', precision: 'month' }, '2016-02-29'],
    [{ first: '2015-02-01', precision: 'month' }, '2015-02-28'],
    [{ first: '1900-02-01', precision: 'month' }, '1900-02-28'],
    [{ first: '2016-01-01', precision: 'year' }, '2016-12-31'],
    [{ first: '2016-06-22', precision: 'day' }, '2016-06-22'],
    [{ first: '9999-12-01', precision: 'month' }, '9999-12-31'],
  ];
  for (const [date, last] of cases) t.equal(lastDay(date), last, `${formatPartialDate(date)} ends on ${last}`);
});

t.test('daysInMonth counts the days the model has in that month', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
      const count = modelYear(year).filter((d) => d.text.startsWith(`${pad(year, 4)}-${pad(month, 2)}-`)).length;
      return daysInMonth(year, month) === count;
    }),
    runs,
  );
});

t.test('endNotBeforeStart: the end period must reach the first day of the start period', async (t) => {
  const agrees = (start: string, end: string) => {
    const firstOfStart = modelPeriod(start)[0]!.ordinal;
    const lastOfEnd = modelPeriod(end).at(-1)!.ordinal;
    const issue = endNotBeforeStart(start, end);
    return (issue === undefined) === lastOfEnd >= firstOfStart;
  };
  fc.assert(fc.property(nearbyValidText, nearbyValidText, agrees), runs);
  fc.assert(fc.property(validText, validText, agrees), runs);

  const refused: [string, string][] = [
    ['2016-06', '2016-05'],
    ['2016-06-22', '2016-06-21'],
    ['2016', '2015-12-31'],
    ['2016-01-01', '2015'],
    ['2016-03-01', '2016-02'],
  ];
  const accepted: [string, string][] = [
    ['2016-06', '2016'],
    ['2016-06-15', '2016-06'],
    ['2016-06-22', '2016-06-22'],
    ['2016', '2016-01-01'],
    ['2016-12-31', '2016'],
    ['2016-02-29', '2016-02'],
  ];
  for (const [start, end] of refused) {
    const issue = endNotBeforeStart(start, end);
    t.ok(issue, `${end} ends before ${start} begins`);
    t.same(issue?.path, ['endDate'], 'the issue is at the end');
  }
  for (const [start, end] of accepted) t.equal(endNotBeforeStart(start, end), undefined, `${start} … ${end} is in order`);
  t.same(endNotBeforeStart('2017', '2016', 'foundingDate', 'dissolutionDate')?.path, ['dissolutionDate'], 'custom keys');
  for (const [start, end] of [[null, '2016'], ['2016', undefined], ['', '2015'], ['2016', 'not a date'], ['2016-02-30', '2015']] as const) {
    t.equal(endNotBeforeStart(start, end), undefined, `${String(start)} … ${String(end)}: nothing to order`);
  }
});
