/**
 * GET /v1/search (DESIGN.md §4): people, organisations and posts in one ranked list, insensitive to
 * case and diacritics, German-aware, tolerant of typos, restricted by `at` and `types`, answering
 * anonymous callers with names only. On the demo data plus generated people, and on the real data
 * set in ../shared/data (Czech deputies, names full of diacritics), loaded straight into the
 * people table.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { DEMO_IDS } from '../../../../src/demo/data.js';
import { foldPlain } from '../../../../src/domain/folding.js';
import { buildTestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import { assertValidationProblem, create, createPerson, read } from '../../../helpers/fixtures.js';

interface Hit {
  type: 'person' | 'organisation' | 'post';
  id: string;
  name: string;
  matched: { field: string; name: string };
  score: number;
  abbreviation: string | null;
  organisation: { id: string; name: string } | null;
}

const { request, database, app } = await buildTestApp(t, { demo: true });

async function search(query: Record<string, string | number>, key?: string | null): Promise<Hit[]> {
  const res = await request({ method: 'GET', url: `/v1/search?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`, key });
  if (res.status !== 200) throw new Error(`search ${JSON.stringify(query)} answered ${res.status}: ${res.text}`);
  return res.body.items as Hit[];
}

const generated = {
  hansMueller: (await createPerson(request, { givenName: 'Hans', familyName: 'Müller' })).id,
  anaStrasse: (await createPerson(request, { givenName: 'Ana', familyName: 'Straße' })).id,
  janNovak: (await createPerson(request, { givenName: 'Jan', familyName: 'Novák' })).id,
  antoninDvorak: (await createPerson(request, { givenName: 'Antonín', familyName: 'Dvořák' })).id,
  francoise: (await createPerson(request, { givenName: 'Françoise', familyName: 'Lefèvre' })).id,
  erikaNeu: (
    await createPerson(request, {
      givenName: 'Erika',
      familyName: 'Neumann',
      otherNames: [{ name: 'Erika Brückner', endDate: '2015-08' }],
      contactDetails: [{ type: 'email', value: 'erika.neumann@example.org', visibility: 'private' }],
    })
  ).id,
};
const renamed = (
  await create(request, '/v1/organisations', {
    name: 'Landesamt für Arbeitsschutz',
    abbreviation: 'LAfA',
    otherNames: [{ name: 'Staatliches Gewerbeaufsichtsamt Dortmund', endDate: '2006-12-31' }],
  })
).id;

t.test(`German-aware, case- and diacritic-insensitive on ${DATABASE_KIND}`, async (t) => {
  for (const q of ['Strade', 'Straede', 'sträde', 'STRÄDE', 'straede', 'Katja Strade', 'strade katja', 'Sträde, Katja']) {
    const [first] = await search({ q });
    t.equal(first?.id, DEMO_IDS.katjaStraede, `"${q}" finds Katja Sträde first`);
    t.equal(first?.type, 'person', `"${q}": a person`);
  }
  for (const q of ['Muller', 'Mueller', 'MÜLLER', 'müller']) {
    t.ok((await search({ q })).some((hit) => hit.id === generated.hansMueller), `"${q}" finds Hans Müller`);
  }
  for (const q of ['Strasse', 'STRASSE', 'Straße']) {
    t.equal((await search({ q }))[0]?.id, generated.anaStrasse, `"${q}" finds Ana Straße first`);
  }
  for (const q of ['Novak', 'novák', 'NOVAK']) {
    t.equal((await search({ q }))[0]?.id, generated.janNovak, `"${q}" finds Jan Novák first`);
  }
  for (const q of ['Dvorak', 'Antonin Dvorak', 'dvořák']) {
    t.equal((await search({ q }))[0]?.id, generated.antoninDvorak, `"${q}" finds Antonín Dvořák first`);
  }
  t.equal((await search({ q: 'Francoise Lefevre' }))[0]?.id, generated.francoise, 'French diacritics fold too');
});

t.test('abbreviations with and without dots', async (t) => {
  for (const q of ['GIB', 'G.I.B.', 'gib', 'G. I. B.']) {
    const [first] = await search({ q });
    t.equal(first?.id, DEMO_IDS.gib, `"${q}" finds the G.I.B. first`);
    t.equal(first?.type, 'organisation');
    t.same(first?.matched, { field: 'abbreviation', name: 'G.I.B.' }, 'it matched by its abbreviation');
    t.equal(first?.abbreviation, 'G.I.B.');
    t.equal(first?.name, 'Gesellschaft für innovative Beschäftigungsförderung mbH');
  }
  t.equal((await search({ q: 'MAIS', at: '2016-06-22' }))[0]?.id, DEMO_IDS.mais);
});

t.test('one or two typos still find the name', async (t) => {
  for (const q of ['Schleimr', 'Schlemr', 'Shleimer', 'Schleimar', 'Ingrid Schleimr', 'Schliemer']) {
    t.equal((await search({ q }))[0]?.id, DEMO_IDS.ingridSchleimer, `"${q}" finds Ingrid Schleimer first`);
  }
  t.equal((await search({ q: 'Reitr' }))[0]?.id, DEMO_IDS.juttaReiter, '"Reitr" finds Jutta Reiter');
  t.equal((await search({ q: 'Siebret' }))[0]?.id, DEMO_IDS.marionSiebert, '"Siebret" finds Marion Siebert');
  t.same(await search({ q: 'Quartzkopf' }), [], 'a name nobody has finds nothing');
});

t.test('other names, former names, posts, ranking', async (t) => {
  const [former] = await search({ q: 'Brückner' });
  t.equal(former?.id, generated.erikaNeu, 'a person by a former name');
  t.same(former?.matched, { field: 'otherName', name: 'Erika Brückner' });
  t.equal(former?.name, 'Erika Neumann', 'shown by the current name');

  const [organisation] = await search({ q: 'Gewerbeaufsichtsamt' });
  t.equal(organisation?.id, renamed, 'an organisation by its former name');
  t.same(organisation?.matched, { field: 'otherName', name: 'Staatliches Gewerbeaufsichtsamt Dortmund' });

  const [post] = await search({ q: 'Vorsitz' });
  t.same(
    { type: post?.type, id: post?.id, name: post?.name, organisation: post?.organisation },
    {
      type: 'post',
      id: DEMO_IDS.chairFacharbeitskreis,
      name: 'Vorsitz des Facharbeitskreises',
      organisation: { id: DEMO_IDS.facharbeitskreis, name: 'Facharbeitskreis Westfälisches Ruhrgebiet' },
    },
    'a post by its label, with its organisation',
  );

  // One response, several types, best first.
  const mixed = await search({ q: 'Regionalagentur' });
  t.same(
    new Set(mixed.map((hit) => hit.type)),
    new Set(['organisation', 'post']),
    'an organisation and a post in one answer',
  );
  t.ok(mixed.every((hit, i) => i === 0 || mixed[i - 1]!.score >= hit.score), 'sorted by score');
  const strade = await search({ q: 'Strade' });
  t.equal(strade[0]!.score, Math.max(...strade.map((hit) => hit.score)));
  t.ok(strade.every((hit) => hit.score > 0 && hit.score <= 1), 'scores between 0 and 1');
  const exact = await search({ q: 'Müller' });
  t.equal(exact[0]?.id, generated.hansMueller, 'the exact spelling first');
});

t.test('types and limit', async (t) => {
  t.same((await search({ q: 'Regionalagentur', types: 'post' })).map((hit) => hit.type), ['post']);
  t.same(
    (await search({ q: 'Regionalagentur', types: 'organisations' })).map((hit) => hit.id),
    [DEMO_IDS.regionalagentur],
    'plural type words too',
  );
  t.same(await search({ q: 'Strade', types: 'organisation,post' }), [], 'no people when only organisations and posts are asked for');
  t.equal((await search({ q: 'Ministerium', limit: 2 })).length, 2, 'limit');
  t.equal((await search({ q: 'Ministerium' })).length, 3, 'the three ministries');
});

t.test('at: people with an assignment that day, organisations existing that day', async (t) => {
  t.equal((await search({ q: 'Strade', at: '2016-06-22' }))[0]?.id, DEMO_IDS.katjaStraede, 'Katja Sträde worked on 2016-06-22');
  t.same(
    (await search({ q: 'Novak', at: '2016-06-22' })).map((hit) => hit.id),
    [],
    'Jan Novák has no assignment, so on no day',
  );
  t.same((await search({ q: 'MAIS', at: '2018-01-01', types: 'organisation' })).map((hit) => hit.id), [], 'the MAIS ended in 2017');
  t.same((await search({ q: 'MAIS', at: '2016-06-22', types: 'organisation' })).map((hit) => hit.id), [DEMO_IDS.mais]);
  t.same(
    (await search({ q: 'MAGS', at: '2016-06-22', types: 'organisation' })).map((hit) => hit.id),
    [],
    'the MAGS did not exist yet in 2016',
  );
  t.ok((await search({ q: 'Vorsitz', at: '2016-06-22' })).some((hit) => hit.id === DEMO_IDS.chairFacharbeitskreis), 'posts of organisations existing then');
});

t.test('anonymous callers get names only', async (t) => {
  const res = await request({ method: 'GET', url: '/v1/search?q=Neumann', key: null });
  t.equal(res.status, 200);
  t.notMatch(res.text, /erika\.neumann@example\.org/, 'no contact details');
  t.same(Object.keys(res.body.items[0]).sort(), ['abbreviation', 'id', 'matched', 'name', 'organisation', 'score', 'type']);
  t.match(String(res.headers['cache-control']), /public/, 'cacheable for anonymous readers');
});

t.test('bad queries are 400 problems; queries too short find nothing', async (t) => {
  assertValidationProblem(t, await read(request, '/v1/search'), '/q', 'query');
  assertValidationProblem(t, await read(request, '/v1/search?q='), '/q', 'query');
  t.same(await search({ q: '...' }), [], 'nothing to look for, nothing found');
  t.same(await search({ q: 'K' }), [], 'a single letter finds nothing yet');
  t.equal((await search({ q: 'Katja S' }))[0]?.id, DEMO_IDS.katjaStraede, 'but with a word, a letter narrows');
  assertValidationProblem(t, await read(request, `/v1/search?q=${'a'.repeat(201)}`), '/q', 'query');
  assertValidationProblem(t, await read(request, '/v1/search?q=Strade&types=persons,cats'), '/types', 'query');
  assertValidationProblem(t, await read(request, '/v1/search?q=Strade&limit=0'), '/limit', 'query');
  assertValidationProblem(t, await read(request, '/v1/search?q=Strade&limit=101'), '/limit', 'query');
  assertValidationProblem(t, await read(request, '/v1/search?q=Strade&at=2016-02-30'), '/at', 'query');
  assertValidationProblem(t, await read(request, '/v1/search?q=Strade&asOf=2026-01-01T00:00:00Z'), '/asOf', 'query');
  const odd = await read(request, `/v1/search?q=${encodeURIComponent("%_\\' OR 1=1 --")}`);
  t.equal(odd.status, 200, 'SQL and LIKE metacharacters are just text');
});

t.test('the index follows renames and erasures', async (t) => {
  const id = (await createPerson(request, { givenName: 'Gudrun', familyName: 'Öztürk' })).id;
  t.equal((await search({ q: 'Ozturk' }))[0]?.id, id);
  const current = await read(request, `/v1/people/${id}`);
  const renamedRes = await request({
    method: 'PATCH',
    url: `/v1/people/${id}`,
    headers: { 'content-type': 'application/merge-patch+json', 'if-match': String(current.headers.etag) },
    payload: JSON.stringify({ familyName: 'Weißbach' }),
  });
  t.equal(renamedRes.status, 200);
  t.equal((await search({ q: 'Weissbach' }))[0]?.id, id, 'found by the new name');
  t.same((await search({ q: 'Ozturk' })).filter((hit) => hit.id === id), [], 'no longer by the old one');
  const erased = await request({ method: 'POST', url: `/v1/people/${id}/erasure`, payload: { reason: 'Art. 17 request' } });
  t.equal(erased.status, 200, 'erased');
  t.same((await search({ q: 'Gudrun Weissbach' })).filter((hit) => hit.id === id), [], 'an erased person is not found by name');
  const [row] = await database.rows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM search_terms WHERE entity_id = ${id} AND (term LIKE '%gudrun%' OR term LIKE '%weiss%')`,
  );
  t.equal(row?.n, 0, 'nor is the name left in the search index');
});

// ---------------------------------------------------------------- the real data set

const DATA_DIR = new URL('../../../../../shared/data/', import.meta.url);
const dataFiles = existsSync(DATA_DIR) ? readdirSync(DATA_DIR).filter((f) => f.endsWith('.json')) : [];

t.test(
  'the real data set: Czech names typed without diacritics',
  dataFiles.length === 0 ? { skip: `no Popolo data in ${DATA_DIR.pathname} (the real-data search test needs ../shared/data/*.json)` } : {},
  async (t) => {
    interface PopoloPerson {
      id: string;
      name: string;
      given_name?: string;
      family_name?: string;
      honorific_prefix?: string;
    }
    const persons: PopoloPerson[] = dataFiles.flatMap(
      (file) => (JSON.parse(readFileSync(new URL(file, DATA_DIR), 'utf8')) as { persons?: PopoloPerson[] }).persons ?? [],
    );
    // Straight into the people table, names only; the ids are the file's (UUIDs there) when they can be.
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const rows = persons.map((p) => {
      const [given, ...rest] = p.name.split(' ');
      return { id: uuid.test(p.id) ? p.id : crypto.randomUUID(), given: p.given_name ?? given!, family: p.family_name ?? rest.join(' '), prefix: p.honorific_prefix ?? null };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await database.rows(
        sql`INSERT INTO people (id, given_name, family_name, honorific_prefix) VALUES ${sql.join(
          rows.slice(i, i + 500).map((r) => sql`(${r.id}::uuid, ${r.given}, ${r.family}, ${r.prefix})`),
          sql`, `,
        )}`,
      );
    }
    const [count] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM people WHERE id IN (${sql.join(rows.map((r) => sql`${r.id}::uuid`), sql`, `)})`);
    t.equal(count?.n, rows.length, `${rows.length} persons loaded`);

    const hanakova = rows.find((r) => r.given === 'Alena' && r.family === 'Hanáková');
    if (hanakova) {
      t.equal((await search({ q: 'Alena Hanakova' }))[0]?.id, hanakova.id, '"Alena Hanakova" finds Alena Hanáková first');
      t.equal((await search({ q: 'hanakova', types: 'person' }))[0]?.matched.name, 'Alena Hanáková');
    }

    // Every twentieth person whose name carries a diacritic, typed in plain ASCII.
    const withDiacritics = rows.filter((r) => [...`${r.given} ${r.family}`].some((ch) => ch.charCodeAt(0) > 127));
    const sample = withDiacritics.filter((_, i) => i % 20 === 0);
    t.ok(sample.length >= 20, `${sample.length} of ${withDiacritics.length} names with diacritics`);
    for (const person of sample) {
      const typed = foldPlain(`${person.given} ${person.family}`);
      t.ok(/^[a-z ]+$/.test(typed), `"${typed}" is plain ASCII`);
      const hits = await search({ q: typed, types: 'person' });
      t.ok(hits.some((hit) => hit.id === person.id), `"${typed}" finds ${person.given} ${person.family}`);
      t.equal(foldPlain(hits[0]!.matched.name), typed, `"${typed}": the best hit bears that name`);
    }
    // A family name alone, with a typo: still the right name on top.
    const dvořák = rows.find((r) => /ř/.test(r.family) && r.family.length >= 7);
    if (dvořák) {
      const typed = foldPlain(dvořák.family).slice(0, -2) + foldPlain(dvořák.family).slice(-1);
      t.equal(foldPlain((await search({ q: typed, types: 'person' }))[0]!.matched.name).split(' ').at(-1), foldPlain(dvořák.family), `"${typed}" (a letter missing) finds ${dvořák.family}`);
    }
  },
);

t.teardown(() => app.close());
