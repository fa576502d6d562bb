import t from 'tap';
import { buildTestApp } from '../../../helpers/app.js';
import { resourceContract } from '../../../helpers/contract.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import {
  assertPagination,
  assertProblem,
  assertValidationProblem,
  auditEventCount,
  auditEventsFor,
  createAssignment,
  createOrganisation,
  createPerson,
  listIds,
  patch,
  patchCurrent,
  read,
  TEST_ADMIN_ACTOR,
  type Resource,
} from '../../../helpers/fixtures.js';

/** A person as GET shows it, without the roles it embeds: the record that POST and PATCH answer. */
const record = ({ at: _at, currentRoles: _roles, ...rest }: Resource): Resource => rest as Resource;

t.test(`people: create, read, update on ${DATABASE_KIND}`, async (t) => {
  await resourceContract(t, {
    path: '/v1/people',
    entity: 'person',
    embedded: ['at', 'currentRoles'],
    input: async () => ({
      givenName: 'Katja',
      familyName: 'Sträde',
      honorificPrefix: 'Dr.',
      otherNames: [{ name: 'Katja Muster', startDate: '2010', endDate: '2016-06' }],
      contactDetails: [
        { type: 'email', value: 'k.straede@example.org', label: 'Büro', visibility: 'public' },
        { type: 'phone', value: '+49 2041 767-0' },
      ],
      identifiers: [{ scheme: 'staff', identifier: 'GIB-0042' }],
      links: [{ url: 'https://www.gib.nrw.de/', note: 'G.I.B.' }],
    }),
    expected: () => ({
      name: 'Dr. Katja Sträde',
      givenName: 'Katja',
      familyName: 'Sträde',
      honorificPrefix: 'Dr.',
      otherNames: [{ name: 'Katja Muster', startDate: '2010', endDate: '2016-06', note: null }],
      contactDetails: [
        { type: 'email', value: 'k.straede@example.org', label: 'Büro', visibility: 'public' },
        { type: 'phone', value: '+49 2041 767-0', label: null, visibility: 'internal' },
      ],
      identifiers: [{ scheme: 'staff', identifier: 'GIB-0042' }],
      links: [{ url: 'https://www.gib.nrw.de/', note: 'G.I.B.' }],
    }),
    updates: () => [
      {
        patch: { familyName: 'Sträde-Muster', honorificPrefix: null },
        expect: { familyName: 'Sträde-Muster', honorificPrefix: null, name: 'Katja Sträde-Muster' },
      },
      {
        patch: { contactDetails: [{ type: 'mobile', value: '+49 170 0000000', visibility: 'private' }] },
        expect: { contactDetails: [{ type: 'mobile', value: '+49 170 0000000', label: null, visibility: 'private' }] },
      },
    ],
    invalidCreates: async () => [
      { name: 'no name at all', body: { honorificPrefix: 'Dr.' }, path: '/familyName' },
      { name: 'an empty given name', body: { givenName: '' }, path: '/givenName' },
      {
        name: 'an unknown visibility',
        body: { givenName: 'A', contactDetails: [{ type: 'email', value: 'a@example.org', visibility: 'secret' }] },
        path: '/contactDetails/0/visibility',
      },
      { name: 'an impossible date', body: { givenName: 'A', otherNames: [{ name: 'B', startDate: '2016-02-30' }] }, path: '/otherNames/0/startDate' },
      {
        name: 'a name that ends before it starts',
        body: { givenName: 'A', otherNames: [{ name: 'B', startDate: '2016-06-22', endDate: '2016-05' }] },
        path: '/otherNames/0/endDate',
      },
      { name: 'a link that is not http', body: { givenName: 'A', links: [{ url: 'ftp://example.org/' }] }, path: '/links/0/url' },
      { name: 'a given name that is not a string', body: { givenName: 42 }, path: '/givenName' },
      { name: 'an unknown field', body: { givenName: 'A', nickname: 'B' }, path: '/nickname' },
    ],
    invalidPatch: () => ({ name: 'removing both names', body: { givenName: null, familyName: null }, path: '/familyName' }),
  });
});

t.test(`people: lists and filters on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t);
  // Created out of order; listed by family name, then given name, regardless of case.
  const fischerGustav = await createPerson(request, { givenName: 'Gustav', familyName: 'Fischer' });
  const abelZora = await createPerson(request, { givenName: 'Zora', familyName: 'abel' });
  const cramerBea = await createPerson(request, { givenName: 'Bea', familyName: 'Cramer', otherNames: [{ name: 'Bea Kowalski' }] });
  const brandtXaver = await createPerson(request, { givenName: 'Xaver', familyName: 'Brandt' });
  const eckerEmil = await createPerson(request, { givenName: 'Emil', familyName: 'Ecker' });
  const brandtAnton = await createPerson(request, { givenName: 'anton', familyName: 'brandt' });
  const fischerFrieda = await createPerson(request, { givenName: 'Frieda', familyName: 'fischer' });
  const ordered = [abelZora, brandtAnton, brandtXaver, cramerBea, eckerEmil, fischerFrieda, fischerGustav].map((p) => p.id);

  await t.test('pages follow nextCursor: every person once, by family then given name', async (t) => {
    await assertPagination(t, request, '/v1/people', ordered);
  });

  await t.test('list items are the full representations', async (t) => {
    const page = await read(request, '/v1/people?limit=4');
    t.equal(page.status, 200);
    t.same(page.body.items[3], record((await read(request, `/v1/people/${cramerBea.id}`)).body));
    t.type(page.body.nextCursor, 'string');
  });

  await t.test('q finds a part of a name, in any case, and of former names', async (t) => {
    t.same(await listIds(request, '/v1/people', { q: 'brandt' }), [brandtAnton.id, brandtXaver.id]);
    t.same(await listIds(request, '/v1/people', { q: 'ANTON' }), [brandtAnton.id]);
    t.same(await listIds(request, '/v1/people', { q: 'zora ab' }), [abelZora.id], 'given and family name together');
    t.same(await listIds(request, '/v1/people', { q: 'kowal' }), [cramerBea.id], 'a former name');
    t.same(await listIds(request, '/v1/people', { q: 'nobody' }), []);
    t.same(await listIds(request, '/v1/people', { q: '%' }), [], 'LIKE wildcards are taken literally');
    t.same(await listIds(request, '/v1/people', { q: '_' }), [], 'LIKE wildcards are taken literally');
    await assertPagination(t, request, '/v1/people', [fischerFrieda.id, fischerGustav.id], [1], { q: 'fisch' });
  });

  await t.test('organisationId and at keep the people with an assignment there, then', async (t) => {
    const agentur = await createOrganisation(request, { name: 'Regionalagentur' });
    const gib = await createOrganisation(request, { name: 'G.I.B.' });
    await createAssignment(request, { personId: abelZora.id, organisationId: agentur.id, startDate: '2015', endDate: '2016-06-30' });
    await createAssignment(request, { personId: abelZora.id, organisationId: agentur.id, startDate: '2012', endDate: '2014' });
    await createAssignment(request, { personId: brandtAnton.id, organisationId: agentur.id, startDate: '2016-07-01' });
    await createAssignment(request, { personId: cramerBea.id, organisationId: gib.id, startDate: '2010' });
    await createAssignment(request, { personId: eckerEmil.id, organisationId: gib.id, endDate: '2016-06' });

    t.same(await listIds(request, '/v1/people', { organisationId: agentur.id }), [abelZora.id, brandtAnton.id], 'each person once');
    t.same(await listIds(request, '/v1/people', { organisationId: gib.id }), [cramerBea.id, eckerEmil.id]);
    t.same(await listIds(request, '/v1/people', { at: '2016-06-22' }), [abelZora.id, cramerBea.id, eckerEmil.id]);
    t.same(await listIds(request, '/v1/people', { at: '2016-06-30' }), [abelZora.id, cramerBea.id, eckerEmil.id], 'a last day is inclusive; a month end covers the month');
    t.same(await listIds(request, '/v1/people', { at: '2016-07-01' }), [brandtAnton.id, cramerBea.id]);
    t.same(await listIds(request, '/v1/people', { organisationId: agentur.id, at: '2016-06-22' }), [abelZora.id]);
    t.same(await listIds(request, '/v1/people', { organisationId: agentur.id, at: '2016-07-01' }), [brandtAnton.id]);
    t.same(await listIds(request, '/v1/people', { organisationId: agentur.id, q: 'anton' }), [brandtAnton.id], 'filters combine');
    t.same(await listIds(request, '/v1/people', { at: '1999-01-01' }), [eckerEmil.id], 'an unknown start is open');
  });

  await t.test('bad list parameters are validation problems', async (t) => {
    assertValidationProblem(t, await read(request, '/v1/people?limit=0'), '/limit', 'query');
    assertValidationProblem(t, await read(request, '/v1/people?limit=501'), '/limit', 'query');
    assertValidationProblem(t, await read(request, '/v1/people?limit=many'), '/limit', 'query');
    assertValidationProblem(t, await read(request, '/v1/people?cursor=bm90LWEtY3Vyc29y'), '/cursor', 'query');
    assertValidationProblem(t, await read(request, '/v1/people?at=2016-02-30'), '/at', 'query');
    assertValidationProblem(t, await read(request, '/v1/people?at=2016'), '/at', 'query');
    assertValidationProblem(t, await read(request, '/v1/people?organisationId=mais'), '/organisationId', 'query');
  });
});

t.test(`people: merge patches, partial dates, identifiers and the audit log on ${DATABASE_KIND}`, async (t) => {
  const { request, database } = await buildTestApp(t);

  await t.test('partial dates round-trip exactly, on create and on patch', async (t) => {
    const otherNames = [
      { name: 'Year', startDate: '2016', endDate: '2017', note: null },
      { name: 'Month', startDate: '2016-06', endDate: '2016-06', note: 'one month' },
      { name: 'Day', startDate: '2016-06-22', endDate: '2016-06-22', note: null },
      { name: 'Open', startDate: null, endDate: '2016-02', note: null },
    ];
    const person = await createPerson(request, { otherNames });
    t.same(person.otherNames, otherNames);
    t.same((await read(request, `/v1/people/${person.id}`)).body.otherNames, otherNames);

    const reversed = [...otherNames].reverse();
    const res = await patchCurrent(request, `/v1/people/${person.id}`, { otherNames: reversed });
    t.equal(res.status, 200);
    t.same(res.body.otherNames, reversed, 'in the order given');
  });

  await t.test('null clears a field; a list in a patch replaces the list; an omitted list is kept', async (t) => {
    const person = await createPerson(request, {
      honorificPrefix: 'Prof. Dr.',
      otherNames: [{ name: 'Alt 1' }, { name: 'Alt 2' }],
      contactDetails: [
        { type: 'email', value: 'a@example.org' },
        { type: 'phone', value: '0231 1' },
      ],
      identifiers: [
        { scheme: 'staff', identifier: 'P-1' },
        { scheme: 'wikidata', identifier: 'Q1' },
      ],
      links: [{ url: 'https://example.org/a' }, { url: 'https://example.org/b' }],
    });
    const url = `/v1/people/${person.id}`;

    let res = await patchCurrent(request, url, {
      honorificPrefix: null,
      otherNames: [{ name: 'Alt 3', startDate: '2001' }],
      identifiers: [{ scheme: 'staff', identifier: 'P-2' }],
    });
    t.equal(res.status, 200, res.text);
    t.equal(res.body.honorificPrefix, null);
    t.equal(res.body.name, 'Erika Mustermann');
    t.same(res.body.otherNames, [{ name: 'Alt 3', startDate: '2001', endDate: null, note: null }], 'replaced, not merged');
    t.same(res.body.identifiers, [{ scheme: 'staff', identifier: 'P-2' }]);
    t.same(res.body.contactDetails, person.contactDetails, 'an omitted list is kept');
    t.same(res.body.links, person.links, 'an omitted list is kept');

    res = await patchCurrent(request, url, { links: null, contactDetails: [], otherNames: null });
    t.equal(res.status, 200, res.text);
    t.same(res.body.links, [], 'null clears a list');
    t.same(res.body.contactDetails, [], 'an empty list clears it');
    t.same(res.body.otherNames, []);
    t.same(res.body.identifiers, [{ scheme: 'staff', identifier: 'P-2' }]);
    t.same(record((await read(request, url)).body), res.body, 'as stored');

    res = await patchCurrent(request, url, { givenName: null });
    t.equal(res.status, 200, 'one name is enough');
    t.equal(res.body.givenName, null);
    t.equal(res.body.name, 'Mustermann');

    res = await patchCurrent(request, url, {});
    t.equal(res.status, 200, 'an empty patch is allowed');
    t.equal(res.body.familyName, 'Mustermann');

    // The identifier the first patch dropped is free again.
    const other = await createPerson(request, { identifiers: [{ scheme: 'staff', identifier: 'P-1' }] });
    t.same(other.identifiers, [{ scheme: 'staff', identifier: 'P-1' }]);
  });

  await t.test('a duplicate identifier is a 409 conflict and leaves no trace', async (t) => {
    const holder = await createPerson(request, { identifiers: [{ scheme: 'wikidata', identifier: 'Q94812' }] });
    const before = await auditEventCount(database);

    const dup = await request({
      method: 'POST',
      url: '/v1/people',
      payload: { givenName: 'Zweite', familyName: 'Person', identifiers: [{ scheme: 'wikidata', identifier: 'Q94812' }] },
    });
    assertProblem(t, dup, 409, 'conflict');
    t.match(dup.body.detail, /Q94812/, 'the detail names the value');
    t.same(await listIds(request, '/v1/people', { q: 'Zweite' }), [], 'the person was not stored');

    const other = await createPerson(request, { givenName: 'Dritte', identifiers: [{ scheme: 'staff', identifier: 'Q94812' }] });
    t.same(other.identifiers, [{ scheme: 'staff', identifier: 'Q94812' }], 'the same identifier in another scheme is fine');

    const countBefore = await auditEventCount(database);
    const viaPatch = await patchCurrent(request, `/v1/people/${other.id}`, {
      identifiers: [{ scheme: 'wikidata', identifier: 'Q94812' }],
    });
    assertProblem(t, viaPatch, 409, 'conflict');
    t.same(record((await read(request, `/v1/people/${other.id}`)).body), other, 'unchanged');
    t.equal(await auditEventCount(database), countBefore, 'no audit event for the refused patch');
    t.equal(before + 1, countBefore, 'only the successful create was audited');
    t.same(record((await read(request, `/v1/people/${holder.id}`)).body), holder, 'the holder is untouched');
  });

  await t.test('the audit log keeps who, what, why and the values before and after', async (t) => {
    const person = await createPerson(request, { givenName: 'Ingrid', familyName: 'Schleimer' });
    const res = await patchCurrent(request, `/v1/people/${person.id}`, { honorificPrefix: 'Dr.' }, { reason: 'Titel ergänzt' });
    t.equal(res.status, 200);
    const events = await auditEventsFor(database, person.id);
    t.equal(events.length, 2);
    t.same(
      events.map((e) => [e.operation, e.reason]),
      [
        ['person.create', null],
        ['person.update', 'Titel ergänzt'],
      ],
    );
    t.match(events[1]?.actor, TEST_ADMIN_ACTOR);
    t.equal(events[1]?.actor, events[0]?.actor, 'both by the same key');
    t.equal(events[1]?.changes.length, 1);
    t.equal((events[1]?.changes[0]?.before as any).honorificPrefix, null);
    t.equal((events[1]?.changes[0]?.after as any).honorificPrefix, 'Dr.');
    t.ok(events[0]!.seq < events[1]!.seq, 'in order');
    t.type(events[1]?.requestId, 'string', 'the request id is kept');
  });

  await t.test('a body that is not JSON is a 400 problem', async (t) => {
    const res = await request({ method: 'POST', url: '/v1/people', payload: '{"givenName":', headers: { 'content-type': 'application/json' } });
    assertProblem(t, res, 400, 'bad-request');
    const person = await createPerson(request);
    const bad = await patch(request, `/v1/people/${person.id}`, '', { ifMatch: '*' });
    t.equal(bad.status, 400, 'a patch that is not an object');
  });
});

/** DESIGN.md §2: a person is shown with the roles of a day, today unless `at` names another. */
t.test(`people: current roles on a day on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t, { demo: true });
  const katja = '0b000000-0000-4000-8000-000000000004';
  const roles = async (query = '') => {
    const res = await read(request, `/v1/people/${katja}${query}`);
    t.equal(res.status, 200, res.status === 200 ? `GET ${query || 'today'}` : res.text);
    return res.body as Resource;
  };
  const summary = (person: Resource) =>
    (person.currentRoles as Resource[]).map((r) => [r.organisation.name, r.post?.label ?? null, r.role, r.startDate, r.endDate, r.certainty]);

  const before = await roles('?at=2016-06-30');
  t.equal(before.at, '2016-06-30');
  t.same(summary(before), [['Regionalagentur Westfälisches Ruhrgebiet', null, 'Mitarbeiterin', null, '2016-06-30', 'certain']], 'the day before her move');
  const after = await roles('?at=2016-07-01');
  t.same(
    summary(after),
    [['Gesellschaft für innovative Beschäftigungsförderung mbH', 'Koordination der Regionalagenturen in NRW', 'Koordinatorin der Regionalagenturen in NRW', '2016-07-01', null, 'certain']],
    'the day of her move: the new post only',
  );
  t.equal(after.currentRoles[0].post.id, '0c000000-0000-4000-8000-000000000002');
  t.equal(after.currentRoles[0].organisation.id, '0a000000-0000-4000-8000-000000000008');
  const today = await roles();
  t.equal(today.at, new Date().toISOString().slice(0, 10), 'without at: today');
  t.same(summary(today), summary(after), 'and today she is still at the G.I.B.');

  await t.test('the ETag follows the roles, If-Match only the record', async (t) => {
    const first = await read(request, `/v1/people/${katja}`);
    const tag = String(first.headers.etag);
    t.equal((await read(request, `/v1/people/${katja}`, { 'if-none-match': tag })).status, 304);
    t.not((await read(request, `/v1/people/${katja}?at=2016-06-30`)).headers.etag, tag, 'another day, another tag');
    await createAssignment(request, { personId: katja, organisationId: '0a000000-0000-4000-8000-000000000007', role: 'Gast', startDate: '2020' });
    const changed = await read(request, `/v1/people/${katja}`, { 'if-none-match': tag });
    t.equal(changed.status, 200, 'a new role: the cached card is stale');
    t.equal(changed.body.currentRoles.length, 2);
    t.equal(String(changed.headers.etag).split('.')[0], tag.split('.')[0], 'the record part is the same');
    const edited = await patch(request, `/v1/people/${katja}`, { honorificPrefix: 'Dr.' }, { ifMatch: tag });
    t.equal(edited.status, 200, 'an edit with the tag read before the new role still applies');
    t.notOk('currentRoles' in edited.body, 'PATCH answers the record alone');
    const stale = await patch(request, `/v1/people/${katja}`, { honorificPrefix: null }, { ifMatch: tag });
    t.equal(stale.status, 412, 'but not after the record itself changed');
  });

  await t.test('partial dates: possible within, certain after; none before', async (t) => {
    const person = await createPerson(request, { givenName: 'Ida', familyName: 'Teilweise' });
    await createAssignment(request, { personId: person.id, organisationId: '0a000000-0000-4000-8000-000000000007', role: 'Gast', startDate: '2019-05' });
    const on = async (at: string) => (await read(request, `/v1/people/${person.id}?at=${at}`)).body.currentRoles.map((r: Resource) => r.certainty);
    t.same(await on('2019-04-30'), []);
    t.same(await on('2019-05-20'), ['possible']);
    t.same(await on('2019-06-01'), ['certain']);
  });

  await t.test('bad days are validation problems', async (t) => {
    assertValidationProblem(t, await read(request, `/v1/people/${katja}?at=2016-02-30`), '/at', 'query');
    assertValidationProblem(t, await read(request, `/v1/people/${katja}?at=yesterday`), '/at', 'query');
  });
});
