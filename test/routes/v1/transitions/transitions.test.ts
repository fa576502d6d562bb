/**
 * POST /v1/transitions and GET /v1/transitions/{id} over HTTP (DESIGN.md §2, §4): the demo move,
 * ends by assignment and by person and organisation, future dates, conflicts that leave nothing
 * behind, the audit event, and many writers racing for one single-holder post.
 */
import { sql } from 'drizzle-orm';
import t from 'tap';
import { addDays, today } from '../../../../src/domain/partial-date.js';
import { buildTestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import {
  assertProblem,
  assertValidationProblem,
  auditEventCount,
  auditEventsFor,
  createAssignment,
  createOrganisation,
  createPerson,
  createPost,
  read,
  UNKNOWN_ID,
  UUID_PATTERN,
  type Resource,
} from '../../../helpers/fixtures.js';
import { count } from '../../../helpers/valid-time.js';

const DEMO = {
  move: '0e000000-0000-4000-8000-000000000001',
  katja: '0b000000-0000-4000-8000-000000000004',
  regionalagentur: '0a000000-0000-4000-8000-000000000006',
  gib: '0a000000-0000-4000-8000-000000000008',
  coordination: '0c000000-0000-4000-8000-000000000002',
  katjaAtRegionalagentur: '0d000000-0000-4000-8000-000000000004',
};

t.test(`transitions on ${DATABASE_KIND}`, async (t) => {
  const { request, database } = await buildTestApp(t, { demo: true });
  const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    request({ method: 'POST', url: '/v1/transitions', payload, headers });
  const transitionCount = () => count(database, sql`SELECT count(*) AS n FROM transitions`);

  await t.test("the demo move: Katja Sträde from the Regionalagentur to the G.I.B. on 2016-07-01", async (t) => {
    const res = await read(request, `/v1/transitions/${DEMO.move}`);
    t.equal(res.status, 200);
    t.equal(res.body.id, DEMO.move);
    t.equal(res.body.date, '2016-07-01');
    t.match(res.body.reason, /Regionalagentur/, 'with its reason');
    t.equal(res.body.ended.length, 1, 'one assignment ended');
    t.match(res.body.ended[0], {
      id: DEMO.katjaAtRegionalagentur,
      personId: DEMO.katja,
      organisationId: DEMO.regionalagentur,
      endDate: '2016-06-30',
      endedByTransitionId: DEMO.move,
    });
    t.equal(res.body.started.length, 1, 'one assignment started');
    t.match(res.body.started[0], {
      personId: DEMO.katja,
      organisationId: DEMO.gib,
      postId: DEMO.coordination,
      startDate: '2016-07-01',
      endDate: null,
      startedByTransitionId: DEMO.move,
    });
    t.match(res.body.started[0].id, UUID_PATTERN);
    t.ok(res.headers.etag, 'with an ETag');

    const missing = await read(request, `/v1/transitions/${UNKNOWN_ID}`);
    assertProblem(t, missing, 404, 'not-found');
    const malformed = await read(request, '/v1/transitions/not-a-uuid');
    t.equal(malformed.status, 400, 'a malformed id is a 400');
  });

  await t.test('ends by assignmentId and by {personId, organisationId}, starts on the date, audited as one event', async (t) => {
    const agency = await createOrganisation(request, { name: 'Regionalagentur Emscher-Lippe' });
    const company = await createOrganisation(request, { name: 'G.I.B. Bottrop' });
    const coordination = await createPost(request, { organisationId: company.id, label: 'Koordination' });
    const anna = await createPerson(request, { givenName: 'Anna', familyName: 'Albers' });
    const berta = await createPerson(request, { givenName: 'Berta', familyName: 'Brandt' });
    const annaAgency = await createAssignment(request, { personId: anna.id, organisationId: agency.id, startDate: '2015-01-01' });
    const bertaOld = await createAssignment(request, { personId: berta.id, organisationId: agency.id, startDate: '2014' });
    const bertaSpeaker = await createAssignment(request, {
      personId: berta.id,
      organisationId: agency.id,
      role: 'Sprecherin',
      startDate: '2016-01-01',
    });
    const bertaFormer = await createAssignment(request, {
      personId: berta.id,
      organisationId: agency.id,
      startDate: '2010-01-01',
      endDate: '2012-12-31',
    });
    const bertaElsewhere = await createAssignment(request, { personId: berta.id, organisationId: company.id, startDate: '2016-01-01' });
    const auditBefore = await auditEventCount(database);

    const res = await post({
      date: '2017-01-01',
      end: [{ assignmentId: annaAgency.id }, { personId: berta.id, organisationId: agency.id }],
      start: [{ personId: anna.id, organisationId: company.id, postId: coordination.id, role: 'Koordinatorin' }],
      reason: 'Wechsel zur G.I.B.',
      source: 'Hausmitteilung 1/2017',
    });
    t.equal(res.status, 201, res.text);
    const id = res.body.id as string;
    t.match(id, UUID_PATTERN);
    t.equal(res.headers.location, `/v1/transitions/${id}`, 'Location names the transition');
    t.equal(res.body.date, '2017-01-01');
    t.equal(res.body.reason, 'Wechsel zur G.I.B.');
    t.equal(res.body.source, 'Hausmitteilung 1/2017');

    const ended = res.body.ended as Resource[];
    t.same(
      ended.map((a) => a.id).sort(),
      [annaAgency.id, bertaOld.id, bertaSpeaker.id].sort(),
      'the named assignment and both current ones of the person in that organisation ended',
    );
    for (const a of ended) {
      t.equal(a.endDate, '2016-12-31', `${a.id} ends the day before`);
      t.equal(a.endedByTransitionId, id, `${a.id} names the transition`);
    }
    const started = res.body.started as Resource[];
    t.equal(started.length, 1);
    t.match(started[0], {
      personId: anna.id,
      organisationId: company.id,
      postId: coordination.id,
      role: 'Koordinatorin',
      startDate: '2017-01-01',
      endDate: null,
      source: 'Hausmitteilung 1/2017',
      startedByTransitionId: id,
    });

    const former = await read(request, `/v1/assignments/${bertaFormer.id}`);
    t.equal(former.body.endDate, '2012-12-31', 'an assignment that ended long before is untouched');
    t.equal(former.body.endedByTransitionId, null);
    const elsewhere = await read(request, `/v1/assignments/${bertaElsewhere.id}`);
    t.equal(elsewhere.body.endDate, null, 'an assignment in another organisation is untouched');

    const again = await read(request, `/v1/transitions/${id}`);
    t.equal(again.status, 200);
    t.same(again.body.ended.map((a: Resource) => a.id).sort(), ended.map((a) => a.id).sort(), 'GET shows the same ended assignments');
    t.same(again.body.started.map((a: Resource) => a.id), [started[0]!.id], 'and the same started one');

    t.equal(await auditEventCount(database), auditBefore + 1, 'one audit event for the whole transition');
    const events = await auditEventsFor(database, id);
    t.equal(events.length, 1, 'the audit event names the transition');
    const event = events[0]!;
    t.equal(event.operation, 'transition.create');
    t.equal(event.reason, 'Wechsel zur G.I.B.', 'with the reason');
    const changes = event.changes;
    t.equal(changes.length, 5, 'the transition, three ended and one started assignment');
    t.ok(changes.some((c) => c.entity === 'transition' && c.entityId === id && c.action === 'create'), 'the transition itself');
    for (const a of ended) {
      const change = changes.find((c) => c.entity === 'assignment' && c.entityId === a.id);
      t.equal(change?.action, 'update', `the end of ${a.id}`);
      t.equal((change?.before as Resource | undefined)?.endDate, null, 'before: ongoing');
      t.equal((change?.after as Resource | undefined)?.endDate, '2016-12-31', 'after: ended the day before');
    }
    const creation = changes.find((c) => c.entity === 'assignment' && c.entityId === started[0]!.id);
    t.equal(creation?.action, 'create', 'the start of the new assignment');
    t.equal((creation?.after as Resource | undefined)?.startDate, '2017-01-01');

    const reasonHeader = await post(
      { date: '2018-01-01', end: [{ assignmentId: bertaElsewhere.id }] },
      { 'x-reason': 'Ruhestand' },
    );
    t.equal(reasonHeader.status, 201, reasonHeader.text);
    const [headerEvent] = await auditEventsFor(database, reasonHeader.body.id);
    t.equal(headerEvent?.reason, 'Ruhestand', 'without a reason in the body, X-Reason is kept');
    t.equal(reasonHeader.body.started.length, 0, 'a transition may only end');
  });

  await t.test('a transition may lie in the future', async (t) => {
    const now = today();
    const date = addDays(now, 90);
    const org = await createOrganisation(request, { name: 'Facharbeitskreis Zukunft' });
    const chair = await createPost(request, { organisationId: org.id, label: 'Vorsitz' });
    const current = await createAssignment(request, { organisationId: org.id, postId: chair.id, startDate: '2015-01-01' });
    const successor = await createPerson(request, { givenName: 'Nora', familyName: 'Nachfolgerin' });
    const res = await post({
      date,
      end: [{ assignmentId: current.id }],
      start: [{ personId: successor.id, organisationId: org.id, postId: chair.id, role: 'Vorsitzende' }],
    });
    t.equal(res.status, 201, res.text);
    t.equal(res.body.ended[0]?.endDate, addDays(date, -1), 'the current holder ends the day before the future date');
    t.equal(res.body.started[0]?.startDate, date);

    const todayHolders = await read(request, `/v1/posts/${chair.id}/holders?at=${now}`);
    t.same(todayHolders.body.holders.map((h: Resource) => h.assignmentId), [current.id], 'today the current holder still holds the post');
    const dayBefore = await read(request, `/v1/posts/${chair.id}/holders?at=${addDays(date, -1)}`);
    t.same(dayBefore.body.holders.map((h: Resource) => h.assignmentId), [current.id], 'on the day before as well');
    const onTheDay = await read(request, `/v1/posts/${chair.id}/holders?at=${date}`);
    t.same(onTheDay.body.holders.map((h: Resource) => h.assignmentId), [res.body.started[0].id], 'from the date, the successor alone');
  });

  await t.test('a start on a taken post is a 409 naming the holder, and nothing of the transition is stored', async (t) => {
    const fak = await createOrganisation(request, { name: 'Facharbeitskreis Hellweg' });
    const chair = await createPost(request, { organisationId: fak.id, label: 'Vorsitz', maxHolders: 1 });
    const holder = await createAssignment(request, { organisationId: fak.id, postId: chair.id, startDate: '2015-01-01' });
    const mover = await createAssignment(request, { startDate: '2014-01-01' });
    const transitionsBefore = await transitionCount();
    const auditBefore = await auditEventCount(database);

    const res = await post({
      date: '2017-01-01',
      end: [{ assignmentId: mover.id }],
      start: [{ personId: mover.personId, organisationId: fak.id, postId: chair.id, role: 'Vorsitzende' }],
      reason: 'Wahl',
    });
    assertProblem(t, res, 409, 'conflict');
    t.equal(res.body.conflicting?.id, holder.id, 'the body names the assignment that holds the post');
    t.equal(res.body.conflicting?.startDate, '2015-01-01', 'with its start');
    t.equal(res.body.conflicting?.endDate, null, 'and its (missing) end');
    t.equal(res.body.conflicting?.entity, 'assignment');

    const kept = await read(request, `/v1/assignments/${mover.id}`);
    t.equal(kept.body.endDate, null, 'the assignment to end keeps its old end');
    t.equal(kept.body.endedByTransitionId, null);
    t.equal(await transitionCount(), transitionsBefore, 'no transitions row');
    t.equal(await auditEventCount(database), auditBefore, 'no audit event');
    t.equal(await count(database, sql`SELECT count(*) AS n FROM assignments WHERE post_id = ${chair.id}`), 1, 'no new holding');
  });

  await t.test('ending an assignment that is not current on the day before is a 409', async (t) => {
    const later = await createAssignment(request, { startDate: '2020-01-01' });
    const over = await createAssignment(request, { startDate: '2010-01-01', endDate: '2015-12-31' });
    const transitionsBefore = await transitionCount();
    const auditBefore = await auditEventCount(database);

    const notYet = await post({ date: '2020-01-01', end: [{ assignmentId: later.id }] });
    assertProblem(t, notYet, 409, 'conflict');
    t.equal(notYet.body.conflicting?.id, later.id, 'naming the assignment that starts on the date itself');

    const ended = await post({ date: '2017-01-01', end: [{ assignmentId: over.id }] });
    assertProblem(t, ended, 409, 'conflict');
    t.equal(ended.body.conflicting?.id, over.id, 'naming the assignment that ended before');
    t.equal(ended.body.conflicting?.endDate, '2015-12-31');

    const dayAfterItsEnd = await post({ date: '2016-01-01', end: [{ assignmentId: over.id }] });
    assertProblem(t, dayAfterItsEnd, 409, 'conflict');
    t.equal(dayAfterItsEnd.body.conflicting?.id, over.id, 'an assignment already ended by the day before is not current either');

    const byPerson = await post({ date: '2017-01-01', end: [{ personId: over.personId, organisationId: over.organisationId }] });
    assertProblem(t, byPerson, 409, 'conflict');
    t.ok(
      (byPerson.body.errors ?? []).some((e: { path: string }) => e.path === '/end/0'),
      'a person without a current assignment there is reported at /end/0',
    );

    t.equal(await transitionCount(), transitionsBefore, 'no transitions row');
    t.equal(await auditEventCount(database), auditBefore, 'no audit event');
    t.equal((await read(request, `/v1/assignments/${over.id}`)).body.endDate, '2015-12-31', 'the ended assignment is unchanged');
  });

  await t.test('an unknown assignmentId is a 400 at its path, and nothing is stored', async (t) => {
    const current = await createAssignment(request, { startDate: '2015-01-01' });
    // A taken post of another organisation: refused as a reference, not as taken.
    const chair = await createPost(request, { label: 'Vorsitz', maxHolders: 1 });
    await createAssignment(request, { organisationId: chair.organisationId, postId: chair.id, startDate: '2010-01-01' });
    const transitionsBefore = await transitionCount();
    const auditBefore = await auditEventCount(database);

    const first = await post({ date: '2017-01-01', end: [{ assignmentId: UNKNOWN_ID }] });
    assertValidationProblem(t, first, '/end/0/assignmentId');
    const second = await post({ date: '2017-01-01', end: [{ assignmentId: current.id }, { assignmentId: UNKNOWN_ID }] });
    assertValidationProblem(t, second, '/end/1/assignmentId');
    t.equal((await read(request, `/v1/assignments/${current.id}`)).body.endDate, null, 'the known assignment was not ended');

    const unknownPerson = await post({
      date: '2017-01-01',
      end: [{ assignmentId: current.id }],
      start: [
        { personId: current.personId, organisationId: current.organisationId, role: 'Leitung' },
        { personId: UNKNOWN_ID, organisationId: current.organisationId },
      ],
    });
    assertValidationProblem(t, unknownPerson, '/start/1/personId');
    const foreignPost = await post({
      date: '2017-01-01',
      start: [{ personId: current.personId, organisationId: current.organisationId, postId: chair.id }],
    });
    assertValidationProblem(t, foreignPost, '/start/0/postId');
    t.equal((await read(request, `/v1/assignments/${current.id}`)).body.endDate, null, 'the known assignment was still not ended');
    const empty = await post({ date: '2017-01-01' });
    t.equal(empty.status, 400, 'a transition that neither ends nor starts anything is a 400');
    const badDate = await post({ date: '2017-02-30', end: [{ assignmentId: current.id }] });
    assertValidationProblem(t, badDate, '/date');

    t.equal(await transitionCount(), transitionsBefore, 'no transitions row');
    t.equal(await auditEventCount(database), auditBefore, 'no audit event');
  });

  await t.test('50 parallel transitions into one single-holder post: exactly one wins', async (t) => {
    const org = await createOrganisation(request, { name: 'Koordinierungsstelle' });
    const chair = await createPost(request, { organisationId: org.id, label: 'Koordination', maxHolders: 1 });
    const people: Resource[] = [];
    for (let i = 0; i < 50; i++) people.push(await createPerson(request, { givenName: `Bewerberin ${i}`, familyName: 'Parallel' }));
    const transitionsBefore = await transitionCount();
    const auditBefore = await auditEventCount(database);

    const responses = await Promise.all(
      people.map((person) =>
        post({
          date: '2018-01-01',
          start: [{ personId: person.id, organisationId: org.id, postId: chair.id, role: 'Koordinatorin' }],
          reason: `Bewerbung ${person.givenName}`,
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    t.equal(statuses.filter((s) => s === 201).length, 1, 'exactly one 201');
    t.equal(statuses.filter((s) => s === 409).length, 49, 'the other 49 are 409');
    t.same([...new Set(statuses)].sort(), [201, 409], `no other status (got ${JSON.stringify([...new Set(statuses)])})`);

    const winner = responses.find((r) => r.status === 201)!;
    const winning = winner.body.started[0].id as string;
    t.ok(
      responses.filter((r) => r.status === 409).every((r) => r.body.conflicting?.id === winning),
      'every 409 names the winning assignment',
    );
    t.equal(await count(database, sql`SELECT count(*) AS n FROM assignments WHERE post_id = ${chair.id}`), 1, 'one holding stored');
    t.equal(
      await count(
        database,
        sql`SELECT count(*) AS n FROM assignments a JOIN assignments b
              ON a.post_id = b.post_id AND a.id < b.id AND a.possible_span && b.possible_span
             WHERE a.post_id = ${chair.id}`,
      ),
      0,
      'no two holdings of the post share a day',
    );
    t.equal(await transitionCount(), transitionsBefore + 1, 'one transitions row');
    t.equal(await auditEventCount(database), auditBefore + 1, 'one audit event');
  });

  await t.test('20 parallel transitions ending the same assignment: exactly one ends it', async (t) => {
    const target = await createAssignment(request, { startDate: '2015-01-01' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post({ date: '2017-01-01', end: [{ assignmentId: target.id }] })),
    );
    const statuses = responses.map((r) => r.status);
    t.equal(statuses.filter((s) => s === 201).length, 1, 'exactly one 201');
    t.equal(statuses.filter((s) => s === 409).length, 19, 'the others are 409: the assignment is no longer current');
    const winner = responses.find((r) => r.status === 201)!;
    const stored = await read(request, `/v1/assignments/${target.id}`);
    t.equal(stored.body.endDate, '2016-12-31', 'it ends the day before');
    t.equal(stored.body.endedByTransitionId, winner.body.id);
  });
});
