import t from 'tap';
import { buildTestApp } from '../../../helpers/app.js';
import { resourceContract } from '../../../helpers/contract.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import {
  assertPagination,
  assertProblem,
  assertValidationProblem,
  auditEventCount,
  createOrganisation,
  listIds,
  patchCurrent,
  read,
  UNKNOWN_ID,
} from '../../../helpers/fixtures.js';

t.test(`organisations: create, read, update on ${DATABASE_KIND}`, async (t) => {
  await resourceContract(t, {
    path: '/v1/organisations',
    entity: 'organisation',
    input: async (request) => {
      const mais = await createOrganisation(request, {
        name: 'Ministerium für Arbeit, Integration und Soziales',
        abbreviation: 'MAIS',
        classification: 'ministry',
      });
      return {
        name: 'Referat Berufliche Integration und Teilhabe',
        abbreviation: 'Ref. II 3',
        classification: 'unit',
        location: 'Düsseldorf',
        foundingDate: '2010',
        dissolutionDate: '2017-06',
        otherNames: [{ name: 'Referat II 3', startDate: '2010', endDate: '2012-03-31', note: 'bis zur Umbenennung' }],
        identifiers: [{ scheme: 'nrw-org', identifier: 'MAIS-II-3' }],
        parents: [{ organisationId: mais.id, startDate: '2010-01-01' }],
      };
    },
    expected: (input) => ({
      name: 'Referat Berufliche Integration und Teilhabe',
      abbreviation: 'Ref. II 3',
      classification: 'unit',
      location: 'Düsseldorf',
      foundingDate: '2010',
      dissolutionDate: '2017-06',
      otherNames: [{ name: 'Referat II 3', startDate: '2010', endDate: '2012-03-31', note: 'bis zur Umbenennung' }],
      identifiers: [{ scheme: 'nrw-org', identifier: 'MAIS-II-3' }],
      parents: [{ organisationId: (input.parents as Array<{ organisationId: string }>)[0]!.organisationId, startDate: '2010-01-01', endDate: null }],
    }),
    updates: (created) => {
      const parentId = created.parents[0].organisationId as string;
      return [
        {
          patch: { abbreviation: null, location: 'Bottrop', dissolutionDate: null },
          expect: { abbreviation: null, location: 'Bottrop', dissolutionDate: null },
        },
        {
          patch: { parents: [{ organisationId: parentId, startDate: '2010', endDate: '2016-12-31' }], otherNames: [] },
          expect: { parents: [{ organisationId: parentId, startDate: '2010', endDate: '2016-12-31' }], otherNames: [] },
        },
      ];
    },
    invalidCreates: async () => [
      { name: 'no name', body: { abbreviation: 'X' }, path: '/name' },
      { name: 'an empty name', body: { name: '' }, path: '/name' },
      { name: 'an impossible founding date', body: { name: 'X', foundingDate: '2016-13' }, path: '/foundingDate' },
      {
        name: 'dissolved before founded',
        body: { name: 'X', foundingDate: '2016-06', dissolutionDate: '2016-05-31' },
        path: '/dissolutionDate',
      },
      { name: 'an unknown parent', body: { name: 'X', parents: [{ organisationId: UNKNOWN_ID }] }, path: '/parents' },
      { name: 'a parent id that is no UUID', body: { name: 'X', parents: [{ organisationId: 'mais' }] }, path: '/parents/0/organisationId' },
      {
        name: 'a parent link that ends before it starts',
        body: { name: 'X', parents: [{ organisationId: UNKNOWN_ID, startDate: '2016', endDate: '2015' }] },
        path: '/parents/0/endDate',
      },
      { name: 'an unknown field', body: { name: 'X', parentId: UNKNOWN_ID }, path: '/parentId' },
    ],
    invalidPatch: (created) => ({
      name: 'its own parent',
      body: { parents: [{ organisationId: created.id }] },
      path: '/parents',
    }),
  });
});

t.test(`organisations: lists and filters on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t);
  const regionalagentur = await createOrganisation(request, {
    name: 'Regionalagentur Westfälisches Ruhrgebiet',
    classification: 'agency',
    otherNames: [{ name: 'Regionalsekretariat Dortmund', endDate: '2009' }],
  });
  const mais = await createOrganisation(request, {
    name: 'Ministerium für Arbeit, Integration und Soziales',
    abbreviation: 'MAIS',
    classification: 'ministry',
    foundingDate: '2010',
    dissolutionDate: '2017-06-29',
  });
  const arnsberg = await createOrganisation(request, { name: 'Bezirksregierung Arnsberg', classification: 'authority' });
  const gib = await createOrganisation(request, {
    name: 'Gesellschaft für innovative Beschäftigungsförderung',
    abbreviation: 'G.I.B.',
    classification: 'company',
    location: 'Bottrop',
  });
  const agentur = await createOrganisation(request, { name: 'agentur für Arbeit Dortmund', classification: 'agency' });
  const mags = await createOrganisation(request, {
    name: 'Ministerium für Arbeit, Gesundheit und Soziales',
    abbreviation: 'MAGS',
    classification: 'ministry',
    foundingDate: '2017-06-30',
  });
  const muenster = await createOrganisation(request, { name: 'bezirksregierung Münster', classification: 'authority' });
  const facharbeitskreis = await createOrganisation(request, {
    name: 'Facharbeitskreis Westfälisches Ruhrgebiet',
    classification: 'committee',
    foundingDate: '2016',
  });
  const ordered = [agentur, arnsberg, muenster, facharbeitskreis, gib, mags, mais, regionalagentur].map((o) => o.id);

  await t.test('pages follow nextCursor: every organisation once, by name regardless of case', async (t) => {
    await assertPagination(t, request, '/v1/organisations', ordered);
  });

  await t.test('q finds a part of the name, the abbreviation or a former name, in any case', async (t) => {
    t.same(await listIds(request, '/v1/organisations', { q: 'ruhrgebiet' }), [facharbeitskreis.id, regionalagentur.id]);
    t.same(await listIds(request, '/v1/organisations', { q: 'ARBEIT' }), [agentur.id, facharbeitskreis.id, mags.id, mais.id]);
    t.same(await listIds(request, '/v1/organisations', { q: 'g.i.b' }), [gib.id], 'the abbreviation');
    t.same(await listIds(request, '/v1/organisations', { q: 'mags' }), [mags.id], 'the abbreviation, any case');
    t.same(await listIds(request, '/v1/organisations', { q: 'sekretariat' }), [regionalagentur.id], 'a former name');
    t.same(await listIds(request, '/v1/organisations', { q: '%' }), [], 'LIKE wildcards are taken literally');
  });

  await t.test('classification keeps one kind', async (t) => {
    t.same(await listIds(request, '/v1/organisations', { classification: 'ministry' }), [mags.id, mais.id]);
    t.same(await listIds(request, '/v1/organisations', { classification: 'authority' }), [arnsberg.id, muenster.id]);
    t.same(await listIds(request, '/v1/organisations', { classification: 'ministry', q: 'integration' }), [mais.id], 'filters combine');
    t.same(await listIds(request, '/v1/organisations', { classification: 'region' }), []);
    await assertPagination(t, request, '/v1/organisations', [agentur.id, regionalagentur.id], [1], { classification: 'agency' });
  });

  await t.test('at keeps the organisations that existed that day; a partial founding date covers its period', async (t) => {
    const always = [agentur.id, arnsberg.id, muenster.id, gib.id];
    const byName = (ids: string[]) => ordered.filter((id) => ids.includes(id));
    t.same(await listIds(request, '/v1/organisations', { at: '2015-12-31' }), byName([...always, mais.id, regionalagentur.id]));
    t.same(
      await listIds(request, '/v1/organisations', { at: '2016-01-01' }),
      byName([...always, facharbeitskreis.id, mais.id, regionalagentur.id]),
    );
    t.same(
      await listIds(request, '/v1/organisations', { at: '2017-06-29' }),
      byName([...always, facharbeitskreis.id, mais.id, regionalagentur.id]),
      'the dissolution day is the last day',
    );
    t.same(
      await listIds(request, '/v1/organisations', { at: '2017-06-30' }),
      byName([...always, facharbeitskreis.id, mags.id, regionalagentur.id]),
    );
    t.same(await listIds(request, '/v1/organisations', { at: '2009-12-31', classification: 'ministry' }), []);
  });

  await t.test('parentId keeps the direct sub-units; with at, as attached that day', async (t) => {
    const abteilung = await createOrganisation(request, {
      name: 'Abteilung II Arbeit und Qualifizierung',
      classification: 'department',
      parents: [
        { organisationId: mais.id, startDate: '2010', endDate: '2017-06-29' },
        { organisationId: mags.id, startDate: '2017-06-30' },
      ],
    });
    const referat = await createOrganisation(request, {
      name: 'Referat II 1',
      classification: 'unit',
      parents: [{ organisationId: abteilung.id, startDate: '2012-06' }],
    });
    t.same(await listIds(request, '/v1/organisations', { parentId: mais.id }), [abteilung.id], 'direct sub-units only');
    t.same(await listIds(request, '/v1/organisations', { parentId: mags.id }), [abteilung.id]);
    t.same(await listIds(request, '/v1/organisations', { parentId: abteilung.id }), [referat.id]);
    t.same(await listIds(request, '/v1/organisations', { parentId: mais.id, at: '2016-06-22' }), [abteilung.id]);
    t.same(await listIds(request, '/v1/organisations', { parentId: mags.id, at: '2016-06-22' }), []);
    t.same(await listIds(request, '/v1/organisations', { parentId: mais.id, at: '2017-06-30' }), []);
    t.same(await listIds(request, '/v1/organisations', { parentId: mags.id, at: '2017-06-30' }), [abteilung.id]);
    t.same(await listIds(request, '/v1/organisations', { parentId: abteilung.id, at: '2012-05-31' }), []);
    t.same(await listIds(request, '/v1/organisations', { parentId: abteilung.id, at: '2012-06-01' }), [referat.id], 'a month covers its first day');
    t.same(await listIds(request, '/v1/organisations', { parentId: gib.id }), []);
  });

  await t.test('bad list parameters are validation problems', async (t) => {
    assertValidationProblem(t, await read(request, '/v1/organisations?parentId=mais'), '/parentId', 'query');
    assertValidationProblem(t, await read(request, '/v1/organisations?at=2016-06'), '/at', 'query');
    assertValidationProblem(t, await read(request, '/v1/organisations?limit=0'), '/limit', 'query');
    assertValidationProblem(t, await read(request, '/v1/organisations?cursor=%5B%5D'), '/cursor', 'query');
    assertValidationProblem(t, await read(request, '/v1/organisations?colour=red'), '/colour', 'query');
  });
});

t.test(`organisations: merge patches, parents, partial dates on ${DATABASE_KIND}`, async (t) => {
  const { request, database } = await buildTestApp(t);
  const mais = await createOrganisation(request, { name: 'MAIS' });
  const mags = await createOrganisation(request, { name: 'MAGS' });
  const bund = await createOrganisation(request, { name: 'BMAS' });

  await t.test('partial dates round-trip exactly', async (t) => {
    const land = await createOrganisation(request, { name: 'Land Nordrhein-Westfalen' });
    for (const [foundingDate, dissolutionDate] of [
      ['2016', '2016'],
      ['2016-06', '2016-06'],
      ['2016-06-22', '2016-06-22'],
      ['1949', null],
    ] as const) {
      const org = await createOrganisation(request, {
        name: `Gegründet ${foundingDate}`,
        foundingDate,
        dissolutionDate,
        parents: [{ organisationId: land.id, startDate: foundingDate, endDate: dissolutionDate }],
      });
      t.equal(org.foundingDate, foundingDate);
      t.equal(org.dissolutionDate, dissolutionDate);
      t.same(org.parents, [{ organisationId: land.id, startDate: foundingDate, endDate: dissolutionDate }]);
      const stored = (await read(request, `/v1/organisations/${org.id}`)).body;
      t.equal(stored.foundingDate, foundingDate, 'as stored');
      t.same(stored.parents, org.parents, 'as stored');
    }
    const org = await createOrganisation(request, { name: 'Umdatiert', foundingDate: '2016-06-22' });
    for (const foundingDate of ['2016', '2016-06', '2016-06-22']) {
      const res = await patchCurrent(request, `/v1/organisations/${org.id}`, { foundingDate });
      t.equal(res.status, 200);
      t.equal(res.body.foundingDate, foundingDate, `patched to ${foundingDate}`);
    }
  });

  await t.test('parents in a patch replace the parents; null clears them and other fields', async (t) => {
    const unit = await createOrganisation(request, {
      name: 'Abteilung II',
      abbreviation: 'Abt. II',
      classification: 'department',
      identifiers: [{ scheme: 'nrw-org', identifier: 'II' }],
      parents: [{ organisationId: mais.id, startDate: '2010', endDate: '2017-06-29' }],
    });
    const url = `/v1/organisations/${unit.id}`;
    let res = await patchCurrent(request, url, {
      parents: [
        { organisationId: mags.id, startDate: '2017-06-30' },
        { organisationId: mais.id, startDate: '2010', endDate: '2017-06-29' },
      ],
      classification: null,
    });
    t.equal(res.status, 200, res.text);
    t.same(res.body.parents, [
      { organisationId: mags.id, startDate: '2017-06-30', endDate: null },
      { organisationId: mais.id, startDate: '2010', endDate: '2017-06-29' },
    ]);
    t.equal(res.body.classification, null, 'null clears a field');
    t.equal(res.body.abbreviation, 'Abt. II', 'an omitted field is kept');
    t.same(res.body.identifiers, [{ scheme: 'nrw-org', identifier: 'II' }], 'an omitted list is kept');

    res = await patchCurrent(request, url, { parents: [{ organisationId: bund.id }] });
    t.same(res.body.parents, [{ organisationId: bund.id, startDate: null, endDate: null }], 'replaced whole');
    t.same(await listIds(request, '/v1/organisations', { parentId: mais.id }), [], 'the old links are gone');
    t.same(await listIds(request, '/v1/organisations', { parentId: bund.id }), [unit.id]);

    res = await patchCurrent(request, url, { parents: null, identifiers: null });
    t.same(res.body.parents, []);
    t.same(res.body.identifiers, []);
    t.same((await read(request, url)).body, res.body, 'as stored');
  });

  await t.test('dates that contradict each other are refused, in a patch too', async (t) => {
    const org = await createOrganisation(request, { name: 'Kurzlebig', foundingDate: '2010' });
    const before = await auditEventCount(database);
    const res = await patchCurrent(request, `/v1/organisations/${org.id}`, { dissolutionDate: '2009' });
    assertValidationProblem(t, res, '/dissolutionDate');
    const ok = await patchCurrent(request, `/v1/organisations/${org.id}`, { dissolutionDate: '2010' });
    t.equal(ok.status, 200, 'dissolved in the year it was founded');
    t.equal(await auditEventCount(database), before + 1, 'only the accepted patch was audited');
  });

  await t.test('a duplicate identifier is a 409 conflict', async (t) => {
    await createOrganisation(request, { name: 'Erste', identifiers: [{ scheme: 'handelsregister', identifier: 'HRB 1234' }] });
    const before = await auditEventCount(database);
    const res = await request({
      method: 'POST',
      url: '/v1/organisations',
      payload: { name: 'Zweite', identifiers: [{ scheme: 'handelsregister', identifier: 'HRB 1234' }] },
    });
    assertProblem(t, res, 409, 'conflict');
    t.same(await listIds(request, '/v1/organisations', { q: 'Zweite' }), []);
    t.equal(await auditEventCount(database), before);
  });
});
