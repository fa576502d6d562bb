/**
 * The SQL folding functions of drizzle/0011 (rb_fold, rb_fold_german) against their TypeScript
 * twin in src/domain/folding.ts: every character of the tables, then random text. The search
 * index is built by the SQL functions and queries are folded by the TypeScript ones, so any
 * difference would make a name unfindable. Also: the functions are IMMUTABLE (an index may use
 * them), and the search index follows writes, deletes and erasures of the names it is built from.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import t from 'tap';
import { DROPPED, foldGerman, foldPlain, LATIN_FROM, LATIN_MULTI, SEPARATORS } from '../../src/domain/folding.js';
import { createTestDatabase, DATABASE_KIND } from '../helpers/database.js';

const { database, destroy } = await createTestDatabase();
t.teardown(destroy);

/** Both SQL foldings of many strings in one statement, in order. */
async function foldInSql(values: string[]): Promise<Array<{ plain: string; german: string }>> {
  const rows = await database.rows<{ i: number; plain: string; german: string }>(
    sql`SELECT v.i, rb_fold(v.s) AS plain, rb_fold_german(v.s) AS german
          FROM (VALUES ${sql.join(values.map((value, i) => sql`(${i}::int, ${value}::text)`), sql`, `)}) AS v(i, s)
         ORDER BY v.i`,
  );
  return rows.map(({ plain, german }) => ({ plain, german }));
}

t.test(`SQL and TypeScript fold every character of the tables alike on ${DATABASE_KIND}`, async (t) => {
  const chars = [...new Set([...LATIN_FROM, ...LATIN_MULTI.map(([c]) => c), ...SEPARATORS, ...DROPPED, ...'äöüÄÖÜ'])];
  const values = chars.map((ch) => `x${ch}y ${ch}`);
  const folded = await foldInSql(values);
  const wrong = values.filter((value, i) => folded[i]!.plain !== foldPlain(value) || folded[i]!.german !== foldGerman(value));
  t.same(wrong.map((w) => `${w} (U+${w.codePointAt(1)!.toString(16)})`), [], `${values.length} characters`);
});

t.test(`SQL and TypeScript fold any text alike on ${DATABASE_KIND}`, async (t) => {
  const alphabet = [
    ...LATIN_FROM, ...LATIN_MULTI.map(([c]) => c), ...SEPARATORS, ...DROPPED.slice(0, 20), ...'abcxyz0189',
    '\u0301', '\u0308', 'Ω', 'ж', '中', '😀', 'ﬁ',
  ];
  const samples = fc.sample(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 30 }), { numRuns: 1500, seed: 42 });
  const folded = await foldInSql(samples);
  const wrong = samples.filter((value, i) => folded[i]!.plain !== foldPlain(value) || folded[i]!.german !== foldGerman(value));
  t.same(wrong, [], `${samples.length} random strings`);
  const [examples] = await database.rows<{ a: string; b: string }>(
    sql`SELECT rb_fold('Katja Sträde, G.I.B.') AS a, rb_fold_german('Katja Sträde, G.I.B.') AS b`,
  );
  t.same(examples, { a: 'katja strade gib', b: 'katja straede gib' });
});

t.test('the folding functions may feed an index', async (t) => {
  const rows = await database.rows<{ proname: string; provolatile: string }>(
    sql`SELECT proname, provolatile FROM pg_proc WHERE proname IN ('rb_fold', 'rb_fold_german') ORDER BY proname`,
  );
  t.same(rows, [
    { proname: 'rb_fold', provolatile: 'i' },
    { proname: 'rb_fold_german', provolatile: 'i' },
  ]);
});

t.test('the search index follows the names it is built from', async (t) => {
  const termsOf = async (id: string) =>
    (
      await database.rows<{ field: string; term: string }>(
        sql`SELECT field, term FROM search_terms WHERE entity_id = ${id} ORDER BY field COLLATE "C", term COLLATE "C"`,
      )
    ).map((r) => `${r.field}:${r.term}`);
  const [person] = await database.rows<{ id: string }>(
    sql`INSERT INTO people (given_name, family_name) VALUES ('Jürgen', 'Groß') RETURNING id`,
  );
  const id = person!.id;
  t.same(await termsOf(id), ['name:juergen gross', 'name:jurgen gross'], 'both foldings of a new person');
  await database.rows(sql`INSERT INTO person_names (person_id, position, name) VALUES (${id}, 0, 'Jürgen Klein'), (${id}, 1, 'J. Groß')`);
  t.same(await termsOf(id), ['name:juergen gross', 'name:jurgen gross', 'otherName:j gross', 'otherName:juergen klein', 'otherName:jurgen klein']);
  const places = async () =>
    (await database.rows<{ ctid: string }>(sql`SELECT ctid::text AS ctid FROM search_terms WHERE entity_id = ${id} ORDER BY 1`)).map((r) => r.ctid);
  const placed = await places();
  await database.rows(sql`UPDATE people SET honorific_prefix = 'Dr.', updated_at = now() WHERE id = ${id}`);
  t.same(await places(), placed, 'an update that changes no name leaves the index alone');
  await database.rows(sql`UPDATE people SET family_name = 'Weiß' WHERE id = ${id}`);
  await database.rows(sql`DELETE FROM person_names WHERE person_id = ${id} AND position = 0`);
  t.same(await termsOf(id), ['name:juergen weiss', 'name:jurgen weiss', 'otherName:j gross'], 'an update and a delete');
  await database.rows(sql`DELETE FROM person_names WHERE person_id = ${id}`);
  await database.rows(sql`DELETE FROM people WHERE id = ${id}`);
  t.same(await termsOf(id), [], 'a deleted person leaves nothing behind');

  const [organisation] = await database.rows<{ id: string }>(
    sql`INSERT INTO organisations (name, abbreviation) VALUES ('Gesellschaft für innovative Beschäftigungsförderung', 'G.I.B.') RETURNING id`,
  );
  const [post] = await database.rows<{ id: string }>(
    sql`INSERT INTO posts (organisation_id, label) VALUES (${organisation!.id}, 'Geschäftsführung') RETURNING id`,
  );
  t.same(await termsOf(organisation!.id), [
    'abbreviation:gib',
    'name:gesellschaft fuer innovative beschaeftigungsfoerderung',
    'name:gesellschaft fur innovative beschaftigungsforderung',
  ]);
  t.same(await termsOf(post!.id), ['label:geschaeftsfuehrung', 'label:geschaftsfuhrung']);
});
