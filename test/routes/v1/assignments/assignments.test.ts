import t from 'tap';
import { buildTestApp } from '../../../helpers/app.js';
import { resourceContract } from '../../../helpers/contract.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import {
  assertPagination,
  assertValidationProblem,
  auditEventCount,
  auditEventsFor,
  createAssignment,
  createOrganisation,
  createPerson,
  createPost,
  listIds,
  patchCurrent,
  read,
  UNKNOWN_ID,
  type Resource,
} from '../../../helpers/fixtures.js';

/** The list order: by the first day of the start (unknown first), then by id. */
function inListOrder(...assignments: Resource[]): string[] {
  const firstDay = (start: string | null) => (start === null ? '' : `${start}-01-01`.slice(0, 10));
  return [...assignments]
    .sort((a, b) => firstDay(a.startDate).localeCompare(firstDay(b.startDate)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((a) => a.id);
}

t.test(`assignments: create, read, update on ${DATABASE_KIND}`, async (t) => {
  await resourceContract(t, {
    path: '/v1/assignments',
    entity: 'assignment',
    input: async (request) => {
      const jutta = await createPerson(request, { givenName: 'Jutta', familyName: 'Reiter' });
      const fak = await createOrganisation(request, { name: 'Facharbeitskreis Westfälisches Ruhrgebiet' });
      const dgb = await createOrganisation(request, { name: 'DGB Region Dortmund-Hellweg' });
      const vorsitz = await createPost(request, { organisationId: fak.id, label: 'Vorsitz' });
      return {
        personId: jutta.id,
        organisationId: fak.id,
        postId: vorsitz.id,
        role: 'Vorsitzende',
        onBehalfOfId: dgb.id,
        startDate: '2016',
        endDate: '2016-06-30',
        source: 'Pressenotiz der Regionalagentur vom 04.07.2016',
        note: 'Sitzung am 22.06.2016 im Dortmunder Rathaus',
      };
    },
    expected: (input) => ({ ...input }),
    updates: () => [
      { patch: { endDate: null, role: null, postId: null }, expect: { endDate: null, role: null, postId: null } },
      { patch: { startDate: '2016-06-22', note: 'korrigiert' }, expect: { startDate: '2016-06-22', note: 'korrigiert' } },
    ],
    invalidCreates: async (request) => {
      const personId = (await createPerson(request, { givenName: 'Marion', familyName: 'Siebert' })).id;
      const organisationId = (await createOrganisation(request, { name: 'MAIS' })).id;
      const elsewhere = await createPost(request, { label: 'Koordination' });
      const valid = { personId, organisationId, role: 'Referentin' };
      return [
        { name: 'an unknown person', body: { ...valid, personId: UNKNOWN_ID }, path: '/personId' },
        { name: 'no person', body: { organisationId }, path: '/personId' },
        { name: 'an unknown organisation', body: { ...valid, organisationId: UNKNOWN_ID }, path: '/organisationId' },
        { name: 'a post of another organisation', body: { ...valid, postId: elsewhere.id }, path: '/postId' },
        { name: 'an unknown post', body: { ...valid, postId: UNKNOWN_ID }, path: '/postId' },
        { name: 'an unknown organisation represented', body: { ...valid, onBehalfOfId: UNKNOWN_ID }, path: '/onBehalfOfId' },
        { name: 'an end before the start', body: { ...valid, startDate: '2016-06-22', endDate: '2016-05' }, path: '/endDate' },
        { name: 'a date without leading zeros', body: { ...valid, startDate: '2016-6' }, path: '/startDate' },
        { name: 'a date that does not exist', body: { ...valid, endDate: '2015-02-29' }, path: '/endDate' },
      ];
    },
    invalidPatch: () => ({ name: 'an unknown person', body: { personId: UNKNOWN_ID }, path: '/personId' }),
  });
});

t.test(`assignments: lists and filters on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t);
  const p1 = await createPerson(request, { givenName: 'Katja', familyName: 'Sträde' });
  const p2 = await createPerson(request, { givenName: 'Ingrid', familyName: 'Schleimer' });
  const o1 = await createOrganisation(request, { name: 'Regionalagentur' });
  const o2 = await createOrganisation(request, { name: 'G.I.B.' });
  const x = await createPost(request, { organisationId: o1.id, label: 'Mitglied', maxHolders: null });
  const assign = (personId: string, organisationId: string, dates: { startDate?: string; endDate?: string }, postId?: string) =>
    createAssignment(request, { personId, organisationId, postId, ...dates });

  // Created out of date order; two with an unknown start, two starting on 2016-01-01.
  const a6 = await assign(p2.id, o1.id, { startDate: '2016' }, x.id);
  const a3 = await assign(p1.id, o1.id, { startDate: '2014', endDate: '2015-02' });
  const a1 = await assign(p1.id, o1.id, { endDate: '2013' }, x.id);
  const a7 = await assign(p1.id, o1.id, { startDate: '2016-06-22', endDate: '2016-06' });
  const a4 = await assign(p2.id, o1.id, { startDate: '2015-03', endDate: '2015-12-31' }, x.id);
  const a8 = await assign(p2.id, o2.id, { startDate: '2016', endDate: '2016' });
  const a2 = await assign(p2.id, o2.id, {});
  const a5 = await assign(p1.id, o2.id, { startDate: '2015-03-10', endDate: '2016-06-21' });
  const all = [a1, a2, a3, a4, a5, a6, a7, a8];
  const ids = (query: Record<string, string>) => listIds(request, '/v1/assignments', query);

  await t.test('pages follow nextCursor: every assignment once, by start date, unknown start first', async (t) => {
    const expected = inListOrder(...all);
    t.same(expected.slice(0, 2).sort(), [a1.id, a2.id].sort(), 'the unknown starts come first');
    t.same(expected.slice(2, 5), [a3.id, a4.id, a5.id]);
    t.same(expected.slice(7), [a7.id]);
    await assertPagination(t, request, '/v1/assignments', expected, [1, 2, 3, all.length, 500]);
  });

  await t.test('personId, organisationId and postId', async (t) => {
    t.same(await ids({ personId: p1.id }), inListOrder(a1, a3, a5, a7));
    t.same(await ids({ personId: p2.id }), inListOrder(a2, a4, a6, a8));
    t.same(await ids({ organisationId: o1.id }), inListOrder(a1, a3, a4, a6, a7));
    t.same(await ids({ organisationId: o2.id }), inListOrder(a2, a5, a8));
    t.same(await ids({ postId: x.id }), inListOrder(a1, a4, a6));
    t.same(await ids({ personId: p1.id, organisationId: o1.id }), inListOrder(a1, a3, a7));
    t.same(await ids({ personId: UNKNOWN_ID }), []);
    await assertPagination(t, request, '/v1/assignments', inListOrder(a1, a3, a4, a6, a7), [2], { organisationId: o1.id });
  });

  await t.test('at keeps what may cover the day; a partial date covers its whole period', async (t) => {
    t.same(await ids({ at: '2013-12-31' }), inListOrder(a1, a2), 'endDate "2013" covers 2013-12-31');
    t.same(await ids({ at: '2014-01-01' }), inListOrder(a2, a3));
    t.same(await ids({ at: '2015-02-28' }), inListOrder(a2, a3), 'endDate "2015-02" covers 2015-02-28');
    t.same(await ids({ at: '2015-03-01' }), inListOrder(a2, a4), 'startDate "2015-03" covers 2015-03-01');
    t.same(await ids({ at: '2015-12-31' }), inListOrder(a2, a4, a5), 'startDate "2016" does not cover 2015-12-31');
    t.same(await ids({ at: '2016-01-01' }), inListOrder(a2, a5, a6, a8));
    t.same(await ids({ at: '2016-06-22' }), inListOrder(a2, a6, a7, a8), 'the day after an end is not covered');
    t.same(await ids({ at: '2016-06-30' }), inListOrder(a2, a6, a7, a8), 'endDate "2016-06" covers 2016-06-30');
    t.same(await ids({ at: '2016-07-01' }), inListOrder(a2, a6, a8));
    t.same(await ids({ at: '2016-12-31' }), inListOrder(a2, a6, a8), 'startDate and endDate "2016" cover 2016-12-31');
    t.same(await ids({ at: '2017-01-01' }), inListOrder(a2, a6));
    t.same(await ids({ at: '2016-01-01', organisationId: o1.id }), [a6.id], 'filters combine');
  });

  await t.test('from and to keep what may overlap the period', async (t) => {
    t.same(await ids({ to: '2013-12-31' }), inListOrder(a1, a2));
    t.same(await ids({ to: '2015-12-31' }), inListOrder(a1, a2, a3, a4, a5), 'startDate "2016" begins after 2015-12-31');
    t.same(await ids({ to: '2016-01-01' }), inListOrder(a1, a2, a3, a4, a5, a6, a8));
    t.same(await ids({ from: '2016-07-01' }), inListOrder(a2, a6, a8));
    t.same(await ids({ from: '2016-12-31' }), inListOrder(a2, a6, a8), 'endDate "2016" reaches 2016-12-31');
    t.same(await ids({ from: '2017-01-01' }), inListOrder(a2, a6));
    t.same(await ids({ from: '2014-01-01', to: '2014-12-31' }), inListOrder(a2, a3));
    t.same(await ids({ from: '2015-12-31', to: '2016-01-01' }), inListOrder(a2, a4, a5, a6, a8));
    t.same(await ids({ from: '2016-06-22', to: '2016-06-22' }), await ids({ at: '2016-06-22' }), 'a one-day period is that day');
    t.same(await ids({ from: '2015-01-01', personId: p1.id }), inListOrder(a3, a5, a7), 'filters combine');
  });

  await t.test('bad list parameters are validation problems', async (t) => {
    assertValidationProblem(t, await read(request, '/v1/assignments?from=2016-07-01&to=2016-06-30'), '/to', 'query');
    assertValidationProblem(t, await read(request, '/v1/assignments?at=2016'), '/at', 'query');
    assertValidationProblem(t, await read(request, '/v1/assignments?from=yesterday'), '/from', 'query');
    assertValidationProblem(t, await read(request, '/v1/assignments?postId=1'), '/postId', 'query');
    assertValidationProblem(t, await read(request, '/v1/assignments?cursor=WyIyMDE2LTAxLTAxIl0'), '/cursor', 'query');
  });
});

t.test(`assignments: merge patches and references on ${DATABASE_KIND}`, async (t) => {
  const { request, database } = await buildTestApp(t);
  const person = await createPerson(request, { givenName: 'Katja', familyName: 'Sträde' });
  const agentur = await createOrganisation(request, { name: 'Regionalagentur' });
  const gib = await createOrganisation(request, { name: 'G.I.B.' });
  const koordination = await createPost(request, { organisationId: gib.id, label: 'Koordination der Regionalagenturen in NRW' });

  await t.test('partial dates round-trip exactly', async (t) => {
    for (const [startDate, endDate] of [
      ['2016', '2016'],
      ['2016-06', '2016-06'],
      ['2016-06-22', '2016-06-22'],
      ['2016', '2016-06-22'],
      ['2016-06-22', '2016'],
    ] as const) {
      const a = await createAssignment(request, { personId: person.id, organisationId: agentur.id, startDate, endDate });
      t.same([a.startDate, a.endDate], [startDate, endDate]);
      const stored = (await read(request, `/v1/assignments/${a.id}`)).body;
      t.same([stored.startDate, stored.endDate], [startDate, endDate], 'as stored');
    }
    const a = await createAssignment(request, { personId: person.id, organisationId: agentur.id });
    t.same([a.startDate, a.endDate], [null, null]);
    for (const startDate of ['2016', '2016-06', '2016-06-22']) {
      const res = await patchCurrent(request, `/v1/assignments/${a.id}`, { startDate });
      t.equal(res.status, 200);
      t.equal(res.body.startDate, startDate, `patched to ${startDate}`);
    }
  });

  await t.test('an end within the start month is fine; one before it is not, in a patch too', async (t) => {
    const a = await createAssignment(request, { personId: person.id, organisationId: agentur.id, startDate: '2016-06-22' });
    const url = `/v1/assignments/${a.id}`;
    assertValidationProblem(t, await patchCurrent(request, url, { endDate: '2016-05' }), '/endDate');
    assertValidationProblem(t, await patchCurrent(request, url, { endDate: '2016-06-21' }), '/endDate');
    const res = await patchCurrent(request, url, { endDate: '2016-06' });
    t.equal(res.status, 200, 'the end month includes the start day');
    t.equal(res.body.endDate, '2016-06');
    t.equal((await auditEventsFor(database, a.id)).length, 2, 'the refused patches left no audit event');
  });

  await t.test('the post must belong to the organisation, in a patch too', async (t) => {
    const a = await createAssignment(request, {
      personId: person.id,
      organisationId: gib.id,
      postId: koordination.id,
      role: 'Koordinatorin',
      startDate: '2016-07-01',
    });
    const url = `/v1/assignments/${a.id}`;
    const before = await auditEventCount(database);
    assertValidationProblem(t, await patchCurrent(request, url, { organisationId: agentur.id }), '/postId');
    t.same((await read(request, url)).body, a, 'unchanged');
    t.equal(await auditEventCount(database), before, 'no audit event');

    const moved = await patchCurrent(request, url, { organisationId: agentur.id, postId: null });
    t.equal(moved.status, 200, moved.text);
    t.equal(moved.body.organisationId, agentur.id);
    t.equal(moved.body.postId, null);
    t.equal(moved.body.role, 'Koordinatorin', 'an omitted field is kept');

    assertValidationProblem(t, await patchCurrent(request, url, { postId: koordination.id }), '/postId');
    const back = await patchCurrent(request, url, { organisationId: gib.id, postId: koordination.id });
    t.equal(back.status, 200);
    t.same([back.body.organisationId, back.body.postId], [gib.id, koordination.id]);
  });

  await t.test('null clears optional fields; required ones cannot be cleared', async (t) => {
    const a = await createAssignment(request, {
      personId: person.id,
      organisationId: agentur.id,
      role: 'Mitarbeiterin',
      onBehalfOfId: gib.id,
      startDate: '2010',
      endDate: '2016-06-30',
      source: 'Pressenotiz',
      note: 'Wechsel zur G.I.B.',
    });
    const url = `/v1/assignments/${a.id}`;
    const res = await patchCurrent(request, url, { role: null, onBehalfOfId: null, endDate: null, source: null, note: null });
    t.equal(res.status, 200, res.text);
    t.same(
      [res.body.role, res.body.onBehalfOfId, res.body.endDate, res.body.source, res.body.note],
      [null, null, null, null, null],
    );
    t.equal(res.body.startDate, '2010', 'an omitted field is kept');
    assertValidationProblem(t, await patchCurrent(request, url, { personId: null }), '/personId');
    assertValidationProblem(t, await patchCurrent(request, url, { organisationId: null }), '/organisationId');
    assertValidationProblem(t, await patchCurrent(request, url, { personId: 'katja' }), '/personId');
  });
});
