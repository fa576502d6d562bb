/**
 * Dates in request bodies: impossible dates and dates of the wrong type are refused at their path;
 * an end before its start is refused, partial dates counting as their whole period (DESIGN.md §2).
 */
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { DATABASE_KIND } from '../helpers/database.js';
import { etagOf, expectRefused, IDS } from './support.js';

const IMPOSSIBLE = [
  '2016-02-30',
  '2016-13',
  '2016-13-01',
  '2015-02-29',
  '1900-02-29',
  '2016-04-31',
  '2016-00',
  '2016-06-00',
  '2016-06-32',
  '0000',
  '16-06-22',
  '2016-6-1',
  '2016-6',
  '216',
  '20160',
  '2016-06-22T00:00:00Z',
  '2016/06/22',
  '22.06.2016',
  ' 2016',
  '2016 ',
  '2016-06-22\n',
  '+2016',
  '-2016',
  '２０１６', // full-width digits
  '',
  'yesterday',
];
const NOT_STRINGS = [2016, 20160622, 2016.5, true, { year: 2016 }, ['2016']];

const assignment = (dates: Record<string, unknown>) => ({
  personId: IDS.person,
  organisationId: IDS.organisation,
  role: 'Mitglied',
  ...dates,
});

t.test(`dates in bodies on ${DATABASE_KIND}`, async (t) => {
  const app = await buildTestApp(t, { demo: true });
  const post = (collection: string, body: unknown) => ({
    method: 'POST' as const,
    url: `/v1/${collection}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

  /** Every place a partial date is written, as a body with the date at a JSON Pointer. */
  const places: { collection: string; path: string; body: (date: unknown) => unknown }[] = [
    { collection: 'assignments', path: '/startDate', body: (d) => assignment({ startDate: d }) },
    { collection: 'assignments', path: '/endDate', body: (d) => assignment({ endDate: d }) },
    { collection: 'organisations', path: '/foundingDate', body: (d) => ({ name: 'Org', foundingDate: d }) },
    { collection: 'organisations', path: '/dissolutionDate', body: (d) => ({ name: 'Org', dissolutionDate: d }) },
    { collection: 'organisations', path: '/otherNames/0/startDate', body: (d) => ({ name: 'Org', otherNames: [{ name: 'Alt', startDate: d }] }) },
    {
      collection: 'organisations',
      path: '/parents/1/endDate',
      body: (d) => ({ name: 'Org', parents: [{ organisationId: IDS.organisation }, { organisationId: IDS.organisation, endDate: d }] }),
    },
    { collection: 'people', path: '/otherNames/0/endDate', body: (d) => ({ familyName: 'P', otherNames: [{ name: 'Alt', endDate: d }] }) },
  ];

  t.test('impossible dates and dates that are not strings', async (t) => {
    for (const { collection, path, body } of places) {
      for (const date of IMPOSSIBLE) {
        await expectRefused(t, app, post(collection, body(date)), {
          status: 400,
          type: 'validation-error',
          errors: [{ path, in: 'body', message: /date/ }],
        });
      }
      for (const date of NOT_STRINGS) {
        await expectRefused(t, app, post(collection, body(date)), {
          status: 400,
          type: 'validation-error',
          errors: [{ path, in: 'body', message: 'must be a date written as YYYY, YYYY-MM or YYYY-MM-DD' }],
        });
      }
    }
  });

  t.test('PATCH with an impossible date', async (t) => {
    const url = `/v1/assignments/${IDS.assignment}`;
    const headers = { 'content-type': 'application/merge-patch+json', 'if-match': await etagOf(app, 'assignments', IDS.assignment) };
    for (const date of ['2016-02-30', '2016-13', '2015-02-29', '16-06-22', '2016-6-1', 20160622]) {
      await expectRefused(t, app, { method: 'PATCH', url, headers, payload: JSON.stringify({ startDate: date }) }, {
        status: 400,
        type: 'validation-error',
        errors: [{ path: '/startDate', in: 'body' }],
      });
    }
  });

  t.test('an end before its start', async (t) => {
    const refused: [string, string][] = [
      ['2016-06', '2016-05'],
      ['2016-06', '2016-05-31'],
      ['2016-06-22', '2016-06-21'],
      ['2016', '2015'],
      ['2016', '2015-12-31'],
      ['2016-01-01', '2015-12'],
    ];
    for (const [startDate, endDate] of refused) {
      await expectRefused(t, app, post('assignments', assignment({ startDate, endDate })), {
        status: 400,
        type: 'validation-error',
        errors: [{ path: '/endDate', in: 'body', message: /startDate/ }],
      });
    }
    await expectRefused(t, app, post('organisations', { name: 'Org', foundingDate: '2017', dissolutionDate: '2016-12' }), {
      status: 400,
      type: 'validation-error',
      errors: [{ path: '/dissolutionDate', in: 'body', message: /foundingDate/ }],
    });
    await expectRefused(t, app, post('people', { familyName: 'P', otherNames: [{ name: 'Alt', startDate: '2016-06', endDate: '2016-05' }] }), {
      status: 400,
      type: 'validation-error',
      errors: [{ path: '/otherNames/0/endDate', in: 'body' }],
    });
    await expectRefused(
      t,
      app,
      post('organisations', { name: 'Org', parents: [{ organisationId: IDS.organisation, startDate: '2016-06-22', endDate: '2016-06-21' }] }),
      { status: 400, type: 'validation-error', errors: [{ path: '/parents/0/endDate', in: 'body' }] },
    );
  });

  t.test('an end within or after its start period is accepted, precision kept', async (t) => {
    const accepted: [string, string][] = [
      ['2016-06', '2016'],
      ['2016-06', '2016-06'],
      ['2016-06-15', '2016-06'],
      ['2016-06-22', '2016-06-22'],
      ['2016', '2016-01-01'],
      ['2016-12-31', '2016'],
      ['2016-02-29', '2016-02-29'],
      ['2000-02-29', '2016-06-22'],
      ['0001-01-01', '9999-12-31'],
    ];
    for (const [startDate, endDate] of accepted) {
      const res = await app.request(post('assignments', assignment({ startDate, endDate })));
      t.equal(res.status, 201, `${startDate} … ${endDate}`);
      t.equal(res.body?.startDate, startDate, 'start as sent');
      t.equal(res.body?.endDate, endDate, 'end as sent');
    }
  });

  t.test('PATCH that puts the end before the start', async (t) => {
    const created = await app.request(post('assignments', assignment({ startDate: '2016-06' })));
    t.equal(created.status, 201);
    const url = `/v1/assignments/${created.body.id}`;
    const headers = { 'content-type': 'application/merge-patch+json', 'if-match': created.headers.etag as string };
    await expectRefused(t, app, { method: 'PATCH', url, headers, payload: JSON.stringify({ endDate: '2016-05' }) }, {
      status: 400,
      type: 'validation-error',
      errors: [{ path: '/endDate', in: 'body', message: /startDate/ }],
    });
    await expectRefused(t, app, { method: 'PATCH', url, headers, payload: JSON.stringify({ startDate: '2017', endDate: '2016-12-31' }) }, {
      status: 400,
      type: 'validation-error',
      errors: [{ path: '/endDate', in: 'body' }],
    });
    const ok = await app.request({ method: 'PATCH', url, headers, payload: JSON.stringify({ endDate: '2016' }) });
    t.equal(ok.status, 200, 'an end in the same year as a month start is fine');
    t.equal(ok.body?.endDate, '2016');
  });
});
