/**
 * Storing a parsed Popolo document (popolo-document.ts) inside the one transaction of its import.
 *
 * Records are found again by their foreign ids, kept as identifiers with the scheme
 * `popolo:<source>`; a record whose id is the UUID of a stored record of its kind is that record
 * (a document exported by Rolebook itself), and a person or organisation is also found by any of
 * the document's own identifiers (a Wikidata QID, …). Each record is a merge patch on what is
 * stored: members it leaves out stay, members it sets change, so a second import of the same file
 * changes nothing. Kinds are written in the order their references need (organisations, parents
 * first; posts; people; memberships), in batches, each batch in a savepoint: when the database
 * refuses a batch (its guards, constraints), the batch is written again record by record, and the
 * refused records are reported by position.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { asc, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, Executor } from '../../../db/client.js';
import { databaseProblem } from '../../../db/errors.js';
import { assignmentIdentifiers, assignments, organisations, people, postIdentifiers, posts } from '../../../db/schema.js';
import type { Change } from '../../../db/write.js';
import { canonicalJson } from '../../../domain/canonical-json.js';
import { Problem } from '../../../http/problem.js';
import { editableOf } from '../../../http/resource.js';
import { assignmentColumns, insertAssignment, presentAssignment, updateAssignment } from '../assignments/queries.js';
import { assignmentInput, type Assignment, type AssignmentInput } from '../assignments/schemas.js';
import { insertOrganisation, presentOrganisation, updateOrganisation, withChildren as organisationChildren } from '../organisations/queries.js';
import { organisationInput, type Organisation, type OrganisationInput } from '../organisations/schemas.js';
import { insertPeople, insertPerson, presentPerson, updatePerson, withChildren as personChildren } from '../people/queries.js';
import { personInput, type Person, type PersonInput } from '../people/schemas.js';
import { insertPost, presentPost, updatePost } from '../posts/queries.js';
import { postInput, type Post, type PostInput } from '../posts/schemas.js';
import { COLLECTION, KINDS, rejectOf, type Kind, type Parsed, type ParsedDocument, type Reject } from './popolo-document.js';

export interface KindCounts {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface StoreOptions {
  /** `popolo:<source>`: the scheme of the foreign ids. */
  scheme: string;
  batchSize: number;
  log: FastifyBaseLogger;
}

export interface StoreResult {
  counts: Record<Kind, KindCounts>;
  rejects: Reject[];
  /** The changes of the import, for its one audit event. */
  changes: Change[];
}

const ENTITY: Record<Kind, Change['entity']> = {
  organization: 'organisation',
  post: 'post',
  person: 'person',
  membership: 'assignment',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lists in SQL `IN (…)` stay well below the drivers' limits on parameters. */
const CHUNK = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The identifier table and owner column of each kind, and its main table. */
const STORAGE: Record<Kind, { identifiers: string; owner: string; table: string }> = {
  organization: { identifiers: 'organisation_identifiers', owner: 'organisation_id', table: 'organisations' },
  post: { identifiers: 'post_identifiers', owner: 'post_id', table: 'posts' },
  person: { identifiers: 'person_identifiers', owner: 'person_id', table: 'people' },
  membership: { identifiers: 'assignment_identifiers', owner: 'assignment_id', table: 'assignments' },
};

type Representation = Organisation | Post | Person | Assignment;

/** One record of the document on its way into the database. */
interface Plan<Input> {
  record: Parsed<Input>;
  id: string;
  /** How the stored record was found: by the foreign id, as its own UUID, or not at all. */
  found: 'foreign-id' | 'own-id' | 'identifier' | null;
  before: Representation | null;
  desired: Input;
  action: 'create' | 'update' | 'unchanged';
  /** Plans this one needs stored first (an organisation's parent). */
  needs: Plan<unknown>[];
  failed: boolean;
}

const pairKey = (scheme: string, identifier: string) => `${scheme}\u0000${identifier}`;

export class PopoloStore {
  private readonly counts: Record<Kind, KindCounts>;
  private readonly rejects: Reject[];
  private readonly changes: Change[] = [];
  /** Records of the document by kind and id: what references inside the document point at. */
  private readonly plans: Record<Kind, Map<string, Plan<unknown>>> = {
    organization: new Map(),
    post: new Map(),
    person: new Map(),
    membership: new Map(),
  };
  /** Records of the document that are not stored. */
  private readonly refusedRecords = new Set<Parsed<unknown>>();
  /** Ids of refused records of the document: references to them are refused too. */
  private readonly refused: Record<Kind, Map<string, string>> = {
    organization: new Map(),
    post: new Map(),
    person: new Map(),
    membership: new Map(),
  };

  constructor(
    private readonly database: Database,
    private readonly tx: Executor,
    private readonly document: ParsedDocument,
    private readonly options: StoreOptions,
  ) {
    this.rejects = [...document.rejects];
    this.counts = Object.fromEntries(
      KINDS.map((kind) => [
        kind,
        {
          received: document.received[kind],
          created: 0,
          updated: 0,
          unchanged: 0,
          rejected: document.rejects.filter((r) => r.kind === kind).length,
        },
      ]),
    ) as Record<Kind, KindCounts>;
    for (const reject of document.rejects) {
      if (reject.id && !this.refused[reject.kind].has(reject.id)) this.refused[reject.kind].set(reject.id, reject.path);
    }
  }

  async run(): Promise<StoreResult> {
    await this.organisations();
    await this.posts();
    await this.persons();
    await this.memberships();
    // In the order of the document: by kind, then by position.
    const position = (r: Reject) => [KINDS.indexOf(r.kind), Number(r.path.split('/')[2] ?? -1)] as const;
    this.rejects.sort((a, b) => position(a)[0] - position(b)[0] || position(a)[1] - position(b)[1]);
    return { counts: this.counts, rejects: this.rejects, changes: this.changes };
  }

  // ------------------------------------------------------------ finding stored records

  private rows<T>(query: SQL): Promise<T[]> {
    return this.database.rows<T>(query, this.tx);
  }

  /** Stored owners of foreign ids `(scheme, identifier)` of a kind. */
  private async owners(kind: Kind, pairs: { scheme: string; identifier: string }[]): Promise<Map<string, string>> {
    const { identifiers, owner } = STORAGE[kind];
    const found = new Map<string, string>();
    const wanted = new Set(pairs.map((p) => pairKey(p.scheme, p.identifier)));
    const values = [...new Set(pairs.map((p) => p.identifier))];
    for (const chunk of chunks(values, CHUNK)) {
      const rows = await this.rows<{ scheme: string; identifier: string; owner: string }>(
        sql`SELECT scheme, identifier, ${sql.identifier(owner)}::text AS owner FROM ${sql.identifier(identifiers)} WHERE identifier IN ${chunk}`,
      );
      for (const row of rows) if (wanted.has(pairKey(row.scheme, row.identifier))) found.set(pairKey(row.scheme, row.identifier), row.owner);
    }
    return found;
  }

  /** Which of these UUIDs are stored records of the kind. */
  private async existing(kind: Kind, ids: string[]): Promise<Set<string>> {
    const uuids = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
    const found = new Set<string>();
    for (const chunk of chunks(uuids, CHUNK)) {
      const rows = await this.rows<{ id: string }>(sql`SELECT id::text AS id FROM ${sql.identifier(STORAGE[kind].table)} WHERE id IN ${chunk}`);
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  /**
   * Finds the stored record of each document record: by its foreign id, as its own UUID, or by
   * one of its own identifiers. A record whose ways lead to different stored records, or to one that
   * an earlier record of the document took, is refused.
   */
  private async match<Input>(kind: Kind, records: Parsed<Input>[]): Promise<Map<Parsed<Input>, { id: string; found: Plan<Input>['found'] }>> {
    const scheme = this.options.scheme;
    const foreign = await this.owners(kind, records.map((r) => ({ scheme, identifier: r.key })));
    const own = await this.existing(kind, records.filter((r) => r.ownId).map((r) => r.key));
    const ownIdentifiers = (r: Parsed<Input>) => ((r.input as { identifiers?: { scheme: string; identifier: string }[] }).identifiers ?? []);
    const byIdentifier = kind === 'person' || kind === 'organization' ? await this.owners(kind, records.flatMap(ownIdentifiers)) : new Map<string, string>();
    const taken = new Map<string, string>();
    const matches = new Map<Parsed<Input>, { id: string; found: Plan<Input>['found'] }>();
    for (const record of records) {
      let match: { id: string; found: Plan<Input>['found'] } | null = null;
      const viaForeign = foreign.get(pairKey(scheme, record.key));
      const viaOwn = record.ownId && own.has(record.key.toLowerCase()) ? record.key.toLowerCase() : undefined;
      if (viaForeign) match = { id: viaForeign, found: 'foreign-id' };
      else if (viaOwn) match = { id: viaOwn, found: 'own-id' };
      const errors: string[] = [];
      for (const [i, identifier] of ownIdentifiers(record).entries()) {
        const owner = byIdentifier.get(pairKey(identifier.scheme, identifier.identifier));
        if (!owner) continue;
        if (!match) match = { id: owner, found: 'identifier' };
        else if (owner !== match.id) {
          errors.push(`identifiers/${i}: ${identifier.scheme} ${identifier.identifier} belongs to the stored ${ENTITY[kind]} ${owner}, not to ${match.id}, which this record is`);
        }
      }
      if (match && taken.has(match.id)) errors.push(`it is the same stored ${ENTITY[kind]} (${match.id}) as ${taken.get(match.id)}`);
      if (errors.length > 0) {
        this.reject(record, errors.map((message) => ({ path: `${record.path}${message.startsWith('identifiers/') ? `/${message.split(':')[0]}` : ''}`, message })));
        continue;
      }
      if (match) {
        taken.set(match.id, record.path);
        matches.set(record, match);
      }
    }
    return matches;
  }

  /** Stored records that a document refers to without holding them: by foreign id or own UUID. */
  private async storedReferences(kind: Kind, keys: string[]): Promise<Map<string, string>> {
    const outside = [...new Set(keys.filter((key) => !this.plans[kind].has(key) && !this.refused[kind].has(key)))];
    const found = new Map<string, string>();
    if (outside.length === 0) return found;
    const foreign = await this.owners(kind, outside.map((identifier) => ({ scheme: this.options.scheme, identifier })));
    const own = await this.existing(kind, outside);
    for (const key of outside) {
      const id = foreign.get(pairKey(this.options.scheme, key)) ?? (own.has(key.toLowerCase()) ? key.toLowerCase() : undefined);
      if (id) found.set(key, id);
    }
    return found;
  }

  /**
   * The id a reference stands for: a record of the document that is (to be) stored, or a stored
   * record; otherwise the reason why not.
   */
  private resolve(kind: Kind, key: string, stored: Map<string, string>): { id: string; plan?: Plan<unknown> } | { error: string } {
    const plan = this.plans[kind].get(key);
    if (plan) return plan.failed ? { error: `the ${kind} ${JSON.stringify(key)} (${plan.record.path}) is not stored: it was refused` } : { id: plan.id, plan };
    const refused = this.refused[kind].get(key);
    if (refused) return { error: `the ${kind} ${JSON.stringify(key)} (${refused}) is not stored: it was refused` };
    const id = stored.get(key);
    if (id) return { id };
    return { error: `refers to no ${kind} with the id ${JSON.stringify(key)}, neither in this document nor stored from an earlier import of this source` };
  }

  private reject(record: Parsed<unknown>, errors: { path: string; message: string }[], extra: Partial<Reject> = {}): void {
    this.rejects.push({ ...rejectOf(record.kind, record.path, record.ownId ? record.key : null, errors), ...extra });
    this.counts[record.kind].rejected++;
    this.refusedRecords.add(record);
    this.refused[record.kind].set(record.key, record.path);
  }

  // ------------------------------------------------------------ planning

  /** The stored record with what the document says applied, and whether that changes anything. */
  private plan<Input>(
    record: Parsed<Input>,
    match: { id: string; found: Plan<Input>['found'] } | undefined,
    before: Representation | undefined,
    desired: Input,
    schema: z.ZodType,
  ): Plan<Input> | null {
    // What is stored with the record applied must still be a valid record (an end before a stored start…).
    const wanted = schema.safeParse(desired);
    if (!wanted.success) {
      this.reject(
        record as Parsed<unknown>,
        wanted.error.issues.map((issue) => ({
          path: record.path,
          message: `together with what is stored: ${issue.path.join('.') || 'record'} ${issue.message}`,
        })),
      );
      return null;
    }
    const current = before ? schema.safeParse(editableOf(schema as never, before)) : undefined;
    const action = !match || !before ? 'create' : current?.success && comparable(current.data) === comparable(wanted.data) ? 'unchanged' : 'update';
    const plan: Plan<Input> = {
      record,
      id: match?.id ?? randomUUID(),
      found: match?.found ?? null,
      before: before ?? null,
      desired: wanted.data as Input,
      action,
      needs: [],
      failed: false,
    };
    this.plans[record.kind].set(record.key, plan as Plan<unknown>);
    return plan;
  }

  /** Identifiers: what is stored stays, the document's own are added, and the record's foreign id. */
  private identifiersFor(record: Parsed<{ identifiers?: unknown }>, found: Plan<unknown>['found'], stored: { scheme: string; identifier: string }[]) {
    const list = [...stored];
    const has = new Set(list.map((i) => pairKey(i.scheme, i.identifier)));
    const add = (i: { scheme: string; identifier: string }) => {
      if (has.has(pairKey(i.scheme, i.identifier))) return;
      has.add(pairKey(i.scheme, i.identifier));
      list.push(i);
    };
    for (const identifier of (record.input.identifiers as { scheme: string; identifier: string }[] | undefined) ?? []) add(identifier);
    if (found !== 'own-id') add({ scheme: this.options.scheme, identifier: record.key });
    return list;
  }

  // ------------------------------------------------------------ writing

  /**
   * Writes the plans that change something, a batch at a time, each batch in a savepoint; a batch
   * the database refuses is written again record by record, so that only the refused ones fail.
   */
  private async write<Input>(
    kind: Kind,
    plans: Plan<Input>[],
    one: (tx: Executor, plan: Plan<Input>) => Promise<void>,
    many?: (tx: Executor, plans: Plan<Input>[]) => Promise<void>,
  ): Promise<Plan<Input>[]> {
    const pending = plans.filter((p) => p.action !== 'unchanged');
    const stored: Plan<Input>[] = [];
    const ready = (plan: Plan<Input>) => {
      const missing = plan.needs.find((need) => need.failed);
      if (missing) {
        throw new Problem('validation-error', `parent_id: the ${missing.record.kind} ${JSON.stringify(missing.record.key)} (${missing.record.path}) is not stored: it was refused`);
      }
    };
    let done = 0;
    for (const batch of chunks(pending, this.options.batchSize)) {
      try {
        await this.tx.transaction(async (savepoint) => {
          const sp = savepoint as unknown as Executor;
          batch.forEach(ready);
          // New records of a batch in one statement per table where the kind can; the rest one by one.
          const creates = many ? batch.filter((p) => p.action === 'create') : [];
          if (many && creates.length > 0) await many(sp, creates);
          for (const plan of batch) if (!creates.includes(plan)) await one(sp, plan);
        });
        stored.push(...batch);
      } catch (error) {
        if (!refusal(error)) throw error;
        // Again one by one, each in a savepoint of its own: only the refused records fail.
        for (const plan of batch) {
          try {
            await this.tx.transaction(async (sp) => {
              ready(plan);
              await one(sp as unknown as Executor, plan);
            });
            stored.push(plan);
          } catch (single) {
            const problem = refusal(single);
            if (!problem) throw single;
            plan.failed = true;
            this.reject(plan.record as Parsed<unknown>, [{ path: plan.record.path, message: problem.detail }], {
              reason: problem.detail,
              refusedBy: problem.type === 'conflict' ? 'database' : 'document',
              ...(problem.extensions.conflicting ? { conflicting: problem.extensions.conflicting } : {}),
            });
          }
        }
      }
      done += batch.length;
      this.options.log.info({ kind: COLLECTION[kind], written: done, toWrite: pending.length, unchanged: plans.length - pending.length }, 'popolo import: writing');
    }
    return stored;
  }

  /** Counts and audits what was written, with each record as the API shows it after the write. */
  private async record<Input>(kind: Kind, plans: Plan<Input>[], written: Plan<Input>[], load: (ids: string[]) => Promise<Map<string, Representation>>) {
    this.counts[kind].unchanged += plans.filter((p) => p.action === 'unchanged').length;
    for (const batch of chunks(written, CHUNK)) {
      const after = await load(batch.map((p) => p.id));
      for (const plan of batch) {
        this.counts[kind][plan.action === 'create' ? 'created' : 'updated']++;
        this.changes.push({
          entity: ENTITY[kind],
          entityId: plan.id,
          action: plan.action === 'create' ? 'create' : 'update',
          before: plan.before,
          after: after.get(plan.id) ?? null,
        });
      }
    }
  }

  private async loadOrganisations(ids: string[]): Promise<Map<string, Representation>> {
    const found = new Map<string, Representation>();
    for (const chunk of chunks(ids, CHUNK)) {
      const rows = await this.tx.query.organisations.findMany({ where: inArray(organisations.id, chunk), with: organisationChildren });
      for (const row of rows) found.set(row.id, presentOrganisation(row));
    }
    return found;
  }

  private async loadPeople(ids: string[]): Promise<Map<string, Representation>> {
    const found = new Map<string, Representation>();
    for (const chunk of chunks(ids, CHUNK)) {
      const rows = await this.tx.query.people.findMany({ where: inArray(people.id, chunk), with: personChildren });
      for (const row of rows) found.set(row.id, presentPerson(row));
    }
    return found;
  }

  private async loadPosts(ids: string[]): Promise<Map<string, Representation>> {
    const found = new Map<string, Representation>();
    for (const chunk of chunks(ids, CHUNK)) {
      for (const row of await this.tx.select().from(posts).where(inArray(posts.id, chunk))) found.set(row.id, presentPost(row));
    }
    return found;
  }

  private async loadAssignments(ids: string[]): Promise<Map<string, Representation>> {
    const found = new Map<string, Representation>();
    for (const chunk of chunks(ids, CHUNK)) {
      for (const row of await this.tx.select().from(assignments).where(inArray(assignments.id, chunk)).orderBy(asc(assignments.id))) {
        found.set(row.id, presentAssignment(row));
      }
    }
    return found;
  }

  /** Adds a foreign id to a post or an assignment (people and organisations keep theirs in their input). */
  private async addForeignId(tx: Executor, kind: 'post' | 'membership', plan: Plan<unknown>): Promise<void> {
    if (plan.found === 'own-id' || plan.found === 'foreign-id') return;
    const values = { scheme: this.options.scheme, identifier: plan.record.key, position: 0 };
    if (kind === 'post') await tx.insert(postIdentifiers).values({ ...values, postId: plan.id });
    else await tx.insert(assignmentIdentifiers).values({ ...values, assignmentId: plan.id });
  }

  // ------------------------------------------------------------ the kinds

  private async organisations(): Promise<void> {
    const records = this.document.organizations;
    const matches = await this.match('organization', records);
    const before = await this.loadOrganisations([...matches.values()].map((m) => m.id));
    // Parents first: an organisation is written after the one it names as its parent_id.
    const ordered = this.parentsFirst(records.filter((r) => !this.refusedRecords.has(r as Parsed<unknown>)));
    const inDocument = new Set(ordered.map((r) => r.key));
    const parentKeys = ordered.flatMap((r) => (r.refs.parent_id && !inDocument.has(r.refs.parent_id) ? [r.refs.parent_id] : []));
    const storedParents = await this.storedReferences('organization', parentKeys);
    const plans: Plan<OrganisationInput>[] = [];
    for (const record of ordered) {
      const match = matches.get(record);
      const stored = match ? (before.get(match.id) as Organisation | undefined) : undefined;
      const current = (stored ? editableOf(organisationInput, stored) : {}) as Partial<OrganisationInput>;
      const desired = { ...current, ...record.input } as OrganisationInput;
      desired.identifiers = this.identifiersFor(record, match?.found ?? null, stored?.identifiers ?? []);
      desired.parents = current.parents ?? [];
      let needs: Plan<unknown>[] = [];
      if (record.refs.parent_id) {
        const parent = this.resolve('organization', record.refs.parent_id, storedParents);
        if ('error' in parent) {
          this.reject(record, [{ path: `${record.path}/parent_id`, message: parent.error }]);
          continue;
        }
        // Popolo's parent_id has no dates: a link to that parent (dated or not) is kept as it is;
        // a parent the organisation has no link to replaces its links with one undated link.
        if (!desired.parents.some((p) => p.organisationId === parent.id)) desired.parents = [{ organisationId: parent.id }];
        if (parent.plan) needs = [parent.plan];
      }
      const plan = this.plan(record, match, stored, desired, organisationInput);
      if (!plan) continue;
      plan.needs = needs;
      plans.push(plan);
    }
    const written = await this.write('organization', plans, async (tx, plan) => {
      if (plan.action === 'create') await insertOrganisation(tx, plan.desired, plan.id);
      else await updateOrganisation(tx, plan.id, plan.desired);
    });
    await this.record('organization', plans, written, (ids) => this.loadOrganisations(ids));
  }

  /** Orders organisations so that each comes after its parent; those in a cycle are refused. */
  private parentsFirst(records: Parsed<OrganisationInput>[]): Parsed<OrganisationInput>[] {
    const byKey = new Map(records.map((r) => [r.key, r]));
    const ordered: Parsed<OrganisationInput>[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const cyclic = new Set<Parsed<OrganisationInput>>();
    const visit = (record: Parsed<OrganisationInput>, trail: Parsed<OrganisationInput>[]) => {
      const seen = state.get(record.key);
      if (seen === 'done') return;
      if (seen === 'visiting') {
        for (const r of trail.slice(trail.indexOf(record))) cyclic.add(r);
        return;
      }
      state.set(record.key, 'visiting');
      const parent = record.refs.parent_id ? byKey.get(record.refs.parent_id) : undefined;
      if (parent) visit(parent, [...trail, record]);
      state.set(record.key, 'done');
      ordered.push(record);
    };
    for (const record of records) visit(record, []);
    for (const record of cyclic) {
      this.reject(record, [{ path: `${record.path}/parent_id`, message: 'the organizations of the document name each other as parents in a cycle' }]);
    }
    return ordered.filter((r) => !cyclic.has(r));
  }

  private async posts(): Promise<void> {
    const records = this.document.posts;
    const matches = await this.match('post', records);
    const before = await this.loadPosts([...matches.values()].map((m) => m.id));
    const storedOrganisations = await this.storedReferences('organization', records.map((r) => r.refs.organization_id!));
    const plans: Plan<PostInput>[] = [];
    for (const record of records) {
      if (this.refusedRecords.has(record as Parsed<unknown>)) continue;
      const organisation = this.resolve('organization', record.refs.organization_id!, storedOrganisations);
      if ('error' in organisation) {
        this.reject(record, [{ path: `${record.path}/organization_id`, message: organisation.error }]);
        continue;
      }
      const match = matches.get(record);
      const stored = match ? (before.get(match.id) as Post | undefined) : undefined;
      const current = (stored ? editableOf(postInput, stored) : {}) as Partial<PostInput>;
      const desired = { ...current, ...record.input, organisationId: organisation.id } as PostInput;
      const plan = this.plan(record, match, stored, desired, postInput);
      if (plan) plans.push(plan);
    }
    const written = await this.write('post', plans, async (tx, plan) => {
      if (plan.action === 'create') await insertPost(tx, plan.desired, plan.id);
      else await updatePost(tx, plan.id, plan.desired);
      await this.addForeignId(tx, 'post', plan as Plan<unknown>);
    });
    await this.record('post', plans, written, (ids) => this.loadPosts(ids));
  }

  private async persons(): Promise<void> {
    const records = this.document.persons;
    const matches = await this.match('person', records);
    const before = await this.loadPeople([...matches.values()].map((m) => m.id));
    const plans: Plan<PersonInput>[] = [];
    for (const record of records) {
      if (this.refusedRecords.has(record as Parsed<unknown>)) continue;
      const match = matches.get(record);
      const stored = match ? (before.get(match.id) as Person | undefined) : undefined;
      const current = (stored ? editableOf(personInput, stored) : {}) as Partial<PersonInput>;
      const desired = { ...current, ...record.input } as PersonInput;
      // A person the document names only as a whole keeps the stored split of that name.
      if (stored && record.fullName && [stored.givenName, stored.familyName].filter(Boolean).join(' ') === record.fullName) {
        desired.givenName = stored.givenName;
        desired.familyName = stored.familyName;
      }
      desired.identifiers = this.identifiersFor(record, match?.found ?? null, stored?.identifiers ?? []);
      if (record.input.contactDetails) {
        // A contact detail without a visibility of its own keeps the stored one (else internal).
        desired.contactDetails = record.input.contactDetails.map((contact) => ({
          ...contact,
          visibility:
            contact.visibility ??
            stored?.contactDetails.find((c) => c.type === contact.type && c.value === contact.value)?.visibility ??
            'internal',
        }));
      }
      const plan = this.plan(record, match, stored, desired, personInput);
      if (plan) plans.push(plan);
    }
    const written = await this.write(
      'person',
      plans,
      async (tx, plan) => {
        if (plan.action === 'create') await insertPerson(tx, plan.desired, plan.id);
        else await updatePerson(tx, plan.id, plan.desired);
      },
      (tx, creates) => insertPeople(tx, creates.map((plan) => ({ id: plan.id, input: plan.desired }))),
    );
    await this.record('person', plans, written, (ids) => this.loadPeople(ids));
  }

  private async memberships(): Promise<void> {
    const records = this.document.memberships;
    const matches = await this.match('membership', records);
    const before = await this.loadAssignments([...matches.values()].map((m) => m.id));
    const storedPeople = await this.storedReferences('person', records.map((r) => r.refs.person_id!));
    const storedOrganisations = await this.storedReferences(
      'organization',
      records.flatMap((r) => [r.refs.organization_id!, ...(r.refs.on_behalf_of_id ? [r.refs.on_behalf_of_id] : [])]),
    );
    const storedPosts = await this.storedReferences('post', records.flatMap((r) => (r.refs.post_id ? [r.refs.post_id] : [])));
    // The organisation of every stored post a membership names, to check that they agree.
    const postOrganisations = new Map<string, string>();
    for (const chunk of chunks([...new Set(storedPosts.values())], CHUNK)) {
      for (const row of await this.tx.select({ id: posts.id, organisationId: posts.organisationId }).from(posts).where(inArray(posts.id, chunk))) {
        postOrganisations.set(row.id, row.organisationId);
      }
    }
    const plans: Plan<AssignmentInput>[] = [];
    for (const record of records) {
      if (this.refusedRecords.has(record as Parsed<unknown>)) continue;
      const errors: { path: string; message: string }[] = [];
      const ref = (kind: Kind, member: 'person_id' | 'organization_id' | 'post_id' | 'on_behalf_of_id', stored: Map<string, string>) => {
        const key = record.refs[member];
        if (!key) return undefined;
        const resolved = this.resolve(kind, key, stored);
        if ('error' in resolved) {
          errors.push({ path: `${record.path}/${member}`, message: resolved.error });
          return undefined;
        }
        return resolved.id;
      };
      const personId = ref('person', 'person_id', storedPeople);
      const organisationId = ref('organization', 'organization_id', storedOrganisations);
      const postId = ref('post', 'post_id', storedPosts);
      const onBehalfOfId = ref('organization', 'on_behalf_of_id', storedOrganisations);
      if (postId && organisationId) {
        const postPlan = this.plans.post.get(record.refs.post_id!) as Plan<PostInput> | undefined;
        const postOrganisation = postPlan ? postPlan.desired.organisationId : postOrganisations.get(postId);
        if (postOrganisation !== organisationId) {
          errors.push({ path: `${record.path}/post_id`, message: `the post ${JSON.stringify(record.refs.post_id)} belongs to another organization than ${JSON.stringify(record.refs.organization_id)}` });
        }
      }
      if (errors.length > 0) {
        this.reject(record, errors);
        continue;
      }
      const match = matches.get(record);
      const stored = match ? (before.get(match.id) as Assignment | undefined) : undefined;
      const current = (stored ? editableOf(assignmentInput, stored) : {}) as Partial<AssignmentInput>;
      const desired = {
        ...current,
        ...record.input,
        personId: personId!,
        organisationId: organisationId!,
        ...(postId ? { postId } : {}),
        ...(onBehalfOfId ? { onBehalfOfId } : {}),
      } as AssignmentInput;
      const plan = this.plan(record, match, stored, desired, assignmentInput);
      if (plan) plans.push(plan);
    }
    const written = await this.write(
      'membership',
      plans,
      async (tx, plan) => {
        if (plan.action === 'create') await insertAssignment(tx, plan.desired, plan.id);
        else await updateAssignment(tx, plan.id, plan.desired);
        await this.addForeignId(tx, 'membership', plan as Plan<unknown>);
      },
      async (tx, creates) => {
        await tx.insert(assignments).values(creates.map((plan) => ({ ...assignmentColumns(plan.desired), id: plan.id })));
        const foreign = creates.filter((plan) => plan.found === null);
        if (foreign.length > 0) {
          await tx
            .insert(assignmentIdentifiers)
            .values(foreign.map((plan) => ({ assignmentId: plan.id, scheme: this.options.scheme, identifier: plan.record.key, position: 0 })));
        }
      },
    );
    await this.record('membership', plans, written, (ids) => this.loadAssignments(ids));
  }
}

/** Two inputs that mean the same: a member left out and one set to null store the same. */
function comparable(input: unknown): string {
  return canonicalJson(JSON.parse(JSON.stringify(input, (_key, value: unknown) => (value === null ? undefined : value))));
}

/** What the database (or a check on the way) refused about a record, as a problem; else undefined. */
function refusal(error: unknown): Problem | undefined {
  const problem = error instanceof Problem ? error : databaseProblem(error);
  if (!problem) return undefined;
  return problem.type === 'conflict' || problem.type === 'validation-error' || problem.type === 'bad-request' ? problem : undefined;
}
