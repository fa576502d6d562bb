/**
 * The valid-time invariants of DESIGN.md §3, attacked directly in SQL: rows inserted and updated
 * without the API, so that only the database's own guards (drizzle/0004: triggers raising RB409,
 * exclusion constraints raising 23P01, check constraints raising 23514) stand in the way. Each
 * refusal is checked for its SQLSTATE and for leaving nothing behind; each allowed neighbour case
 * shows that the guard is not simply refusing everything.
 */
import { sql } from 'drizzle-orm';
import t from 'tap';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase, DATABASE_KIND } from '../helpers/database.js';
import {
  assertRefused,
  assignmentDates,
  count,
  insertAssignment,
  insertOrganisation,
  insertParent,
  insertPerson,
  insertPost,
  refusalOf,
} from '../helpers/valid-time.js';

const { database, destroy } = await createTestDatabase();
t.teardown(destroy);

const holdersOf = (postId: string) => count(database, sql`SELECT count(*) AS n FROM assignments WHERE post_id = ${postId}`);
const parentLinksOf = (organisationId: string) =>
  count(database, sql`SELECT count(*) AS n FROM organisation_parents WHERE organisation_id = ${organisationId}`);

/** A post in a new organisation, and a fresh person for each holder asked for. */
async function postWithPeople(db: Database, maxHolders: number | null, people: number) {
  const organisationId = await insertOrganisation(db, { name: 'Facharbeitskreis Westfälisches Ruhrgebiet' });
  const postId = await insertPost(db, organisationId, maxHolders);
  const personIds: string[] = [];
  for (let i = 0; i < people; i++) personIds.push(await insertPerson(db, `Person ${i}`));
  return { organisationId, postId, personIds };
}

t.test(`a single-holder post never has two holders on one day (${DATABASE_KIND})`, async (t) => {
  await t.test('full dates: an overlap of one day is refused, naming the holder; a handover is not', async (t) => {
    const { organisationId, postId, personIds } = await postWithPeople(database, 1, 3);
    const [a, b, c] = personIds as [string, string, string];
    const first = await insertAssignment(database, { personId: a, organisationId, postId, start: '2015-01-01', end: '2016-06-30' });

    const refusal = await assertRefused(
      t,
      () => insertAssignment(database, { personId: b, organisationId, postId, start: '2016-06-30', end: '2016-12-31' }),
      'RB409',
      'assignments_max_holders',
      'a holder starting on the last day of another',
    );
    t.equal(refusal?.detail?.conflicting?.id, first, 'the detail names the holding in the way');
    t.equal(refusal?.detail?.conflicting?.startDate, '2015-01-01', 'with its start');
    t.equal(refusal?.detail?.conflicting?.endDate, '2016-06-30', 'and its end');
    t.equal(await holdersOf(postId), 1, 'nothing was stored');

    await assertRefused(
      t,
      () => insertAssignment(database, { personId: b, organisationId, postId, start: '2014-01-01', end: '2015-01-01' }),
      'RB409',
      'assignments_max_holders',
      'a holder ending on the first day of another',
    );
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: b, organisationId, postId, start: '2015-03-01', end: '2015-03-31' }),
      'RB409',
      undefined,
      'a holding inside another',
    );
    t.equal(await holdersOf(postId), 1, 'still only the first holding');

    const handover = await refusalOf(() =>
      insertAssignment(database, { personId: b, organisationId, postId, start: '2016-07-01', end: '2016-12-31' }),
    );
    t.equal(handover, undefined, 'a holder from the day after the end is accepted');
    const before = await refusalOf(() =>
      insertAssignment(database, { personId: c, organisationId, postId, start: '2014-01-01', end: '2014-12-31' }),
    );
    t.equal(before, undefined, 'a holder up to the day before the start is accepted');
    t.equal(await holdersOf(postId), 3);
  });

  await t.test('open ends: an unknown start and an ongoing end run without bound', async (t) => {
    const { organisationId, postId, personIds } = await postWithPeople(database, 1, 4);
    const [a, b, c, d] = personIds as [string, string, string, string];
    const ongoing = await insertAssignment(database, { personId: a, organisationId, postId, start: '2016-01-01' });

    const r1 = await assertRefused(
      t,
      () => insertAssignment(database, { personId: b, organisationId, postId, start: '2030-05-01', end: '2030-05-31' }),
      'RB409',
      'assignments_max_holders',
      'a holding long after the start of an ongoing one',
    );
    t.equal(r1?.detail?.conflicting?.id, ongoing, 'names the ongoing holding');
    t.equal(r1?.detail?.conflicting?.endDate, null, 'which has no end');
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: b, organisationId, postId, end: '2016-01-01' }),
      'RB409',
      undefined,
      'a holding since an unknown day up to the start of the ongoing one',
    );
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: b, organisationId, postId }),
      'RB409',
      undefined,
      'a holding without any dates',
    );
    t.equal(await holdersOf(postId), 1, 'nothing was stored');

    t.equal(
      await refusalOf(() => insertAssignment(database, { personId: c, organisationId, postId, end: '2015-12-31' })),
      undefined,
      'since an unknown day up to the day before is accepted',
    );
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: d, organisationId, postId, end: '2010-12-31' }),
      'RB409',
      undefined,
      'a second holding since an unknown day',
    );
    t.equal(await holdersOf(postId), 2);
  });

  await t.test('partial dates conflict only on their certain span', async (t) => {
    const { organisationId, postId, personIds } = await postWithPeople(database, 1, 5);
    const [a, b, c, d, e] = personIds as [string, string, string, string, string];
    await insertAssignment(database, { personId: a, organisationId, postId, start: '2014', end: '2016' });
    t.equal(
      await refusalOf(() => insertAssignment(database, { personId: b, organisationId, postId, start: '2016' })),
      undefined,
      "an end '2016' and a start '2016' are a handover somewhere in 2016: accepted",
    );
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: c, organisationId, postId, start: '2017-06-15' }),
      'RB409',
      undefined,
      "a start '2017-06-15' while the holding from '2016' is open",
    );
    t.equal(await holdersOf(postId), 2, 'nothing was stored');

    const other = await postWithPeople(database, 1, 0);
    await insertAssignment(database, { personId: a, organisationId: other.organisationId, postId: other.postId, start: '2015' });
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: d, organisationId: other.organisationId, postId: other.postId, start: '2016-06-15' }),
      'RB409',
      'assignments_max_holders',
      "a start '2016-06-15' against an open holding",
    );
    // The holding from '2015' certainly covers 2015-12-31 on; one that certainly ends by then fits.
    t.equal(
      await refusalOf(() =>
        insertAssignment(database, { personId: d, organisationId: other.organisationId, postId: other.postId, start: '2010', end: '2015' }),
      ),
      undefined,
      "an end '2015' against a start '2015' is accepted",
    );
    // A start '2015' certainly covers 2015-12-31; the day before it only possibly.
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: e, organisationId: other.organisationId, postId: other.postId, start: '2015-12-31', end: '2015-12-31' }),
      'RB409',
      'assignments_max_holders',
      "2015-12-31 against a holding since '2015'",
    );
    t.equal(await holdersOf(other.postId), 2, 'nothing was stored');
    t.equal(
      await refusalOf(() =>
        insertAssignment(database, { personId: e, organisationId: other.organisationId, postId: other.postId, start: '2015-12-30', end: '2015-12-30' }),
      ),
      undefined,
      "2015-12-30, which the holding since '2015' only possibly covers, is accepted",
    );
    t.equal(await holdersOf(other.postId), 3);
  });

  await t.test('the exclusion constraint stands behind the trigger', async (t) => {
    const { organisationId, postId, personIds } = await postWithPeople(database, 1, 2);
    const [a, b] = personIds as [string, string];
    await insertAssignment(database, { personId: a, organisationId, postId, start: '2016-01-01' });
    // Without the friendly guard (disabled inside a transaction that is rolled back), the
    // exclusion constraint assignments_one_holder_excl refuses the overlap on its own.
    await assertRefused(
      t,
      () =>
        database.db.transaction(async (tx) => {
          await tx.execute(sql`ALTER TABLE assignments DISABLE TRIGGER assignments_guard`);
          await tx.execute(sql`INSERT INTO assignments (person_id, organisation_id, post_id, exclusive_post_id, start_date, start_precision)
                               VALUES (${b}, ${organisationId}, ${postId}, ${postId}, '2017-01-01', 'day')`);
        }),
      '23P01',
      'assignments_one_holder_excl',
      'an overlap past the disabled trigger',
    );
    t.equal(await holdersOf(postId), 1, 'nothing was stored');
    const [trigger] = await database.rows<{ enabled: string }>(
      sql`SELECT tgenabled AS enabled FROM pg_trigger WHERE tgname = 'assignments_guard'`,
    );
    t.equal(trigger?.enabled, 'O', 'and the trigger is enabled again (the transaction was rolled back)');
  });
});

t.test(`maxHolders caps the holders on any one day (${DATABASE_KIND})`, async (t) => {
  await t.test('a third simultaneous holder of a post for two is refused; three on disjoint days are fine', async (t) => {
    const { organisationId, postId, personIds } = await postWithPeople(database, 2, 6);
    const [a, b, c, d, e, f] = personIds as [string, string, string, string, string, string];
    await insertAssignment(database, { personId: a, organisationId, postId, start: '2016-01-01', end: '2016-12-31' });
    await insertAssignment(database, { personId: b, organisationId, postId, start: '2016-06-01' });
    const refusal = await assertRefused(
      t,
      () => insertAssignment(database, { personId: c, organisationId, postId, start: '2016-12-31', end: '2017-01-31' }),
      'RB409',
      'assignments_max_holders',
      'a third holder on 2016-12-31',
    );
    t.ok(Array.isArray(refusal?.detail?.conflicting) && refusal.detail.conflicting.length === 2, 'the detail lists both holdings in the way');
    t.equal(await holdersOf(postId), 2, 'nothing was stored');
    t.equal(
      await refusalOf(() => insertAssignment(database, { personId: c, organisationId, postId, start: '2017-01-01' })),
      undefined,
      'from the day after one of them ends, a second holder fits',
    );

    const disjoint = await postWithPeople(database, 2, 0);
    for (const [personId, start, end] of [
      [d, '2010-01-01', '2010-12-31'],
      [e, '2011-01-01', '2011-12-31'],
      [f, '2012-01-01', '2012-12-31'],
    ] as const) {
      t.equal(
        await refusalOf(() => insertAssignment(database, { personId, organisationId: disjoint.organisationId, postId: disjoint.postId, start, end })),
        undefined,
        `a holder ${start}..${end} on disjoint days is accepted`,
      );
    }
    t.equal(await holdersOf(disjoint.postId), 3);
  });

  await t.test('the peak counts holders on one day, not over the whole span', async (t) => {
    const { organisationId, postId, personIds } = await postWithPeople(database, 2, 4);
    const [a, b, c, d] = personIds as [string, string, string, string];
    await insertAssignment(database, { personId: a, organisationId, postId, start: '2016-01-01', end: '2016-03-31' });
    await insertAssignment(database, { personId: b, organisationId, postId, start: '2016-04-01', end: '2016-06-30' });
    t.equal(
      await refusalOf(() => insertAssignment(database, { personId: c, organisationId, postId, start: '2016-02-01', end: '2016-05-31' })),
      undefined,
      'a holding overlapping two that never overlap each other is accepted',
    );
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: d, organisationId, postId, start: '2016-03-31', end: '2016-03-31' }),
      'RB409',
      'assignments_max_holders',
      'a fourth on a day the first and third share',
    );
    t.equal(await holdersOf(postId), 3, 'nothing was stored');

    const unknown = await postWithPeople(database, 2, 3);
    const [x, y, z] = unknown.personIds as [string, string, string];
    const at = { organisationId: unknown.organisationId, postId: unknown.postId };
    await insertAssignment(database, { personId: x, ...at, end: '2016-12-31' });
    await insertAssignment(database, { personId: y, ...at });
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: z, ...at, end: '2010-12-31' }),
      'RB409',
      'assignments_max_holders',
      'a third holding since an unknown day, when two others run since an unknown day',
    );
    t.equal(
      await refusalOf(() => insertAssignment(database, { personId: z, ...at, start: '2017-01-01' })),
      undefined,
      'a second holder from the day after the first one ends is accepted',
    );
  });

  await t.test('lowering maxHolders below the holders of one day is refused', async (t) => {
    const { organisationId, postId, personIds } = await postWithPeople(database, null, 4);
    const [a, b, c, d] = personIds as [string, string, string, string];
    await insertAssignment(database, { personId: a, organisationId, postId, start: '2016-01-01' });
    await insertAssignment(database, { personId: b, organisationId, postId, start: '2016-06-01', end: '2016-06-30' });
    await insertAssignment(database, { personId: c, organisationId, postId, start: '2016-06-30', end: '2016-07-31' });
    const maxOf = async () => {
      const [row] = await database.rows<{ max_holders: number | null }>(sql`SELECT max_holders FROM posts WHERE id = ${postId}`);
      return row?.max_holders;
    };

    await assertRefused(
      t,
      () => database.rows(sql`UPDATE posts SET max_holders = 2 WHERE id = ${postId}`),
      'RB409',
      'assignments_max_holders',
      'maxHolders 2 with three holders on 2016-06-30',
    );
    t.equal(await maxOf(), null, 'the post keeps no limit');
    await assertRefused(
      t,
      () => database.rows(sql`UPDATE posts SET max_holders = 1 WHERE id = ${postId}`),
      'RB409',
      undefined,
      'maxHolders 1 with three holders on 2016-06-30',
    );
    t.equal(await maxOf(), null, 'still no limit');
    t.equal(await refusalOf(() => database.rows(sql`UPDATE posts SET max_holders = 3 WHERE id = ${postId}`)), undefined, 'maxHolders 3 fits');
    t.equal(await maxOf(), 3);

    await assertRefused(
      t,
      () => insertAssignment(database, { personId: d, organisationId, postId, start: '2016-06-15', end: '2016-06-30' }),
      'RB409',
      'assignments_max_holders',
      'a fourth holder on 2016-06-30 under the new limit',
    );

    const single = await postWithPeople(database, 2, 0);
    await insertAssignment(database, { personId: a, organisationId: single.organisationId, postId: single.postId, start: '2016-01-01', end: '2016-06-30' });
    await insertAssignment(database, { personId: b, organisationId: single.organisationId, postId: single.postId, start: '2016-07-01' });
    t.equal(
      await refusalOf(() => database.rows(sql`UPDATE posts SET max_holders = 1 WHERE id = ${single.postId}`)),
      undefined,
      'a post for two whose holders hand over can become a single-holder post',
    );
    await assertRefused(
      t,
      () => insertAssignment(database, { personId: c, organisationId: single.organisationId, postId: single.postId, start: '2016-06-30', end: '2016-07-01' }),
      'RB409',
      undefined,
      'and then refuses a second holder',
    );
    t.equal(await holdersOf(single.postId), 2);
  });
});

t.test(`a post of another organisation is refused as a reference, not as a taken post (${DATABASE_KIND})`, async (t) => {
  const { organisationId, postId, personIds } = await postWithPeople(database, 1, 2);
  const [a, b] = personIds as [string, string];
  await insertAssignment(database, { personId: a, organisationId, postId, start: '2016-01-01' });
  const elsewhere = await insertOrganisation(database, { name: 'G.I.B.' });
  await assertRefused(
    t,
    () => insertAssignment(database, { personId: b, organisationId: elsewhere, postId, start: '2016-06-01' }),
    '23503',
    'assignments_post_in_organisation_fk',
    'a holding of a taken post, recorded in another organisation',
  );
  t.equal(await holdersOf(postId), 1, 'nothing was stored');
});

t.test(`a person never holds the same post twice on one day (${DATABASE_KIND})`, async (t) => {
  const { organisationId, postId, personIds } = await postWithPeople(database, null, 1);
  const [a] = personIds as [string];
  const first = await insertAssignment(database, { personId: a, organisationId, postId, start: '2016-01-01', end: '2016-06-30' });
  const refusal = await assertRefused(
    t,
    () => insertAssignment(database, { personId: a, organisationId, postId, start: '2016-06-30' }),
    'RB409',
    'assignments_same_post_once',
    'the same person in the same post on 2016-06-30',
  );
  t.equal(refusal?.detail?.conflicting?.id, first, 'naming the first holding');
  t.equal(await holdersOf(postId), 1, 'nothing was stored');
  t.equal(
    await refusalOf(() => insertAssignment(database, { personId: a, organisationId, postId, start: '2016-07-01' })),
    undefined,
    'the same person again from the next day is accepted',
  );
  const second = await insertAssignment(database, { personId: a, organisationId, start: '2016-01-01' });
  t.ok(second, 'an assignment without a post in the same organisation on the same days is not a second holding');

  await assertRefused(
    t,
    () =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`ALTER TABLE assignments DISABLE TRIGGER assignments_guard`);
        await tx.execute(sql`INSERT INTO assignments (person_id, organisation_id, post_id, start_date, start_precision)
                             VALUES (${a}, ${organisationId}, ${postId}, '2016-03-01', 'day')`);
      }),
    '23P01',
    'assignments_same_post_once_excl',
    'past the disabled trigger, the exclusion constraint',
  );
  t.equal(await holdersOf(postId), 2, 'nothing was stored');
});

t.test(`an organisation has one parent on any day, and no cycles (${DATABASE_KIND})`, async (t) => {
  await t.test('two parents on one day are refused; one after the other is fine', async (t) => {
    const child = await insertOrganisation(database, { name: 'Referat' });
    const labour = await insertOrganisation(database, { name: 'Abteilung Arbeit' });
    const integration = await insertOrganisation(database, { name: 'Abteilung Integration' });
    await insertParent(database, { organisationId: child, parentId: labour, start: '2010-07-15', end: '2016-12-31' });
    const refusal = await assertRefused(
      t,
      () => insertParent(database, { organisationId: child, parentId: integration, start: '2016-12-31' }),
      'RB409',
      'organisation_parents_one_parent',
      'a second parent on 2016-12-31',
    );
    t.equal(refusal?.detail?.conflicting?.parentId, labour, 'naming the parent link in the way');
    t.equal(await parentLinksOf(child), 1, 'nothing was stored');
    t.equal(
      await refusalOf(() => insertParent(database, { organisationId: child, parentId: integration, start: '2017-01-01' })),
      undefined,
      'the other parent from the next day is accepted',
    );
    await assertRefused(
      t,
      () => insertParent(database, { organisationId: child, parentId: labour }),
      'RB409',
      'organisation_parents_one_parent',
      'an undated link besides dated ones',
    );

    await assertRefused(
      t,
      () =>
        database.db.transaction(async (tx) => {
          await tx.execute(sql`ALTER TABLE organisation_parents DISABLE TRIGGER organisation_parents_guard`);
          await tx.execute(sql`INSERT INTO organisation_parents (organisation_id, parent_id, position, start_date, start_precision)
                               VALUES (${child}, ${labour}, 9, '2018-01-01', 'day')`);
        }),
      '23P01',
      'organisation_parents_one_parent_excl',
      'past the disabled trigger, the exclusion constraint',
    );
    t.equal(await parentLinksOf(child), 2, 'nothing more was stored');
  });

  await t.test('A→B and B→A on shared days are refused, in different years they are fine', async (t) => {
    const a = await insertOrganisation(database, { name: 'A' });
    const b = await insertOrganisation(database, { name: 'B' });
    await insertParent(database, { organisationId: a, parentId: b, start: '2010-01-01', end: '2010-12-31' });
    t.equal(
      await refusalOf(() => insertParent(database, { organisationId: b, parentId: a, start: '2020-01-01' })),
      undefined,
      'B under A in 2020 while A was under B in 2010',
    );
    const c = await insertOrganisation(database, { name: 'C' });
    const d = await insertOrganisation(database, { name: 'D' });
    await insertParent(database, { organisationId: c, parentId: d, start: '2010-01-01', end: '2015-12-31' });
    const refusal = await assertRefused(
      t,
      () => insertParent(database, { organisationId: d, parentId: c, start: '2015-12-31', end: '2016-12-31' }),
      'RB409',
      'organisation_parents_no_cycle',
      'D under C on 2015-12-31, while C is under D',
    );
    t.equal(refusal?.detail?.conflicting?.id, c, 'naming the would-be parent');
    await assertRefused(
      t,
      () => insertParent(database, { organisationId: d, parentId: c }),
      'RB409',
      'organisation_parents_no_cycle',
      'an undated link closing the cycle',
    );
    t.equal(await parentLinksOf(d), 0, 'nothing was stored');
  });

  await t.test('a longer cycle is refused on shared days too', async (t) => {
    const [x, y, z] = [
      await insertOrganisation(database, { name: 'X' }),
      await insertOrganisation(database, { name: 'Y' }),
      await insertOrganisation(database, { name: 'Z' }),
    ];
    await insertParent(database, { organisationId: x, parentId: y, start: '2016-01-01', end: '2016-12-31' });
    await insertParent(database, { organisationId: y, parentId: z, start: '2016-06-01' });
    await assertRefused(
      t,
      () => insertParent(database, { organisationId: z, parentId: x, start: '2016-12-01', end: '2017-12-31' }),
      'RB409',
      'organisation_parents_no_cycle',
      'Z under X in December 2016: X→Y→Z→X',
    );
    t.equal(await parentLinksOf(z), 0, 'nothing was stored');
    t.equal(
      await refusalOf(() => insertParent(database, { organisationId: z, parentId: x, start: '2016-01-01', end: '2016-05-31' })),
      undefined,
      'Z under X before Y went under Z is accepted',
    );
  });

  await t.test('an organisation is not its own parent', async (t) => {
    const a = await insertOrganisation(database, { name: 'Selbst' });
    await assertRefused(
      t,
      () => insertParent(database, { organisationId: a, parentId: a, start: '2016-01-01' }),
      '23514',
      'organisation_parents_not_self',
      'a self-parent',
    );
    t.equal(await parentLinksOf(a), 0, 'nothing was stored');
    const b = await insertOrganisation(database, { name: 'Andere' });
    const link = await insertParent(database, { organisationId: a, parentId: b, start: '2016-01-01' });
    await assertRefused(
      t,
      () => database.rows(sql`UPDATE organisation_parents SET parent_id = organisation_id WHERE id = ${link}`),
      '23514',
      'organisation_parents_not_self',
      'an update making a link point at itself',
    );
    const [row] = await database.rows<{ parent_id: string }>(sql`SELECT parent_id FROM organisation_parents WHERE id = ${link}`);
    t.equal(row?.parent_id, b, 'the link is unchanged');
  });
});

t.test(`assignments lie within their organisation's existence (${DATABASE_KIND})`, async (t) => {
  const organisationId = await insertOrganisation(database, { name: 'MAIS', founding: '2010-07-15', dissolution: '2017-06-29' });
  const personId = await insertPerson(database, 'Schleimer');
  const assignmentsOf = () => count(database, sql`SELECT count(*) AS n FROM assignments WHERE organisation_id = ${organisationId}`);

  const early = await assertRefused(
    t,
    () => insertAssignment(database, { personId, organisationId, start: '2010-07-14', end: '2012-12-31' }),
    'RB409',
    'assignments_within_organisation',
    'a start the day before the founding',
  );
  t.equal(early?.detail?.conflicting?.id, organisationId, 'naming the organisation');
  t.equal(early?.detail?.conflicting?.foundingDate, '2010-07-15', 'with its founding date');
  await assertRefused(
    t,
    () => insertAssignment(database, { personId, organisationId, start: '2016-01-01', end: '2017-06-30' }),
    'RB409',
    'assignments_within_organisation',
    'an end the day after the dissolution',
  );
  const open = await assertRefused(
    t,
    () => insertAssignment(database, { personId, organisationId, start: '2016-01-01' }),
    'RB409',
    'assignments_within_organisation',
    'an open end in a dissolved organisation',
  );
  t.equal(open?.detail?.conflicting?.dissolutionDate, '2017-06-29', 'naming the dissolution date');
  t.equal(await assignmentsOf(), 0, 'nothing was stored');

  t.equal(
    await refusalOf(() => insertAssignment(database, { personId, organisationId, start: '2010-07-15', end: '2017-06-29' })),
    undefined,
    'from the founding day to the dissolution day is accepted',
  );
  t.equal(
    await refusalOf(() => insertAssignment(database, { personId, organisationId, start: '2010', end: '2017' })),
    undefined,
    "'2010'..'2017' may lie within 2010-07-15..2017-06-29: accepted",
  );
  t.equal(await assignmentsOf(), 2);

  await t.test('moving the dissolution or founding past an assignment is refused', async (t) => {
    const org = await insertOrganisation(database, { name: 'Regionalagentur', founding: '2000-01-01' });
    const person = await insertPerson(database, 'Sträde');
    const held = await insertAssignment(database, { personId: person, organisationId: org, start: '2010-01-01', end: '2016-06-30' });
    const existence = async () => {
      const [row] = await database.rows<{ founding: string | null; dissolution: string | null }>(
        sql`SELECT founding_date::text AS founding, dissolution_date::text AS dissolution FROM organisations WHERE id = ${org}`,
      );
      return row;
    };
    await assertRefused(
      t,
      () => database.rows(sql`UPDATE organisations SET dissolution_date = '2016-06-29', dissolution_precision = 'day' WHERE id = ${org}`),
      'RB409',
      'assignments_within_organisation',
      'a dissolution the day before an assignment ends',
    );
    t.same(await existence(), { founding: '2000-01-01', dissolution: null }, 'the organisation is unchanged');
    await assertRefused(
      t,
      () => database.rows(sql`UPDATE organisations SET founding_date = '2010-01-02' WHERE id = ${org}`),
      'RB409',
      'assignments_within_organisation',
      'a founding the day after an assignment starts',
    );
    t.same(await existence(), { founding: '2000-01-01', dissolution: null }, 'the organisation is unchanged');
    t.same(await assignmentDates(database, held), { start: '2010-01-01', end: '2016-06-30' }, 'and so is the assignment');

    t.equal(
      await refusalOf(() => database.rows(sql`UPDATE organisations SET dissolution_date = '2016-06-30', dissolution_precision = 'day' WHERE id = ${org}`)),
      undefined,
      'a dissolution on the last day of the assignment is accepted',
    );
    t.same(await existence(), { founding: '2000-01-01', dissolution: '2016-06-30' });

    const openEnded = await insertOrganisation(database, { name: 'G.I.B.' });
    await insertAssignment(database, { personId: person, organisationId: openEnded, start: '2016-07-01' });
    await assertRefused(
      t,
      () => database.rows(sql`UPDATE organisations SET dissolution_date = '2030-12-31', dissolution_precision = 'day' WHERE id = ${openEnded}`),
      'RB409',
      'assignments_within_organisation',
      'dissolving an organisation with an ongoing assignment',
    );
    t.equal(
      await count(database, sql`SELECT count(*) AS n FROM organisations WHERE id = ${openEnded} AND dissolution_date IS NULL`),
      1,
      'the organisation stays undissolved',
    );
  });
});

t.test(`an end is never before its start (${DATABASE_KIND})`, async (t) => {
  const organisationId = await insertOrganisation(database, { name: 'Regionalagentur' });
  const personId = await insertPerson(database, 'Reiter');
  const assignmentsOf = () => count(database, sql`SELECT count(*) AS n FROM assignments WHERE organisation_id = ${organisationId}`);

  await assertRefused(
    t,
    () => insertAssignment(database, { personId, organisationId, start: '2016-07-01', end: '2016-06-30' }),
    '23514',
    'assignments_end_not_before_start',
    'an assignment ending the day before it starts',
  );
  await assertRefused(
    t,
    () => insertAssignment(database, { personId, organisationId, start: '2016-01-01', end: '2015' }),
    '23514',
    'assignments_end_not_before_start',
    "an assignment ending in '2015' that starts in 2016",
  );
  t.equal(await assignmentsOf(), 0, 'nothing was stored');
  t.equal(
    await refusalOf(() => insertAssignment(database, { personId, organisationId, start: '2016-06-01', end: '2016' })),
    undefined,
    "an end '2016' may be after a start of 2016-06-01: accepted",
  );
  t.equal(
    await refusalOf(() => insertAssignment(database, { personId, organisationId, start: '2016-06-30', end: '2016-06-30' })),
    undefined,
    'a single day is accepted',
  );
  const id = await insertAssignment(database, { personId, organisationId, start: '2016-01-01', end: '2016-12-31' });
  await assertRefused(
    t,
    () => database.rows(sql`UPDATE assignments SET end_date = '2015-12-31' WHERE id = ${id}`),
    '23514',
    'assignments_end_not_before_start',
    'an update moving the end before the start',
  );
  t.same(await assignmentDates(database, id), { start: '2016-01-01', end: '2016-12-31' }, 'the assignment is unchanged');

  await assertRefused(
    t,
    () => insertOrganisation(database, { name: 'Kurzlebig', founding: '2017-06-30', dissolution: '2017-06-29' }),
    '23514',
    'organisations_dissolution_not_before_founding',
    'an organisation dissolved before its founding',
  );
  t.equal(await count(database, sql`SELECT count(*) AS n FROM organisations WHERE name = 'Kurzlebig'`), 0, 'nothing was stored');

  const parent = await insertOrganisation(database, { name: 'MAGS' });
  await assertRefused(
    t,
    () => insertParent(database, { organisationId, parentId: parent, start: '2017-06-30', end: '2017-06-29' }),
    '23514',
    'organisation_parents_end_not_before_start',
    'a parent link ending before it starts',
  );
  t.equal(await parentLinksOf(organisationId), 0, 'nothing was stored');

  await assertRefused(
    t,
    () =>
      database.rows(sql`INSERT INTO organisation_names (organisation_id, position, name, start_date, start_precision, end_date, end_precision)
                        VALUES (${organisationId}, 0, 'Alter Name', '2016-01-01', 'day', '2015-12-31', 'day')`),
    '23514',
    'organisation_names_end_not_before_start',
    'a former name ending before it starts',
  );
  await assertRefused(
    t,
    () =>
      database.rows(sql`INSERT INTO person_names (person_id, position, name, start_date, start_precision, end_date, end_precision)
                        VALUES (${personId}, 0, 'Geburtsname', '2016-01-01', 'year', '2015-01-01', 'year')`),
    '23514',
    'person_names_end_not_before_start',
    'a former name of a person ending in the year before it starts',
  );
  t.equal(
    (await count(database, sql`SELECT count(*) AS n FROM organisation_names WHERE organisation_id = ${organisationId}`)) +
      (await count(database, sql`SELECT count(*) AS n FROM person_names WHERE person_id = ${personId}`)),
    0,
    'nothing was stored',
  );
});

t.test(`concurrent writers cannot break the invariants together (${DATABASE_KIND})`, async (t) => {
  await t.test('20 simultaneous holders of one single-holder post: one is stored', async (t) => {
    const { organisationId, postId, personIds } = await postWithPeople(database, 1, 20);
    const outcomes = await Promise.all(
      personIds.map((personId, i) =>
        refusalOf(() => insertAssignment(database, { personId, organisationId, postId, start: `2016-01-${String(i + 1).padStart(2, '0')}` })),
      ),
    );
    t.equal(outcomes.filter((o) => o === undefined).length, 1, 'exactly one insert succeeded');
    t.same(
      [...new Set(outcomes.filter((o) => o !== undefined).map((o) => o!.code))],
      ['RB409'],
      'the others were refused by the guard, which names the holder',
    );
    t.equal(await holdersOf(postId), 1, 'one holding stored');
  });

  await t.test('A→B and B→A linked at the same time: one of them is stored', async (t) => {
    for (let round = 0; round < 5; round++) {
      const a = await insertOrganisation(database, { name: `A${round}` });
      const b = await insertOrganisation(database, { name: `B${round}` });
      const outcomes = await Promise.all([
        refusalOf(() => insertParent(database, { organisationId: a, parentId: b, start: '2016-01-01' })),
        refusalOf(() => insertParent(database, { organisationId: b, parentId: a, start: '2017-01-01' })),
      ]);
      t.equal(outcomes.filter((o) => o === undefined).length, 1, `round ${round}: exactly one link stored`);
      t.same(outcomes.filter((o) => o !== undefined).map((o) => o!.code), ['RB409'], `round ${round}: the other is a cycle`);
      t.equal((await parentLinksOf(a)) + (await parentLinksOf(b)), 1);
    }
  });
});
