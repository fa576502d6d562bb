import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DEMO_IDS as I, PRESS_NOTE } from '../../../../src/demo/data.js';
import { buildTestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import { PROJECT_POPOLO_DIR, popoloValidator, POPOLO_SCHEMA_DIR, SHARED_POPOLO_DIR } from '../../../helpers/popolo.js';

const validator = popoloValidator();

t.test('the Popolo schemas in popolo/schemas are the official ones', { skip: existsSync(SHARED_POPOLO_DIR) ? false : `${SHARED_POPOLO_DIR} is not there to compare with` }, async (t) => {
  t.equal(POPOLO_SCHEMA_DIR, SHARED_POPOLO_DIR, 'the tests validate against ../shared/popolo when it is there');
  const files = readdirSync(SHARED_POPOLO_DIR).filter((f) => f.endsWith('.json')).sort();
  t.same(readdirSync(PROJECT_POPOLO_DIR).filter((f) => f.endsWith('.json')).sort(), files);
  for (const file of files) {
    t.equal(readFileSync(join(PROJECT_POPOLO_DIR, file), 'utf8'), readFileSync(join(SHARED_POPOLO_DIR, file), 'utf8'), `${file} is a verbatim copy`);
  }
});

t.test('the validator finds what is not Popolo', async (t) => {
  t.same(validator.errors('person', { id: 'x', name: 'A B', links: [{ url: 'https://example.org/' }] }), []);
  t.ok(validator.errors('person', { name: 3 }).length > 0, 'a wrong type');
  t.ok(validator.errors('contact_detail', { type: 'email' }).length > 0, 'a required member (draft-03 "required": true)');
  t.ok(validator.errors('membership', { start_date: '22.06.2016' }).length > 0, 'a date pattern');
  t.ok(validator.errors('link', { url: 'https://cs.wikipedia.org/wiki/Hanáková' }).length > 0, 'a URI format (an IRI is not a URI)');
  t.ok(validator.documentErrors({ persons: [{ name: 1 }] }).length > 0);
});

t.test(`Popolo export of the demo data on ${DATABASE_KIND}`, async (t) => {
  const { request, createKey } = await buildTestApp(t, { demo: true });
  const katja = `/v1/people/${I.katjaStraede}`;
  const current = await request({ method: 'GET', url: katja });
  const patched = await request({
    method: 'PATCH',
    url: katja,
    headers: { 'if-match': current.headers.etag as string },
    payload: {
      contactDetails: [
        ...current.body.contactDetails,
        { type: 'phone', value: '+49 2041 767-0', visibility: 'internal' },
        { type: 'mobile', value: '+49 170 0000000', visibility: 'private' },
      ],
    },
  });
  t.equal(patched.status, 200, patched.text);
  // A partial date, to see it exported as written.
  const partial = await request({
    method: 'POST',
    url: '/v1/assignments',
    payload: { personId: I.marionSiebert, organisationId: I.facharbeitskreis, role: 'Mitglied', startDate: '2016-06', source: 'https://example.org/protokoll' },
  });
  t.equal(partial.status, 201, partial.text);

  const res = await request({ method: 'GET', url: '/v1/export/popolo' });
  t.equal(res.status, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const doc = res.body;
  t.same(validator.documentErrors(doc), [], `the export validates against the Popolo schemas (${POPOLO_SCHEMA_DIR})`);
  t.same(
    { persons: doc.persons.length, organizations: doc.organizations.length, posts: doc.posts.length, memberships: doc.memberships.length, events: doc.events.length },
    { persons: 4, organizations: 10, posts: 2, memberships: 6, events: 1 },
  );
  t.match(doc.persons.find((p: any) => p.id === I.katjaStraede), {
    name: 'Katja Sträde',
    given_name: 'Katja',
    family_name: 'Sträde',
    contact_details: [
      { type: 'address', visibility: 'public' },
      { type: 'phone', visibility: 'internal' },
      { type: 'mobile', visibility: 'private' },
    ],
  });
  t.match(doc.organizations.find((o: any) => o.id === I.gib), { name: 'Gesellschaft für innovative Beschäftigungsförderung mbH', other_names: [{ name: 'G.I.B.', note: 'abbreviation' }] });
  t.match(doc.organizations.find((o: any) => o.id === I.mais), { founding_date: '2010-07-15', dissolution_date: '2017-06-29' });
  t.equal(doc.organizations.find((o: any) => o.id === I.maisDepartmentLabour).parent_id, I.mags, 'parent as of today');
  t.match(doc.memberships.find((m: any) => m.start_date === '2016-06'), { person_id: I.marionSiebert, sources: [{ url: 'https://example.org/protokoll' }] }, 'a partial date as written');
  t.match(doc.memberships.find((m: any) => m.id === I.reiterChair), {
    person_id: I.juttaReiter,
    organization_id: I.facharbeitskreis,
    post_id: I.chairFacharbeitskreis,
    role: 'Vorsitzende',
    source: PRESS_NOTE,
    label: /Chaired the meeting/,
  });
  t.notOk('start_date' in doc.memberships.find((m: any) => m.id === I.reiterChair), 'no date: no member');
  t.match(doc.events, [{ id: I.maisRestructuring, classification: 'split', start_date: '2017-06-30', organization_id: I.mais }]);

  // On a day: the memberships that may cover it, the parents of that day.
  const onDay = (await request({ method: 'GET', url: '/v1/export/popolo?at=2016-06-22' })).body;
  t.same(validator.documentErrors(onDay), []);
  t.same(onDay.memberships.map((m: any) => m.person_id).sort(), [I.juttaReiter, I.ingridSchleimer, I.marionSiebert, I.marionSiebert, I.katjaStraede].sort());
  t.equal(onDay.organizations.find((o: any) => o.id === I.maisDepartmentLabour).parent_id, I.mais, 'parent on that day');
  t.equal(onDay.persons.length, 4, 'people, organisations and posts: all of them');

  // Contact details as the caller may see them.
  const types = (body: any) => body.persons.find((p: any) => p.id === I.katjaStraede).contact_details?.map((c: any) => c.visibility) ?? [];
  const anonymous = await request({ method: 'GET', url: '/v1/export/popolo', key: null });
  t.equal(anonymous.status, 200);
  t.same(types(anonymous.body), ['public'], 'anonymous: public contact details only');
  t.notMatch(anonymous.text, /\+49 2041 767-0|\+49 170 0000000/, 'no internal or private value anywhere');
  t.same(validator.documentErrors(anonymous.body), []);
  const reader = await request({ method: 'GET', url: '/v1/export/popolo', key: await createKey('reader') });
  t.same(types(reader.body), ['public', 'internal']);
  const auditor = await request({ method: 'GET', url: '/v1/export/popolo', key: await createKey('auditor') });
  t.same(types(auditor.body), ['public', 'internal', 'private']);

  t.equal((await request({ method: 'GET', url: '/v1/export/popolo?at=2016-13-01' })).status, 400);
  t.equal((await request({ method: 'GET', url: `/v1/export/popolo?asOf=${new Date().toISOString()}`, key: null })).status, 401, 'asOf needs an auditor');
  const then = await request({ method: 'GET', url: `/v1/export/popolo?asOf=${new Date().toISOString()}` });
  t.equal(then.status, 200);
  t.equal(then.body.memberships.length, 6);
});

t.test(`Popolo round trip: the export imported again changes nothing, and fills an empty directory, on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t, { demo: true });
  const exported = (await request({ method: 'GET', url: '/v1/export/popolo' })).body;
  const again = await request({ method: 'POST', url: '/v1/import/popolo?source=rolebook', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(exported) });
  t.equal(again.status, 200, again.text);
  t.match(again.body.counts, {
    persons: { received: 4, unchanged: 4 },
    organizations: { received: 10, unchanged: 10 },
    posts: { received: 2, unchanged: 2 },
    memberships: { received: 5, unchanged: 5 },
  });
  t.equal(again.body.audited, false);

  const empty = await buildTestApp(t);
  const filled = await empty.request({ method: 'POST', url: '/v1/import/popolo?source=demo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(exported) });
  t.equal(filled.status, 200, filled.text);
  t.match(filled.body.counts, { persons: { created: 4 }, organizations: { created: 10 }, posts: { created: 2 }, memberships: { created: 5 } });
  const copy = (await empty.request({ method: 'GET', url: '/v1/export/popolo' })).body;
  t.same(validator.documentErrors(copy), []);
  const sorted = (items: unknown[]) => items.map((item) => JSON.stringify(item)).sort();
  const strip = (doc: any) => ({
    persons: sorted(doc.persons.map(({ id: _id, identifiers: _i, ...rest }: any) => rest)),
    memberships: sorted(doc.memberships.map(({ id: _id, person_id: _p, organization_id: _o, post_id: _po, on_behalf_of_id: _b, ...rest }: any) => rest)),
    organizations: sorted(doc.organizations.map(({ id: _id, parent_id: _p, identifiers: _i, ...rest }: any) => rest)),
  });
  t.same(strip(copy), strip(exported), 'the same directory, under new ids');
  const gib = copy.organizations.find((o: any) => o.name.startsWith('Gesellschaft'));
  t.match(gib.identifiers, [{ scheme: 'rolebook-demo', identifier: 'gib' }, { scheme: 'popolo:demo', identifier: I.gib }], 'the foreign ids kept');
});
