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
  createPost,
  listIds,
  patchCurrent,
  read,
  UNKNOWN_ID,
} from '../../../helpers/fixtures.js';

t.test(`posts: create, read, update on ${DATABASE_KIND}`, async (t) => {
  await resourceContract(t, {
    path: '/v1/posts',
    entity: 'post',
    input: async (request) => {
      const facharbeitskreis = await createOrganisation(request, { name: 'Facharbeitskreis Westfälisches Ruhrgebiet' });
      return { organisationId: facharbeitskreis.id, label: 'Vorsitz des Facharbeitskreises', maxHolders: 1 };
    },
    expected: (input) => ({ organisationId: input.organisationId, label: 'Vorsitz des Facharbeitskreises', maxHolders: 1 }),
    updates: () => [
      { patch: { maxHolders: null }, expect: { maxHolders: null } },
      { patch: { label: 'Stellvertretender Vorsitz', maxHolders: 2 }, expect: { label: 'Stellvertretender Vorsitz', maxHolders: 2 } },
    ],
    invalidCreates: async (request) => {
      const organisationId = (await createOrganisation(request, { name: 'G.I.B.' })).id;
      return [
        { name: 'no organisation', body: { label: 'Koordination' }, path: '/organisationId' },
        { name: 'an unknown organisation', body: { organisationId: UNKNOWN_ID, label: 'Koordination' }, path: '/organisationId' },
        { name: 'no label', body: { organisationId }, path: '/label' },
        { name: 'an empty label', body: { organisationId, label: '' }, path: '/label' },
        { name: 'no holders at all', body: { organisationId, label: 'K', maxHolders: 0 }, path: '/maxHolders' },
        { name: 'a fraction of a holder', body: { organisationId, label: 'K', maxHolders: 1.5 }, path: '/maxHolders' },
        { name: 'a number as a string', body: { organisationId, label: 'K', maxHolders: '1' }, path: '/maxHolders' },
      ];
    },
    invalidPatch: () => ({ name: 'removing the label', body: { label: null }, path: '/label' }),
  });
});

t.test(`posts: lists and filters on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t);
  const gib = await createOrganisation(request, { name: 'G.I.B.' });
  const mais = await createOrganisation(request, { name: 'MAIS' });
  const post = (organisationId: string, label: string) => createPost(request, { organisationId, label, maxHolders: null });
  const vorsitz = await post(gib.id, 'Vorsitz');
  const koordination = await post(gib.id, 'Koordination der Regionalagenturen in NRW');
  const assistenz = await post(mais.id, 'assistenz der Abteilungsleitung');
  const referentin = await post(mais.id, 'Referentin');
  const gruppenleitung = await post(mais.id, 'Gruppenleitung');
  const abteilungsleitung = await post(mais.id, 'Abteilungsleitung');
  const beauftragte = await post(gib.id, 'beauftragte für Datenschutz');
  const ordered = [abteilungsleitung, assistenz, beauftragte, gruppenleitung, koordination, referentin, vorsitz].map((p) => p.id);

  await t.test('pages follow nextCursor: every post once, by label regardless of case', async (t) => {
    await assertPagination(t, request, '/v1/posts', ordered);
  });

  await t.test('organisationId keeps the posts of one organisation', async (t) => {
    t.same(await listIds(request, '/v1/posts', { organisationId: gib.id }), [beauftragte.id, koordination.id, vorsitz.id]);
    t.same(await listIds(request, '/v1/posts', { organisationId: mais.id }), [
      abteilungsleitung.id,
      assistenz.id,
      gruppenleitung.id,
      referentin.id,
    ]);
    t.same(await listIds(request, '/v1/posts', { organisationId: UNKNOWN_ID }), []);
    await assertPagination(t, request, '/v1/posts', [beauftragte.id, koordination.id, vorsitz.id], [2], { organisationId: gib.id });
  });

  await t.test('q finds a part of the label, in any case', async (t) => {
    t.same(await listIds(request, '/v1/posts', { q: 'LEITUNG' }), [abteilungsleitung.id, assistenz.id, gruppenleitung.id]);
    t.same(await listIds(request, '/v1/posts', { q: 'leitung', organisationId: gib.id }), [], 'filters combine');
    t.same(await listIds(request, '/v1/posts', { q: 'nrw', organisationId: gib.id }), [koordination.id]);
    t.same(await listIds(request, '/v1/posts', { q: '_' }), [], 'LIKE wildcards are taken literally');
  });

  await t.test('bad list parameters are validation problems', async (t) => {
    assertValidationProblem(t, await read(request, '/v1/posts?organisationId=gib'), '/organisationId', 'query');
    assertValidationProblem(t, await read(request, '/v1/posts?q='), '/q', 'query');
    assertValidationProblem(t, await read(request, '/v1/posts?limit=-1'), '/limit', 'query');
  });
});

t.test(`posts: merge patches on ${DATABASE_KIND}`, async (t) => {
  const { request, database } = await buildTestApp(t);
  const gib = await createOrganisation(request, { name: 'G.I.B.' });
  const mais = await createOrganisation(request, { name: 'MAIS' });

  await t.test('a post without assignments can move to another organisation', async (t) => {
    const post = await createPost(request, { organisationId: gib.id, label: 'Koordination' });
    const res = await patchCurrent(request, `/v1/posts/${post.id}`, { organisationId: mais.id });
    t.equal(res.status, 200, res.text);
    t.equal(res.body.organisationId, mais.id);
    t.equal(res.body.label, 'Koordination', 'an omitted field is kept');
    t.equal(res.body.maxHolders, 1);
    t.same(await listIds(request, '/v1/posts', { organisationId: gib.id }), []);
  });

  await t.test('a post that assignments refer to stays in its organisation (409) and nothing is recorded', async (t) => {
    const post = await createPost(request, { organisationId: gib.id, label: 'Vorsitz' });
    await createAssignment(request, { organisationId: gib.id, postId: post.id, startDate: '2016-07-01' });
    const before = await auditEventCount(database);
    const res = await patchCurrent(request, `/v1/posts/${post.id}`, { organisationId: mais.id });
    assertProblem(t, res, 409, 'conflict');
    t.same((await read(request, `/v1/posts/${post.id}`)).body, post, 'unchanged');
    t.equal(await auditEventCount(database), before, 'no audit event');
    t.equal((await auditEventsFor(database, post.id)).length, 1, 'only the create');
  });

  await t.test('a patch may not move a post to an unknown organisation', async (t) => {
    const post = await createPost(request, { organisationId: gib.id, label: 'Assistenz' });
    const res = await patchCurrent(request, `/v1/posts/${post.id}`, { organisationId: UNKNOWN_ID });
    assertValidationProblem(t, res, '/organisationId');
    const none = await patchCurrent(request, `/v1/posts/${post.id}`, { organisationId: null });
    assertValidationProblem(t, none, '/organisationId');
  });
});
