import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { holdings, inOrganisations, postsOf, type Holding } from '../assignments/holdings.js';
import type { TreeUnit } from './day-schemas.js';

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

/** The sub-units of an organisation on a day, recursively, as attached that day; the root first. */
export async function unitsOn(database: Database, db: Executor, rootId: string, day: string, recursive = true): Promise<UnitRow[]> {
  return database.rows<UnitRow>(sql`
    WITH RECURSIVE units AS (
      SELECT o.id, NULL::uuid AS parent_id, 0 AS depth, ARRAY[o.id] AS path
        FROM organisations o WHERE o.id = ${rootId}
      UNION ALL
      SELECT p.organisation_id, p.parent_id, u.depth + 1, u.path || p.organisation_id
        FROM units u
        JOIN organisation_parents p ON p.parent_id = u.id AND p.possible_span @> ${day}::date
        JOIN organisations child ON child.id = p.organisation_id AND child.possible_span @> ${day}::date
       WHERE ${recursive} AND NOT p.organisation_id = ANY(u.path) AND u.depth < 64
    )
    SELECT * FROM (
      SELECT u.id, u.parent_id, u.depth, rb_organisation_name_on(o.id, ${day}::date) AS name,
             o.abbreviation, o.classification, o.location, o.possible_span @> ${day}::date AS existed
        FROM units u JOIN organisations o ON o.id = u.id) named
     ORDER BY depth, lower(name), id`, db);
}

/**
 * The organisation chart on a day: three queries whatever the size (units, posts, holdings),
 * put together here.
 */
export async function treeOn(database: Database, db: Executor, rootId: string, day: string): Promise<{ existed: boolean; root: TreeUnit } | undefined> {
  const units = await unitsOn(database, db, rootId, day);
  if (units.length === 0) return undefined;
  const ids = units.map((u) => u.id);
  const [postRows, held] = await Promise.all([
    postsOf(db, ids),
    holdings(db, inOrganisations(ids), day),
  ]);

  const nodes = new Map<string, TreeUnit>();
  for (const u of units) {
    nodes.set(u.id, {
      id: u.id,
      name: u.name,
      abbreviation: u.abbreviation,
      classification: u.classification,
      location: u.location,
      posts: [],
      members: [],
      units: [],
    });
  }
  const byPost = new Map<string, Holding[]>();
  for (const h of held) {
    if (h.postId) byPost.set(h.postId, [...(byPost.get(h.postId) ?? []), h]);
    else nodes.get(h.organisationId)!.members.push(h);
  }
  for (const p of postRows) {
    const holders = byPost.get(p.id) ?? [];
    nodes.get(p.organisationId)!.posts.push({
      id: p.id,
      label: p.label,
      maxHolders: p.maxHolders,
      vacant: holders.length === 0,
      holders,
    });
  }
  for (const u of units) if (u.parent_id) nodes.get(u.parent_id)!.units.push(nodes.get(u.id)!);
  return { existed: units[0]!.existed, root: nodes.get(rootId)! };
}

/** Everyone with an assignment in the organisation (and its sub-units that day) on a day. */
export async function membersOn(database: Database, db: Executor, rootId: string, day: string, includeSubUnits: boolean) {
  const units = await unitsOn(database, db, rootId, day, includeSubUnits);
  if (units.length === 0) return undefined;
  const names = new Map(units.map((u) => [u.id, u.name]));
  const held = await holdings(db, inOrganisations([...names.keys()]), day);
  return held.map((h) => ({ ...h, organisationName: names.get(h.organisationId)! }));
}
