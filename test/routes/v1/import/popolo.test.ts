import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import t from 'tap';
import type { Database } from '../../../../src/db/client.js';
import { buildTestApp, type TestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import { popoloValidator, REAL_DATA_FILE } from '../../../helpers/popolo.js';

// The real data set is imported three times and exported once: a few minutes on a loaded 2-core
// machine, more than the suite's default of 120 s per file.
t.setTimeout(300_000);

const JSON_HEADERS = { 'content-type': 'application/json' };

async function counts(database: Database) {
  const [row] = await database.rows<{ people: number; organisations: number; posts: number; assignments: number; events: number }>(sql`SELECT
    (SELECT count(*)::int FROM people) AS people,
    (SELECT count(*)::int FROM organisations) AS organisations,
    (SELECT count(*)::int FROM posts) AS posts,
    (SELECT count(*)::int FROM assignments) AS assignments,
    (SELECT count(*)::int FROM audit_events) AS events`);
  return row!;
}

/** Stored records carrying a foreign id of the scheme, per kind. */
async function foreignIds(database: Database, scheme: string) {
  const [row] = await database.rows<Record<string, number>>(sql`SELECT
    (SELECT count(DISTINCT person_id)::int FROM person_identifiers WHERE scheme = ${scheme}) AS people,
    (SELECT count(DISTINCT organisation_id)::int FROM organisation_identifiers WHERE scheme = ${scheme}) AS organisations,
    (SELECT count(DISTINCT post_id)::int FROM post_identifiers WHERE scheme = ${scheme}) AS posts,
    (SELECT count(DISTINCT assignment_id)::int FROM assignment_identifiers WHERE scheme = ${scheme}) AS assignments`);
  return row!;
}

function importPopolo(request: TestApp['request'], document: unknown, query = 'source=test', key?: string | null) {
  return request({ method: 'POST', url: `/v1/import/popolo?${query}`, headers: JSON_HEADERS, payload: JSON.stringify(document), ...(key === undefined ? {} : { key }) });
}

async function personByForeignId(database: Database, scheme: string, id: string) {
  const [row] = await database.rows<{ id: string; given_name: string | null; family_name: string | null }>(
    sql`SELECT p.id, p.given_name, p.family_name FROM people p JOIN person_identifiers i ON i.person_id = p.id
        WHERE i.scheme = ${scheme} AND i.identifier = ${id}`,
  );
  return row;
}

/** The real data set lies beside the project (../shared/data), as on CI; a fresh clone alone has none. */
const withoutRealData = existsSync(REAL_DATA_FILE)
  ? false
  : `the real data set is not there: ${REAL_DATA_FILE} (../shared/data beside the project, as on CI) is missing`;

t.test(`Popolo import of the real data set on ${DATABASE_KIND}`, { skip: withoutRealData }, async (t) => {
  const text = readFileSync(REAL_DATA_FILE, 'utf8');
  const file = JSON.parse(text) as { persons: any[]; organizations: any[]; memberships: any[]; events: any[] };
  const inFile = { persons: file.persons.length, organizations: file.organizations.length, memberships: file.memberships.length };
  t.same(inFile, { persons: 892, organizations: 60, memberships: 2420 }, 'the file holds what its README says');
  const { request, database } = await buildTestApp(t);
  const scheme = 'popolo:everypolitician-cz';
  const query = 'source=everypolitician-cz';

  const initial = await counts(database);
  const started = performance.now();
  const first = await request({ method: 'POST', url: `/v1/import/popolo?${query}`, headers: JSON_HEADERS, payload: text });
  const seconds = (performance.now() - started) / 1000;
  t.comment(`import of the real data set (${text.length} bytes) on ${DATABASE_KIND}: ${seconds.toFixed(1)} s`);
  t.equal(first.status, 200, first.text.slice(0, 2000));
  t.match(first.body.counts, {
    persons: { received: 892, created: 892, updated: 0, unchanged: 0, rejected: 0 },
    organizations: { received: 60, created: 60, updated: 0, unchanged: 0, rejected: 0 },
    memberships: { received: 2420, created: 2420, updated: 0, unchanged: 0, rejected: 0 },
    events: { received: 7, ignored: 7 },
  });
  t.same(first.body.rejected, []);
  t.equal(first.body.audited, true);
  t.ok(first.body.ignored.some((i: any) => i.path === '/memberships/*/legislative_period_id' && i.count === 2420), 'unknown fields are counted');
  t.ok(first.body.ignored.some((i: any) => i.path === '/persons/*/gender' && i.count === 892), 'Popolo fields Rolebook does not keep are counted');

  // Every person, organisation and membership arrived, each once, each with its foreign id.
  const stored = await counts(database);
  t.match(stored, { people: 892, organisations: 60, posts: 0, assignments: 2420 });
  t.same(await foreignIds(database, scheme), { people: 892, organisations: 60, posts: 0, assignments: 2420 });
  const [withDates] = await database.rows<{ started: number; ended: number; undated: number; on_behalf: number }>(sql`SELECT
    count(*) FILTER (WHERE start_date IS NOT NULL)::int AS started,
    count(*) FILTER (WHERE end_date IS NOT NULL)::int AS ended,
    count(*) FILTER (WHERE start_date IS NULL AND end_date IS NULL)::int AS undated,
    count(on_behalf_of_id)::int AS on_behalf FROM assignments`);
  t.same(withDates, { started: 1770, ended: 759, undated: 166, on_behalf: 2420 }, 'dates and on_behalf_of_id as in the file');
  const hanakova = await personByForeignId(database, scheme, '9bc3f5bb-43f7-4e4e-8cca-91b0297e6fc9');
  t.match(hanakova, { given_name: 'Alena', family_name: 'Hanáková' }, 'names keep their diacritics');

  // One audit event for the whole import, with its source and counts.
  t.equal(stored.events, initial.events + 1, 'one audit event');
  const [event] = await database.rows<{ operation: string; reason: string; changes: any[] }>(
    sql`SELECT operation, reason, changes FROM audit_events WHERE operation = 'import.popolo'`,
  );
  t.equal(event!.changes.length, 892 + 60 + 2420 + 1);
  t.match(event!.changes.at(-1), {
    entity: 'import',
    entityId: first.body.importId,
    after: { format: 'popolo', source: 'everypolitician-cz', counts: { persons: { created: 892 } } },
  });
  t.equal(event!.reason, 'Popolo import from source everypolitician-cz');

  // The same file again changes nothing: no new rows, no audit event.
  const second = await request({ method: 'POST', url: `/v1/import/popolo?${query}`, headers: JSON_HEADERS, payload: text });
  t.equal(second.status, 200);
  t.match(second.body.counts, {
    persons: { created: 0, updated: 0, unchanged: 892, rejected: 0 },
    organizations: { created: 0, updated: 0, unchanged: 60, rejected: 0 },
    memberships: { created: 0, updated: 0, unchanged: 2420, rejected: 0 },
  });
  t.equal(second.body.audited, false, 'an import that changes nothing writes no audit event');
  t.same(await counts(database), stored, 'no new rows, no new audit event');

  // An updated file: one person renamed, one membership ended. Exactly those two change.
  const updated = structuredClone(file);
  const renamed = updated.persons.find((p) => p.id === '9bc3f5bb-43f7-4e4e-8cca-91b0297e6fc9');
  renamed.family_name = 'Hanáková-Nová';
  renamed.name = 'Alena Hanáková-Nová';
  const open = updated.memberships.findIndex((m) => m.start_date && !m.end_date && m.person_id !== 'db01d9bd-3237-4bcf-8bb6-dfe575305bb4');
  updated.memberships[open].end_date = '2015-11';
  const third = await importPopolo(request, updated, query);
  t.equal(third.status, 200, third.text.slice(0, 2000));
  t.match(third.body.counts, {
    persons: { created: 0, updated: 1, unchanged: 891 },
    organizations: { created: 0, updated: 0, unchanged: 60 },
    memberships: { created: 0, updated: 1, unchanged: 2419 },
  });
  t.match(await personByForeignId(database, scheme, '9bc3f5bb-43f7-4e4e-8cca-91b0297e6fc9'), { id: hanakova!.id, family_name: 'Hanáková-Nová' });
  t.match(await counts(database), { ...stored, events: stored.events + 1 });
  const [last] = await database.rows<{ changes: any[] }>(sql`SELECT changes FROM audit_events ORDER BY seq DESC LIMIT 1`);
  t.same(
    last!.changes.map((c: any) => `${c.entity} ${c.action}`),
    ['person update', 'assignment update', 'import create'],
  );
  t.match(last!.changes[1], { before: { endDate: null }, after: { endDate: '2015-11' } }, 'partial dates are kept as written');

  // The export of the imported set is valid Popolo and holds all of it.
  const exported = await request({ method: 'GET', url: '/v1/export/popolo' });
  t.equal(exported.status, 200, exported.text.slice(0, 500));
  t.same(popoloValidator().documentErrors(exported.body), [], 'the export validates against the Popolo schemas');
  t.equal(exported.body.persons.length, 892);
  t.equal(exported.body.organizations.length, 60);
  t.equal(exported.body.memberships.length, 2420);
  t.ok(exported.body.memberships.some((m: any) => m.end_date === '2015-11'), 'a partial end date is exported as written');
});

const SMALL = () => ({
  persons: [
    {
      id: 'p1',
      name: 'Jana Nováková',
      given_name: 'Jana',
      family_name: 'Nováková',
      other_names: [{ name: 'Jana Svobodová', end_date: '2009-06', note: 'birth name', lang: 'cs' }],
      contact_details: [
        { type: 'email', value: 'jana@example.org', label: 'office', visibility: 'public' },
        { type: 'voice', value: '+420 123 456 789' },
      ],
      links: [{ url: 'https://example.org/jana', note: 'homepage' }],
      identifiers: [{ scheme: 'wikidata', identifier: 'Q999000001' }],
      gender: 'female',
      favourite_colour: 'green',
    },
    { id: 'p2', name: 'Ludwig van Beethoven', sort_name: 'Beethoven, Ludwig van' },
    { id: 42, name: 'Petr Novák' },
  ],
  organizations: [
    { id: 'o1', name: 'Parliament', classification: 'legislature', founding_date: '1993' },
    { id: 'o2', name: 'Green Club', classification: 'party', parent_id: 'o1', other_names: [{ name: 'GC', note: 'abbreviation' }] },
  ],
  posts: [{ id: 'seat-1', label: 'Speaker', organization_id: 'o1' }],
  memberships: [
    { person_id: 'p1', organization_id: 'o1', on_behalf_of_id: 'o2', role: 'member', start_date: '2014', end_date: '2017-10', legislative_period_id: 'term/7' },
    { person_id: 'p2', organization_id: 'o1', post_id: 'seat-1', role: 'speaker', start_date: '2014-07-01T10:00:00Z' },
    { id: 'm3', person_id: 42, organization_id: 'o1', start_date: '2014-07' },
  ],
  events: [{ id: 'term/7', name: '7th term', start_date: '2013-10-26' }],
});

t.test(`Popolo import: mapping, partial dates, identifiers, re-import on ${DATABASE_KIND}`, async (t) => {
  const { request, database } = await buildTestApp(t);
  const res = await importPopolo(request, SMALL(), 'source=small');
  t.equal(res.status, 200, res.text);
  t.match(res.body.counts, {
    persons: { received: 3, created: 3 },
    organizations: { received: 2, created: 2 },
    posts: { received: 1, created: 1 },
    memberships: { received: 3, created: 3 },
    events: { received: 1, ignored: 1 },
  });
  t.ok(res.body.ignored.some((i: any) => i.path === '/persons/*/favourite_colour' && i.reason === 'not a Popolo field'));
  t.ok(res.body.ignored.some((i: any) => i.path === '/persons/*/other_names/*/lang'));

  const jana = (await request({ method: 'GET', url: `/v1/people/${(await personByForeignId(database, 'popolo:small', 'p1'))!.id}` })).body;
  t.match(jana, {
    name: 'Jana Nováková',
    otherNames: [{ name: 'Jana Svobodová', startDate: null, endDate: '2009-06', note: 'birth name' }],
    contactDetails: [
      { type: 'email', value: 'jana@example.org', label: 'office', visibility: 'public' },
      { type: 'voice', value: '+420 123 456 789', visibility: 'internal' },
    ],
    links: [{ url: 'https://example.org/jana', note: 'homepage' }],
    identifiers: [{ scheme: 'wikidata', identifier: 'Q999000001' }, { scheme: 'popolo:small', identifier: 'p1' }],
  });
  t.match(await personByForeignId(database, 'popolo:small', 'p2'), { given_name: 'Ludwig van', family_name: 'Beethoven' }, 'a sort name splits the name');
  t.match(await personByForeignId(database, 'popolo:small', '42'), { given_name: 'Petr', family_name: 'Novák' }, 'numeric ids are their text');

  const assignments = (await request({ method: 'GET', url: '/v1/assignments' })).body.items;
  t.same(assignments.map((a: any) => [a.startDate, a.endDate]).sort(), [['2014', '2017-10'], ['2014-07', null], ['2014-07-01', null]]);
  const green = (await request({ method: 'GET', url: '/v1/organisations?q=Green' })).body.items[0];
  t.match(green, { abbreviation: 'GC', otherNames: [], parents: [{ startDate: null, endDate: null }] });
  t.ok(assignments.some((a: any) => a.onBehalfOfId === green.id), 'on_behalf_of_id');

  // Again: nothing changes. Then a membership gets its end and a person a new name.
  const again = await importPopolo(request, SMALL(), 'source=small');
  t.match(again.body.counts, { persons: { unchanged: 3 }, organizations: { unchanged: 2 }, posts: { unchanged: 1 }, memberships: { unchanged: 3 } });
  t.equal(again.body.audited, false);
  const changed = SMALL();
  changed.memberships[2]!.end_date = '2020';
  changed.persons[1]!.name = 'Ludwig Beethoven';
  delete (changed.persons[1] as any).sort_name;
  const third = await importPopolo(request, changed, 'source=small');
  t.match(third.body.counts, { persons: { updated: 1, unchanged: 2 }, memberships: { updated: 1, unchanged: 2 } });
  t.match(await personByForeignId(database, 'popolo:small', 'p2'), { given_name: 'Ludwig', family_name: 'Beethoven' });

  // Another source with the same ids makes records of its own.
  const other = await importPopolo(request, { persons: [{ id: 'p1', name: 'Someone Else' }] }, 'source=other');
  t.match(other.body.counts, { persons: { created: 1 } });

  // A person found by one of the document's own identifiers (a Wikidata QID) is updated, not doubled.
  const byQid = await importPopolo(request, { persons: [{ id: 'x-7', given_name: 'Jana', family_name: 'Nováková', identifiers: [{ scheme: 'wikidata', identifier: 'Q999000001' }] }] }, 'source=third');
  t.match(byQid.body.counts, { persons: { created: 0, updated: 1 } });
  t.equal((await counts(database)).people, 4);
});

t.test(`Popolo import: invalid documents are refused whole, or stored in part on request, on ${DATABASE_KIND}`, async (t) => {
  const { request, database } = await buildTestApp(t, { demo: true });
  const document = {
    persons: [{ id: 'ok', name: 'Eva Valid' }, { id: 'nameless', gender: 'female' }],
    organizations: [{ id: 'org', name: 'Club' }],
    memberships: [
      { person_id: 'ok', organization_id: 'org', start_date: '2014' },
      { person_id: 'ghost', organization_id: 'org' },
      { person_id: 'ok', organization_id: 'org', start_date: '2014-13-01' },
      { person_id: 'nameless', organization_id: 'org' },
    ],
  };
  const before = await counts(database);
  const refused = await importPopolo(request, document);
  t.equal(refused.status, 400, refused.text);
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(refused.body, { type: '/problems/validation-error', detail: /4 record\(s\) cannot be stored.*nothing was stored/ });
  const byPath = Object.fromEntries(refused.body.rejected.map((r: any) => [r.path, r]));
  t.same(Object.keys(byPath).sort(), ['/memberships/1', '/memberships/2', '/memberships/3', '/persons/1']);
  t.match(byPath['/persons/1'], { kind: 'person', id: 'nameless', refusedBy: 'document', errors: [{ path: '/persons/1/name', message: /needs a name/ }] });
  t.match(byPath['/memberships/1'], { kind: 'membership', errors: [{ path: '/memberships/1/person_id', message: /no person with the id "ghost"/ }] });
  t.match(byPath['/memberships/2'], { errors: [{ path: '/memberships/2/start_date', message: /real date/ }] });
  t.match(byPath['/memberships/3'], { errors: [{ path: '/memberships/3/person_id', message: /\/persons\/1\) is not stored/ }] });
  t.ok(refused.body.errors.some((e: any) => e.path === '/memberships/2/start_date' && e.in === 'body'), 'errors[] as for any invalid body');
  t.same(await counts(database), before, 'nothing stored, no audit event');

  const partial = await importPopolo(request, document, 'source=test&partial=true');
  t.equal(partial.status, 200, partial.text);
  t.match(partial.body.counts, {
    persons: { received: 2, created: 1, rejected: 1 },
    organizations: { created: 1 },
    memberships: { received: 4, created: 1, rejected: 3 },
  });
  t.equal(partial.body.rejected.length, 4);
  t.match(await counts(database), { people: before.people + 1, organisations: before.organisations + 1, assignments: before.assignments + 1, events: before.events + 1 });
});

t.test(`Popolo import: ids used twice, parents in a cycle, references to refused records on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t);
  const res = await importPopolo(
    request,
    {
      persons: [{ id: 'twin', name: 'Erste Person' }, { id: 'twin', name: 'Zweite Person' }],
      organizations: [
        { id: 'a', name: 'A', parent_id: 'b' },
        { id: 'b', name: 'B', parent_id: 'a' },
        { id: 'self', name: 'Self', parent_id: 'self' },
        { id: 'child', name: 'Child', parent_id: 'a' },
        { id: 'root', name: 'Root' },
        { id: 'leaf', name: 'Leaf', parent_id: 'root', founding_date: 'soon' },
      ],
      memberships: [{ id: 'm1', person_id: 'twin', organization_id: 'root' }],
    },
    'source=test&partial=true',
  );
  t.equal(res.status, 200, res.text);
  const reasons = Object.fromEntries(res.body.rejected.map((r: any) => [r.path, r.errors[0]]));
  t.match(reasons, {
    '/persons/1': { path: '/persons/1/id', message: /taken by \/persons\/0/ },
    '/organizations/0': { path: '/organizations/0/parent_id', message: /cycle/ },
    '/organizations/1': { path: '/organizations/1/parent_id', message: /cycle/ },
    '/organizations/2': { path: '/organizations/2/parent_id', message: /cycle/ },
    '/organizations/3': { path: '/organizations/3/parent_id', message: /\/organizations\/0\) is not stored/ },
    '/organizations/5': { path: '/organizations/5/founding_date', message: /real date/ },
  });
  t.match(res.body.counts, { persons: { created: 1, rejected: 1 }, organizations: { received: 6, created: 1, rejected: 5 }, memberships: { created: 1 } });
});

t.test(`Popolo import: what the database guards refuse is reported by position on ${DATABASE_KIND}`, async (t) => {
  const { request, database } = await buildTestApp(t, { demo: true });
  // The demo's chair of the Facharbeitskreis is a single-holder post that Jutta Reiter holds (undated).
  const document = {
    persons: [{ id: 'rival', name: 'Rita Rival' }],
    memberships: [
      { person_id: 'rival', organization_id: '0a000000-0000-4000-8000-000000000007', role: 'member', start_date: '2016-01-01' },
      { person_id: 'rival', organization_id: '0a000000-0000-4000-8000-000000000007', post_id: '0c000000-0000-4000-8000-000000000001', start_date: '2016-01-01', end_date: '2016-12-31' },
      { person_id: 'rival', organization_id: '0a000000-0000-4000-8000-000000000008', post_id: '0c000000-0000-4000-8000-000000000001' },
      // The MAIS ended on 2017-06-29: an assignment there cannot run on.
      { person_id: 'rival', organization_id: '0a000000-0000-4000-8000-000000000001', start_date: '2016' },
    ],
  };
  const before = await counts(database);
  const refused = await importPopolo(request, document);
  t.equal(refused.status, 400, 'a post of another organisation is the document at fault');
  const onlyGuards = { ...document, memberships: [document.memberships[0], document.memberships[1], document.memberships[3]] };
  const conflict = await importPopolo(request, onlyGuards);
  t.equal(conflict.status, 409, conflict.text);
  t.match(conflict.body, { type: '/problems/conflict' });
  t.match(conflict.body.rejected, [
    { path: '/memberships/1', kind: 'membership', refusedBy: 'database', reason: /at most 1 holder/, conflicting: { entity: 'assignment', id: '0d000000-0000-4000-8000-000000000001' } },
    { path: '/memberships/2', refusedBy: 'database', reason: /dissolution/ },
  ]);
  t.same(await counts(database), before, 'nothing stored');
  const partial = await importPopolo(request, document, 'source=test&partial=true');
  t.equal(partial.status, 200);
  t.match(partial.body.counts, { persons: { created: 1 }, memberships: { received: 4, created: 1, rejected: 3 } });
  t.same(partial.body.rejected.map((r: any) => r.path).sort(), ['/memberships/1', '/memberships/2', '/memberships/3']);
  t.match(partial.body.rejected.find((r: any) => r.path === '/memberships/2'), { errors: [{ path: '/memberships/2/post_id', message: /another organization/ }] });
});

t.test(`Popolo import: access, body limit, shape of the body on ${DATABASE_KIND}`, async (t) => {
  const { request, createKey } = await buildTestApp(t);
  t.equal((await importPopolo(request, { persons: [] }, 'source=test', null)).status, 401, 'anonymous');
  t.equal((await importPopolo(request, { persons: [] }, 'source=test', await createKey('reader'))).status, 403, 'reader');
  t.equal((await importPopolo(request, { persons: [] }, 'source=test', await createKey('auditor'))).status, 403, 'auditor');
  t.equal((await importPopolo(request, { persons: 'none' })).status, 400);
  t.equal((await importPopolo(request, [])).status, 400);
  t.equal((await importPopolo(request, {}, 'source=bad source')).status, 400);
  t.equal((await importPopolo(request, {}, 'partial=maybe')).status, 400);
  // Larger than the 1 MiB the other routes take in these tests: this route has a limit of its own.
  const big = { persons: [{ id: 'big', name: 'Bea Big', biography: 'x'.repeat(1_500_000) }] };
  const res = await importPopolo(request, big);
  t.equal(res.status, 200, res.text.slice(0, 500));
  t.match(res.body.counts, { persons: { created: 1 } });
  t.match(res.body.ignored, [{ path: '/persons/*/biography', count: 1, reason: /does not keep/ }]);
});
