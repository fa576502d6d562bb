import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { holdings, inOrganisations } from '../assignments/holdings.js';

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
export function unitsCte(rootId: unknown, day: unknown, recursive: boolean): SQL {
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

/** Everyone with an assignment in the organisation (and its sub-units that day) on a day. */
export async function membersOn(database: Database, db: Executor, rootId: string, day: string, includeSubUnits: boolean) {
  const units = await unitsOn(database, db, rootId, day, includeSubUnits);
  if (units.length === 0) return undefined;
  const names = new Map(units.map((u) => [u.id, u.name]));
  const held = await holdings(db, inOrganisations([...names.keys()]), day);
  return held.map((h) => ({ ...h, organisationName: names.get(h.organisationId)! }));
}
