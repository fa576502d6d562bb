import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, Executor } from '../../../db/client.js';
import { toColumns } from '../../../db/dates.js';
import { databaseProblem } from '../../../db/errors.js';
import { assignments, personIdentifiers, people, posts } from '../../../db/schema.js';
import type { Change } from '../../../db/write.js';
import { canonicalJson } from '../../../domain/canonical-json.js';
import { foldGerman, foldPlain } from '../../../domain/folding.js';
import { parseSpreadsheetDate } from '../../../domain/spreadsheet-date.js';
import type { CsvDocument, CsvRecord } from '../../../http/csv-reader.js';
import { Problem } from '../../../http/problem.js';
import { editableOf } from '../../../http/resource.js';
import { ASSIGNMENT_CSV_COLUMNS } from '../assignments/csv.js';
import { insertAssignment, loadAssignment, updateAssignment } from '../assignments/queries.js';
import { assignmentInput, type Assignment, type AssignmentInput } from '../assignments/schemas.js';
import { CONTACT_COLUMNS, PEOPLE_CSV_COLUMNS } from '../people/csv.js';
import { insertPerson, loadPerson, updatePerson } from '../people/queries.js';
import { personInput, type Person, type PersonInput } from '../people/schemas.js';

/**
 * CSV import of people or assignments (README.md, "CSV import"): the columns of the CSV lists
 * (src/routes/v1/people/csv.ts, src/routes/v1/assignments/csv.ts), also under German names.
 * Every row is applied in a savepoint of the import's one transaction, through the same queries
 * and database guards as the API's own writes; a row the checks or the database refuse is rolled
 * back alone and reported with its number and reason. Whether anything is kept is the caller's
 * decision (src/routes/v1/import/csv.ts): a dry run rolls everything back, a real run keeps all
 * rows or none.
 */

export const CSV_IMPORT_TYPES = ['people', 'assignments'] as const;
export type CsvImportType = (typeof CSV_IMPORT_TYPES)[number];

export const COLUMNS: Record<CsvImportType, readonly string[]> = {
  people: PEOPLE_CSV_COLUMNS,
  assignments: ASSIGNMENT_CSV_COLUMNS,
};

/** German (and a few English) column names, as spreadsheets in German offices head them. */
const ALIASES: Record<string, string> = {
  schema: 'scheme',
  kennungsart: 'scheme',
  kennung: 'identifier',
  titel: 'honorificPrefix',
  title: 'honorificPrefix',
  prefix: 'honorificPrefix',
  vorname: 'givenName',
  firstname: 'givenName',
  nachname: 'familyName',
  familienname: 'familyName',
  lastname: 'familyName',
  surname: 'familyName',
  mail: 'email',
  emailadresse: 'email',
  telefon: 'phone',
  tel: 'phone',
  telefonnummer: 'phone',
  mobil: 'mobile',
  mobiltelefon: 'mobile',
  mobilnummer: 'mobile',
  handy: 'mobile',
  sichtbarkeit: 'visibility',
  organization: 'organisation',
  organisationseinheit: 'organisation',
  einheit: 'organisation',
  dienststelle: 'organisation',
  stelle: 'post',
  position: 'post',
  rolle: 'role',
  funktion: 'role',
  beginn: 'startDate',
  start: 'startDate',
  von: 'startDate',
  seit: 'startDate',
  ende: 'endDate',
  end: 'endDate',
  bis: 'endDate',
  quelle: 'source',
  notiz: 'note',
  bemerkung: 'note',
  anmerkung: 'note',
};

const VISIBILITY_WORDS: Record<string, 'public' | 'internal' | 'private'> = {
  public: 'public',
  offentlich: 'public',
  internal: 'internal',
  intern: 'internal',
  private: 'private',
  privat: 'private',
};

/** A header cell to its column: case, diacritics, spaces, hyphens and underscores do not count. */
export function columnOf(header: string): string | undefined {
  const key = foldPlain(header).replaceAll(' ', '');
  const canonical = [...PEOPLE_CSV_COLUMNS, ...ASSIGNMENT_CSV_COLUMNS].find((c) => c.toLowerCase() === key);
  return canonical ?? ALIASES[key];
}

export interface HeaderError {
  column: string;
  message: string;
}

/** The type of import and the column of each position, or what is wrong with the header. */
export function mapHeader(header: string[], type?: CsvImportType): { type: CsvImportType; columns: string[] } | { errors: HeaderError[] } {
  const errors: HeaderError[] = [];
  const mapped = header.map((name) => columnOf(name));
  const assignmentOnly = ASSIGNMENT_CSV_COLUMNS.filter((c) => !(PEOPLE_CSV_COLUMNS as readonly string[]).includes(c));
  const chosen: CsvImportType = type ?? (mapped.some((c) => c && assignmentOnly.includes(c as never)) ? 'assignments' : 'people');
  const allowed = COLUMNS[chosen];
  const seen = new Map<string, string>();
  header.forEach((name, i) => {
    const column = mapped[i];
    if (name === '') errors.push({ column: `#${i + 1}`, message: 'has no name' });
    else if (!column || !allowed.includes(column)) {
      errors.push({ column: name, message: `is not a column of a ${chosen} import (${allowed.join(', ')})` });
    } else if (seen.has(column)) errors.push({ column: name, message: `names the same column as "${seen.get(column)}"` });
    else seen.set(column, name);
  });
  return errors.length > 0 ? { errors } : { type: chosen, columns: mapped as string[] };
}

export type RowAction = 'create' | 'update' | 'unchanged' | 'reject';

export interface RowError {
  /** The column (as named in the API) the error is about; null for the row as a whole. */
  column: string | null;
  message: string;
}

export interface RowResult {
  row: number;
  action: RowAction;
  /** The record created or updated; null for a rejected row and for a creation in a dry run. */
  id: string | null;
  /** Who or what the row is about, for people reading the report. */
  name: string | null;
  errors: RowError[];
  /** For a rejected row: by the file's checks, or by the database (a conflict with stored data). */
  refusedBy?: 'file' | 'database';
  /** For a row the database refused: the stored record in the way, when it names one. */
  conflicting?: unknown;
}

export interface ImportCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** A row refused by the import's own checks. */
class RowRejected extends Error {
  constructor(readonly errors: RowError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A cell as given: trimmed, empty as undefined, and without the apostrophe that CSV exports put
 * before a leading =, +, - or @ so that spreadsheets do not run it as a formula (src/http/csv.ts).
 */
function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  return /^'[=+\-@\t\r]/.test(trimmed) ? trimmed.slice(1) : trimmed;
}

/** Zod's complaints about a merged record, by the column they come from where one can tell. */
function errorsOf(error: z.ZodError, columnOfPath: (path: readonly PropertyKey[]) => string | null): RowError[] {
  return error.issues.map((issue) => {
    const column = columnOfPath(issue.path);
    return { column, message: column ? issue.message : `${issue.path.join('.')}: ${issue.message}` };
  });
}

export interface CsvImportResult {
  results: RowResult[];
  changes: Change[];
  counts: ImportCounts;
}

export class CsvImport {
  private readonly organisationsByName = new Map<string, string[]>();

  constructor(
    private readonly database: Database,
    private readonly tx: Executor,
    private readonly document: CsvDocument,
    private readonly mapping: { type: CsvImportType; columns: string[] },
    private readonly dryRun: boolean,
  ) {}

  async run(): Promise<CsvImportResult> {
    const results: RowResult[] = [];
    const changes: Change[] = [];
    for (const record of this.document.records) {
      const values = this.valuesOf(record);
      const fallbackName = this.nameOf(values);
      try {
        // A savepoint per row: a row the database refuses is undone alone, the others stay.
        const outcome = await this.tx.transaction(async (savepoint) =>
          this.mapping.type === 'people'
            ? this.importPerson(savepoint as unknown as Executor, values)
            : this.importAssignment(savepoint as unknown as Executor, values),
        );
        if (outcome.change) changes.push(outcome.change);
        results.push({
          row: record.row,
          action: outcome.action,
          id: outcome.action === 'create' && this.dryRun ? null : outcome.id,
          name: outcome.name,
          errors: [],
        });
      } catch (error) {
        results.push({ row: record.row, action: 'reject', id: null, name: fallbackName, ...rejectionOf(error) });
      }
    }
    const count = (action: RowAction) => results.filter((r) => r.action === action).length;
    return {
      results,
      changes,
      counts: {
        rows: results.length,
        created: count('create'),
        updated: count('update'),
        unchanged: count('unchanged'),
        rejected: count('reject'),
      },
    };
  }

  private valuesOf(record: CsvRecord): Record<string, string | undefined> {
    const values: Record<string, string | undefined> = {};
    this.mapping.columns.forEach((column, i) => {
      values[column] = clean(record.fields[i]);
    });
    if (record.fields.length > this.mapping.columns.length && record.fields.slice(this.mapping.columns.length).some((f) => f.trim() !== '')) {
      values['#extra'] = `${record.fields.length - this.mapping.columns.length}`;
    }
    return values;
  }

  private nameOf(values: Record<string, string | undefined>): string | null {
    if (this.mapping.type === 'people') {
      return [values.honorificPrefix, values.givenName, values.familyName].filter(Boolean).join(' ') || null;
    }
    const person = values.personId ?? [values.personScheme, values.personIdentifier].filter(Boolean).join(' ');
    const organisation = values.organisation ?? values.organisationId;
    return [person, organisation && `in ${organisation}`, values.role && `(${values.role})`].filter(Boolean).join(' ') || null;
  }

  // ------------------------------------------------------------ people

  private async importPerson(tx: Executor, values: Record<string, string | undefined>): Promise<Outcome> {
    const errors: RowError[] = [];
    if (values['#extra']) errors.push({ column: null, message: `has ${values['#extra']} more field(s) than the header` });
    const { id, scheme, identifier } = values;
    if (id !== undefined && !UUID.test(id)) errors.push({ column: 'id', message: 'must be a UUID' });
    if ((scheme === undefined) !== (identifier === undefined)) {
      errors.push({ column: scheme === undefined ? 'scheme' : 'identifier', message: 'scheme and identifier come together' });
    }
    let visibility: 'public' | 'internal' | 'private' | undefined;
    if (values.visibility !== undefined) {
      visibility = VISIBILITY_WORDS[foldPlain(values.visibility)];
      if (!visibility) errors.push({ column: 'visibility', message: 'must be public, internal or private (öffentlich, intern, privat)' });
    }
    if (errors.length > 0) throw new RowRejected(errors);

    // Who the row is about: the id, else the identifier, else a new person.
    let before: Person | undefined;
    if (id !== undefined) {
      before = await loadPerson(tx, id, true);
      if (!before) throw new RowRejected([{ column: 'id', message: `no person has the id ${id}` }]);
    }
    if (scheme !== undefined && identifier !== undefined) {
      const [owner] = await tx
        .select({ personId: personIdentifiers.personId })
        .from(personIdentifiers)
        .where(and(eq(personIdentifiers.scheme, scheme), eq(personIdentifiers.identifier, identifier)));
      if (owner && before && owner.personId !== before.id) {
        throw new RowRejected([{ column: 'identifier', message: `${scheme} ${identifier} belongs to another person (${owner.personId})` }]);
      }
      if (owner && !before) before = await loadPerson(tx, owner.personId, true);
    }

    const current = (before ? editableOf(personInput, before) : {}) as PersonInput;
    const merged: PersonInput = { ...current };
    if (values.honorificPrefix !== undefined) merged.honorificPrefix = values.honorificPrefix;
    if (values.givenName !== undefined) merged.givenName = values.givenName;
    if (values.familyName !== undefined) merged.familyName = values.familyName;
    const contacts = [...(current.contactDetails ?? [])].map((c) => ({ ...c }));
    for (const type of CONTACT_COLUMNS) {
      const value = values[type];
      if (value === undefined) continue;
      const existing = contacts.find((c) => c.type === type);
      if (existing) {
        // The row's visibility is that of what it adds or changes; an unchanged value keeps its own.
        if (existing.value !== value) {
          existing.value = value;
          if (visibility) existing.visibility = visibility;
        }
      } else {
        contacts.push({ type, value, visibility: visibility ?? 'internal' });
      }
    }
    if (contacts.length > 0) merged.contactDetails = contacts;
    if (scheme !== undefined && identifier !== undefined) {
      const identifiers = current.identifiers ?? [];
      if (!identifiers.some((i) => i.scheme === scheme && i.identifier === identifier)) merged.identifiers = [...identifiers, { scheme, identifier }];
    }
    const parsed = personInput.safeParse(merged);
    if (!parsed.success) {
      throw new RowRejected(
        errorsOf(parsed.error, (path) => {
          if (path[0] === 'contactDetails') return merged.contactDetails?.[Number(path[1])]?.type ?? null;
          if (path[0] === 'identifiers') return path[2] === 'scheme' ? 'scheme' : 'identifier';
          return typeof path[0] === 'string' && PEOPLE_CSV_COLUMNS.includes(path[0] as never) ? path[0] : null;
        }),
      );
    }
    const name = [parsed.data.honorificPrefix, parsed.data.givenName, parsed.data.familyName].filter(Boolean).join(' ');
    if (before && canonicalJson(editableOf(personInput, { ...parsed.data })) === canonicalJson(current)) {
      return { action: 'unchanged', id: before.id, name };
    }
    if (before) {
      await updatePerson(tx, before.id, parsed.data);
      const after = (await loadPerson(tx, before.id))!;
      return { action: 'update', id: before.id, name, change: { entity: 'person', entityId: before.id, action: 'update', before, after } };
    }
    const created = await insertPerson(tx, parsed.data);
    const after = (await loadPerson(tx, created))!;
    return { action: 'create', id: created, name, change: { entity: 'person', entityId: created, action: 'create', before: null, after } };
  }

  // ------------------------------------------------------------ assignments

  private async organisationsNamed(tx: Executor, name: string): Promise<string[]> {
    const forms = [...new Set([foldPlain(name), foldGerman(name)])];
    const key = forms.join('|');
    const cached = this.organisationsByName.get(key);
    if (cached) return cached;
    // The search index holds every organisation's name and abbreviation folded: the same folding
    // finds "G.I.B.", "GIB" and "gib" alike. Other (former) names do not count here.
    const rows = await this.database.rows<{ id: string }>(
      sql`SELECT DISTINCT entity_id AS id FROM search_terms
           WHERE kind = 'organisation' AND field IN ('name', 'abbreviation') AND term IN (${sql.join(forms.map((f) => sql`${f}`), sql`, `)})`,
      tx,
    );
    const ids = rows.map((r) => r.id).sort();
    this.organisationsByName.set(key, ids);
    return ids;
  }

  private async importAssignment(tx: Executor, values: Record<string, string | undefined>): Promise<Outcome> {
    const errors: RowError[] = [];
    if (values['#extra']) errors.push({ column: null, message: `has ${values['#extra']} more field(s) than the header` });
    for (const column of ['id', 'personId', 'organisationId', 'postId', 'onBehalfOfId']) {
      const value = values[column];
      if (value !== undefined && !UUID.test(value)) errors.push({ column, message: 'must be a UUID' });
    }
    const dates: Record<string, string | undefined> = {};
    for (const column of ['startDate', 'endDate']) {
      const value = values[column];
      if (value === undefined) continue;
      const parsed = parseSpreadsheetDate(value);
      if (parsed.ok) dates[column] = parsed.date;
      else errors.push({ column, message: parsed.message });
    }
    if ((values.personScheme === undefined) !== (values.personIdentifier === undefined)) {
      errors.push({ column: values.personScheme === undefined ? 'personScheme' : 'personIdentifier', message: 'personScheme and personIdentifier come together' });
    }
    if (errors.length > 0) throw new RowRejected(errors);

    let before: Assignment | undefined;
    if (values.id !== undefined) {
      before = await loadAssignment(tx, values.id, true);
      if (!before) throw new RowRejected([{ column: 'id', message: `no assignment has the id ${values.id}` }]);
    }

    // The person: by id, else by identifier.
    let personId = values.personId;
    if (personId !== undefined) {
      const [found] = await tx.select({ id: people.id }).from(people).where(eq(people.id, personId));
      if (!found) errors.push({ column: 'personId', message: `no person has the id ${personId}` });
    } else if (values.personScheme !== undefined && values.personIdentifier !== undefined) {
      const [owner] = await tx
        .select({ personId: personIdentifiers.personId })
        .from(personIdentifiers)
        .where(and(eq(personIdentifiers.scheme, values.personScheme), eq(personIdentifiers.identifier, values.personIdentifier)));
      if (owner) personId = owner.personId;
      else errors.push({ column: 'personIdentifier', message: `no person has the identifier ${values.personScheme} ${values.personIdentifier}` });
    } else if (!before) {
      errors.push({ column: 'personId', message: 'a new assignment needs its person: personId, or personScheme and personIdentifier' });
    }

    // The organisation: by id, else by its name or abbreviation.
    let organisationId = values.organisationId;
    if (organisationId === undefined && values.organisation !== undefined) {
      const found = await this.organisationsNamed(tx, values.organisation);
      if (found.length === 1) organisationId = found[0];
      else if (found.length === 0) errors.push({ column: 'organisation', message: `no organisation is named or abbreviated "${values.organisation}"` });
      else errors.push({ column: 'organisation', message: `"${values.organisation}" names ${found.length} organisations; give organisationId` });
    } else if (organisationId === undefined && !before) {
      errors.push({ column: 'organisationId', message: 'a new assignment needs its organisation: organisationId or organisation' });
    }

    // The post: by id, else by its label in that organisation.
    let postId = values.postId;
    const inOrganisation = organisationId ?? before?.organisationId;
    if (postId === undefined && values.post !== undefined && inOrganisation) {
      const candidates = await tx
        .select({ id: posts.id, label: posts.label })
        .from(posts)
        .where(eq(posts.organisationId, inOrganisation))
        .orderBy(asc(posts.id));
      const matching = candidates.filter((p) => foldPlain(p.label) === foldPlain(values.post!));
      if (matching.length === 1) postId = matching[0]!.id;
      else if (matching.length === 0) errors.push({ column: 'post', message: `the organisation has no post labelled "${values.post}"` });
      else errors.push({ column: 'post', message: `"${values.post}" labels ${matching.length} posts there; give postId` });
    }
    if (errors.length > 0) throw new RowRejected(errors);

    // No id: the assignment of this person, organisation, post, role and start, if stored already.
    if (!before) {
      const start = toColumns('start', dates.startDate);
      const [same] = await tx
        .select({ id: assignments.id })
        .from(assignments)
        .where(
          and(
            eq(assignments.personId, personId!),
            eq(assignments.organisationId, organisationId!),
            sql`${assignments.postId} IS NOT DISTINCT FROM ${postId ?? null}::uuid`,
            sql`${assignments.role} IS NOT DISTINCT FROM ${values.role ?? null}::text`,
            sql`${assignments.startDate} IS NOT DISTINCT FROM ${start.startDate}::date`,
            sql`${assignments.startPrecision}::text IS NOT DISTINCT FROM ${start.startPrecision}::text`,
          ),
        )
        .orderBy(asc(assignments.createdAt), asc(assignments.id))
        .limit(1);
      if (same) before = await loadAssignment(tx, same.id, true);
    }

    const current = (before ? editableOf(assignmentInput, before) : {}) as AssignmentInput;
    const merged: AssignmentInput = { ...current };
    if (personId !== undefined) merged.personId = personId;
    if (organisationId !== undefined) merged.organisationId = organisationId;
    if (postId !== undefined) merged.postId = postId;
    if (values.onBehalfOfId !== undefined) merged.onBehalfOfId = values.onBehalfOfId;
    for (const column of ['role', 'source', 'note'] as const) if (values[column] !== undefined) merged[column] = values[column];
    if (dates.startDate !== undefined) merged.startDate = dates.startDate;
    if (dates.endDate !== undefined) merged.endDate = dates.endDate;
    const parsed = assignmentInput.safeParse(merged);
    if (!parsed.success) {
      throw new RowRejected(
        errorsOf(parsed.error, (path) => (typeof path[0] === 'string' && ASSIGNMENT_CSV_COLUMNS.includes(path[0] as never) ? path[0] : null)),
      );
    }
    const name = await this.assignmentName(tx, parsed.data);
    if (before && canonicalJson(editableOf(assignmentInput, { ...parsed.data })) === canonicalJson(current)) {
      return { action: 'unchanged', id: before.id, name };
    }
    if (before) {
      await updateAssignment(tx, before.id, parsed.data);
      const after = (await loadAssignment(tx, before.id))!;
      return { action: 'update', id: before.id, name, change: { entity: 'assignment', entityId: before.id, action: 'update', before, after } };
    }
    const created = await insertAssignment(tx, parsed.data);
    const after = (await loadAssignment(tx, created))!;
    return { action: 'create', id: created, name, change: { entity: 'assignment', entityId: created, action: 'create', before: null, after } };
  }

  /** "Katja Sträde in G.I.B. (Koordinatorin)": for the report. */
  private async assignmentName(tx: Executor, input: AssignmentInput): Promise<string> {
    const [row] = await this.database.rows<{ person: string | null; organisation: string | null }>(
      sql`SELECT (SELECT concat_ws(' ', given_name, family_name) FROM people WHERE id = ${input.personId}) AS person,
                 (SELECT coalesce(abbreviation, name) FROM organisations WHERE id = ${input.organisationId}) AS organisation`,
      tx,
    );
    return `${row?.person ?? input.personId} in ${row?.organisation ?? input.organisationId}${input.role ? ` (${input.role})` : ''}`;
  }
}

interface Outcome {
  action: Exclude<RowAction, 'reject'>;
  id: string;
  name: string | null;
  change?: Change;
}

/** Why a row was refused: the import's checks, or the database's constraints and guards. */
function rejectionOf(error: unknown): Pick<RowResult, 'errors' | 'refusedBy' | 'conflicting'> {
  if (error instanceof RowRejected) return { errors: error.errors, refusedBy: 'file' };
  const problem = error instanceof Problem ? error : databaseProblem(error);
  if (!problem || problem.status >= 500) throw error;
  const fieldErrors = (problem.extensions.errors as Array<{ path: string; message: string }> | undefined) ?? [];
  const known = [...PEOPLE_CSV_COLUMNS, ...ASSIGNMENT_CSV_COLUMNS] as readonly string[];
  const errors: RowError[] =
    fieldErrors.length > 0
      ? fieldErrors.map((e) => {
          const column = e.path.split('/')[1] ?? '';
          return known.includes(column) ? { column, message: e.message } : { column: null, message: problem.detail };
        })
      : [{ column: null, message: problem.detail }];
  const conflicting = problem.extensions.conflicting;
  return { errors, refusedBy: 'database', ...(conflicting !== undefined ? { conflicting } : {}) };
}
