/**
 * Helpers for the valid-time tests: rows written straight into the database (bypassing the API, so
 * that only the database's own guards stand in the way), the SQLSTATE of a refusal, and calendar
 * days as numbers for naive day-by-day models.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../src/db/client.js';
import { pgErrorOf } from '../../src/db/errors.js';
import { lastDay, parsePartialDate, type Precision } from '../../src/domain/partial-date.js';

/** The subset of tap's assertions these helpers use. */
type Message = [] | [string];
export interface Assert {
  equal(found: any, wanted: any, ...message: Message): unknown;
  same(found: any, wanted: any, ...message: Message): unknown;
  ok(value: any, ...message: Message): unknown;
  fail(...message: Message): unknown;
}

// ---------------------------------------------------------------------------------------------
// Calendar days as integers (days since 1970-01-01), for day-by-day models.

const MS_PER_DAY = 86_400_000;

export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY);
}

export function dayText(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included, as day numbers. */
export function dayRange(from: string, to: string): number[] {
  const days: number[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) days.push(d);
  return days;
}

/** The first and last day (as day numbers) of the period a partial date names. */
export function periodOf(partial: string): { first: number; last: number } {
  const parsed = parsePartialDate(partial);
  if (!parsed) throw new Error(`not a partial date: ${partial}`);
  return { first: dayNumber(parsed.first), last: dayNumber(lastDay(parsed)) };
}

/** A partial date as the two columns that store it. */
export function columnsOf(partial: string | null | undefined): { day: string | null; precision: Precision | null } {
  if (!partial) return { day: null, precision: null };
  const parsed = parsePartialDate(partial);
  if (!parsed) throw new Error(`not a partial date: ${partial}`);
  return { day: parsed.first, precision: parsed.precision };
}

// ---------------------------------------------------------------------------------------------
// Refusals.

/** The SQLSTATE of a database error, through drizzle's wrapper. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { cause?: { code?: unknown }; code?: unknown } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export interface Refusal {
  code: string | undefined;
  constraint: string | undefined;
  message: string;
  /** The JSON detail of an RB409 refusal (`{ conflicting: … }`), else undefined. */
  detail: Record<string, any> | undefined;
}

/** Runs `work`, which must fail; answers what the database said (or undefined if it succeeded). */
export async function refusalOf(work: () => Promise<unknown>): Promise<Refusal | undefined> {
  try {
    await work();
  } catch (error) {
    const pg = pgErrorOf(error);
    let detail: Record<string, any> | undefined;
    try {
      detail = pg?.detail ? (JSON.parse(pg.detail) as Record<string, any>) : undefined;
    } catch {
      detail = undefined;
    }
    return { code: sqlState(error), constraint: pg?.constraint, message: pg?.message ?? String(error), detail };
  }
  return undefined;
}

/**
 * Asserts that `work` is refused with this SQLSTATE (and, when given, this constraint); answers the
 * refusal for further checks.
 */
export async function assertRefused(
  t: Assert,
  work: () => Promise<unknown>,
  code: 'RB409' | '23P01' | '23514' | '23503',
  constraint?: string,
  what = 'the write',
): Promise<Refusal | undefined> {
  const refusal = await refusalOf(work);
  if (!refusal) {
    t.fail(`${what} was accepted, but should be refused with ${code}`);
    return undefined;
  }
  t.equal(refusal.code, code, `${what} is refused with SQLSTATE ${code} (${refusal.message})`);
  if (constraint !== undefined) t.equal(refusal.constraint, constraint, `${what}: constraint ${constraint}`);
  return refusal;
}

// ---------------------------------------------------------------------------------------------
// Rows written directly in SQL.

export async function count(database: Database, query: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number | string }>(query);
  return Number(row?.n);
}

async function insertReturningId(database: Database, query: SQL, executor?: Executor): Promise<string> {
  const [row] = await database.rows<{ id: string }>(query, executor);
  if (!row) throw new Error('INSERT returned no row');
  return row.id;
}

export interface OrganisationRow {
  name?: string;
  founding?: string | null;
  dissolution?: string | null;
}

export function insertOrganisation(database: Database, row: OrganisationRow = {}, executor?: Executor): Promise<string> {
  const founding = columnsOf(row.founding);
  const dissolution = columnsOf(row.dissolution);
  return insertReturningId(
    database,
    sql`INSERT INTO organisations (name, founding_date, founding_precision, dissolution_date, dissolution_precision)
        VALUES (${row.name ?? 'Organisation'}, ${founding.day}::date, ${founding.precision}::date_precision,
                ${dissolution.day}::date, ${dissolution.precision}::date_precision)
        RETURNING id`,
    executor,
  );
}

export function insertPerson(database: Database, familyName = 'Mustermann', executor?: Executor): Promise<string> {
  return insertReturningId(
    database,
    sql`INSERT INTO people (given_name, family_name) VALUES ('Erika', ${familyName}) RETURNING id`,
    executor,
  );
}

export function insertPost(database: Database, organisationId: string, maxHolders: number | null, executor?: Executor): Promise<string> {
  return insertReturningId(
    database,
    sql`INSERT INTO posts (organisation_id, label, max_holders) VALUES (${organisationId}, 'Vorsitz', ${maxHolders}::integer) RETURNING id`,
    executor,
  );
}

export interface AssignmentRow {
  personId: string;
  organisationId: string;
  postId?: string | null;
  start?: string | null;
  end?: string | null;
}

export function insertAssignment(database: Database, row: AssignmentRow, executor?: Executor): Promise<string> {
  const start = columnsOf(row.start);
  const end = columnsOf(row.end);
  return insertReturningId(
    database,
    sql`INSERT INTO assignments (person_id, organisation_id, post_id, start_date, start_precision, end_date, end_precision)
        VALUES (${row.personId}, ${row.organisationId}, ${row.postId ?? null}::uuid,
                ${start.day}::date, ${start.precision}::date_precision, ${end.day}::date, ${end.precision}::date_precision)
        RETURNING id`,
    executor,
  );
}

export interface ParentRow {
  organisationId: string;
  parentId: string;
  start?: string | null;
  end?: string | null;
}

export function insertParent(database: Database, row: ParentRow, executor?: Executor): Promise<string> {
  const start = columnsOf(row.start);
  const end = columnsOf(row.end);
  return insertReturningId(
    database,
    sql`INSERT INTO organisation_parents (organisation_id, parent_id, position, start_date, start_precision, end_date, end_precision)
        VALUES (${row.organisationId}, ${row.parentId},
                (SELECT count(*) FROM organisation_parents WHERE organisation_id = ${row.organisationId})::integer,
                ${start.day}::date, ${start.precision}::date_precision, ${end.day}::date, ${end.precision}::date_precision)
        RETURNING id`,
    executor,
  );
}

/** The stored dates of an assignment, as partial-date text. */
export async function assignmentDates(database: Database, id: string): Promise<{ start: string | null; end: string | null } | undefined> {
  const [row] = await database.rows<{ start: string | null; end: string | null }>(
    sql`SELECT rb_partial_text(start_date, start_precision) AS start, rb_partial_text(end_date, end_precision) AS "end"
          FROM assignments WHERE id = ${id}`,
  );
  return row;
}
