/**
 * rb_possible_span and rb_certain_span (drizzle/0002) against a naive model, through the database.
 *
 * The model reads a row's partial dates the way DESIGN.md §2 does: a partial start may be any day
 * of its period, a partial end any day of its period (the last day in the role), each on its own;
 * a missing start is "since forever", a missing end "ongoing". A reading (s, e) covers the days
 * s..e. For each day of a small window:
 *   - the possible span holds the day iff some reading covers it;
 *   - the certain span holds the day iff every reading covers it.
 * The days are enumerated one by one; each run asks the database about every day of the window.
 *
 * Start and end readings are combined independently, as DESIGN.md §2 words it ("a query date
 * inside that uncertainty is answered with possible"), so a start '2016' with an end '2016-03-10'
 * is only possible on 2016-03-10, although no consistent reading (start <= end) misses that day.
 * A row whose end lies before its start (refused by the tables' checks) has empty spans.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import t from 'tap';
import { createTestDatabase, DATABASE_KIND } from '../helpers/database.js';
import { columnsOf, dayNumber, dayRange, dayText, periodOf } from '../helpers/valid-time.js';

const { database, destroy } = await createTestDatabase();
t.teardown(destroy);

const WINDOW_FROM = '2015-12-25';
const WINDOW_TO = '2017-01-07';
const WINDOW = dayRange(WINDOW_FROM, WINDOW_TO);
const NUM_RUNS = 100;

/** A partial date in 2016 (year, month or day precision), or none. */
const partialIn2016 = fc
  .tuple(fc.integer({ min: dayNumber('2016-01-01'), max: dayNumber('2016-12-31') }), fc.constantFrom('year', 'month', 'day'))
  .map(([day, precision]) => {
    const text = dayText(day);
    return precision === 'year' ? text.slice(0, 4) : precision === 'month' ? text.slice(0, 7) : text;
  });
const maybePartial = fc.option(partialIn2016, { nil: null, freq: 5 });

/** The days a start may be (null: one reading, since forever). */
function readingsOfStart(start: string | null): number[] {
  if (start === null) return [-Infinity];
  const { first, last } = periodOf(start);
  return dayRange(dayText(first), dayText(last));
}

function readingsOfEnd(end: string | null): number[] {
  if (end === null) return [Infinity];
  const { first, last } = periodOf(end);
  return dayRange(dayText(first), dayText(last));
}

/** For each day of the window, '1' if the model says the span holds it, else '0'. */
function model(start: string | null, end: string | null): { possible: string; certain: string } {
  const starts = readingsOfStart(start);
  const ends = readingsOfEnd(end);
  let possible = '';
  let certain = '';
  for (const day of WINDOW) {
    // A reading (s, e) covers the day iff s <= day <= e; s and e are chosen independently.
    const some = starts.some((s) => s <= day) && ends.some((e) => e >= day);
    const every = starts.every((s) => s <= day) && ends.every((e) => e >= day);
    possible += some ? '1' : '0';
    certain += every ? '1' : '0';
  }
  return { possible, certain };
}

async function fromDatabase(start: string | null, end: string | null): Promise<{ possible: string; certain: string }> {
  const s = columnsOf(start);
  const e = columnsOf(end);
  const [row] = await database.rows<{ possible: string; certain: string }>(sql`
    WITH spans AS (
      SELECT rb_possible_span(${s.day}::date, ${s.precision}::date_precision, ${e.day}::date, ${e.precision}::date_precision) AS possible,
             rb_certain_span(${s.day}::date, ${s.precision}::date_precision, ${e.day}::date, ${e.precision}::date_precision) AS certain
    )
    SELECT string_agg(CASE WHEN spans.possible @> d::date THEN '1' ELSE '0' END, '' ORDER BY d) AS possible,
           string_agg(CASE WHEN spans.certain @> d::date THEN '1' ELSE '0' END, '' ORDER BY d) AS certain
      FROM spans, generate_series(${WINDOW_FROM}::date, ${WINDOW_TO}::date, interval '1 day') AS d`);
  if (!row) throw new Error('no answer');
  return row;
}

function firstDifference(found: string, wanted: string): string {
  const index = [...found].findIndex((c, i) => c !== wanted[i]);
  return index < 0 ? 'none' : `${dayText(WINDOW[index]!)}: database ${found[index]}, model ${wanted[index]}`;
}

t.test(`rb_possible_span and rb_certain_span hold the days the model says (${DATABASE_KIND})`, async (t) => {
  const checked: Array<[string | null, string | null]> = [];
  await t.resolves(
    fc.assert(
      fc.asyncProperty(maybePartial, maybePartial, async (start, end) => {
        const found = await fromDatabase(start, end);
        const wanted = model(start, end);
        checked.push([start, end]);
        if (found.possible !== wanted.possible) {
          throw new Error(`possible span of ${start}..${end}: first difference ${firstDifference(found.possible, wanted.possible)}`);
        }
        if (found.certain !== wanted.certain) {
          throw new Error(`certain span of ${start}..${end}: first difference ${firstDifference(found.certain, wanted.certain)}`);
        }
      }),
      {
        numRuns: NUM_RUNS,
        examples: [
          [null, null],
          ['2016', '2016'],
          ['2016-06', '2016-06'],
          ['2016-06-15', '2016-06'],
          ['2016', '2016-03-10'],
          ['2016-06-22', '2016-06-22'],
          ['2016-07-01', '2016-06-30'], // an end before the start: the checks refuse it, both spans are empty
          ['2016-06', null],
          [null, '2016-02'],
        ],
      },
    ),
    `${NUM_RUNS} random pairs of partial dates agree with the model day by day`,
  );
  t.ok(checked.length >= NUM_RUNS, 'the property ran');
  t.ok(
    checked.some(([s, e]) => s !== null && e !== null && s.length < 10 && e.length < 10),
    'pairs of two partial dates were among them',
  );
});

t.test(`certain spans lie within possible spans, and a handover never overlaps (${DATABASE_KIND})`, async (t) => {
  // The earlier holding ends on D-1 (a full date), the next one starts on D; their starts and
  // ends elsewhere may be partial or missing.
  const handover = fc
    .tuple(fc.integer({ min: dayNumber('2016-01-02'), max: dayNumber('2016-12-31') }), maybePartial, maybePartial)
    .filter(([d, start, end]) => (start === null || periodOf(start).first <= d - 1) && (end === null || periodOf(end).last >= d));
  let runs = 0;
  await t.resolves(
    fc.assert(
      fc.asyncProperty(handover, async ([d, start, end]) => {
        runs++;
        const a = { start: columnsOf(start), end: columnsOf(dayText(d - 1)) };
        const b = { start: columnsOf(dayText(d)), end: columnsOf(end) };
        const [row] = await database.rows<{ certain: boolean; possible: boolean; a_within: boolean; b_within: boolean }>(sql`
          WITH x AS (
            SELECT rb_certain_span(${a.start.day}::date, ${a.start.precision}::date_precision, ${a.end.day}::date, ${a.end.precision}::date_precision) AS ca,
                   rb_possible_span(${a.start.day}::date, ${a.start.precision}::date_precision, ${a.end.day}::date, ${a.end.precision}::date_precision) AS pa,
                   rb_certain_span(${b.start.day}::date, ${b.start.precision}::date_precision, ${b.end.day}::date, ${b.end.precision}::date_precision) AS cb,
                   rb_possible_span(${b.start.day}::date, ${b.start.precision}::date_precision, ${b.end.day}::date, ${b.end.precision}::date_precision) AS pb
          )
          SELECT ca && cb AS certain, pa && pb AS possible, pa @> ca AS a_within, pb @> cb AS b_within FROM x`);
        const label = `${start}..${dayText(d - 1)} then ${dayText(d)}..${end}`;
        if (!row) throw new Error('no answer');
        if (row.certain) throw new Error(`certain spans overlap: ${label}`);
        if (row.possible) throw new Error(`possible spans overlap: ${label}`);
        if (!row.a_within || !row.b_within) throw new Error(`a certain span is not within its possible span: ${label}`);
      }),
      { numRuns: NUM_RUNS, examples: [[[dayNumber('2016-07-01'), null, null]], [[dayNumber('2016-01-02'), '2016', '2016']]] },
    ),
    `${NUM_RUNS} handovers on a day D: the holding ending on D-1 and the one starting on D share no day`,
  );
  t.ok(runs >= NUM_RUNS, 'the property ran');
});
