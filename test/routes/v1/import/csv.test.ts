/**
 * CSV in and out: GET /v1/people and /v1/assignments with Accept: text/csv, and POST
 * /v1/import/csv with files as German spreadsheets write them (BOM, semicolons, 22.06.2016, CRLF),
 * bad rows reported by number and column, dry runs that change nothing, real runs that store all
 * rows or none as one audit event, and re-imports that update instead of duplicating.
 */
import { sql } from 'drizzle-orm';
import t from 'tap';
import { DEMO_IDS } from '../../../../src/demo/data.js';
import { parseCsv, readCsv } from '../../../../src/http/csv-reader.js';
import { parseSpreadsheetDate } from '../../../../src/domain/spreadsheet-date.js';
import { buildTestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import { assertProblem, auditEventCount, createPerson, read, TEST_ADMIN_ACTOR } from '../../../helpers/fixtures.js';

const { request, database, createKey } = await buildTestApp(t, { demo: true });

const BOM = '\uFEFF';
/** A file as Excel writes "CSV UTF-8" in a German locale: BOM, semicolons, CRLF. */
const excel = (...rows: string[]) => `${BOM}${rows.join('\r\n')}\r\n`;

function importCsv(body: string | Buffer, query: Record<string, string> = {}, headers: Record<string, string> = {}, key?: string | null) {
  return request({
    method: 'POST',
    url: `/v1/import/csv?${new URLSearchParams(query)}`,
    headers: { 'content-type': 'text/csv', ...headers },
    payload: body,
    key,
  });
}

async function tableCounts() {
  const [row] = await database.rows<{ people: number; identifiers: number; contacts: number; assignments: number; audit: number }>(
    sql`SELECT (SELECT count(*) FROM people)::int AS people, (SELECT count(*) FROM person_identifiers)::int AS identifiers,
               (SELECT count(*) FROM contact_details)::int AS contacts, (SELECT count(*) FROM assignments)::int AS assignments,
               (SELECT count(*) FROM audit_events)::int AS audit`,
  );
  return row!;
}

async function personByIdentifier(scheme: string, identifier: string) {
  const rows = await database.rows<{ person_id: string }>(
    sql`SELECT person_id FROM person_identifiers WHERE scheme = ${scheme} AND identifier = ${identifier}`,
  );
  return rows.map((r) => r.person_id);
}

const PEOPLE = excel(
  'Personalnummer-Schema;Kennung;Titel;Vorname;Nachname;E-Mail;Telefon;Sichtbarkeit'.replace('Personalnummer-Schema', 'Schema'),
  'staff;P-100;Dr.;Erika;Mustermann;erika.mustermann@example.org;0231 50-0;öffentlich',
  'staff;P-101;;Jürgen;"Groß; genannt ""Jü""";;;',
  'staff;P-102;;Zoë;Dvořák;zoe@example.org;\'+49 170 1;intern',
);

t.test(`a German spreadsheet of people: dry run, then the real run on ${DATABASE_KIND}`, async (t) => {
  const before = await tableCounts();
  const dry = await importCsv(PEOPLE, { dryRun: 'true', source: 'Mitarbeiter.csv' });
  t.equal(dry.status, 200, dry.text);
  t.match(dry.body, { dryRun: true, type: 'people', delimiter: ';', source: 'Mitarbeiter.csv', audited: false, importId: null });
  t.same(dry.body.counts, { rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0 });
  t.same(
    dry.body.rows.map((r: any) => [r.row, r.action, r.id, r.name]),
    [
      [2, 'create', null, 'Dr. Erika Mustermann'],
      [3, 'create', null, 'Jürgen Groß; genannt "Jü"'],
      [4, 'create', null, 'Zoë Dvořák'],
    ],
  );
  t.same(await tableCounts(), before, 'the dry run changed nothing (people, identifiers, contacts, audit)');

  const real = await importCsv(PEOPLE, { source: 'Mitarbeiter.csv' }, { 'x-reason': 'Übernahme aus der Personalliste' });
  t.equal(real.status, 200, real.text);
  t.match(real.body, { dryRun: false, audited: true });
  t.same(real.body.counts, { rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0 });
  const after = await tableCounts();
  t.equal(after.people, before.people + 3, 'three people');
  t.equal(after.audit, before.audit + 1, 'one audit event');

  const [erika] = await personByIdentifier('staff', 'P-100');
  t.equal(real.body.rows[0].id, erika);
  const stored = await read(request, `/v1/people/${erika}`);
  t.match(stored.body, {
    honorificPrefix: 'Dr.',
    givenName: 'Erika',
    familyName: 'Mustermann',
    identifiers: [{ scheme: 'staff', identifier: 'P-100' }],
    contactDetails: [
      { type: 'email', value: 'erika.mustermann@example.org', visibility: 'public' },
      { type: 'phone', value: '0231 50-0', visibility: 'public' },
    ],
  });
  const [zoe] = await personByIdentifier('staff', 'P-102');
  t.match((await read(request, `/v1/people/${zoe}`)).body.contactDetails, [
    { type: 'email', visibility: 'internal' },
    { type: 'phone', value: '+49 170 1', visibility: 'internal' },
  ], "the export's formula guard (a leading ') is dropped");

  const [event] = await database.rows<{ operation: string; actor: string; reason: string; changes: any }>(
    sql`SELECT operation, actor, reason, changes FROM audit_events ORDER BY seq DESC LIMIT 1`,
  );
  t.equal(event!.operation, 'import.csv');
  t.match(event!.actor, TEST_ADMIN_ACTOR);
  t.equal(event!.reason, 'Übernahme aus der Personalliste');
  const changes = (typeof event!.changes === 'string' ? JSON.parse(event!.changes) : event!.changes) as any[];
  t.same(changes.filter((c) => c.entity === 'person').map((c) => c.action), ['create', 'create', 'create'], 'every person created, in the one event');
  t.match(changes.find((c) => c.entity === 'import'), {
    entityId: real.body.importId,
    action: 'create',
    after: { format: 'csv', type: 'people', source: 'Mitarbeiter.csv', delimiter: ';', counts: { rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0 } },
  }, 'the import itself with its source and counts');
});

t.test('a re-import updates instead of duplicating', async (t) => {
  const before = await tableCounts();
  const same = await importCsv(PEOPLE);
  t.same(same.body.counts, { rows: 3, created: 0, updated: 0, unchanged: 3, rejected: 0 }, 'the same file again: unchanged');
  t.equal(same.body.audited, false);
  t.same(await tableCounts(), before, 'and nothing written, not even an audit event');

  const changed = excel('Schema;Kennung;Vorname;Nachname;Telefon;Mobil', 'staff;P-100;Erika;Mustermann-Weber;0231 50-1;0170 2', 'staff;P-101;;;;');
  const res = await importCsv(changed);
  t.equal(res.status, 200, res.text);
  t.same(res.body.counts, { rows: 2, created: 0, updated: 1, unchanged: 1, rejected: 0 });
  const [erika] = await personByIdentifier('staff', 'P-100');
  const stored = (await read(request, `/v1/people/${erika}`)).body;
  t.equal(stored.familyName, 'Mustermann-Weber');
  t.equal(stored.honorificPrefix, 'Dr.', 'an empty or missing cell leaves the stored value');
  t.same(
    stored.contactDetails.map((c: any) => [c.type, c.value, c.visibility]),
    [
      ['email', 'erika.mustermann@example.org', 'public'],
      ['phone', '0231 50-1', 'public'],
      ['mobile', '0170 2', 'internal'],
    ],
    'the phone replaced, a mobile added',
  );
  t.equal((await tableCounts()).people, before.people, 'no one duplicated');
  t.same(await personByIdentifier('staff', 'P-100'), [erika]);
  const [event] = await database.rows<{ changes: any }>(sql`SELECT changes FROM audit_events ORDER BY seq DESC LIMIT 1`);
  const changes = (typeof event!.changes === 'string' ? JSON.parse(event!.changes) : event!.changes) as any[];
  t.match(changes[0], { entity: 'person', entityId: erika, action: 'update', before: { familyName: 'Mustermann' }, after: { familyName: 'Mustermann-Weber' } });
});

t.test('assignments with German dates, partial dates and names instead of ids', async (t) => {
  const file = excel(
    'Kennungsart;Kennung;Organisation;Stelle;Funktion;Beginn;Ende;Quelle'.replace('Kennungsart;Kennung', 'personScheme;personIdentifier'),
    'staff;P-100;G.I.B.;;Referentin;22.06.2016;;Personalliste 2016',
    'staff;P-101;REGIONALAGENTUR WESTFAELISCHES RUHRGEBIET;;Mitglied;06.2016;2017;',
    'staff;P-102;MAIS;;Referentin;2016-06;29.06.2017;',
  );
  const before = await tableCounts();
  const dry = await importCsv(file, { dryRun: 'true' });
  t.equal(dry.status, 200, dry.text);
  t.equal(dry.body.type, 'assignments', 'taken from the header');
  t.same(dry.body.counts, { rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0 });
  t.same(await tableCounts(), before, 'the dry run changed nothing');

  const real = await importCsv(file, { source: 'Stellenplan.csv' });
  t.equal(real.status, 200, real.text);
  t.equal((await tableCounts()).assignments, before.assignments + 3);
  const [erika] = await personByIdentifier('staff', 'P-100');
  const stored = await read(request, `/v1/assignments?personId=${erika}`);
  t.match(stored.body.items, [{ organisationId: DEMO_IDS.gib, role: 'Referentin', startDate: '2016-06-22', endDate: null, source: 'Personalliste 2016' }]);
  const [juergen] = await personByIdentifier('staff', 'P-101');
  t.match((await read(request, `/v1/assignments?personId=${juergen}`)).body.items, [
    { organisationId: DEMO_IDS.regionalagentur, startDate: '2016-06', endDate: '2017' },
  ], 'partial dates keep their precision');

  // Again, with an end date: the same assignment is updated.
  const ended = excel('personScheme;personIdentifier;Organisation;Funktion;Beginn;Ende', 'staff;P-100;GIB;Referentin;22.06.2016;31.12.2020');
  const res = await importCsv(ended);
  t.same(res.body.counts, { rows: 1, created: 0, updated: 1, unchanged: 0, rejected: 0 }, res.text);
  t.match((await read(request, `/v1/assignments?personId=${erika}`)).body.items, [{ startDate: '2016-06-22', endDate: '2020-12-31' }]);
  t.same((await importCsv(ended)).body.counts, { rows: 1, created: 0, updated: 0, unchanged: 1, rejected: 0 });
});

t.test('bad rows: reported by row and column in a dry run; the real run stores none', async (t) => {
  const file = excel(
    'personScheme;personIdentifier;organisationId;Organisation;Funktion;Beginn;Ende',
    'staff;P-100;;MAGS;Referentin;01.07.2017;', //              row 2: fine
    'staff;P-100;;MAGS;Referentin;31.02.2018;', //              row 3: no such day
    'staff;P-999;;MAGS;Referentin;2018;', //                    row 4: no such person
    'staff;P-101;;Ministerium für Nichts;Mitglied;2018;', //    row 5: no such organisation
    'staff;P-101;kein-uuid;;Mitglied;22.06.16;', //             row 6: not a UUID, two-digit year
    'staff;P-102;;MKFFI;Referentin;2019;2018', //               row 7: ends before it starts
    ';P-102;;MKFFI;Referentin;2019;', //                       row 8: scheme missing
  );
  const before = await tableCounts();
  const dry = await importCsv(file, { dryRun: 'true' });
  t.equal(dry.status, 200, dry.text);
  t.same(dry.body.counts, { rows: 7, created: 1, updated: 0, unchanged: 0, rejected: 6 });
  const byRow = Object.fromEntries(dry.body.rows.map((r: any) => [r.row, r]));
  t.equal(byRow[2].action, 'create');
  t.match(byRow[3], { action: 'reject', refusedBy: 'file', errors: [{ column: 'startDate', message: /not a real date/ }] });
  t.match(byRow[4], { action: 'reject', errors: [{ column: 'personIdentifier', message: /no person has the identifier staff P-999/ }] });
  t.match(byRow[5], { action: 'reject', errors: [{ column: 'organisation', message: /no organisation/ }] });
  t.match(byRow[6].errors, [{ column: 'organisationId', message: 'must be a UUID' }, { column: 'startDate', message: /four-digit year/ }]);
  t.match(byRow[7], { action: 'reject', errors: [{ column: 'endDate', message: /must not be before startDate/ }] });
  t.match(byRow[8], { action: 'reject', errors: [{ column: 'personScheme' }] });
  t.same(await tableCounts(), before, 'the dry run changed nothing');

  const real = await importCsv(file);
  assertProblem(t, real, 400, 'validation-error');
  t.match(real.body.detail, /6 of 7 rows cannot be stored; nothing was stored/);
  t.match(real.body.errors, [{ path: '/3/startDate', in: 'body' }]);
  t.equal(real.body.rows.find((r: any) => r.row === 2).id, null, 'no id for a row that was not stored');
  t.same(await tableCounts(), before, 'atomic: not even the good row, and no audit event');
});

t.test('a row the database refuses: 409 with the record in the way', async (t) => {
  // The chair of the Facharbeitskreis is a single-holder post that Jutta Reiter holds.
  const file = excel('personScheme;personIdentifier;organisationId;Stelle;Funktion;Beginn', `staff;P-101;${DEMO_IDS.facharbeitskreis};Vorsitz des Facharbeitskreises;Vorsitz;2016-06-22`);
  const dry = await importCsv(file, { dryRun: 'true' });
  t.match(dry.body.rows[0], { action: 'reject', refusedBy: 'database', errors: [{ column: null, message: /holder/ }] });
  t.ok(dry.body.rows[0].conflicting, 'names the assignment in the way');
  const before = await tableCounts();
  const real = await importCsv(file);
  assertProblem(t, real, 409, 'conflict');
  t.same(await tableCounts(), before);
});

t.test('file formats: comma and ISO, windows-1252, quotes and line breaks, empty rows', async (t) => {
  const comma = 'scheme,identifier,givenName,familyName,email\nstaff,P-200,Ana,"Straße, Dr.",ana@example.org\n,,,,\n';
  const res = await importCsv(comma, { dryRun: 'true' });
  t.equal(res.status, 200, res.text);
  t.match(res.body, { delimiter: ',', counts: { rows: 1, created: 1 } });
  t.equal(res.body.rows[0].name, 'Ana Straße, Dr.');

  const latin1 = Buffer.from('Vorname;Nachname\r\nJörg;Weiß\r\n', 'latin1');
  const decoded = await importCsv(latin1, { dryRun: 'true' }, { 'content-type': 'text/csv; charset=windows-1252' });
  t.equal(decoded.body.rows[0]?.name, 'Jörg Weiß', 'decoded as windows-1252');
  assertProblem(t, await importCsv(latin1, { dryRun: 'true' }), 400, 'bad-request');

  const multiline = excel('Vorname;Nachname;E-Mail', 'Eva;"Neu\r\nmann";eva@example.org');
  const parsed = await importCsv(multiline, { dryRun: 'true' });
  t.same(parsed.body.rows.map((r: any) => r.row), [2]);

  // The reader and the dates on their own.
  t.same(parseCsv('a;b\r\n"x;""y""";z\n').rows.map((r) => r.fields), [['a', 'b'], ['x;"y"', 'z']]);
  t.same(readCsv(`${BOM}a,b\n1,2\n,\n3,4`).records.map((r) => [r.row, r.fields]), [[2, ['1', '2']], [4, ['3', '4']]]);
  t.equal(readCsv('a\tb\n1\t2\n').delimiter, '\t');
  for (const [text, expected] of [
    ['22.06.2016', '2016-06-22'],
    ['1.7.2016', '2016-07-01'],
    ['06.2016', '2016-06'],
    ['6.2016', '2016-06'],
    ['2016', '2016'],
    ['2016-06', '2016-06'],
    ['2016-06-22', '2016-06-22'],
    [' 29.02.2016 ', '2016-02-29'],
  ] as const) {
    t.same(parseSpreadsheetDate(text), { ok: true, date: expected }, text);
  }
  for (const text of ['29.02.2017', '22.06.16', '2016/06/22', '13.2016', 'Juni 2016', '']) t.equal(parseSpreadsheetDate(text).ok, false, `"${text}" refused`);
});

t.test('the whole file refused: bad header, no rows, wrong content type, no key', async (t) => {
  const unknown = await importCsv('Vorname;Nachname;Hobby\nA;B;C\n');
  assertProblem(t, unknown, 400, 'validation-error');
  t.match(unknown.body.errors, [{ path: '/1/Hobby', in: 'body' }]);
  assertProblem(t, await importCsv('Vorname;Vorname\nA;B\n'), 400, 'validation-error');
  assertProblem(t, await importCsv('Vorname;Organisation\nA;B\n', { type: 'people' }), 400, 'validation-error');
  assertProblem(t, await importCsv('Vorname;Nachname\n'), 400, 'validation-error');
  assertProblem(t, await importCsv(''), 400, 'validation-error');
  assertProblem(t, await importCsv('a;"b\n'), 400, 'validation-error');
  assertProblem(t, await importCsv('{"givenName":"A"}', {}, { 'content-type': 'application/json' }), 415, 'unsupported-media-type');
  assertProblem(t, await importCsv('Vorname\nA\n', { dryRun: 'maybe' }), 400, 'validation-error');
  assertProblem(t, await importCsv('Vorname\nA\n', {}, {}, null), 401, 'unauthorized');
  assertProblem(t, await importCsv('Vorname\nA\n', {}, {}, await createKey('reader')), 403, 'forbidden');
});

t.test('CSV lists: the same page as JSON, a header row, visibility, and back in again', async (t) => {
  const csv = await request({ method: 'GET', url: '/v1/people?limit=3', headers: { accept: 'text/csv' } });
  t.equal(csv.status, 200);
  t.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
  const json = await read(request, '/v1/people?limit=3');
  const rows = parseCsv(csv.text).rows.map((r) => r.fields);
  t.same(rows[0], ['id', 'scheme', 'identifier', 'honorificPrefix', 'givenName', 'familyName', 'email', 'phone', 'mobile', 'visibility']);
  t.same(rows.slice(1).map((r) => r[0]), json.body.items.map((p: any) => p.id), 'the same page');
  t.match(String(csv.headers.link), new RegExp(`cursor=${json.body.nextCursor}.*rel="next"`), 'the next page in the Link header');
  const next = await request({ method: 'GET', url: String(csv.headers.link).slice(1, String(csv.headers.link).indexOf('>')), headers: { accept: 'text/csv' } });
  t.equal(next.status, 200);
  t.notSame(parseCsv(next.text).rows[1]?.fields[0], rows[1]![0], 'a different page');

  // Filters apply as in JSON.
  const atDay = await request({ method: 'GET', url: `/v1/assignments?personId=${DEMO_IDS.katjaStraede}&at=2016-06-30`, headers: { accept: 'text/csv' } });
  const assignmentRows = parseCsv(atDay.text).rows.map((r) => r.fields);
  t.same(assignmentRows[0], ['id', 'personId', 'personScheme', 'personIdentifier', 'organisationId', 'organisation', 'postId', 'post', 'role', 'onBehalfOfId', 'startDate', 'endDate', 'source', 'note']);
  t.same(assignmentRows.slice(1).map((r) => [r[4], r[5], r[11]]), [[DEMO_IDS.regionalagentur, 'Regionalagentur Westfälisches Ruhrgebiet', '2016-06-30']]);

  // Anonymous readers get public contact details only.
  const person = await createPerson(request, {
    givenName: 'Vera',
    familyName: 'Sichtbar',
    identifiers: [{ scheme: 'staff', identifier: 'P-300' }],
    contactDetails: [
      { type: 'email', value: 'vera@example.org', visibility: 'public' },
      { type: 'phone', value: '+49 1', visibility: 'internal' },
    ],
  });
  const line = (text: string) => parseCsv(text).rows.find((r) => r.fields[0] === person.id)?.fields;
  const anonymous = line((await request({ method: 'GET', url: '/v1/people?q=Sichtbar', headers: { accept: 'text/csv' }, key: null })).text);
  t.same(anonymous, [person.id, 'staff', 'P-300', '', 'Vera', 'Sichtbar', 'vera@example.org', '', '', 'public']);
  const admin = line((await request({ method: 'GET', url: '/v1/people?q=Sichtbar', headers: { accept: 'text/csv' } })).text);
  t.same(admin, [person.id, 'staff', 'P-300', '', 'Vera', 'Sichtbar', 'vera@example.org', "'+49 1", '', 'internal'], 'the least public visibility');

  // An export imports back unchanged.
  const all = await request({ method: 'GET', url: '/v1/people?limit=500', headers: { accept: 'text/csv' } });
  const back = await importCsv(all.text, { dryRun: 'true' });
  t.equal(back.status, 200, back.text);
  t.equal(back.body.counts.unchanged, back.body.counts.rows, `every person unchanged ${JSON.stringify(back.body.rows.filter((r: any) => r.action !== 'unchanged'))}`);
  const assignmentsBack = await importCsv((await request({ method: 'GET', url: '/v1/assignments?limit=500', headers: { accept: 'text/csv' } })).text, { dryRun: 'true' });
  t.equal(assignmentsBack.status, 200, assignmentsBack.text);
  t.equal(assignmentsBack.body.counts.unchanged, assignmentsBack.body.counts.rows, `every assignment unchanged ${JSON.stringify(assignmentsBack.body.rows.filter((r: any) => r.action !== 'unchanged'))}`);

  assertProblem(t, await request({ method: 'GET', url: '/v1/people', headers: { accept: 'application/xml' } }), 406, 'not-acceptable');
  t.equal((await request({ method: 'GET', url: '/v1/people', headers: { accept: 'text/csv;q=0.5, application/json' } })).headers['content-type'], 'application/json; charset=utf-8');
  t.equal(await auditEventCount(database), await auditEventCount(database));
});
