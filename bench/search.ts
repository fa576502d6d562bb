/**
 * Search latency on a large directory: GET /v1/search over 100,000 generated people on a
 * PostgreSQL server, end to end through the app (app.inject), and the plan of one query.
 *
 *   npx tsx bench/search.ts --people 100000 --queries 200
 *
 * Options: --seed 7, --server <postgres URL> (default postgres://postgres@127.0.0.1:5432/postgres
 * or BENCH_DATABASE_URL; a throwaway database rolebook_bench_search_<pid> is created there and
 * dropped at the end unless --keep), --batch 1000 (people per INSERT), --organisations 300.
 *
 * People get names from German, Czech, Polish, Turkish, French and other lists (diacritics
 * included; a fifth with double-barrelled family names, a tenth with a former name), and half of
 * them one dated assignment, so that `at` has something to filter. They are inserted in multi-row
 * INSERTs through the real schema, so the search index is filled by its triggers as in production.
 * The queries are the ways people type a half-remembered name: exact, upper case, umlauts written
 * out, diacritics dropped, one or two typos, a prefix, given and family name, some with `at`.
 */
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { buildApp } from '../src/app.js';
import { openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { foldPlain } from '../src/domain/folding.js';
import { queryForms, searchStatement } from '../src/routes/v1/search/queries.js';
import { WORD_SIMILARITY_FLOOR } from '../src/db/client.js';
import { SEARCH_TYPES } from '../src/routes/v1/search/schemas.js';
import {
  createServerDatabase,
  DEFAULT_SERVER_URL,
  dropServerDatabase,
  int,
  intArg,
  ms,
  now,
  parseArgs,
  Random,
  stringArg,
  summarise,
  table,
} from './lib.js';

const GIVEN = [
  'Jutta', 'Ingrid', 'Marion', 'Katja', 'Sabine', 'Andrea', 'Petra', 'Claudia', 'Susanne', 'Monika', 'Birgit', 'Stefanie',
  'Julia', 'Anna', 'Lea', 'Sophie', 'Jürgen', 'Thomas', 'Michael', 'Andreas', 'Stefan', 'Frank', 'Klaus', 'Günther',
  'Jörg', 'Uwe', 'Matthias', 'Tobias', 'Jan', 'Lukas', 'Felix', 'Ömer', 'Ayşe', 'Mehmet', 'Zoë', 'Björn', 'Søren',
  'Renée', 'Hans-Peter', 'Anne-Marie', 'Gisela', 'Ursula', 'Helga', 'Brigitte', 'Renate', 'Karin', 'Heike', 'Silke',
  'Dagmar', 'Bärbel', 'Marlies', 'Hannelore', 'Wolfgang', 'Dieter', 'Manfred', 'Werner', 'Horst', 'Rüdiger', 'Detlef',
  'Jens', 'Sven', 'Torsten', 'Heiko', 'Maximilian', 'Leon', 'Finn', 'Jonas', 'Niklas', 'Emma', 'Mia', 'Hannah', 'Lena',
  'Jiří', 'Petr', 'Pavel', 'Tomáš', 'Martin', 'Jaroslav', 'Miroslav', 'Zdeněk', 'Václav', 'Josef', 'Lenka', 'Jana',
  'Kateřina', 'Markéta', 'Veronika', 'Tereza', 'Zuzana', 'Hana', 'Eliška', 'Radka', 'Bohuslav', 'Přemysl', 'Vojtěch',
  'Łukasz', 'Piotr', 'Krzysztof', 'Paweł', 'Małgorzata', 'Agnieszka', 'Katarzyna', 'Grzegorz', 'Wojciech', 'Zbigniew',
  'Emine', 'Fatma', 'Hatice', 'Mustafa', 'Ahmet', 'Hüseyin', 'İbrahim', 'Çağla', 'Gülşen', 'Şükrü', 'François', 'Hélène',
  'Amélie', 'Benoît', 'Cécile', 'Jérôme', 'Loïc', 'Gaëlle', 'Ignacio', 'María', 'José', 'Inês', 'João', 'Giulia',
  'Niccolò', 'Agnès', 'Ørjan', 'Åsa', 'Dóra', 'Gábor', 'Zsófia', 'Miloš', 'Dragan', 'Snežana', 'Ivana', 'Goran',
];

const FAMILY = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer',
  'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger',
  'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier', 'Lehmann', 'Schmid', 'Schulze',
  'Maier', 'Köhler', 'Herrmann', 'König', 'Walter', 'Mayer', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Lang', 'Scholz',
  'Möller', 'Weiß', 'Jung', 'Hahn', 'Schubert', 'Reiter', 'Schleimer', 'Siebert', 'Sträde', 'Vogel', 'Friedrich',
  'Keller', 'Günther', 'Frank', 'Berger', 'Winkler', 'Roth', 'Beck', 'Lorenz', 'Baumann', 'Franke', 'Albrecht',
  'Schuster', 'Simon', 'Ludwig', 'Böhm', 'Winter', 'Kraus', 'Martin', 'Schumacher', 'Krämer', 'Vogt', 'Stein',
  'Jäger', 'Otto', 'Sommer', 'Groß', 'Seidel', 'Heinrich', 'Brandt', 'Haas', 'Schreiber', 'Graf', 'Schulte',
  'Dietrich', 'Ziegler', 'Kuhn', 'Kühn', 'Pohl', 'Engel', 'Horn', 'Busch', 'Bergmann', 'Thomas', 'Voigt', 'Sauer',
  'Arnold', 'Wolff', 'Pfeiffer', 'Gößling', 'Strauß', 'Büttner', 'Lüdenscheidt', 'Öhlschläger', 'Überall', 'Dürr',
  'Gärtner', 'Göbel', 'Brückner', 'Röder', 'Hübner', 'Mühlenbeck', 'Nußbaum', 'Rößler', 'Spieß', 'Fröhlich',
  'Novák', 'Svoboda', 'Novotný', 'Dvořák', 'Černý', 'Procházková', 'Kučera', 'Veselý', 'Horák', 'Němec', 'Pokorný',
  'Marek', 'Pospíšil', 'Hájek', 'Jelínek', 'Růžička', 'Beneš', 'Fiala', 'Sedláček', 'Doležal', 'Zeman', 'Kolář',
  'Navrátil', 'Čermák', 'Vaněk', 'Urban', 'Blažek', 'Kříž', 'Kovář', 'Bartoš', 'Vlček', 'Polák', 'Musil', 'Kopecký',
  'Šimek', 'Konečný', 'Malý', 'Holub', 'Štěpánek', 'Kadlec', 'Dostál', 'Soukup', 'Šťastný', 'Mareš', 'Moravec',
  'Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański',
  'Woźniak', 'Dąbrowski', 'Kozłowski', 'Jankowski', 'Mazur', 'Kwiatkowski', 'Krawczyk', 'Piotrowski', 'Grabowski',
  'Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan', 'Doğan',
  'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özkan', 'Şimşek', 'Polat', 'Korkmaz', 'Güneş', 'Erdoğan',
  'Dubois', 'Lefèvre', 'Mercier', 'Girard', 'Bonnet', 'Lambert', 'Fontaine', 'Rousseau', 'Chevalier', 'Gauthier',
  'Gagné', 'Bélanger', 'Côté', 'Lévesque', 'García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez',
  'Sánchez', 'Pérez', 'Gómez', 'Jiménez', 'Muñoz', 'Álvarez', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi',
  'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Nagy',
  'Kovács', 'Tóth', 'Szabó', 'Horváth', 'Varga', 'Kiss', 'Molnár', 'Németh', 'Farkas', 'Balogh', 'Jovanović',
  'Petrović', 'Nikolić', 'Marković', 'Đorđević', 'Stojanović', 'Ilić', 'Stanković', 'Pavlović', 'Milošević',
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nielsen', 'Kristiansen', 'Jensen', 'Karlsen',
  'Løvås', 'Ødegård', 'Åberg', 'Björk', 'Lindqvist', 'Sjöberg', 'van der Berg', 'de Vries', 'van Dijk', 'Bakker',
  'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', "O'Neill", "O'Brien", 'MacDonald', 'Ó Súilleabháin',
];

const PREFIXES = [null, null, null, null, null, null, 'Dr.', 'Prof. Dr.', 'Ing.', 'Mgr.'];

// ---------------------------------------------------------------- the directory

interface Person {
  id: string;
  given: string;
  family: string;
  prefix: string | null;
  formerName: string | null;
  /** The day range of its one assignment, or null. */
  assignment: { org: number; start: string; end: string | null } | null;
}

const isoDay = (days: number) => new Date(Date.UTC(2000, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);

function people(count: number, organisations: number, rng: Random): Person[] {
  return Array.from({ length: count }, () => {
    const family = rng.chance(0.2) ? `${rng.pick(FAMILY)}-${rng.pick(FAMILY)}` : rng.pick(FAMILY);
    const startDay = rng.int(0, 9000);
    return {
      id: rng.uuid(),
      given: rng.pick(GIVEN),
      family,
      prefix: rng.pick(PREFIXES),
      formerName: rng.chance(0.1) ? `${rng.pick(GIVEN)} ${rng.pick(FAMILY)}` : null,
      assignment: rng.chance(0.5)
        ? { org: rng.int(0, organisations - 1), start: isoDay(startDay), end: rng.chance(0.5) ? isoDay(startDay + rng.int(30, 3000)) : null }
        : null,
    };
  });
}

const literal = (value: string | null) => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);

async function load(client: postgres.Sql, directory: Person[], orgIds: string[], batch: number, rng: Random) {
  await client.unsafe(
    `INSERT INTO organisations (id, name, abbreviation, classification) VALUES ${orgIds
      .map((id, i) => `(${literal(id)}, ${literal(`Referat ${i + 1} für ${rng.pick(['Arbeit', 'Integration', 'Soziales', 'Gesundheit', 'Bildung'])}`)}, ${literal(`R${i + 1}`)}, 'unit')`)
      .join(', ')}`,
  );
  for (let i = 0; i < directory.length; i += batch) {
    const slice = directory.slice(i, i + batch);
    await client.unsafe(
      `INSERT INTO people (id, given_name, family_name, honorific_prefix) VALUES ${slice
        .map((p) => `(${literal(p.id)}, ${literal(p.given)}, ${literal(p.family)}, ${literal(p.prefix)})`)
        .join(', ')}`,
    );
    const former = slice.filter((p) => p.formerName);
    if (former.length > 0) {
      await client.unsafe(
        `INSERT INTO person_names (person_id, position, name, end_date, end_precision) VALUES ${former
          .map((p) => `(${literal(p.id)}, 0, ${literal(p.formerName)}, '2010-01-01', 'year')`)
          .join(', ')}`,
      );
    }
    const assigned = slice.filter((p) => p.assignment);
    if (assigned.length > 0) {
      await client.unsafe(
        `INSERT INTO assignments (person_id, organisation_id, role, start_date, start_precision, end_date, end_precision) VALUES ${assigned
          .map((p) => {
            const a = p.assignment!;
            return `(${literal(p.id)}, ${literal(orgIds[a.org]!)}, 'Sachbearbeitung', ${literal(a.start)}, 'day', ${literal(a.end)}, ${a.end ? "'day'" : 'NULL'})`;
          })
          .join(', ')}`,
      );
    }
    if ((i / batch) % 10 === 0) process.stderr.write(`  ${int(i + slice.length)} people\n`);
  }
}

// ---------------------------------------------------------------- queries

const GERMAN: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };

/** One or more typos: a letter dropped, replaced or doubled, away from the first letter. */
function typo(word: string, rng: Random, count: number): string {
  let out = word;
  for (let i = 0; i < count; i++) {
    const at = rng.int(1, out.length - 1);
    const kind = rng.int(0, 2);
    out = kind === 0 ? out.slice(0, at) + out.slice(at + 1) : kind === 1 ? `${out.slice(0, at)}x${out.slice(at + 1)}` : out.slice(0, at) + out[at] + out.slice(at);
  }
  return out;
}

interface Query {
  kind: string;
  q: string;
  at?: string;
  target: string;
  /** The family name meant (the first part of a double-barrelled one). */
  family: string;
}

function queries(directory: Person[], count: number, rng: Random): Query[] {
  const kinds = ['exact', 'upper case', 'umlauts written out', 'diacritics dropped', 'one typo', 'two typos', 'prefix', 'given and family', 'with at'] as const;
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length]!;
    let person = rng.pick(directory);
    const family = () => person.family.split('-')[0]!;
    switch (kind) {
      case 'exact':
        return { kind, q: family(), target: person.id, family: family() };
      case 'upper case':
        return { kind, q: family().toUpperCase(), target: person.id, family: family() };
      case 'umlauts written out':
        return { kind, q: family().replace(/[äöüÄÖÜß]/g, (c) => GERMAN[c]!), target: person.id, family: family() };
      case 'diacritics dropped':
        return { kind, q: family().normalize('NFD').replace(/\p{M}/gu, ''), target: person.id, family: family() };
      case 'one typo':
        while (family().length < 5) person = rng.pick(directory);
        return { kind, q: typo(family(), rng, 1), target: person.id, family: family() };
      case 'two typos':
        while (family().length < 8) person = rng.pick(directory);
        return { kind, q: typo(family(), rng, 2), target: person.id, family: family() };
      case 'prefix':
        return { kind, q: family().slice(0, 4), target: person.id, family: family() };
      case 'given and family':
        return { kind, q: `${person.given} ${family()}`, target: person.id, family: family() };
      case 'with at':
        while (!person.assignment) person = rng.pick(directory);
        return { kind, q: `${person.given} ${family()}`, at: person.assignment.start, target: person.id, family: family() };
    }
  });
}

// ---------------------------------------------------------------- main

async function main() {
  const args = parseArgs();
  const count = intArg(args, 'people', 100_000);
  const queryCount = intArg(args, 'queries', 200);
  const batch = Math.max(1, intArg(args, 'batch', 1_000));
  const organisations = Math.max(1, intArg(args, 'organisations', 300));
  const rng = new Random(intArg(args, 'seed', 7));
  const serverUrl = stringArg(args, 'server', process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL);
  const name = `rolebook_bench_search_${process.pid}`;

  const url = await createServerDatabase(serverUrl, name);
  const database = await openPostgres({ url, max: 4 });
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(database, url);
    const directory = people(count, organisations, rng);
    const orgIds = Array.from({ length: organisations }, () => rng.uuid());
    process.stderr.write(`loading ${int(count)} people in INSERTs of ${batch}\n`);
    const t0 = now();
    await load(client, directory, orgIds, batch, rng);
    const loadSeconds = (now() - t0) / 1000;
    await client.unsafe('VACUUM ANALYZE');
    const [sizes] = await client.unsafe(
      `SELECT (SELECT count(*) FROM people)::int AS people, (SELECT count(*) FROM search_terms)::int AS terms,
              pg_size_pretty(pg_relation_size('search_terms')) AS table_size,
              pg_size_pretty(pg_relation_size('search_terms_term_trgm_idx')) AS index_size`,
    );

    const app = await buildApp({ config: { RATE_LIMIT_PER_MINUTE: 1_000_000, MAX_EVENT_LOOP_DELAY_MS: 60_000 }, database });
    const list = queries(directory, queryCount, rng);
    const search = async (query: Query) =>
      app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent(query.q)}&types=person${query.at ? `&at=${query.at}` : ''}` });
    for (const query of list.slice(0, 20)) await search(query); // warm up connections and caches

    const byKind = new Map<string, { latencies: number[]; found: number; total: number; samples: string[] }>();
    const all: number[] = [];
    for (const query of list) {
      const started = now();
      const res = await search(query);
      const elapsed = now() - started;
      if (res.statusCode !== 200) throw new Error(`${query.q}: ${res.statusCode} ${res.body}`);
      const items = (JSON.parse(res.body) as { items: Array<{ id: string; matched: { name: string } }> }).items;
      const entry = byKind.get(query.kind) ?? { latencies: [], found: 0, total: 0, samples: [] };
      entry.latencies.push(elapsed);
      entry.total++;
      // A family name alone is shared by hundreds: found when the best hit bears the name meant.
      const meant = foldPlain(query.family);
      const found = query.kind === 'given and family' || query.kind === 'with at'
        ? items.some((item) => item.id === query.target)
        : items.length > 0 && ` ${foldPlain(items[0]!.matched.name)} `.includes(` ${meant} `);
      if (found) entry.found++;
      if (entry.samples.length < 3) entry.samples.push(query.q);
      byKind.set(query.kind, entry);
      all.push(elapsed);
    }
    await app.close();

    const rows = [...byKind].map(([kind, e]) => {
      const s = summarise(e.latencies);
      return [kind, e.total, ms(s.p50), ms(s.p99), `${e.found}/${e.total}`, e.samples.join(', ')];
    });
    const total = summarise(all);
    rows.push(['**all**', total.n, ms(total.p50), ms(total.p99), '', '']);

    // The plan of one query, as the route issues it.
    const sample = list.find((q) => q.kind === 'one typo')!;
    const forms = queryForms(sample.q);
    const statement = new PgDialect().sqlToQuery(searchStatement(forms, { q: sample.q, types: SEARCH_TYPES, limit: 20 }));
    let plan = '';
    await client.begin(async (tx) => {
      await tx.unsafe(`SELECT set_config('pg_trgm.word_similarity_threshold', '${WORD_SIMILARITY_FLOOR}', true)`);
      const result = await tx.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params as never[]);
      plan = (result as unknown as Array<Record<string, string>>).map((r) => r['QUERY PLAN']).join('\n');
    });

    console.log(`## Search on ${int(sizes!.people as number)} people (PostgreSQL)\n`);
    console.log(
      `Loaded in ${loadSeconds.toFixed(1)} s (${int(count / loadSeconds)} people/s, search index by triggers included); ` +
        `search_terms: ${int(sizes!.terms as number)} rows, ${sizes!.table_size}, trigram GIN index ${sizes!.index_size}.\n`,
    );
    console.log(`${list.length} queries through app.inject, one at a time, \`types=person\`, limit 20; "found": for a family name alone (shared by a few hundred people), the best hit bears that name; for given and family name, the person is among the hits.\n`);
    console.log(table(['query', 'n', 'p50 ms', 'p99 ms', 'found', 'e.g.'], rows));
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of "${sample.q}" (forms ${forms.map((f) => `"${f}"`).join(', ')}, all types, threshold ${WORD_SIMILARITY_FLOOR}; the person's name folds to "${foldPlain(directory.find((p) => p.id === sample.target)!.family)}"):\n`);
    console.log('```');
    console.log(plan);
    console.log('```');
  } finally {
    await client.end({ timeout: 5 });
    await database.close();
    if (args.keep) process.stderr.write(`Kept: ${url}\n`);
    else await dropServerDatabase(serverUrl, name);
  }
}

await main();
