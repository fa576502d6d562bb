/**
 * succession() (src/domain/succession.ts) against a naive day-by-day model: the holdings of a post
 * are laid out over every day of a small window, and each vacancy and held period the function
 * answers is checked against that picture.
 */
import fc from 'fast-check';
import t from 'tap';
import { succession, type Period, type Span } from '../../src/domain/succession.js';
import { dayNumber, dayText } from '../helpers/valid-time.js';

interface Holding extends Span {
  /** Its place in the input, to check the order of the held periods. */
  index: number;
}

// Holdings begin and end in 2016-2017; the window reaches a little beyond on both sides, so that
// days before the first start and after the last end are looked at too.
const FIRST = dayNumber('2016-01-01');
const LAST = dayNumber('2017-12-31');
const WINDOW_FROM = dayNumber('2015-12-01');
const WINDOW_TO = dayNumber('2018-01-31');

const span: fc.Arbitrary<Span> = fc
  .tuple(
    fc.option(fc.integer({ min: FIRST, max: LAST }), { nil: null, freq: 8 }),
    fc.option(fc.integer({ min: 0, max: 200 }), { nil: null, freq: 4 }),
  )
  .map(([first, length]) => {
    const last = length === null ? null : Math.min((first ?? FIRST) + length, LAST);
    return { first: first === null ? null : dayText(first), last: last === null ? null : dayText(last) };
  });

/** Up to six holdings; clusters of short ones make gaps and overlaps both likely. */
const holdings: fc.Arbitrary<Holding[]> = fc
  .array(span, { maxLength: 6 })
  .map((spans) => spans.map((s, index) => ({ ...s, index })));

const startNumber = (h: Span) => (h.first === null ? -Infinity : dayNumber(h.first));
const endNumber = (h: Span) => (h.last === null ? Infinity : dayNumber(h.last));
const covers = (h: Span, day: number) => startNumber(h) <= day && day <= endNumber(h);

type Vacancy = Extract<Period<Holding>, { kind: 'vacant' }>;
const vacancyCovers = (v: Vacancy, day: number) => dayNumber(v.from) <= day && (v.to === null || day <= dayNumber(v.to));

/** Checks one answer of succession() against the day-by-day picture; throws what is wrong. */
function check(input: Holding[], periods: Period<Holding>[]): void {
  const held = periods.filter((p): p is Extract<Period<Holding>, { kind: 'held' }> => p.kind === 'held').map((p) => p.holding);
  const vacancies = periods.filter((p): p is Vacancy => p.kind === 'vacant');

  // Every holding once, in input order sorted by start (a stable sort; unknown starts first).
  const expectedOrder = [...input].sort((a, b) => startNumber(a) - startNumber(b) || a.index - b.index).map((h) => h.index);
  const foundOrder = held.map((h) => h.index);
  if (JSON.stringify(foundOrder) !== JSON.stringify(expectedOrder)) {
    throw new Error(`held periods in order ${JSON.stringify(foundOrder)}, expected ${JSON.stringify(expectedOrder)}`);
  }
  if (input.length === 0 && periods.length !== 0) throw new Error('no holdings, but periods');

  const firstStart = Math.min(...input.map(startNumber));
  for (let day = WINDOW_FROM; day <= WINDOW_TO; day++) {
    const covered = input.some((h) => covers(h, day));
    const inVacancies = vacancies.filter((v) => vacancyCovers(v, day)).length;
    if (covered && inVacancies > 0) throw new Error(`${dayText(day)} is held but lies in a vacancy`);
    if (!covered && day > firstStart && inVacancies !== 1) {
      throw new Error(`${dayText(day)} is not held, after the first start, but lies in ${inVacancies} vacancies`);
    }
    if (day < firstStart && inVacancies > 0) throw new Error(`${dayText(day)} is before the first start but lies in a vacancy`);
  }

  for (const v of vacancies) {
    const from = dayNumber(v.from);
    if (v.to !== null && dayNumber(v.to) < from) throw new Error(`vacancy ${v.from}..${v.to} ends before it starts`);
    // Maximal: held on the day before and on the day after.
    if (!input.some((h) => covers(h, from - 1))) throw new Error(`vacancy ${v.from}..${v.to} could start earlier`);
    if (v.to !== null && !input.some((h) => covers(h, dayNumber(v.to!) + 1))) {
      throw new Error(`vacancy ${v.from}..${v.to} could end later`);
    }
  }

  // Each vacancy sits between the holdings that start before it and those that start after it.
  periods.forEach((p, i) => {
    if (p.kind !== 'vacant') return;
    const from = dayNumber(p.from);
    for (const before of periods.slice(0, i)) {
      if (before.kind === 'held' && startNumber(before.holding) >= from) throw new Error(`a holding starting in or after vacancy ${p.from} is listed before it`);
    }
    for (const after of periods.slice(i + 1)) {
      if (after.kind === 'held' && p.to !== null && startNumber(after.holding) <= dayNumber(p.to)) {
        throw new Error(`a holding starting before the end of vacancy ${p.from}..${p.to} is listed after it`);
      }
      if (after.kind === 'held' && p.to === null) throw new Error(`a holding is listed after the open vacancy from ${p.from}`);
    }
  });
}

t.test('succession() agrees with a day-by-day model', async (t) => {
  let runs = 0;
  let withVacancies = 0;
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(holdings, (input) => {
        runs++;
        const periods = succession(input, (h) => h);
        if (periods.some((p) => p.kind === 'vacant')) withVacancies++;
        check(input, periods);
      }),
      {
        numRuns: 300,
        examples: [
          [[]],
          [[{ first: '2015-01-01', last: '2015-12-31', index: 0 }, { first: '2016-03-01', last: null, index: 1 }]],
          [[{ first: null, last: '2016-06-30', index: 0 }, { first: '2016-07-01', last: null, index: 1 }]],
          [[{ first: '2016-01-01', last: null, index: 0 }, { first: '2016-02-01', last: '2016-03-01', index: 1 }]],
          [[{ first: '2016-01-01', last: '2016-12-31', index: 0 }, { first: '2016-01-01', last: '2016-01-31', index: 1 }]],
        ],
      },
    ),
  );
  t.ok(runs >= 300, 'the property ran');
  t.ok(withVacancies > 30, `vacancies were common among the cases (${withVacancies})`);
});

t.test('succession() examples', async (t) => {
  const spans: Holding[] = [
    { first: '2016-03-01', last: null, index: 0 },
    { first: '2015-01-01', last: '2015-12-31', index: 1 },
  ];
  t.same(
    succession(spans, (h) => h).map((p) => (p.kind === 'held' ? { held: p.holding.index } : { vacant: [p.from, p.to] })),
    [{ held: 1 }, { vacant: ['2016-01-01', '2016-02-29'] }, { held: 0 }],
    'held, a vacancy over a leap day, held; none after an ongoing holding',
  );
  t.same(
    succession([{ first: '2016-01-01', last: '2016-06-30', index: 0 }], (h) => h).map((p) =>
      p.kind === 'held' ? { held: p.holding.index } : { vacant: [p.from, p.to] },
    ),
    [{ held: 0 }, { vacant: ['2016-07-01', null] }],
    'after the last holding ends, a vacancy without end',
  );
  t.same(succession([], (h: Span) => h), [], 'no holdings, no periods');
});
