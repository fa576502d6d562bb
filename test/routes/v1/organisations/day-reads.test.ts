/**
 * Reads about a day, over HTTP, along the demo story (DESIGN.md §1): who chaired the
 * Facharbeitskreis on 22 June 2016, where Katja Sträde worked before and after her move, what the
 * MAIS looked like before its 2017 split and what its successors looked like after; then the
 * succession of a post with vacancies, the certainty of partial dates, and the rename and
 * dissolve events seen through the tree and the member lists.
 */
import t from 'tap';
import { buildTestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import { tree } from '../../../../src/routes/v1/organisations/day-schemas.js';
import {
  assertValidationProblem,
  createAssignment,
  createOrganisation,
  createPerson,
  createPost,
  read,
  type Resource,
} from '../../../helpers/fixtures.js';

const org = (n: number) => `0a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const DEMO = {
  mais: org(1),
  labour: org(2),
  referatBildung: org(3),
  referatIntegration: org(4),
  integration: org(5),
  regionalagentur: org(6),
  facharbeitskreis: org(7),
  gib: org(8),
  mags: org(9),
  mkffi: org(10),
  jutta: '0b000000-0000-4000-8000-000000000001',
  katja: '0b000000-0000-4000-8000-000000000004',
  chair: '0c000000-0000-4000-8000-000000000001',
  coordination: '0c000000-0000-4000-8000-000000000002',
  juttaChair: '0d000000-0000-4000-8000-000000000001',
  katjaAtRegionalagentur: '0d000000-0000-4000-8000-000000000004',
  move: '0e000000-0000-4000-8000-000000000001',
};

/** A tree unit reduced to what a reader looks at: ids, names, holders and members by name. */
interface Outline {
  id: string;
  name?: string;
  posts?: Array<{ id: string; holders: string[] }>;
  members?: string[];
  units: Outline[];
}

function outline(unit: Resource, withNames = false): Outline {
  return {
    id: unit.id,
    ...(withNames ? { name: unit.name } : {}),
    posts: (unit.posts as Resource[]).map((p) => ({ id: p.id, holders: (p.holders as Resource[]).map((h) => h.person.name) })),
    members: (unit.members as Resource[]).map((m) => m.person.name),
    units: (unit.units as Resource[]).map((u) => outline(u, withNames)),
  };
}

const leaf = (id: string, members: string[] = []): Outline => ({ id, posts: [], members, units: [] });

t.test(`the demo story, day by day, on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t, { demo: true });
  const get = async (url: string) => {
    const res = await read(request, url);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.text}`);
    return res.body;
  };

  await t.test('Jutta Reiter chaired the Facharbeitskreis on 2016-06-22', async (t) => {
    const holders = await get(`/v1/posts/${DEMO.chair}/holders?at=2016-06-22`);
    t.equal(holders.at, '2016-06-22');
    t.equal(holders.vacant, false);
    t.equal(holders.succession, null, 'no succession when asked about a day');
    t.same(
      holders.holders.map((h: Resource) => [h.assignmentId, h.person.id, h.person.name, h.certainty]),
      [[DEMO.juttaChair, DEMO.jutta, 'Jutta Reiter', 'certain']],
      'via the post: one holder, for certain',
    );

    const tree = await get(`/v1/organisations/${DEMO.facharbeitskreis}/tree?at=2016-06-22&members=true`);
    t.equal(tree.existed, true);
    t.equal(tree.root.name, 'Facharbeitskreis Westfälisches Ruhrgebiet');
    t.same(tree.root.posts.map((p: Resource) => [p.id, p.vacant, p.holders.map((h: Resource) => h.person.name)]), [
      [DEMO.chair, false, ['Jutta Reiter']],
    ], 'via the tree: the chair and its holder');

    const agency = await get(`/v1/organisations/${DEMO.regionalagentur}/tree?at=2016-06-22&members=true`);
    t.same(
      agency.root.units.map((u: Resource) => [u.id, u.posts[0]?.holders[0]?.person.name]),
      [[DEMO.facharbeitskreis, 'Jutta Reiter']],
      'and inside the tree of the Regionalagentur',
    );
  });

  await t.test('Katja Sträde worked at the Regionalagentur on 2016-06-30 and at the G.I.B. from 2016-07-01', async (t) => {
    const before = await get(`/v1/assignments?personId=${DEMO.katja}&at=2016-06-30`);
    t.same(before.items.map((a: Resource) => [a.id, a.organisationId, a.endDate]), [[DEMO.katjaAtRegionalagentur, DEMO.regionalagentur, '2016-06-30']]);
    const after = await get(`/v1/assignments?personId=${DEMO.katja}&at=2016-07-01`);
    t.same(
      after.items.map((a: Resource) => [a.organisationId, a.postId, a.startDate, a.startedByTransitionId]),
      [[DEMO.gib, DEMO.coordination, '2016-07-01', DEMO.move]],
    );

    const members = async (organisationId: string, at: string) =>
      (await get(`/v1/organisations/${organisationId}/members?at=${at}`)).items.map((m: Resource) => m.person.id);
    t.same(await members(DEMO.regionalagentur, '2016-06-30'), [DEMO.katja], 'a member of the Regionalagentur on 2016-06-30');
    t.same(await members(DEMO.gib, '2016-06-30'), [], 'not yet of the G.I.B.');
    t.same(await members(DEMO.regionalagentur, '2016-07-01'), [], 'no longer of the Regionalagentur on 2016-07-01');
    t.same(await members(DEMO.gib, '2016-07-01'), [DEMO.katja], 'but of the G.I.B.');

    const gib = await get(`/v1/organisations/${DEMO.gib}/members?at=2016-07-01`);
    t.equal(gib.items[0]?.organisationName, 'Gesellschaft für innovative Beschäftigungsförderung mbH');
    t.equal(gib.items[0]?.certainty, 'certain');
  });

  await t.test('the MAIS on 2016-06-22: two departments, the Referate with their people', async (t) => {
    const tree = await get(`/v1/organisations/${DEMO.mais}/tree?at=2016-06-22&members=true`);
    t.equal(tree.at, '2016-06-22');
    t.equal(tree.existed, true);
    t.equal(tree.root.abbreviation, 'MAIS');
    t.same(outline(tree.root), {
      id: DEMO.mais,
      posts: [],
      members: [],
      units: [
        {
          id: DEMO.labour,
          posts: [],
          members: [],
          units: [leaf(DEMO.referatBildung, ['Ingrid Schleimer']), leaf(DEMO.referatIntegration, ['Marion Siebert'])],
        },
        leaf(DEMO.integration),
      ],
    });
    const bildung = tree.root.units[0].units[0];
    t.equal(bildung.members[0].role, 'Gruppenleiterin');
    t.equal(bildung.name, 'Referat Berufliche Bildung, Beschäftigungssicherung und Berufliche Integration');
  });

  await t.test('after the 2017 split: the MAIS is gone, the MAGS and the MKFFI hold its departments', async (t) => {
    const mais = await get(`/v1/organisations/${DEMO.mais}/tree?at=2018-01-01&members=true`);
    t.equal(mais.existed, false, 'the MAIS no longer existed in 2018');
    t.same(outline(mais.root), leaf(DEMO.mais), 'and its tree is empty');

    const lastDay = await get(`/v1/organisations/${DEMO.mais}/tree?at=2017-06-29&members=true`);
    t.equal(lastDay.existed, true, 'on 2017-06-29, its last day, it still existed');
    t.same(lastDay.root.units.map((u: Resource) => u.id), [DEMO.labour, DEMO.integration], 'with both departments');

    const mags = await get(`/v1/organisations/${DEMO.mags}/tree?at=2018-01-01&members=true`);
    t.equal(mags.existed, true);
    t.same(outline(mags.root), {
      id: DEMO.mags,
      posts: [],
      members: [],
      units: [
        {
          id: DEMO.labour,
          posts: [],
          members: [],
          units: [leaf(DEMO.referatBildung, ['Ingrid Schleimer']), leaf(DEMO.referatIntegration, ['Marion Siebert'])],
        },
      ],
    }, 'the MAGS: the labour department with the two Referate');
    const mkffi = await get(`/v1/organisations/${DEMO.mkffi}/tree?at=2018-01-01&members=true`);
    t.same(outline(mkffi.root), { id: DEMO.mkffi, posts: [], members: [], units: [leaf(DEMO.integration)] }, 'the MKFFI: the integration department');

    const firstDay = await get(`/v1/organisations/${DEMO.mags}/tree?at=2017-06-30&members=true`);
    t.same(firstDay.root.units.map((u: Resource) => u.id), [DEMO.labour], 'from 2017-06-30, the first day of the MAGS');
    const dayBefore = await get(`/v1/organisations/${DEMO.mags}/tree?at=2017-06-29&members=true`);
    t.equal(dayBefore.existed, false, 'the day before, the MAGS did not exist yet');
    t.same(dayBefore.root.units, [], 'and had no departments');
  });

  await t.test("Katja Sträde's timeline: two assignments and the transition between them", async (t) => {
    const timeline = await get(`/v1/people/${DEMO.katja}/timeline`);
    t.same(timeline.person, { id: DEMO.katja, name: 'Katja Sträde' });
    t.equal(timeline.items.length, 2);
    const [first, second] = timeline.items as Resource[];
    t.equal(first!.assignment.id, DEMO.katjaAtRegionalagentur, 'the Regionalagentur first');
    t.equal(first!.organisation.name, 'Regionalagentur Westfälisches Ruhrgebiet');
    t.equal(first!.assignment.endDate, '2016-06-30');
    t.equal(second!.organisation.id, DEMO.gib, 'then the G.I.B.');
    t.equal(second!.organisation.name, 'Gesellschaft für innovative Beschäftigungsförderung mbH');
    t.equal(second!.organisation.abbreviation, 'G.I.B.');
    t.same(second!.post, { id: DEMO.coordination, label: 'Koordination der Regionalagenturen in NRW' });
    t.equal(second!.assignment.startDate, '2016-07-01');
    t.same(
      timeline.transitions.map((x: Resource) => ({ id: x.id, date: x.date, ended: x.ended, started: x.started })),
      [{ id: DEMO.move, date: '2016-07-01', ended: [DEMO.katjaAtRegionalagentur], started: [second!.assignment.id] }],
      'the move, with what it ended and started',
    );
  });

  await t.test('members with and without sub-units', async (t) => {
    const names = async (id: string, at: string, includeSubUnits: boolean) =>
      (await get(`/v1/organisations/${id}/members?at=${at}&includeSubUnits=${includeSubUnits}`)).items.map(
        (m: Resource) => [m.person.name, m.organisationId, m.organisationName],
      );
    t.same(await names(DEMO.labour, '2016-06-22', false), [], 'the department itself has no members');
    t.same(
      (await names(DEMO.labour, '2016-06-22', true)).sort(),
      [
        ['Ingrid Schleimer', DEMO.referatBildung, 'Referat Berufliche Bildung, Beschäftigungssicherung und Berufliche Integration'],
        ['Marion Siebert', DEMO.referatIntegration, 'Referat Berufliche Integration und Teilhabe'],
      ],
      'with sub-units, the people of its Referate, each with the unit they are in',
    );
    t.same((await names(DEMO.mais, '2016-06-22', true)).map((m: unknown[]) => m[0]).sort(), ['Ingrid Schleimer', 'Marion Siebert'], 'recursively from the ministry');
    t.same(await names(DEMO.mais, '2018-01-01', true), [], 'nobody in the dissolved MAIS in 2018');
    t.same((await names(DEMO.mags, '2018-01-01', true)).map((m: unknown[]) => m[0]).sort(), ['Ingrid Schleimer', 'Marion Siebert'], 'but in the MAGS');
    t.same(await names(DEMO.mkffi, '2018-01-01', true), [], 'and none in the MKFFI');
    const plain = await get(`/v1/organisations/${DEMO.labour}/members?at=2016-06-22`);
    t.equal(plain.includeSubUnits, false, 'includeSubUnits defaults to false');
  });
});

t.test(`successions, certainty and organisation events on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t, { demo: false });
  const get = async (url: string) => {
    const res = await read(request, url);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const event = (id: string, payload: Record<string, unknown>) =>
    request({ method: 'POST', url: `/v1/organisations/${id}/events`, payload });

  await t.test('without `at`, a post shows its succession with the vacancies between holders', async (t) => {
    const post = await createPost(request, { label: 'Geschäftsführung', maxHolders: 1 });
    const first = await createAssignment(request, {
      organisationId: post.organisationId,
      postId: post.id,
      startDate: '2015-01-01',
      endDate: '2015-12-31',
    });
    const second = await createAssignment(request, { organisationId: post.organisationId, postId: post.id, startDate: '2016-03-01' });
    const body = await get(`/v1/posts/${post.id}/holders`);
    t.equal(body.at, null);
    t.equal(body.vacant, null);
    t.same(body.holders.map((h: Resource) => h.assignmentId), [first.id, second.id], 'every holder in order');
    t.same(
      body.succession.map((p: Resource) => (p.kind === 'held' ? ['held', p.holding.assignmentId] : ['vacant', p.from, p.to])),
      [
        ['held', first.id],
        ['vacant', '2016-01-01', '2016-02-29'],
        ['held', second.id],
      ],
      'held, vacant over January and February 2016, held (ongoing: no vacancy after)',
    );
    const inGap = await get(`/v1/posts/${post.id}/holders?at=2016-02-29`);
    t.equal(inGap.vacant, true, 'asked about a day in the gap, the post is vacant');
    t.same(inGap.holders, []);
  });

  await t.test('a partial start is `possible` inside its period and `certain` after it', async (t) => {
    const post = await createPost(request, { label: 'Referatsleitung', maxHolders: 1 });
    const holding = await createAssignment(request, { organisationId: post.organisationId, postId: post.id, startDate: '2016-06' });
    const on = async (day: string) => (await get(`/v1/posts/${post.id}/holders?at=${day}`)).holders;
    t.same((await on('2016-06-10')).map((h: Resource) => [h.assignmentId, h.certainty]), [[holding.id, 'possible']], 'on 2016-06-10: possible');
    t.same((await on('2016-06-29')).map((h: Resource) => h.certainty), ['possible'], 'on 2016-06-29: possible');
    t.same((await on('2016-06-30')).map((h: Resource) => h.certainty), ['certain'], 'on 2016-06-30, the last day of June, it has begun whatever the day: certain');
    t.same((await on('2016-07-01')).map((h: Resource) => [h.assignmentId, h.certainty]), [[holding.id, 'certain']], 'on 2016-07-01: certain');
    t.same(await on('2016-05-31'), [], 'before June 2016: not a holder');
    const tree = await get(`/v1/organisations/${post.organisationId}/tree?at=2016-06-10&members=true`);
    t.equal(tree.root.posts[0].holders[0].certainty, 'possible', 'the tree says the same');
    const members = await get(`/v1/organisations/${post.organisationId}/members?at=2016-07-01`);
    t.equal(members.items[0].certainty, 'certain', 'and so do the members');
  });

  await t.test('a rename: the old name before the date, the new one from it, the old one kept as a dated other name', async (t) => {
    const parent = await createOrganisation(request, { name: 'Landesregierung' });
    const unit = await createOrganisation(request, {
      name: 'Referat Berufliche Bildung',
      foundingDate: '2005-01-01',
      parents: [{ organisationId: parent.id, startDate: '2005-01-01' }],
    });
    const person = await createPerson(request, { givenName: 'Ingrid', familyName: 'Schleimer' });
    const early = await createAssignment(request, { personId: person.id, organisationId: unit.id, startDate: '2010-01-01', endDate: '2017-12-31' });
    const late = await createAssignment(request, { personId: person.id, organisationId: unit.id, startDate: '2018-01-01', role: 'Leitung' });
    const res = await event(unit.id, { type: 'rename', date: '2018-01-01', name: 'Referat Berufliche Bildung und Weiterbildung', reason: 'Neuzuschnitt' });
    t.equal(res.status, 201, res.text);
    t.equal(res.body.event.type, 'rename');
    t.same(res.body.event.originalIds, [unit.id]);
    t.same(res.body.event.resultingIds, [unit.id]);

    const before = await get(`/v1/organisations/${unit.id}/tree?at=2017-12-31&members=true`);
    t.equal(before.root.name, 'Referat Berufliche Bildung', 'on 2017-12-31 the tree shows the old name');
    const after = await get(`/v1/organisations/${unit.id}/tree?at=2018-01-01&members=true`);
    t.equal(after.root.name, 'Referat Berufliche Bildung und Weiterbildung', 'from 2018-01-01 the new one');
    const fromAbove = await get(`/v1/organisations/${parent.id}/tree?at=2010-06-01&members=true`);
    t.equal(fromAbove.root.units[0]?.name, 'Referat Berufliche Bildung', 'the parent’s tree names the unit as it was named that day');

    const stored = await get(`/v1/organisations/${unit.id}`);
    t.equal(stored.name, 'Referat Berufliche Bildung und Weiterbildung');
    t.same(
      stored.otherNames.map((n: Resource) => ({ name: n.name, startDate: n.startDate, endDate: n.endDate })),
      [{ name: 'Referat Berufliche Bildung', startDate: '2005-01-01', endDate: '2017-12-31' }],
      'otherNames gets the old name, dated up to the day before',
    );
    const timeline = await get(`/v1/people/${person.id}/timeline`);
    t.same(
      timeline.items.map((i: Resource) => [i.assignment.id, i.organisation.name, i.organisation.parent?.name]),
      [
        [early.id, 'Referat Berufliche Bildung', 'Landesregierung'],
        [late.id, 'Referat Berufliche Bildung und Weiterbildung', 'Landesregierung'],
      ],
      'the timeline names the organisation as it was named when each assignment began',
    );
    const events = await get(`/v1/organisations/${unit.id}/events`);
    t.same(events.items.map((e: Resource) => [e.type, e.date]), [['rename', '2018-01-01']], 'the event is listed');
  });

  await t.test('a dissolution ends open assignments and sub-unit links, and counts them', async (t) => {
    const parent = await createOrganisation(request, { name: 'Ministerium' });
    const doomed = await createOrganisation(request, {
      name: 'Projektbüro',
      foundingDate: '2000-01-01',
      parents: [{ organisationId: parent.id, startDate: '2000-01-01' }],
    });
    const sub = await createOrganisation(request, { name: 'Projektgruppe', parents: [{ organisationId: doomed.id, startDate: '2001-01-01' }] });
    const open1 = await createAssignment(request, { organisationId: doomed.id, startDate: '2010-01-01' });
    const open2 = await createAssignment(request, { organisationId: doomed.id, startDate: '2012', role: 'Leitung' });
    const closed = await createAssignment(request, { organisationId: doomed.id, startDate: '2010-01-01', endDate: '2012-12-31' });
    const laterEnd = await createAssignment(request, { organisationId: doomed.id, startDate: '2015-01-01', endDate: '2025-12-31' });
    const inSub = await createAssignment(request, { organisationId: sub.id, startDate: '2015-01-01' });

    const before = await get(`/v1/organisations/${doomed.id}/members?at=2019-06-30&includeSubUnits=true`);
    t.equal(before.items.length, 4, 'on its last day: three of its own, one in the sub-unit');

    const res = await event(doomed.id, { type: 'dissolve', date: '2019-06-30', reason: 'Projektende' });
    t.equal(res.status, 201, res.text);
    t.equal(res.body.endedAssignments, 3, 'the two open ones and the one running past the date were ended');
    t.equal(res.body.endedParentLinks, 2, 'its link up and its sub-unit’s link to it were ended');
    t.equal(res.body.movedSubUnits, 0);
    const eventId = res.body.event.id as string;

    for (const a of [open1, open2, laterEnd]) {
      const stored = await get(`/v1/assignments/${a.id}`);
      t.equal(stored.endDate, '2019-06-30', `${a.id} ends on the last day`);
      t.equal(stored.endedByEventId, eventId, 'naming the event');
    }
    const untouched = await get(`/v1/assignments/${closed.id}`);
    t.equal(untouched.endDate, '2012-12-31', 'an assignment that had ended is untouched');
    t.equal(untouched.endedByEventId, null);
    t.equal((await get(`/v1/assignments/${inSub.id}`)).endDate, null, 'the sub-unit’s own assignments go on');

    t.equal((await get(`/v1/organisations/${doomed.id}`)).dissolutionDate, '2019-06-30');
    t.same(
      (await get(`/v1/organisations/${sub.id}`)).parents.map((p: Resource) => [p.organisationId, p.endDate]),
      [[doomed.id, '2019-06-30']],
      'the sub-unit’s link ends on the last day',
    );

    const lastDay = await get(`/v1/organisations/${doomed.id}/tree?at=2019-06-30&members=true`);
    t.equal(lastDay.existed, true);
    t.same(lastDay.root.units.map((u: Resource) => u.id), [sub.id], 'on its last day with its sub-unit');
    t.equal(lastDay.root.members.length, 3);
    const gone = await get(`/v1/organisations/${doomed.id}/tree?at=2019-07-01&members=true`);
    t.equal(gone.existed, false, 'the day after, it no longer exists');
    t.same(gone.root.units, [], 'without sub-units');
    t.same(gone.root.members, [], 'without members');
    const above = await get(`/v1/organisations/${parent.id}/tree?at=2019-07-01&members=true`);
    t.same(above.root.units, [], 'and it is gone from its parent’s tree');
    const after = await get(`/v1/organisations/${doomed.id}/members?at=2019-07-01&includeSubUnits=true`);
    t.same(after.items, [], 'nobody is a member after the dissolution');

    const again = await event(doomed.id, { type: 'dissolve', date: '2020-01-01' });
    t.equal(again.status, 409, 'it cannot be dissolved twice');
  });
});

t.test(`a person created over the API shows up on the right days (${DATABASE_KIND})`, async (t) => {
  const { request } = await buildTestApp(t, { demo: false });
  const person = await createPerson(request, { givenName: 'Ida', familyName: 'Ixel' });
  const unit = await createOrganisation(request, { name: 'Team' });
  await createAssignment(request, { personId: person.id, organisationId: unit.id, startDate: '2016-06-22', endDate: '2016-06-22' });
  const on = async (day: string) =>
    (await read(request, `/v1/organisations/${unit.id}/members?at=${day}`)).body.items.map((m: Resource) => m.person.id);
  t.same(await on('2016-06-21'), [], 'not the day before');
  t.same(await on('2016-06-22'), [person.id], 'on the one day');
  t.same(await on('2016-06-23'), [], 'not the day after');
});

/**
 * The tree is written by the database as JSON (treeJsonOn), the member lists by TypeScript
 * (holdings()): both must show every holding alike, and the tree must be what its schema says.
 */
t.test(`the tree the database writes matches its schema and the member lists on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t, { demo: true });
  const top = await createOrganisation(request, { name: 'Zentrale "Nord" \\ Süd', abbreviation: 'ZNS', foundingDate: '2001' });
  const unit = await createOrganisation(request, {
    name: 'Referat Ä',
    classification: 'unit',
    location: 'Köln',
    parents: [{ organisationId: top.id, startDate: '2002-03' }],
  });
  const team = await createOrganisation(request, { name: 'Team 1', parents: [{ organisationId: unit.id, startDate: '2002-03-15' }] });
  await createOrganisation(request, { name: 'Team 2', parents: [{ organisationId: unit.id, endDate: '2003' }] });
  const head = await createPost(request, { organisationId: unit.id, label: 'Leitung', maxHolders: 1 });
  await createPost(request, { organisationId: unit.id, label: 'Vertretung', maxHolders: 1 });
  const staff = await createPost(request, { organisationId: team.id, label: 'Sachbearbeitung', maxHolders: null });
  const doctor = await createPerson(request, { honorificPrefix: 'Dr.', givenName: 'Änne', familyName: 'Ölschläger' });
  const single = await createPerson(request, { givenName: 'Cher', familyName: null });
  await createAssignment(request, { personId: doctor.id, organisationId: unit.id, postId: head.id, role: 'Leiterin', startDate: '2002', endDate: '2003-06' });
  await createAssignment(request, { personId: single.id, organisationId: team.id, postId: staff.id, role: null, startDate: '2002-04-01' });
  await createAssignment(request, { personId: doctor.id, organisationId: team.id, postId: staff.id, startDate: '2002-05' });
  await createAssignment(request, { personId: single.id, organisationId: top.id, role: 'Beirat' });

  const holdingsOf = (unit: Resource): Resource[] => [
    ...(unit.posts as Resource[]).flatMap((p) => p.holders as Resource[]),
    ...(unit.members as Resource[]),
    ...(unit.units as Resource[]).flatMap(holdingsOf),
  ];
  const byId = (a: Resource, b: Resource) => String(a.assignmentId).localeCompare(String(b.assignmentId));
  const roots = [top.id, DEMO.mais, DEMO.regionalagentur, DEMO.gib, DEMO.mags];
  const days = ['2001-06-01', '2002-03-20', '2002-05-10', '2003-01-01', '2016-06-22', '2016-07-01', '2018-01-01'];
  let compared = 0;
  const withoutMembers = (unit: Resource): Resource => {
    const { members: _, ...rest } = unit;
    return { ...rest, units: (unit.units as Resource[]).map(withoutMembers) } as Resource;
  };
  for (const root of roots) {
    for (const at of days) {
      const chart = await read(request, `/v1/organisations/${root}/tree?at=${at}`);
      t.same(tree.parse(chart.body), chart.body, `${root} on ${at}, the chart: exactly the schema's fields and types`);
      const res = await read(request, `/v1/organisations/${root}/tree?at=${at}&members=true`);
      t.equal(res.status, 200);
      t.match(res.headers['content-type'], /^application\/json/);
      t.same(tree.parse(res.body), res.body, `${root} on ${at}, with members: exactly the schema's fields and types`);
      t.same(chart.body.root, withoutMembers(res.body.root), 'the chart is the team page without its members');
      const members = await read(request, `/v1/organisations/${root}/members?at=${at}&includeSubUnits=true`);
      const expected = (members.body.items as Resource[]).map(({ organisationName: _, ...h }) => h).sort(byId);
      t.strictSame(holdingsOf(res.body.root).sort(byId), expected, `${root} on ${at}: the same holdings as the member list`);
      compared += expected.length;
    }
  }
  t.ok(compared > 20, `${compared} holdings compared`);
  assertValidationProblem(t, await read(request, `/v1/organisations/${top.id}/tree?members=yes`), '/members', 'query');

  const chart = (await read(request, `/v1/organisations/${top.id}/tree?at=2002-05-10`)).body;
  t.equal(chart.root.name, 'Zentrale "Nord" \\ Süd', 'quotes and backslashes survive the database\'s JSON');
  const referat = chart.root.units[0];
  t.same(
    referat.posts.map((p: Resource) => [p.label, p.vacant, p.holders.map((h: Resource) => [h.person.name, h.startDate, h.endDate, h.certainty])]),
    [
      ['Leitung', false, [['Dr. Änne Ölschläger', '2002', '2003-06', 'possible']]],
      ['Vertretung', true, []],
    ],
  );
  t.same(referat.units.map((u: Resource) => u.name), ['Team 1', 'Team 2'], 'sub-units by name');
  t.same(
    referat.units[0].posts[0].holders.map((h: Resource) => [h.person.name, h.role, h.startDate, h.certainty]),
    [
      ['Cher', null, '2002-04-01', 'certain'],
      ['Dr. Änne Ölschläger', 'Mitglied', '2002-05', 'possible'],
    ],
    'holders by start, partial dates as sent, possible within a partial start',
  );
  t.equal(
    (await read(request, `/v1/organisations/${top.id}/tree?at=2003-01-01&members=true`)).body.root.units[0].posts[0].holders[0].certainty,
    'certain',
    'certain once the partial start is past',
  );
});
