import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { preparedSql } from '../../../db/prepared.js';
import { fromColumns } from '../../../db/dates.js';
import type { Precision } from '../../../domain/partial-date.js';
import { personName } from '../assignments/holdings.js';
import { unitsCte } from './day-queries.js';

/**
 * The organisation chart on a day (GET /v1/organisations/{id}/tree), written as JSON text here.
 *
 * It is the heaviest read: a ministry of 485 units has 1,300 posts and 2,500 holders on a day,
 * 1.1 MB of JSON. Built as objects through drizzle it spent most of its time mapping rows,
 * validating its own output against the schema and walking it for contact details it cannot hold
 * (bench/profile.ts); built by PostgreSQL's JSON functions, 10 ms went into json_build_object
 * alone. So two prepared statements return flat rows in the chart's order, PostgreSQL runs them on
 * two connections at once, and this module writes the text: 26 ms instead of 38 ms (in process,
 * medium size). test/routes/v1/organisations/day-reads.test.ts checks the answer against the `tree`
 * schema and every holding in it against the member list, which holdings() builds as objects.
 */

/** What a row is; rows come in this order, each kind sorted as the chart lists it. */
const UNIT = 0;
const POST = 1;
const HOLDER = 2;
const MEMBER = 3;

/** A unit (its name that day) or a post (its label), from the first statement. */
interface StructureRow {
  kind: typeof UNIT | typeof POST;
  id: string;
  /** A unit's parent unit; a post's unit. */
  parent_id: string | null;
  name: string;
  /** A unit's abbreviation. */
  a: string | null;
  classification: string | null;
  location: string | null;
  max_holders: number | null;
  existed: boolean | null;
}

/** An assignment that day, from the second statement: a post's holder or a unit's member. */
interface HoldingRow {
  kind: typeof HOLDER | typeof MEMBER;
  id: string;
  /** A holder's post; a member's unit. */
  parent_id: string;
  /** The person's display name. */
  name: string;
  /** The role. */
  a: string | null;
  person_id: string;
  organisation_id: string;
  start_date: string | null;
  start_precision: Precision | null;
  end_date: string | null;
  end_precision: Precision | null;
  certain: boolean;
}

/**
 * The chart's rows, in two statements that PostgreSQL runs at once on two connections (the units
 * with their names and posts; the holdings), each ordered so that every group of rows arrives in
 * the chart's order and the writer sorts nothing. The sort keys keep collation-aware comparisons
 * (slow) to rows of one group: units by depth, then name; posts by unit, then label; holdings by
 * post (or unit), then start, then name.
 */
const unitsAndPosts = preparedSql<{ root: string; day: string }>(
  ({ root, day }) => sql`
    WITH RECURSIVE ${unitsCte(root, day, true)},
    named AS MATERIALIZED (
      SELECT u.id, u.parent_id, u.depth, rb_organisation_name_on(o.id, ${day}::date) AS name, o.abbreviation,
             o.classification, o.location, o.possible_span @> ${day}::date AS existed
        FROM units u JOIN organisations o ON o.id = u.id
    )
    SELECT kind, id, parent_id, name, a, classification, location, max_holders, existed
      FROM (
        SELECT ${sql.raw(String(UNIT))} AS kind, n.id, n.parent_id, n.name, n.abbreviation AS a, n.classification,
               n.location, NULL::int AS max_holders, n.existed, NULL::uuid AS g1, n.depth AS g2, lower(n.name) AS sort_key
          FROM named n
        UNION ALL
        SELECT ${sql.raw(String(POST))}, p.id, p.organisation_id, p.label, NULL, NULL, NULL, p.max_holders, NULL,
               p.organisation_id, 0, p.sort_label
          FROM units u JOIN posts p ON p.organisation_id = u.id
      ) chart
     ORDER BY kind, g1 NULLS FIRST, g2, sort_key, id`,
);

const holdingsStatement = (withMembers: boolean) =>
  preparedSql<{ root: string; day: string }>(
    ({ root, day }) => sql`
      WITH RECURSIVE ${unitsCte(root, day, true)}
      SELECT CASE WHEN a.post_id IS NULL THEN ${sql.raw(String(MEMBER))} ELSE ${sql.raw(String(HOLDER))} END AS kind,
             a.id, coalesce(a.post_id, a.organisation_id) AS parent_id,
             ${personName} AS name, a.role AS a,
             a.person_id, a.organisation_id, a.start_date, a.start_precision, a.end_date, a.end_precision,
             a.certain_span @> ${day}::date AS certain
        FROM units u
        JOIN assignments a ON a.organisation_id = u.id AND a.possible_span @> ${day}::date
                          ${withMembers ? sql`` : sql`AND a.post_id IS NOT NULL`}
        JOIN people ON people.id = a.person_id
       ORDER BY coalesce(a.post_id, a.organisation_id), a.start_date NULLS FIRST, people.sort_name, a.id`,
  );
const holdersOnly = holdingsStatement(false);
const holdersAndMembers = holdingsStatement(true);

const text = (value: string | null): string => JSON.stringify(value);
const partialDate = (day: string | null, precision: Precision | null): string => text(fromColumns(day, precision));

/** A Holding (src/routes/v1/assignments/holdings.ts) as JSON: the same fields in the same order. */
function holdingJson(h: HoldingRow, postId: string | null): string {
  return (
    `{"assignmentId":"${h.id}","person":{"id":"${h.person_id}","name":${text(h.name)}},` +
    `"organisationId":"${h.organisation_id}","postId":${postId === null ? 'null' : `"${postId}"`},"role":${text(h.a)},` +
    `"startDate":${partialDate(h.start_date, h.start_precision)},"endDate":${partialDate(h.end_date, h.end_precision)},` +
    `"certainty":"${h.certain ? 'certain' : 'possible'}"}`
  );
}

/** Rows grouped by their parent, in the order they came. */
function grouped<Row extends { kind: number; parent_id: string | null }>(rows: Row[], kind: Row['kind']): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    if (row.kind !== kind) continue;
    const group = groups.get(row.parent_id!);
    if (group) group.push(row);
    else groups.set(row.parent_id!, [row]);
  }
  return groups;
}

/**
 * The chart as JSON text: the root unit with its posts and their holders, and with `withMembers`
 * each unit's members without a post (a team page); sub-units nested as attached that day.
 */
export async function chartJsonOn(
  database: Database,
  db: Executor,
  rootId: string,
  day: string,
  withMembers: boolean,
): Promise<{ existed: boolean; root: string } | undefined> {
  const values = { root: rootId, day };
  const [structure, held] = await Promise.all([
    unitsAndPosts<StructureRow>(database, db, values),
    (withMembers ? holdersAndMembers : holdersOnly)<HoldingRow>(database, db, values),
  ]);
  const units = structure.filter((row) => row.kind === UNIT);
  if (units.length === 0) return undefined;
  const posts = grouped(structure, POST);
  const holders = grouped(held, HOLDER);
  const members = grouped(held, MEMBER);

  // The text is written once, in order, into one list of parts: nesting strings into their parents
  // would copy every holding once per level (a 1 MB chart, six levels deep).
  const subUnits = grouped(units, UNIT);
  const parts: string[] = [];
  const comma = (i: number) => (i > 0 ? ',' : '');
  const writeUnit = (unit: StructureRow): void => {
    parts.push(
      `{"id":"${unit.id}","name":${text(unit.name)},"abbreviation":${text(unit.a)},` +
        `"classification":${text(unit.classification)},"location":${text(unit.location)},"posts":[`,
    );
    for (const [i, post] of (posts.get(unit.id) ?? []).entries()) {
      const held = holders.get(post.id) ?? [];
      parts.push(
        `${comma(i)}{"id":"${post.id}","label":${text(post.name)},"maxHolders":${post.max_holders ?? 'null'},` +
          `"vacant":${held.length === 0},"holders":[`,
      );
      for (const [k, holder] of held.entries()) parts.push(comma(k) + holdingJson(holder, post.id));
      parts.push(']}');
    }
    if (withMembers) {
      parts.push('],"members":[');
      for (const [k, member] of (members.get(unit.id) ?? []).entries()) parts.push(comma(k) + holdingJson(member, null));
    }
    parts.push('],"units":[');
    for (const [i, sub] of (subUnits.get(unit.id) ?? []).entries()) {
      if (i > 0) parts.push(',');
      writeUnit(sub);
    }
    parts.push(']}');
  };
  // Units come parents first, then each level by name: the root is the first.
  writeUnit(units[0]!);
  const root = parts.join('');
  return { existed: units[0]!.existed === true, root };
}
