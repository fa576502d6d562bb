/**
 * The relational model of Rolebook (DESIGN.md §1).
 *
 * Dates in valid time are partial: every date is stored as the first day of the period it names
 * plus its precision (`year`, `month`, `day`), so `2016-06` is (2016-06-01, month). The database
 * checks that the day is aligned to its precision and that a date and its precision come together;
 * `rb_period_end()` (see the migrations) gives the last day of such a period.
 */
import { sql } from 'drizzle-orm';
import {
  customType,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

export const datePrecision = pgEnum('date_precision', ['year', 'month', 'day']);
export const contactVisibility = pgEnum('contact_visibility', ['public', 'internal', 'private']);

/** Two columns for one partial date: `<name>_date` and `<name>_precision`. */
function partialDate(name: string) {
  return {
    day: date(`${name}_date`, { mode: 'string' }),
    precision: datePrecision(`${name}_precision`),
  };
}

/** Checks shared by every table with a partial date: date and precision come together, aligned. */
function partialDateChecks(table: string, name: string) {
  const day = sql.raw(`${name}_date`);
  const precision = sql.raw(`${name}_precision`);
  return [
    check(
      `${table}_${name}_precision_present`,
      sql`(${day} IS NULL) = (${precision} IS NULL)`,
    ),
    check(
      `${table}_${name}_aligned`,
      sql`${day} IS NULL OR ${precision} = 'day'
        OR (${precision} = 'month' AND extract(day FROM ${day}) = 1)
        OR (${precision} = 'year' AND extract(day FROM ${day}) = 1 AND extract(month FROM ${day}) = 1)`,
    ),
  ];
}

/** The interval [start, end] must not end before it starts (DESIGN.md §3). */
function orderedInterval(table: string, start: string, end: string) {
  return check(
    `${table}_${end}_not_before_${start}`,
    sql.raw(
      `${start}_date IS NULL OR ${end}_date IS NULL OR rb_period_end(${end}_date, ${end}_precision::text) >= ${start}_date`,
    ),
  );
}

/** A PostgreSQL daterange, as its text form: `[2016-07-01,)`. */
const daterange = customType<{ data: string; driverData: string }>({ dataType: () => 'daterange' });

/**
 * The spans a dated row may and must cover (drizzle/0002): `possible_span` for reads on a day,
 * `certain_span` for the invariants. Both are derived by the database and never written.
 */
function spans(start: string, end: string) {
  const args = `${start}_date, ${start}_precision, ${end}_date, ${end}_precision`;
  return {
    possibleSpan: daterange('possible_span').generatedAlwaysAs(sql.raw(`rb_possible_span(${args})`)),
    certainSpan: daterange('certain_span').generatedAlwaysAs(sql.raw(`rb_certain_span(${args})`)),
  };
}

const tstzrange = customType<{ data: string; driverData: string }>({ dataType: () => 'tstzrange' });

/**
 * Transaction time (DESIGN.md §2): when this version of the row became the directory's. Kept by
 * triggers (drizzle/0007): an update or delete moves the old version into `<table>_history` with
 * its period closed, so that the `asof` schema can show every table as it stood at any moment.
 */
const recorded = {
  sysPeriod: tstzrange('sys_period').notNull().default(sql`tstzrange(now(), NULL)`),
};

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
};

// ---------------------------------------------------------------- people

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    givenName: text('given_name'),
    familyName: text('family_name'),
    honorificPrefix: text('honorific_prefix'),
    /** Sort key for lists: family name, then given name, case-folded. */
    sortName: text('sort_name')
      .notNull()
      .generatedAlwaysAs(
        sql`lower(coalesce(family_name, '') || ' ' || coalesce(given_name, ''))`,
      ),
    ...timestamps,
  },
  (t) => [
    check('people_has_a_name', sql`coalesce(given_name, family_name) IS NOT NULL`),
    index('people_sort_idx').on(t.sortName, t.id),
  ],
);

export const personNames = pgTable(
  'person_names',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    startDate: partialDate('start').day,
    startPrecision: partialDate('start').precision,
    endDate: partialDate('end').day,
    endPrecision: partialDate('end').precision,
    note: text('note'),
  },
  (t) => [
    index('person_names_person_idx').on(t.personId, t.position),
    ...partialDateChecks('person_names', 'start'),
    ...partialDateChecks('person_names', 'end'),
    orderedInterval('person_names', 'start', 'end'),
  ],
);

export const contactDetails = pgTable(
  'contact_details',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    type: text('type').notNull(),
    value: text('value').notNull(),
    label: text('label'),
    visibility: contactVisibility('visibility').notNull().default('internal'),
  },
  (t) => [index('contact_details_person_idx').on(t.personId, t.position)],
);

export const personLinks = pgTable(
  'person_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    url: text('url').notNull(),
    note: text('note'),
  },
  (t) => [index('person_links_person_idx').on(t.personId, t.position)],
);

/** Foreign ids (staff number, Wikidata QID, an import's own ids): one owner per scheme and id. */
export const personIdentifiers = pgTable(
  'person_identifiers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    scheme: text('scheme').notNull(),
    identifier: text('identifier').notNull(),
  },
  (t) => [
    unique('person_identifiers_unique').on(t.scheme, t.identifier),
    index('person_identifiers_person_idx').on(t.personId, t.position),
  ],
);

// ---------------------------------------------------------------- organisations

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    name: text('name').notNull(),
    abbreviation: text('abbreviation'),
    classification: text('classification'),
    location: text('location'),
    foundingDate: partialDate('founding').day,
    foundingPrecision: partialDate('founding').precision,
    dissolutionDate: partialDate('dissolution').day,
    dissolutionPrecision: partialDate('dissolution').precision,
    sortName: text('sort_name').notNull().generatedAlwaysAs(sql`lower(name)`),
    ...spans('founding', 'dissolution'),
    ...timestamps,
  },
  (t) => [
    index('organisations_sort_idx').on(t.sortName, t.id),
    ...partialDateChecks('organisations', 'founding'),
    ...partialDateChecks('organisations', 'dissolution'),
    orderedInterval('organisations', 'founding', 'dissolution'),
  ],
);

export const organisationNames = pgTable(
  'organisation_names',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    startDate: partialDate('start').day,
    startPrecision: partialDate('start').precision,
    endDate: partialDate('end').day,
    endPrecision: partialDate('end').precision,
    note: text('note'),
  },
  (t) => [
    index('organisation_names_organisation_idx').on(t.organisationId, t.position),
    ...partialDateChecks('organisation_names', 'start'),
    ...partialDateChecks('organisation_names', 'end'),
    orderedInterval('organisation_names', 'start', 'end'),
  ],
);

export const organisationIdentifiers = pgTable(
  'organisation_identifiers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    scheme: text('scheme').notNull(),
    identifier: text('identifier').notNull(),
  },
  (t) => [
    unique('organisation_identifiers_unique').on(t.scheme, t.identifier),
    index('organisation_identifiers_organisation_idx').on(t.organisationId, t.position),
  ],
);

/** Dated membership of an organisation in a parent: the hierarchy has its own history. */
export const organisationParents = pgTable(
  'organisation_parents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
    startDate: partialDate('start').day,
    startPrecision: partialDate('start').precision,
    endDate: partialDate('end').day,
    endPrecision: partialDate('end').precision,
    ...spans('start', 'end'),
    endedByEventId: uuid('ended_by_event_id').references(() => organisationEvents.id),
  },
  (t) => [
    index('organisation_parents_organisation_idx').on(t.organisationId, t.position),
    index('organisation_parents_parent_idx').on(t.parentId),
    index('organisation_parents_parent_span_idx').using('gist', t.parentId, t.possibleSpan),
    check('organisation_parents_not_self', sql`organisation_id <> parent_id`),
    ...partialDateChecks('organisation_parents', 'start'),
    ...partialDateChecks('organisation_parents', 'end'),
    orderedInterval('organisation_parents', 'start', 'end'),
  ],
);

// ---------------------------------------------------------------- posts

export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    label: text('label').notNull(),
    maxHolders: integer('max_holders'),
    sortLabel: text('sort_label').notNull().generatedAlwaysAs(sql`lower(label)`),
    ...timestamps,
  },
  (t) => [
    // Target of the composite key that keeps an assignment's post inside its organisation.
    unique('posts_id_organisation_unique').on(t.id, t.organisationId),
    index('posts_organisation_idx').on(t.organisationId),
    index('posts_sort_idx').on(t.sortLabel, t.id),
    check('posts_max_holders_positive', sql`max_holders IS NULL OR max_holders >= 1`),
  ],
);

/**
 * Foreign ids of posts (an import's own ids, DESIGN.md §1): one owner per scheme and id, as for
 * people and organisations, so that a second import finds its posts again.
 */
export const postIdentifiers = pgTable(
  'post_identifiers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    scheme: text('scheme').notNull(),
    identifier: text('identifier').notNull(),
  },
  (t) => [
    unique('post_identifiers_unique').on(t.scheme, t.identifier),
    index('post_identifiers_post_idx').on(t.postId, t.position),
  ],
);

// ---------------------------------------------------------------- assignments

export const assignments = pgTable(
  'assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    postId: uuid('post_id'),
    role: text('role'),
    onBehalfOfId: uuid('on_behalf_of_id').references(() => organisations.id, {
      onDelete: 'restrict',
    }),
    startDate: partialDate('start').day,
    startPrecision: partialDate('start').precision,
    endDate: partialDate('end').day,
    endPrecision: partialDate('end').precision,
    source: text('source'),
    note: text('note'),
    ...spans('start', 'end'),
    /** The post, while the post takes a single holder: the key of the one-holder exclusion. */
    exclusivePostId: uuid('exclusive_post_id'),
    startedByTransitionId: uuid('started_by_transition_id').references(() => transitions.id),
    endedByTransitionId: uuid('ended_by_transition_id').references(() => transitions.id),
    endedByEventId: uuid('ended_by_event_id').references(() => organisationEvents.id),
    ...timestamps,
  },
  (t) => [
    index('assignments_organisation_span_idx').using('gist', t.organisationId, t.possibleSpan),
    // The holders of a chart's posts on a day, without reading the (many more) memberships.
    index('assignments_holder_span_idx').using('gist', t.organisationId, t.possibleSpan).where(sql`post_id IS NOT NULL`),
    index('assignments_post_span_idx').using('gist', t.postId, t.possibleSpan),
    index('assignments_person_span_idx').using('gist', t.personId, t.possibleSpan),
    foreignKey({
      name: 'assignments_post_in_organisation_fk',
      columns: [t.postId, t.organisationId],
      foreignColumns: [posts.id, posts.organisationId],
    }).onDelete('restrict'),
    index('assignments_person_idx').on(t.personId, t.startDate),
    index('assignments_organisation_idx').on(t.organisationId, t.startDate),
    index('assignments_post_idx').on(t.postId, t.startDate),
    index('assignments_sort_idx').on(sql`coalesce(start_date, '-infinity'::date)`, t.id),
    // A transition's read finds the assignments it touched (a sequential scan otherwise).
    index('assignments_started_by_transition_idx').on(t.startedByTransitionId).where(sql`started_by_transition_id IS NOT NULL`),
    index('assignments_ended_by_transition_idx').on(t.endedByTransitionId).where(sql`ended_by_transition_id IS NOT NULL`),
    ...partialDateChecks('assignments', 'start'),
    ...partialDateChecks('assignments', 'end'),
    orderedInterval('assignments', 'start', 'end'),
  ],
);

/**
 * Foreign ids of assignments: a Popolo membership's `id`, or the key an import derives for a
 * membership without one (src/routes/v1/import/popolo/), so that a re-import updates it.
 */
export const assignmentIdentifiers = pgTable(
  'assignment_identifiers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    scheme: text('scheme').notNull(),
    identifier: text('identifier').notNull(),
  },
  (t) => [
    unique('assignment_identifiers_unique').on(t.scheme, t.identifier),
    index('assignment_identifiers_assignment_idx').on(t.assignmentId, t.position),
  ],
);

// ---------------------------------------------------------------- transitions and events

/** One dated move: assignments ended on the day before `date` and started on `date`, atomically. */
export const transitions = pgTable(
  'transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    date: date('date', { mode: 'string' }).notNull(),
    reason: text('reason'),
    source: text('source'),
    recordedBy: text('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [index('transitions_date_idx').on(t.date)],
);

export const organisationEventType = pgEnum('organisation_event_type', ['rename', 'merge', 'split', 'dissolve']);

/** A change of organisations (W3C ORG ChangeEvent): what went in, what came out, on which day. */
export const organisationEvents = pgTable(
  'organisation_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...recorded,
    type: organisationEventType('type').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    note: text('note'),
    source: text('source'),
    recordedBy: text('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [index('organisation_events_date_idx').on(t.date)],
);

export const organisationEventRole = pgEnum('organisation_event_role', ['original', 'resulting']);

export const organisationEventOrganisations = pgTable(
  'organisation_event_organisations',
  {
    ...recorded,
    eventId: uuid('event_id')
      .notNull()
      .references(() => organisationEvents.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    role: organisationEventRole('role').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    unique('organisation_event_organisations_unique').on(t.eventId, t.organisationId, t.role),
    index('organisation_event_organisations_organisation_idx').on(t.organisationId),
  ],
);

// ---------------------------------------------------------------- search

/**
 * The search index (DESIGN.md §4, GET /v1/search): every name of a person (their name and other
 * names), of an organisation (name, abbreviation, other names) and every post label, folded for
 * search (src/domain/folding.ts) once German-style (ä → ae) and once plain (ä → a), so that both
 * spellings find it. Maintained by triggers on the tables it is derived from (drizzle/0011), never
 * written by the service; not versioned, since it is derived from versioned tables. A trigram GIN
 * index on `term` serves similarity and substring matches.
 */
export const searchTerms = pgTable(
  'search_terms',
  {
    kind: text('kind').notNull(),
    entityId: uuid('entity_id').notNull(),
    /** Where the name comes from: name, otherName, abbreviation or label. */
    field: text('field').notNull(),
    /** The name as written. */
    name: text('name').notNull(),
    /** The name folded: rb_fold_german(name) or rb_fold(name). */
    term: text('term').notNull(),
  },
  (t) => [
    check('search_terms_kind', sql`kind IN ('person', 'organisation', 'post')`),
    index('search_terms_entity_idx').on(t.entityId),
    index('search_terms_term_trgm_idx').using('gin', t.term.op('gin_trgm_ops')),
  ],
);

// ---------------------------------------------------------------- access

export const keyRole = pgEnum('key_role', ['public', 'reader', 'editor', 'auditor', 'admin']);

/**
 * API keys (DESIGN.md §5). Only a SHA-256 of the key is stored; a key is random (256 bits) so a
 * fast hash is enough, and it is looked up by that hash. `prefix` (the first characters) lets a
 * person tell keys apart in lists and logs without revealing them.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    role: keyRole('role').notNull(),
    /** Organisations whose subtrees an editor may write; empty = everywhere. */
    scopes: uuid('scopes').array().notNull().default(sql`'{}'::uuid[]`),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull().unique(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('api_keys_created_idx').on(t.createdAt, t.id)],
);

// ---------------------------------------------------------------- changes

/**
 * One row per write: who did what, when, why, with the values before and after. Every route
 * writes through `db.write()` (src/db/write.ts), which inserts these rows in the same transaction
 * as the change itself, so a failed write leaves no entry.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: integer('seq').primaryKey().generatedAlwaysAsIdentity(),
    id: uuid('id').notNull().unique().defaultRandom(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`clock_timestamp()`),
    actor: text('actor').notNull(),
    requestId: text('request_id'),
    operation: text('operation').notNull(),
    reason: text('reason'),
    changes: jsonb('changes').notNull(),
    /** sha256 of the canonical JSON of reason and changes (kept when an erasure redacts them). */
    payloadHash: text('payload_hash').notNull(),
    /** The hash of the entry before this one; the first entry's is 64 zeros. */
    prevHash: text('prev_hash').notNull(),
    /** sha256 over the canonical JSON of this entry's header, payload hash and prevHash. */
    hash: text('hash').notNull().unique(),
    /** Set when an erasure (DSGVO Art. 17) pseudonymised `changes`; payloadHash stays the original's. */
    redactedAt: timestamp('redacted_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    index('audit_events_recorded_at_idx').on(t.recordedAt),
    index('audit_events_actor_idx').on(t.actor, t.seq),
    index('audit_events_operation_idx').on(t.operation, t.seq),
    index('audit_events_changes_idx').using('gin', sql`changes jsonb_path_ops`),
  ],
);
