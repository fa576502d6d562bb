/**
 * Data protection (DSGVO, DESIGN.md §5): the export of everything stored about a person (Art. 15)
 * and the erasure (Art. 17), which pseudonymises the person everywhere — current rows, history,
 * free texts, the search index and the audit log — keeps posts and dated assignments, and leaves
 * the audit chain verifiable. Both are admin-only and audited.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { DEMO_IDS } from '../../../../src/demo/data.js';
import { buildTestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import { findInTables } from '../../../helpers/table-search.js';
import { snapshot } from '../../../http/support.js';

const ORG = DEMO_IDS.facharbeitskreis;

/** Everything that names or reaches the person, as stored; searched for in every table afterwards. */
const PERSONAL = {
  givenName: 'Wilhelmine',
  familyName: 'Zwiebelfisch-Quast',
  otherName: 'Wilhelmine Rübenacker',
  email: 'w.zwiebelfisch@example.org',
  phone: '+49 231 555-0199',
  newPhone: '+49 231 555-0200',
  mobile: '+49 171 5550123',
  address: 'Quastweg 7, 44135 Dortmund',
  identifier: 'PN-778899',
  link: 'https://example.org/team/w-zwiebelfisch',
};

/** What must be gone: the values, name parts and the forms the search index folds them to. */
const NEEDLES = [
  ...Object.values(PERSONAL),
  `${PERSONAL.givenName} ${PERSONAL.familyName}`,
  `${PERSONAL.familyName}, ${PERSONAL.givenName}`,
  'Zwiebelfisch',
  'Rübenacker',
  'ruebenacker',
  'rubenacker',
  '555-0199',
  '5550123',
  'Quastweg',
  '778899',
];

t.test(`export and erasure of a person on ${DATABASE_KIND}`, async (t) => {
  const app = await buildTestApp(t, { demo: true });
  const editor = await app.createKey('editor');
  const auditor = await app.createKey('auditor');
  const fullName = `${PERSONAL.givenName} ${PERSONAL.familyName}`;

  // The person, as HR would record her: names, contact details of every visibility, a post, a
  // history of changes, a transition, and free texts and reasons that name her.
  const created = await app.request({
    method: 'POST',
    url: '/v1/people',
    headers: { 'x-reason': `Neueinstellung ${fullName}` },
    payload: {
      givenName: PERSONAL.givenName,
      familyName: PERSONAL.familyName,
      honorificPrefix: 'Dr.',
      otherNames: [{ name: PERSONAL.otherName, endDate: '2015-05-31', note: 'Geburtsname' }],
      contactDetails: [
        { type: 'email', value: PERSONAL.email, visibility: 'public' },
        { type: 'phone', value: PERSONAL.phone, visibility: 'internal' },
        { type: 'mobile', value: PERSONAL.mobile, visibility: 'private' },
        { type: 'address', value: PERSONAL.address, visibility: 'private' },
      ],
      identifiers: [{ scheme: 'personalnummer', identifier: PERSONAL.identifier }],
      links: [{ url: PERSONAL.link, note: 'Profil' }],
    },
  });
  t.equal(created.status, 201, 'the person is recorded');
  const id = created.body.id as string;
  const control = await app.request({ method: 'POST', url: '/v1/people', payload: { givenName: 'Konrad', familyName: 'Kontrollmann' } });
  const post = await app.request({ method: 'POST', url: '/v1/posts', payload: { organisationId: ORG, label: 'Schriftführung', maxHolders: 1 } });
  const first = await app.request({
    method: 'POST',
    url: '/v1/assignments',
    headers: { 'x-reason': `${fullName} übernimmt die Schriftführung` },
    payload: {
      personId: id,
      organisationId: ORG,
      postId: post.body.id,
      role: 'Schriftführerin',
      startDate: '2019-03-01',
      source: `Protokoll der Sitzung: Frau ${PERSONAL.familyName} wird gewählt`,
      note: `vormals ${PERSONAL.otherName}; Kontakt ${PERSONAL.email}`,
    },
  });
  t.equal(first.status, 201, 'her assignment in a post');
  const controlAssignment = await app.request({
    method: 'POST',
    url: '/v1/assignments',
    payload: { personId: control.body.id, organisationId: ORG, role: 'Mitglied', startDate: '2019-03-01', note: 'Stellvertretung' },
  });
  t.equal(controlAssignment.status, 201, 'a colleague, who must stay as he is');
  const etag = (await app.request({ url: `/v1/people/${id}` })).headers.etag as string;
  const patched = await app.request({
    method: 'PATCH',
    url: `/v1/people/${id}`,
    headers: { 'if-match': etag, 'x-reason': `Neue Durchwahl für ${fullName}` },
    payload: {
      contactDetails: [
        { type: 'email', value: PERSONAL.email, visibility: 'public' },
        { type: 'phone', value: PERSONAL.newPhone, visibility: 'internal' },
        { type: 'mobile', value: PERSONAL.mobile, visibility: 'private' },
        { type: 'address', value: PERSONAL.address, visibility: 'private' },
      ],
    },
  });
  t.equal(patched.status, 200, 'a change, so that there is a past version');
  const transition = await app.request({
    method: 'POST',
    url: '/v1/transitions',
    payload: {
      date: '2024-01-01',
      end: [{ assignmentId: first.body.id }],
      start: [{ personId: id, organisationId: DEMO_IDS.gib, role: 'Referentin', note: `Wechsel von ${fullName}` }],
      reason: `Wechsel von ${fullName} zur G.I.B.`,
      source: `Hausmitteilung über ${PERSONAL.familyName}`,
    },
  });
  t.equal(transition.status, 201, 'a transition that moved her');

  t.test('the export: admins only', async (t) => {
    const url = `/v1/people/${id}/export`;
    const before = await snapshot(app.database);
    t.equal((await app.request({ url, key: null })).status, 401, 'no key: 401');
    t.equal((await app.request({ url, key: editor })).status, 403, 'editor: 403');
    t.equal((await app.request({ url, key: auditor })).status, 403, 'auditor: 403');
    t.same(await snapshot(app.database), before, 'refused exports leave no trace');
    t.equal((await app.request({ url: '/v1/people/00000000-0000-4000-8000-000000000000/export' })).status, 404, 'an unknown person: 404');
  });

  t.test('the export holds everything stored about her', async (t) => {
    const res = await app.request({ url: `/v1/people/${id}/export` });
    t.equal(res.status, 200, 'exported');
    t.match(String(res.headers['content-disposition']), /^attachment; filename="person-/, 'as a download');
    t.equal(res.headers['cache-control'], 'no-store', 'not cached');
    const body = res.body;
    t.equal(body.person.id, id, 'the person');
    t.equal(body.person.familyName, PERSONAL.familyName, 'with her name');
    t.same(
      body.person.contactDetails.map((c: { value: string }) => c.value).sort(),
      [PERSONAL.email, PERSONAL.newPhone, PERSONAL.mobile, PERSONAL.address].sort(),
      'every contact detail, private ones included',
    );
    t.same(body.person.otherNames.map((n: { name: string }) => n.name), [PERSONAL.otherName], 'her other names');
    t.same(body.person.identifiers, [{ scheme: 'personalnummer', identifier: PERSONAL.identifier }], 'her identifiers');
    t.ok(body.versions.person.length >= 1, `past versions of the person (${body.versions.person.length})`);
    t.ok(
      body.versions.contactDetails.some((c: { value: string }) => c.value === PERSONAL.phone),
      'the contact details as they were before the change',
    );
    t.same(
      body.assignments.map((a: { id: string }) => a.id).sort(),
      [first.body.id, transition.body.started[0].id].sort(),
      'her assignments',
    );
    t.ok(
      body.assignmentVersions.some((a: { id: string; end_date: string | null }) => a.id === first.body.id && a.end_date === null),
      'their past versions (the first before the transition ended it)',
    );
    t.same(body.transitions.map((x: { id: string }) => x.id), [transition.body.id], 'the transition that moved her');
    const operations = new Set(body.audit.map((e: { operation: string }) => e.operation));
    for (const operation of ['person.create', 'person.update', 'assignment.create', 'transition.create']) {
      t.ok(operations.has(operation), `the audit entry ${operation} about her`);
    }
    t.notOk(JSON.stringify(body.audit).includes('Kontrollmann'), 'no audit entries about others');

    const exports = await app.request({ url: `/v1/audit?operation=person.export&entityId=${id}` });
    t.equal(exports.status, 200, 'the audit log');
    t.equal(exports.body.items.length, 1, 'the export is audited (person.export)');
    t.match(exports.body.items[0].actor, /^test admin/, 'with who exported');
  });

  t.test('the erasure: admins only', async (t) => {
    const request = { method: 'POST' as const, url: `/v1/people/${id}/erasure`, payload: { reason: 'Antrag nach Art. 17 DSGVO' } };
    const before = await snapshot(app.database);
    t.equal((await app.request({ ...request, key: null })).status, 401, 'no key: 401');
    t.equal((await app.request({ ...request, key: editor })).status, 403, 'editor: 403');
    t.equal((await app.request({ ...request, key: auditor })).status, 403, 'auditor: 403');
    t.equal((await app.request({ ...request, payload: {} })).status, 400, 'without a reason: 400');
    t.same(await snapshot(app.database), before, 'nothing changed');
    t.equal(
      (await app.request({ ...request, url: '/v1/people/00000000-0000-4000-8000-000000000000/erasure' })).status,
      404,
      'an unknown person: 404',
    );
  });

  t.test('after the erasure, no trace of her names or contact data in any table', async (t) => {
    const present = await findInTables(app.database, NEEDLES);
    t.ok(present.length > 0, `before: found in ${[...new Set(present.map((p) => p.table))].join(', ')}`);
    t.ok(present.some((p) => p.table === 'audit_events'), 'before: in the audit log');
    t.ok(present.some((p) => p.table.endsWith('_history')), 'before: in history tables');

    const res = await app.request({
      method: 'POST',
      url: `/v1/people/${id}/erasure`,
      payload: { reason: 'Antrag nach Art. 17 DSGVO vom 01.02.2026' },
    });
    t.equal(res.status, 200, 'erased');
    t.equal(res.body.personId, id, 'this person');
    t.match(res.body.pseudonym, /^Erased person /, 'the pseudonym');
    t.ok(res.body.redactedAuditEntries >= 5, `audit entries redacted (${res.body.redactedAuditEntries})`);
    t.ok(res.body.rewrittenTexts >= 3, `free texts rewritten (${res.body.rewrittenTexts})`);

    const traces = await findInTables(app.database, NEEDLES);
    t.same(
      traces.map((x) => `${x.table}: ${x.needle} (${x.rows}) ${x.sample}`),
      [],
      'nothing left in any table, history tables, the search index and audit_events included',
    );
    const others = await findInTables(app.database, ['Kontrollmann', 'Stellvertretung'], ['public']);
    t.ok(others.some((x) => x.table === 'people'), 'the colleague is still there');
    t.ok(others.some((x) => x.table === 'assignments'), 'and his assignment, note and all');
  });

  t.test('the audit chain still verifies, and the erasure is in it', async (t) => {
    const verify = await app.request({ url: '/v1/audit/verify' });
    t.equal(verify.status, 200, 'verified');
    t.equal(verify.body.ok, true, 'the chain is intact');
    t.equal(verify.body.firstBreak, null, 'no broken entry');
    const erasures = await app.request({ url: `/v1/audit?operation=person.erase&entityId=${id}` });
    t.equal(erasures.body.items.length, 1, 'one person.erase event');
    t.equal(erasures.body.items[0].reason, 'Antrag nach Art. 17 DSGVO vom 01.02.2026', 'with its reason');
    const about = await app.request({ url: `/v1/audit?entityId=${id}&limit=500` });
    t.ok(
      about.body.items.filter((e: { operation: string }) => e.operation !== 'person.erase' && e.operation !== 'person.export').every((e: { redacted: boolean }) => e.redacted),
      'every earlier entry about her is marked redacted',
    );
    const [row] = await app.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events WHERE redacted_at IS NOT NULL`);
    t.ok(row!.n >= 5, 'redactions are recorded in the log');
  });

  t.test('posts and dated assignments remain, held by the erased person', async (t) => {
    const person = await app.request({ url: `/v1/people/${id}` });
    t.equal(person.status, 200, 'the person record stays');
    t.match(person.body.name, /^Erased person /, 'under the pseudonym');
    t.equal(person.body.givenName, null, 'no given name');
    t.same([person.body.otherNames, person.body.contactDetails, person.body.identifiers, person.body.links], [[], [], [], []], 'nothing else');

    const holders = await app.request({ url: `/v1/posts/${post.body.id}/holders` });
    t.equal(holders.status, 200, 'the post is there');
    t.match(holders.text, /Erased person/, 'with the erased person as a holder');
    const held = await app.request({ url: `/v1/posts/${post.body.id}/holders?at=2020-01-01` });
    t.match(held.text, /Erased person/, 'on a day of her tenure');

    const assignments = await app.request({ url: `/v1/assignments?personId=${id}` });
    t.same(
      assignments.body.items.map((a: { startDate: string; endDate: string | null; organisationId: string }) => [a.organisationId, a.startDate, a.endDate]).sort(),
      [
        [ORG, '2019-03-01', '2023-12-31'],
        [DEMO_IDS.gib, '2024-01-01', null],
      ].sort(),
      'her assignments keep their organisations and dates',
    );
    const moved = await app.request({ url: `/v1/transitions/${transition.body.id}` });
    t.equal(moved.status, 200, 'the transition stays');
    t.notOk(moved.text.includes(PERSONAL.familyName), 'without her name in reason or source');
    const timeline = await app.request({ url: `/v1/people/${id}/timeline` });
    t.equal(timeline.status, 200, 'her timeline still answers');

    const exported = await app.request({ url: `/v1/people/${id}/export` });
    t.equal(exported.status, 200, 'an export after the erasure');
    t.notOk(NEEDLES.some((needle) => exported.text.toLowerCase().includes(needle.toLowerCase())), 'holds none of her data');
    const search = await app.request({ url: `/v1/people?q=${encodeURIComponent('Zwiebelfisch')}` });
    t.same(search.body.items, [], 'no list finds her by name');
  });
});
