import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { preparedSql } from '../../../db/prepared.js';
import { holdingJson, holdings, inOrganisations } from '../assignments/holdings.js';

interface UnitRow {
  id: string;
  parent_id: string | null;
  depth: number;
  name: string;
  abbreviation: string | null;
  classification: string | null;
  location: string | null;
  existed: boolean;
}

/** `units`: the sub-units of an organisation on a day, recursively, as attached that day. */
function unitsCte(rootId: unknown, day: unknown, recursive: boolean): SQL {
  return sql`units AS (
      SELECT o.id, NULL::uuid AS parent_id, 0 AS depth, ARRAY[o.id] AS path
        FROM organisations o WHERE o.id = ${rootId}
      UNION ALL
      SELECT p.organisation_id, p.parent_id, u.depth + 1, u.path || p.organisation_id
        FROM units u
        JOIN organisation_parents p ON p.parent_id = u.id AND p.possible_span @> ${day}::date
        JOIN organisations child ON child.id = p.organisation_id AND child.possible_span @> ${day}::date
       WHERE ${recursive} AND NOT p.organisation_id = ANY(u.path) AND u.depth < 64
    )`;
}

/** The sub-units of an organisation on a day, recursively, as attached that day; the root first. */
export async function unitsOn(database: Database, db: Executor, rootId: string, day: string, recursive = true): Promise<UnitRow[]> {
  return database.rows<UnitRow>(sql`
    WITH RECURSIVE ${unitsCte(rootId, day, recursive)}
    SELECT * FROM (
      SELECT u.id, u.parent_id, u.depth, rb_organisation_name_on(o.id, ${day}::date) AS name,
             o.abbreviation, o.classification, o.location, o.possible_span @> ${day}::date AS existed
        FROM units u JOIN organisations o ON o.id = u.id) named
     ORDER BY depth, lower(name), id`, db);
}

/** The chart's statement; its shape differs with `withMembers`, its values are the root and the day. */
const treeStatement = (withMembers: boolean) =>
  preparedSql<{ root: string; day: string }>(({ root, day }) =>
    sql`
      WITH RECURSIVE ${unitsCte(root, day, true)},
      held AS (
        SELECT a.organisation_id, a.post_id, ${holdingJson(day)} AS holding, a.start_date, pe.sort_name, a.id
          FROM units u
          JOIN assignments a ON a.organisation_id = u.id AND a.possible_span @> ${day}::date
                            ${withMembers ? sql`` : sql`AND a.post_id IS NOT NULL`}
          JOIN people pe ON pe.id = a.person_id
      ),
      -- Each list in the order holdings() gives, sorted per post and unit: one sort of all holdings
      -- by name cost more than the rest of the chart (collation-aware comparisons).
      holders AS (
        SELECT post_id, json_agg(holding ORDER BY start_date NULLS FIRST, sort_name, id) AS list
          FROM held WHERE post_id IS NOT NULL GROUP BY post_id
      ),
      members AS (
        SELECT organisation_id, json_agg(holding ORDER BY start_date NULLS FIRST, sort_name, id) AS list
          FROM held WHERE post_id IS NULL GROUP BY organisation_id
      ),
      unit_posts AS (
        SELECT p.organisation_id,
               json_agg(json_build_object('id', p.id, 'label', p.label, 'maxHolders', p.max_holders,
                                          'vacant', h.list IS NULL, 'holders', coalesce(h.list, '[]'::json))
                        ORDER BY p.sort_label, p.id) AS list
          FROM units u JOIN posts p ON p.organisation_id = u.id LEFT JOIN holders h ON h.post_id = p.id
         GROUP BY p.organisation_id
      ),
      named AS MATERIALIZED (
        SELECT u.id, u.parent_id, u.depth, o.possible_span @> ${day}::date AS existed,
               rb_organisation_name_on(o.id, ${day}::date) AS name, o.abbreviation, o.classification, o.location
          FROM units u JOIN organisations o ON o.id = u.id
      )
      SELECT n.id, n.parent_id, n.existed,
             json_build_object('id', n.id, 'name', n.name, 'abbreviation', n.abbreviation,
                               'classification', n.classification, 'location', n.location,
                               'posts', coalesce(up.list, '[]'::json)
                               ${withMembers ? sql`, 'members', coalesce(m.list, '[]'::json)` : sql``})::text AS json
        FROM named n
        LEFT JOIN unit_posts up ON up.organisation_id = n.id
        LEFT JOIN members m ON m.organisation_id = n.id
       ORDER BY n.depth, lower(n.name), n.id`,
  );
const chartOnly = treeStatement(false);
const chartWithMembers = treeStatement(true);

/**
 * The organisation chart on a day as JSON text, built by the database in one statement: the units
 * recursively, each with its posts and their holders, and with `withMembers` the members without a
 * post too. The tree is the heaviest read
 * (a 232-unit chart is 2,700 holdings, 800 KB): built in Node it spent most of its time mapping
 * rows, validating the output against its schema and walking it for contact details it cannot
 * contain (bench/profile.ts). The database writes each unit's object; this function only nests
 * them. test/routes/v1/organisations/day-reads.test.ts checks the answer against the `tree` schema
 * and its holdings against the members read, which builds them in TypeScript.
 */
export async function treeJsonOn(
  database: Database,
  db: Executor,
  rootId: string,
  day: string,
  withMembers: boolean,
): Promise<{ existed: boolean; root: string } | undefined> {
  const rows = await (withMembers ? chartWithMembers : chartOnly)<{ id: string; parent_id: string | null; existed: boolean; json: string }>(
    database,
    db,
    { root: rootId, day },
  );
  if (rows.length === 0) return undefined;
  // Rows come parents first, siblings in order: from the last row back, every unit's children are
  // complete before the unit itself is closed with them.
  const children = new Map<string, string[]>();
  const closed = new Map<string, string>();
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    const units = (children.get(row.id) ?? []).reverse();
    const unit = `${row.json.slice(0, -1)},"units":[${units.join(',')}]}`;
    if (row.parent_id === null) closed.set(row.id, unit);
    else if (children.has(row.parent_id)) children.get(row.parent_id)!.push(unit);
    else children.set(row.parent_id, [unit]);
  }
  return { existed: rows[0]!.existed, root: closed.get(rootId)! };
}

/** Everyone with an assignment in the organisation (and its sub-units that day) on a day. */
export async function membersOn(database: Database, db: Executor, rootId: string, day: string, includeSubUnits: boolean) {
  const units = await unitsOn(database, db, rootId, day, includeSubUnits);
  if (units.length === 0) return undefined;
  const names = new Map(units.map((u) => [u.id, u.name]));
  const held = await holdings(db, inOrganisations([...names.keys()]), day);
  return held.map((h) => ({ ...h, organisationName: names.get(h.organisationId)! }));
}
