import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { fromColumns } from '../../../db/dates.js';
import type { CsvList } from '../../../http/resource.js';
import type { AssignmentRow } from './queries.js';

/**
 * Assignments as CSV: the columns `GET /v1/assignments` answers with `Accept: text/csv`, and the
 * columns `POST /v1/import/csv` takes for assignments (README.md, "CSV import"). Besides the ids, a
 * row names the person by their first identifier (`personScheme`, `personIdentifier`), the
 * organisation by its name and the post by its label, for the people reading the spreadsheet.
 */
export const ASSIGNMENT_CSV_COLUMNS = [
  'id',
  'personId',
  'personScheme',
  'personIdentifier',
  'organisationId',
  'organisation',
  'postId',
  'post',
  'role',
  'onBehalfOfId',
  'startDate',
  'endDate',
  'source',
  'note',
] as const;

const inList = (ids: string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);

export function assignmentsCsv(database: Database): CsvList<AssignmentRow> {
  return {
    columns: ASSIGNMENT_CSV_COLUMNS,
    rows: async (db, rows) => {
      if (rows.length === 0) return [];
      const people = [...new Set(rows.map((r) => r.personId))];
      const organisations = [...new Set(rows.map((r) => r.organisationId))];
      const posts = [...new Set(rows.flatMap((r) => (r.postId ? [r.postId] : [])))];
      const identifiers = new Map(
        (
          await database.rows<{ person_id: string; scheme: string; identifier: string }>(
            sql`SELECT DISTINCT ON (person_id) person_id, scheme, identifier FROM person_identifiers
                 WHERE person_id IN (${inList(people)}) ORDER BY person_id, position`,
            db,
          )
        ).map((r) => [r.person_id, r]),
      );
      const names = new Map(
        (await database.rows<{ id: string; name: string }>(sql`SELECT id, name FROM organisations WHERE id IN (${inList(organisations)})`, db)).map(
          (r) => [r.id, r.name],
        ),
      );
      const labels = new Map(
        posts.length === 0
          ? []
          : (await database.rows<{ id: string; label: string }>(sql`SELECT id, label FROM posts WHERE id IN (${inList(posts)})`, db)).map((r) => [r.id, r.label]),
      );
      return rows.map((row) => [
        row.id,
        row.personId,
        identifiers.get(row.personId)?.scheme,
        identifiers.get(row.personId)?.identifier,
        row.organisationId,
        names.get(row.organisationId),
        row.postId,
        row.postId ? labels.get(row.postId) : null,
        row.role,
        row.onBehalfOfId,
        fromColumns(row.startDate, row.startPrecision),
        fromColumns(row.endDate, row.endPrecision),
        row.source,
        row.note,
      ]);
    },
  };
}
