import { sql } from 'drizzle-orm';
import { Problem } from '../http/problem.js';
import type { Database, Executor } from './client.js';
import type { Change } from './write.js';

type Record_ = Record<string, unknown> | null;

/** The organisations a change touches, on both sides of it. */
function organisationsOf(change: Change): string[] {
  const before = change.before as Record_;
  const after = change.after as Record_;
  const ids = new Set<string>();
  const add = (value: unknown) => typeof value === 'string' && ids.add(value);
  switch (change.entity) {
    case 'assignment':
    case 'post':
      add(before?.organisationId);
      add(after?.organisationId);
      break;
    case 'organisation':
      // An existing organisation is judged by itself; a new one by where it is attached.
      if (before) add(change.entityId);
      for (const side of [before, after]) {
        for (const parent of (side?.parents as Array<{ organisationId: string }> | undefined) ?? []) add(parent.organisationId);
      }
      break;
    case 'organisationEvent':
      for (const id of [...((after?.originals as string[]) ?? []), ...((after?.resulting as string[]) ?? [])]) add(id);
      break;
    default:
      break;
  }
  return [...ids];
}

const uuidArray = (ids: string[]) => sql`ARRAY[${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}]::uuid[]`;

/**
 * An editor key that names organisations may write only inside their subtrees, as they stand on
 * the day of the write (DESIGN.md §5). Checked on what the write changed, before it commits, so
 * that every route, the transitions (both sides) and the organisation events are held to it alike.
 */
export async function assertWithinScopes(database: Database, tx: Executor, changes: Change[], scopes: string[]) {
  const roots = uuidArray(scopes);
  const organisations = [...new Set(changes.flatMap(organisationsOf))];
  if (organisations.length > 0) {
    const outside = await database.rows<{ id: string }>(
      sql`SELECT id FROM unnest(${uuidArray(organisations)}) AS id WHERE NOT rb_within(id, ${roots}, CURRENT_DATE)`,
      tx,
    );
    if (outside.length > 0) {
      throw new Problem('forbidden', `This key may not write in organisation ${outside[0]!.id}: it lies outside the key's scopes.`, {
        organisationId: outside[0]!.id,
      });
    }
  }
  // People belong where they work: a person with current assignments must have one in scope.
  const people = changes.filter((c) => c.entity === 'person' && c.action !== 'create').map((c) => c.entityId);
  for (const personId of new Set(people)) {
    const [row] = await database.rows<{ current: number; inside: number }>(
      sql`SELECT count(*)::int AS current, count(*) FILTER (WHERE rb_within(organisation_id, ${roots}, CURRENT_DATE))::int AS inside
            FROM assignments WHERE person_id = ${personId} AND possible_span @> CURRENT_DATE`,
      tx,
    );
    if (row && row.current > 0 && row.inside === 0) {
      throw new Problem('forbidden', `This key may not change person ${personId}: none of their current assignments lies in the key's scopes.`);
    }
  }
}
