/**
 * Reading a Popolo JSON document (https://www.popoloproject.com) into Rolebook's inputs, without
 * the database: every record is mapped onto the create body of its resource and checked by that
 * resource's own schema, so an import refuses exactly what the API refuses. What cannot be used is
 * reported by position (a JSON Pointer into the document such as `/memberships/17`) and reason;
 * what Rolebook does not keep is counted by field. References between records (`person_id`, …) are
 * resolved later, against the document and the database (popolo-store.ts).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { canonicalJson } from '../../../domain/canonical-json.js';
import { parsePartialDate } from '../../../domain/partial-date.js';
import { jsonPointer } from '../../../http/problem.js';
import { assignmentInput, type AssignmentInput } from '../assignments/schemas.js';
import { organisationInput, type OrganisationInput } from '../organisations/schemas.js';
import { personInput, type PersonInput } from '../people/schemas.js';
import { postInput, type PostInput } from '../posts/schemas.js';

export const KINDS = ['organization', 'post', 'person', 'membership'] as const;
export type Kind = (typeof KINDS)[number];
export const COLLECTION: Record<Kind, 'organizations' | 'posts' | 'persons' | 'memberships'> = {
  organization: 'organizations',
  post: 'posts',
  person: 'persons',
  membership: 'memberships',
};

export interface RecordError {
  /** JSON Pointer into the document. */
  path: string;
  message: string;
}

/** A record that was not stored, where it is in the document and why. */
export interface Reject {
  path: string;
  kind: Kind;
  /** The record's own `id` in the document, when it has one. */
  id: string | null;
  reason: string;
  errors: RecordError[];
  /** Who refused it: the import's checks of the document, or the database (its guards and constraints). */
  refusedBy: 'document' | 'database';
  /** For a refusal by the database's guards: the stored record in the way. */
  conflicting?: unknown;
}

export interface IgnoredField {
  /** Where, with `*` for every position: `/persons/*\/gender`. */
  path: string;
  count: number;
  reason: string;
}

/**
 * One record of the document, mapped. `input` holds only what the record says: a member the
 * record leaves out is absent (the stored value stays), one it sets to null is null (cleared), as
 * in a JSON merge patch (RFC 7396).
 */
export interface Parsed<Input> {
  kind: Kind;
  index: number;
  path: string;
  /** The record's `id` in the document (for memberships without one, the key derived for it). */
  key: string;
  /** Whether `key` is the record's own id (false: derived from its content). */
  ownId: boolean;
  input: Partial<Input>;
  /** References to other records, by their ids in the document: member name → id. */
  refs: Partial<Record<'person_id' | 'organization_id' | 'post_id' | 'on_behalf_of_id' | 'parent_id', string>>;
  /** The Popolo `name` of a person given without given/family name (see nameParts). */
  fullName?: string;
}

export type ParsedPerson = Parsed<PersonInput>;
export type ParsedOrganisation = Parsed<OrganisationInput>;
export type ParsedPost = Parsed<PostInput>;
export type ParsedMembership = Parsed<AssignmentInput>;

export interface ParsedDocument {
  organizations: ParsedOrganisation[];
  posts: ParsedPost[];
  persons: ParsedPerson[];
  memberships: ParsedMembership[];
  received: Record<Kind | 'event', number>;
  rejects: Reject[];
  ignored: IgnoredField[];
}

const NOT_KEPT = 'a Popolo field that Rolebook does not keep';
const NOT_POPOLO = 'not a Popolo field';
const NESTED = 'nested records are not imported: list them at the top level of the document';

/** The members Rolebook reads, and the other members the Popolo schemas define, per kind of object. */
const FIELDS = {
  person: {
    used: ['id', 'name', 'given_name', 'family_name', 'honorific_prefix', 'sort_name', 'other_names', 'identifiers', 'contact_details', 'links', 'email'],
    popolo: ['additional_name', 'honorific_suffix', 'patronymic_name', 'gender', 'pronouns', 'birth_date', 'death_date', 'image', 'summary', 'biography', 'national_identity', 'motions', 'speeches', 'votes', 'created_at', 'updated_at', 'sources'],
    nested: ['memberships'],
  },
  organization: {
    used: ['id', 'name', 'other_names', 'identifiers', 'classification', 'parent_id', 'founding_date', 'dissolution_date'],
    popolo: ['parent', 'area_id', 'area', 'abstract', 'description', 'image', 'contact_details', 'links', 'motions', 'vote_events', 'votes', 'created_at', 'updated_at', 'sources'],
    nested: ['memberships', 'posts', 'children'],
  },
  post: {
    used: ['id', 'label', 'role', 'organization_id'],
    popolo: ['other_label', 'organization', 'area_id', 'area', 'start_date', 'end_date', 'contact_details', 'links', 'created_at', 'updated_at', 'sources'],
    nested: ['memberships'],
  },
  membership: {
    // `source` is Rolebook's own extension: an assignment's source that is not a URL.
    used: ['id', 'label', 'role', 'person_id', 'organization_id', 'post_id', 'on_behalf_of_id', 'start_date', 'end_date', 'sources', 'source'],
    popolo: ['member', 'person', 'organization', 'post', 'on_behalf_of', 'area_id', 'area', 'contact_details', 'links', 'created_at', 'updated_at'],
    nested: [],
  },
  other_name: {
    used: ['name', 'start_date', 'end_date', 'note'],
    popolo: ['family_name', 'given_name', 'additional_name', 'honorific_prefix', 'honorific_suffix', 'patronymic_name', 'lang'],
    nested: [],
  },
  contact_detail: {
    // `visibility` is Rolebook's own extension (public, internal, private).
    used: ['type', 'value', 'label', 'visibility'],
    popolo: ['note', 'valid_from', 'valid_until', 'created_at', 'updated_at', 'sources'],
    nested: [],
  },
  identifier: { used: ['identifier', 'scheme'], popolo: [], nested: [] },
  link: { used: ['url', 'note'], popolo: [], nested: [] },
} as const;

const TOP_LEVEL_USED = new Set(['persons', 'organizations', 'posts', 'memberships', 'events']);

class Ignored {
  private readonly fields = new Map<string, IgnoredField>();
  add(path: string, reason: string, count = 1): void {
    const found = this.fields.get(path);
    if (found) found.count += count;
    else this.fields.set(path, { path, count, reason });
  }
  /** Counts the members of `value` that Rolebook does not read. */
  members(value: Record<string, unknown>, kind: keyof typeof FIELDS, pattern: string): void {
    const fields = FIELDS[kind];
    for (const key of Object.keys(value)) {
      if ((fields.used as readonly string[]).includes(key)) continue;
      const reason = (fields.nested as readonly string[]).includes(key)
        ? NESTED
        : (fields.popolo as readonly string[]).includes(key)
          ? NOT_KEPT
          : NOT_POPOLO;
      this.add(`${pattern}/${jsonPointer([key]).slice(1)}`, reason);
    }
  }
  list(): IgnoredField[] {
    return [...this.fields.values()];
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Ids are strings; numbers are taken as their decimal text (some publishers write them so). */
function idOf(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  return undefined;
}

/**
 * A Popolo date as Rolebook stores it: `YYYY`, `YYYY-MM` and `YYYY-MM-DD` as they are (partial
 * dates keep their precision); a date-time (memberships and events may carry one) gives its day.
 * An empty string counts as no date.
 */
export function popoloDate(value: unknown): string | null | undefined | false {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value !== 'string') return false;
  const text = /^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : value;
  return parsePartialDate(text) ? text : false;
}

/** Field names of Rolebook's inputs as the document writes them, for positions of errors. */
const POPOLO_NAMES: Record<Kind, Record<string, string>> = {
  person: { givenName: 'given_name', familyName: 'family_name', honorificPrefix: 'honorific_prefix', otherNames: 'other_names', contactDetails: 'contact_details', startDate: 'start_date', endDate: 'end_date' },
  organization: { otherNames: 'other_names', foundingDate: 'founding_date', dissolutionDate: 'dissolution_date', startDate: 'start_date', endDate: 'end_date', parents: 'parent_id' },
  post: { organisationId: 'organization_id', label: 'label' },
  membership: { personId: 'person_id', organisationId: 'organization_id', postId: 'post_id', onBehalfOfId: 'on_behalf_of_id', startDate: 'start_date', endDate: 'end_date', note: 'label', source: 'sources' },
};

/**
 * Where the items of a mapped list came from, when that is not the same position: the person's
 * `email` becomes the first contact detail, an organisation's abbreviation leaves its other names.
 */
type Origins = Record<string, (string | number)[]>;

function errorsOf(error: z.ZodError, kind: Kind, base: string, origins: Origins): RecordError[] {
  return error.issues.flatMap((issue) => {
    const names = POPOLO_NAMES[kind];
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((extra) => {
      const segments: (string | number)[] = [];
      const path = [...issue.path, ...(extra === undefined ? [] : [extra])];
      for (let i = 0; i < path.length; i++) {
        const segment = path[i]!;
        if (typeof segment === 'number' && i > 0 && origins[String(path[i - 1])]) {
          const origin = origins[String(path[i - 1])]![segment];
          if (typeof origin === 'string') {
            segments.pop();
            segments.push(origin);
          } else segments.push(origin ?? segment);
          continue;
        }
        segments.push(typeof segment === 'string' ? (names[segment] ?? segment) : (segment as number));
      }
      return { path: base + jsonPointer(segments), message: issue.message };
    });
  });
}

/** The given and family name of a person the document names only as a whole (`name`). */
export function nameParts(name: string, sortName: unknown): { givenName: string | null; familyName: string } {
  // "Family, Given", as sort names are commonly written, when it spells the same name.
  if (typeof sortName === 'string' && sortName.includes(',')) {
    const [family, given] = sortName.split(',', 2).map((part) => part.trim());
    if (family && given && `${given} ${family}` === name.trim()) return { givenName: given, familyName: family };
  }
  const words = name.trim().split(/\s+/);
  if (words.length === 1) return { givenName: null, familyName: words[0]! };
  return { givenName: words.slice(0, -1).join(' '), familyName: words[words.length - 1]! };
}

interface Context {
  ignored: Ignored;
  rejects: Reject[];
}

/** Reads a list member: undefined when absent, null when null, else the array (or a type error). */
function listOf(record: Record<string, unknown>, key: string, errors: RecordError[], base: string): unknown[] | null | undefined {
  const value = record[key];
  if (value === undefined || value === null) return value as null | undefined;
  if (!Array.isArray(value)) {
    errors.push({ path: `${base}/${key}`, message: 'must be an array' });
    return undefined;
  }
  return value;
}

function dateMember(record: Record<string, unknown>, key: string, errors: RecordError[], base: string): string | null | undefined {
  const date = popoloDate(record[key]);
  if (date === false) {
    errors.push({ path: `${base}/${key}`, message: 'must be a real date written as YYYY, YYYY-MM or YYYY-MM-DD (or a date-time)' });
    return undefined;
  }
  return date;
}

/** A text member: absent stays absent; null and '' clear; anything but a string is an error. */
function textMember(record: Record<string, unknown>, key: string, errors: RecordError[], base: string): string | null | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value !== 'string') {
    errors.push({ path: `${base}/${key}`, message: 'must be a string' });
    return undefined;
  }
  return value;
}

function otherNamesOf(items: unknown[], base: string, pattern: string, context: Context, errors: RecordError[], skip?: (item: Record<string, unknown>) => boolean) {
  const names: { name: string; startDate?: string | null; endDate?: string | null; note?: string | null }[] = [];
  const origins: number[] = [];
  const skipped: Record<string, unknown>[] = [];
  items.forEach((item, i) => {
    const at = `${base}/${i}`;
    if (!isObject(item)) return errors.push({ path: at, message: 'must be an object' });
    context.ignored.members(item, 'other_name', `${pattern}/*`);
    if (skip?.(item)) return skipped.push(item);
    const name = textMember(item, 'name', errors, at);
    if (!name) return errors.push({ path: `${at}/name`, message: 'an other name needs a name' });
    names.push({
      name,
      startDate: dateMember(item, 'start_date', errors, at),
      endDate: dateMember(item, 'end_date', errors, at),
      note: textMember(item, 'note', errors, at),
    });
    origins.push(i);
  });
  return { names, origins, skipped };
}

function identifiersOf(items: unknown[], base: string, pattern: string, context: Context, errors: RecordError[]) {
  const identifiers: { scheme: string; identifier: string }[] = [];
  const origins: number[] = [];
  items.forEach((item, i) => {
    const at = `${base}/${i}`;
    if (!isObject(item)) return errors.push({ path: at, message: 'must be an object' });
    context.ignored.members(item, 'identifier', `${pattern}/*`);
    const identifier = idOf(item.identifier);
    if (!identifier) return errors.push({ path: `${at}/identifier`, message: 'an identifier needs its identifier' });
    if (typeof item.scheme !== 'string' || item.scheme === '') {
      // Without a scheme an identifier can be told apart from no other: nothing to keep.
      return context.ignored.add(`${pattern}/*/scheme`, 'an identifier without a scheme is not kept');
    }
    identifiers.push({ scheme: item.scheme, identifier });
    origins.push(i);
  });
  return { identifiers, origins };
}

function linksOf(items: unknown[], base: string, pattern: string, context: Context, errors: RecordError[]) {
  const links: { url: string; note?: string | null }[] = [];
  items.forEach((item, i) => {
    const at = `${base}/${i}`;
    if (!isObject(item)) return errors.push({ path: at, message: 'must be an object' });
    context.ignored.members(item, 'link', `${pattern}/*`);
    links.push({ url: item.url as string, note: textMember(item, 'note', errors, at) });
  });
  return links;
}

/** Popolo contact types are free words ("voice", "Twitter"); Rolebook's are lower-case words. */
function contactType(type: unknown): unknown {
  return typeof type === 'string' ? type.trim().toLowerCase().replace(/\s+/g, '-') : type;
}

type Contact = { type: string; value: string; label?: string | null; visibility?: 'public' | 'internal' | 'private' };

function contactsOf(items: unknown[], base: string, pattern: string, context: Context, errors: RecordError[]) {
  const contacts: Contact[] = [];
  items.forEach((item, i) => {
    const at = `${base}/${i}`;
    if (!isObject(item)) return errors.push({ path: at, message: 'must be an object' });
    context.ignored.members(item, 'contact_detail', `${pattern}/*`);
    const contact: Record<string, unknown> = { type: contactType(item.type), value: item.value };
    if (item.label !== undefined) contact.label = item.label === '' ? null : item.label;
    // Visibility is Rolebook's; without it the stored one (or `internal`) applies (popolo-store).
    if (item.visibility !== undefined && item.visibility !== null) contact.visibility = item.visibility;
    contacts.push(contact as Contact);
  });
  return contacts;
}

function checked<I>(
  schema: z.ZodType,
  input: Partial<I>,
  kind: Kind,
  base: string,
  origins: Origins,
  errors: RecordError[],
  placeholders: Partial<I> = {},
): void {
  const result = schema.safeParse({ ...input, ...placeholders });
  if (!result.success) errors.push(...errorsOf(result.error, kind, base, origins));
}

function parsePerson(record: Record<string, unknown>, index: number, context: Context): ParsedPerson | RecordError[] {
  const base = `/persons/${index}`;
  const pattern = '/persons/*';
  const errors: RecordError[] = [];
  context.ignored.members(record, 'person', pattern);
  const input: Partial<PersonInput> = {};
  const origins: Origins = {};
  let fullName: string | undefined;

  const given = textMember(record, 'given_name', errors, base);
  const family = textMember(record, 'family_name', errors, base);
  const name = textMember(record, 'name', errors, base);
  if (given !== undefined) input.givenName = given;
  if (family !== undefined) input.familyName = family;
  if (!given && !family) {
    if (!name) {
      errors.push({ path: `${base}/name`, message: 'a person needs a name (name, given_name or family_name)' });
    } else {
      Object.assign(input, nameParts(name, record.sort_name));
      fullName = name.trim();
    }
  }
  const prefix = textMember(record, 'honorific_prefix', errors, base);
  if (prefix !== undefined) input.honorificPrefix = prefix;

  const otherNames = listOf(record, 'other_names', errors, base);
  if (otherNames !== undefined) {
    const mapped = otherNamesOf(otherNames ?? [], `${base}/other_names`, `${pattern}/other_names`, context, errors);
    input.otherNames = mapped.names;
    origins.otherNames = mapped.origins;
  }
  const identifiers = listOf(record, 'identifiers', errors, base);
  if (identifiers !== undefined) {
    const mapped = identifiersOf(identifiers ?? [], `${base}/identifiers`, `${pattern}/identifiers`, context, errors);
    input.identifiers = mapped.identifiers;
    origins.identifiers = mapped.origins;
  }
  const contacts = listOf(record, 'contact_details', errors, base);
  const email = textMember(record, 'email', errors, base);
  if (contacts !== undefined || email) {
    const mapped = contactsOf(contacts ?? [], `${base}/contact_details`, `${pattern}/contact_details`, context, errors);
    origins.contactDetails = mapped.map((_, i) => i);
    // Popolo's preferred email address, when it is not among the contact details already.
    if (email && !mapped.some((c) => c.type === 'email' && c.value === email)) {
      mapped.unshift({ type: 'email', value: email });
      origins.contactDetails.unshift('email');
    }
    // Without a visibility of its own, a contact detail keeps the stored one (popolo-store).
    input.contactDetails = mapped as PersonInput['contactDetails'];
  }
  const links = listOf(record, 'links', errors, base);
  if (links !== undefined) input.links = linksOf(links ?? [], `${base}/links`, `${pattern}/links`, context, errors);

  if (errors.length === 0) checked(personInput, input, 'person', base, origins, errors);
  if (errors.length > 0) return errors;
  return { kind: 'person', index, path: base, key: '', ownId: true, input, refs: {}, ...(fullName ? { fullName } : {}) };
}

/** Popolo has no abbreviation; Rolebook's export writes it as an other name with this note. */
export const ABBREVIATION_NOTE = 'abbreviation';

function parseOrganisation(record: Record<string, unknown>, index: number, context: Context): ParsedOrganisation | RecordError[] {
  const base = `/organizations/${index}`;
  const pattern = '/organizations/*';
  const errors: RecordError[] = [];
  context.ignored.members(record, 'organization', pattern);
  const input: Partial<OrganisationInput> = {};
  const origins: Origins = {};
  const refs: ParsedOrganisation['refs'] = {};

  const name = textMember(record, 'name', errors, base);
  if (!name) errors.push({ path: `${base}/name`, message: 'an organisation needs a name' });
  else input.name = name;
  const classification = textMember(record, 'classification', errors, base);
  if (classification !== undefined) input.classification = classification;
  const founding = dateMember(record, 'founding_date', errors, base);
  if (founding !== undefined) input.foundingDate = founding;
  const dissolution = dateMember(record, 'dissolution_date', errors, base);
  if (dissolution !== undefined) input.dissolutionDate = dissolution;

  const otherNames = listOf(record, 'other_names', errors, base);
  if (otherNames !== undefined) {
    const mapped = otherNamesOf(
      otherNames ?? [],
      `${base}/other_names`,
      `${pattern}/other_names`,
      context,
      errors,
      (item) => typeof item.note === 'string' && item.note.toLowerCase() === ABBREVIATION_NOTE && (item.start_date === undefined || item.start_date === null) && (item.end_date === undefined || item.end_date === null),
    );
    input.otherNames = mapped.names;
    origins.otherNames = mapped.origins;
    const abbreviation = mapped.skipped[0]?.name;
    input.abbreviation = typeof abbreviation === 'string' && abbreviation !== '' ? abbreviation : null;
  }
  const identifiers = listOf(record, 'identifiers', errors, base);
  if (identifiers !== undefined) {
    const mapped = identifiersOf(identifiers ?? [], `${base}/identifiers`, `${pattern}/identifiers`, context, errors);
    input.identifiers = mapped.identifiers;
    origins.identifiers = mapped.origins;
  }
  const parent = idOf(record.parent_id);
  if (parent === undefined && record.parent_id !== undefined) errors.push({ path: `${base}/parent_id`, message: 'must be an id' });
  if (parent) refs.parent_id = parent;

  if (errors.length === 0) checked(organisationInput, input, 'organization', base, origins, errors);
  if (errors.length > 0) return errors;
  return { kind: 'organization', index, path: base, key: '', ownId: true, input, refs };
}

/** Stands in for references while a record is checked; the real ids come from popolo-store. */
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

function parsePost(record: Record<string, unknown>, index: number, context: Context): ParsedPost | RecordError[] {
  const base = `/posts/${index}`;
  const errors: RecordError[] = [];
  context.ignored.members(record, 'post', '/posts/*');
  const input: Partial<PostInput> = {};
  const refs: ParsedPost['refs'] = {};
  const label = textMember(record, 'label', errors, base) ?? textMember(record, 'role', errors, base);
  if (!label) errors.push({ path: `${base}/label`, message: 'a post needs a label (or a role)' });
  else input.label = label;
  const organisation = idOf(record.organization_id);
  if (!organisation) errors.push({ path: `${base}/organization_id`, message: 'a post needs the id of its organization' });
  else refs.organization_id = organisation;
  if (errors.length === 0) checked(postInput, input, 'post', base, {}, errors, { organisationId: PLACEHOLDER });
  if (errors.length > 0) return errors;
  return { kind: 'post', index, path: base, key: '', ownId: true, input, refs };
}

/** What identifies a membership without an id: all it says but what may change (end, label, sources). */
const MEMBERSHIP_ATTRIBUTES = new Set(['id', 'end_date', 'label', 'sources', 'source', 'links', 'contact_details', 'created_at', 'updated_at']);

export function membershipKey(record: Record<string, unknown>): string {
  const identity = Object.fromEntries(Object.entries(record).filter(([key]) => !MEMBERSHIP_ATTRIBUTES.has(key)));
  return `sha256:${createHash('sha256').update(canonicalJson(identity)).digest('hex')}`;
}

function parseMembership(record: Record<string, unknown>, index: number, context: Context): ParsedMembership | RecordError[] {
  const base = `/memberships/${index}`;
  const errors: RecordError[] = [];
  context.ignored.members(record, 'membership', '/memberships/*');
  const input: Partial<AssignmentInput> = {};
  const refs: ParsedMembership['refs'] = {};

  let person = idOf(record.person_id);
  // A member given as an object (Popolo's `member`) of type person.
  if (!person && isObject(record.member)) {
    const type = String(record.member['@type'] ?? record.member.type ?? 'person').toLowerCase();
    if (type === 'person') person = idOf(record.member.id);
    else errors.push({ path: `${base}/member`, message: 'only people can be members in Rolebook, not organizations' });
  }
  if (!person && errors.length === 0) errors.push({ path: `${base}/person_id`, message: 'a membership needs the id of its person' });
  if (person) refs.person_id = person;
  const organisation = idOf(record.organization_id);
  if (!organisation) errors.push({ path: `${base}/organization_id`, message: 'a membership needs the id of its organization' });
  else refs.organization_id = organisation;
  for (const key of ['post_id', 'on_behalf_of_id'] as const) {
    const id = idOf(record[key]);
    if (id === undefined && record[key] !== undefined) errors.push({ path: `${base}/${key}`, message: 'must be an id' });
    if (id) refs[key] = id;
    // A reference the record sets to null clears it; one it leaves out keeps the stored one.
    if (id === null) input[key === 'post_id' ? 'postId' : 'onBehalfOfId'] = null;
  }
  const role = textMember(record, 'role', errors, base);
  if (role !== undefined) input.role = role;
  const start = dateMember(record, 'start_date', errors, base);
  if (start !== undefined) input.startDate = start;
  const end = dateMember(record, 'end_date', errors, base);
  if (end !== undefined) input.endDate = end;
  const label = textMember(record, 'label', errors, base);
  if (label !== undefined) input.note = label;
  // Where it is known from: the first of its sources, else Rolebook's own `source` text.
  const sources = listOf(record, 'sources', errors, base);
  const firstSource = sources?.find(isObject);
  if (firstSource && typeof firstSource.url === 'string') input.source = firstSource.url;
  else if (typeof record.source === 'string' && record.source !== '') input.source = record.source;
  else if (sources !== undefined || record.source !== undefined) input.source = null;

  if (errors.length === 0) {
    checked(assignmentInput, input, 'membership', base, {}, errors, {
      personId: PLACEHOLDER,
      organisationId: PLACEHOLDER,
      ...(refs.post_id ? { postId: PLACEHOLDER } : {}),
      ...(refs.on_behalf_of_id ? { onBehalfOfId: PLACEHOLDER } : {}),
    });
  }
  if (errors.length > 0) return errors;
  const id = idOf(record.id);
  return { kind: 'membership', index, path: base, key: id ?? membershipKey(record), ownId: Boolean(id), input, refs };
}

const PARSERS = {
  organization: parseOrganisation,
  post: parsePost,
  person: parsePerson,
  membership: parseMembership,
} as const;

function reasonOf(errors: RecordError[]): string {
  const first = errors[0]!;
  return errors.length === 1 ? `${first.path.split('/').slice(3).join('.') || 'record'}: ${first.message}` : `${errors.length} problems, first: ${first.path.split('/').slice(3).join('.') || 'record'}: ${first.message}`;
}

export function rejectOf(kind: Kind, path: string, id: string | null, errors: RecordError[], reason = reasonOf(errors)): Reject {
  return { path, kind, id, reason, errors, refusedBy: 'document' };
}

/**
 * Reads the whole document. Every record is mapped and checked on its own; records with the same
 * id as an earlier one of their kind are refused (the first one counts).
 */
export function parsePopoloDocument(document: Record<string, unknown>): ParsedDocument {
  const context: Context = { ignored: new Ignored(), rejects: [] };
  for (const [key, value] of Object.entries(document)) {
    if (TOP_LEVEL_USED.has(key)) continue;
    context.ignored.add(jsonPointer([key]), key === 'meta' ? 'document metadata is not kept' : NOT_KEPT, Array.isArray(value) ? value.length : 1);
  }
  const parsed: ParsedDocument = {
    organizations: [],
    posts: [],
    persons: [],
    memberships: [],
    received: { organization: 0, post: 0, person: 0, membership: 0, event: 0 },
    rejects: context.rejects,
    ignored: [],
  };
  for (const kind of KINDS) {
    const collection = COLLECTION[kind];
    const items = document[collection];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) {
      context.rejects.push(rejectOf(kind, `/${collection}`, null, [{ path: `/${collection}`, message: 'must be an array' }]));
      continue;
    }
    parsed.received[kind] = items.length;
    const seen = new Map<string, number>();
    const occurrences = new Map<string, number>();
    items.forEach((record: unknown, index) => {
      const path = `/${collection}/${index}`;
      if (!isObject(record)) {
        context.rejects.push(rejectOf(kind, path, null, [{ path, message: 'must be an object' }]));
        return;
      }
      const id = idOf(record.id);
      const errors: RecordError[] = [];
      if (kind !== 'membership' && !id) {
        errors.push({ path: `${path}/id`, message: `a ${kind} needs an id: memberships refer to it by it, and a second import finds it again by it` });
      }
      const result = PARSERS[kind](record, index, context);
      if (Array.isArray(result)) errors.push(...result);
      if (id) {
        const first = seen.get(id);
        if (first !== undefined) errors.push({ path: `${path}/id`, message: `the id ${JSON.stringify(id)} is taken by /${collection}/${first} already` });
        else seen.set(id, index);
      } else if (!Array.isArray(result) && kind === 'membership') {
        // Memberships without an id are told apart by what they say; the same twice counts twice.
        const n = (occurrences.get(result.key) ?? 0) + 1;
        occurrences.set(result.key, n);
        if (n > 1) result.key = `${result.key}#${n}`;
      }
      if (errors.length > 0 || Array.isArray(result)) {
        context.rejects.push(rejectOf(kind, path, id ?? null, errors));
        return;
      }
      if (kind !== 'membership') result.key = id!;
      (parsed[collection] as Parsed<unknown>[]).push(result as Parsed<unknown>);
    });
  }
  const events = document.events;
  if (Array.isArray(events)) {
    parsed.received.event = events.length;
    if (events.length > 0) {
      context.ignored.add('/events', 'Rolebook keeps organisation events (rename, merge, split, dissolve) of its own; Popolo events are counted, not stored', events.length);
    }
  } else if (events !== undefined && events !== null) {
    context.ignored.add('/events', 'must be an array: not read');
  }
  parsed.ignored = context.ignored.list();
  return parsed;
}
