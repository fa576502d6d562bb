import type { FastifyRequest } from 'fastify';
import { visibleTo, type Visibility } from '../../../domain/access.js';
import type { CsvList } from '../../../http/resource.js';
import { ANONYMOUS } from '../../../plugins/app/auth.js';
import type { listPeople } from './queries.js';

/**
 * People as CSV: the columns `GET /v1/people` answers with `Accept: text/csv`, and the columns
 * `POST /v1/import/csv` takes for people (README.md, "CSV import"), so that an export can be edited
 * in a spreadsheet and imported again.
 *
 * - `scheme`, `identifier`: the person's first identifier (an import matches people by it);
 * - `email`, `phone`, `mobile`: the first contact detail of that type the caller may see;
 * - `visibility`: the least public visibility among those, so that a re-import never publishes
 *   what was not public.
 */
export const PEOPLE_CSV_COLUMNS = [
  'id',
  'scheme',
  'identifier',
  'honorificPrefix',
  'givenName',
  'familyName',
  'email',
  'phone',
  'mobile',
  'visibility',
] as const;

export const CONTACT_COLUMNS = ['email', 'phone', 'mobile'] as const;

const RESTRICTION: Record<Visibility, number> = { public: 0, internal: 1, private: 2 };

type PersonRow = Awaited<ReturnType<typeof listPeople>>[number];

export function personCsvRow(row: PersonRow, visible: ReadonlySet<Visibility>): unknown[] {
  const contacts = row.contactDetails.filter((c) => visible.has(c.visibility));
  const first = (type: string) => contacts.find((c) => c.type === type);
  const exported = CONTACT_COLUMNS.map(first).filter((c) => c !== undefined);
  const visibility = exported.reduce<Visibility | null>(
    (most, c) => (most === null || RESTRICTION[c.visibility] > RESTRICTION[most] ? c.visibility : most),
    null,
  );
  const identifier = row.identifiers[0];
  return [
    row.id,
    identifier?.scheme,
    identifier?.identifier,
    row.honorificPrefix,
    row.givenName,
    row.familyName,
    ...CONTACT_COLUMNS.map((type) => first(type)?.value),
    visibility,
  ];
}

export const peopleCsv: CsvList<PersonRow> = {
  columns: PEOPLE_CSV_COLUMNS,
  rows: async (_db, rows, request: FastifyRequest) => {
    const visible = visibleTo((request.principal ?? ANONYMOUS).role);
    return rows.map((row) => personCsvRow(row, visible));
  },
};
