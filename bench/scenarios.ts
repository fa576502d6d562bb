/**
 * The requests `npm run bench` and `bench/profile.ts` load-test: the hot reads of widgets and HR
 * and the two writes, aimed at the busiest parts of whatever directory the database holds (the
 * demo, a generated one, or a database kept from an earlier run). Targets are picked by SQL with a
 * total order, so one database always gives the same requests.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.js';
import { unitsOn } from '../src/routes/v1/organisations/day-queries.js';

export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Send the admin key (writes); reads go out anonymous, as widgets send them. */
  admin?: boolean;
  /** Send If-None-Match with the first answer's ETag: the cached widget request. */
  conditional?: boolean;
  /** A hot read: its throughput must reach 0.7 × the baseline's (issue 8). */
  hot?: boolean;
  /** The p99 latency it must stay under, one client at a time (issue 8). */
  p99TargetMs?: number;
}

export const BENCH_DAY = '2020-06-01';

export async function pickScenarios(database: Database, day = BENCH_DAY): Promise<Scenario[]> {
  const rows = <T>(text: string) => database.rows<T>(sql.raw(text));
  const roots = await rows<{ id: string }>(`SELECT o.id FROM organisations o
      WHERE NOT EXISTS (SELECT 1 FROM organisation_parents p WHERE p.organisation_id = o.id) ORDER BY o.id`);
  const sized = await Promise.all(roots.map(async ({ id }) => ({ id, units: (await unitsOn(database, database.db, id, day)).length })));
  sized.sort((a, b) => b.units - a.units || a.id.localeCompare(b.id));
  const [post] = await rows<{ id: string }>(`SELECT a.post_id AS id FROM assignments a JOIN posts p ON p.id = a.post_id
      WHERE p.max_holders = 1 AND a.possible_span @> '${day}'::date ORDER BY a.post_id LIMIT 1`);
  const [person] = await rows<{ id: string }>(`SELECT person_id AS id FROM assignments
      WHERE possible_span @> '${day}'::date GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT 1`);
  // The writes go to an organisation outside the tree that is read, and to another person than
  // the one read, so that a kept database reused for several runs keeps the same reads.
  const top = sized[0]!.id;
  const inTree = new Set((await unitsOn(database, database.db, top, day)).map((u) => u.id));
  const lasting = await rows<{ id: string }>(`SELECT id FROM organisations
      WHERE founding_date IS NULL AND dissolution_date IS NULL ORDER BY id`);
  const writeOrg = lasting.find((o) => !inTree.has(o.id)) ?? lasting[0];
  const [writer] = await rows<{ id: string }>(`SELECT id FROM people WHERE id <> '${person!.id}' ORDER BY id LIMIT 1`);
  // A team page: the unit with the most people that day, as the team widget asks for it.
  const [team] = await rows<{ id: string }>(`SELECT organisation_id AS id FROM assignments
      WHERE possible_span @> '${day}'::date GROUP BY organisation_id ORDER BY count(*) DESC, organisation_id LIMIT 1`);
  const [name] = await rows<{ family: string }>(`SELECT family_name AS family FROM people
      WHERE family_name IS NOT NULL ORDER BY id LIMIT 1`);
  return [
    { name: 'person with current roles', method: 'GET', path: `/v1/people/${person!.id}`, hot: true },
    {
      name: `organisation tree on a day (${sized[0]!.units} units)`,
      method: 'GET',
      path: `/v1/organisations/${top}/tree?at=${day}`,
      hot: true,
      p99TargetMs: 50,
    },
    { name: 'post holders on a day', method: 'GET', path: `/v1/posts/${post!.id}/holders?at=${day}`, hot: true },
    { name: 'search', method: 'GET', path: `/v1/search?q=${encodeURIComponent(name!.family.slice(0, 6))}&limit=10`, hot: true, p99TargetMs: 20 },
    { name: 'widget: team page', method: 'GET', path: `/v1/organisations/${team!.id}/tree?members=true`, hot: true },
    {
      name: 'widget: team page, revalidated (304)',
      method: 'GET',
      path: `/v1/organisations/${team!.id}/tree?members=true`,
      conditional: true,
      hot: true,
    },
    {
      name: 'create assignment',
      method: 'POST',
      path: '/v1/assignments',
      admin: true,
      body: { personId: writer!.id, organisationId: writeOrg!.id, role: 'Benchmark', startDate: '2024' },
    },
    {
      name: 'transition',
      method: 'POST',
      path: '/v1/transitions',
      admin: true,
      p99TargetMs: 20,
      body: { date: '2025-01-01', start: [{ personId: writer!.id, organisationId: writeOrg!.id, role: 'Benchmark' }], reason: 'bench' },
    },
  ];
}
