import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../../db/client.js';
import { notFound, problemResponses } from '../../../http/problem.js';
import { idParams, readQuery, text, uuid } from '../../../http/schemas.js';
import { auditEntries } from '../audit/queries.js';
import { auditEntry } from '../audit/schemas.js';
import { loadPerson } from './queries.js';
import { person as personSchema, type Person } from './schemas.js';

/**
 * Data protection (DSGVO): everything stored about a person (Art. 15), and erasure (Art. 17),
 * which pseudonymises the person everywhere — current rows, past versions, free texts and the
 * audit log — while posts, dated assignments and the audit chain stay intact and verifiable.
 */

const PERSON_TABLES = ['person_names', 'contact_details', 'person_links', 'person_identifiers'] as const;
/** Free texts that may name a person: rewritten by an erasure, in current rows and in history. */
const FREE_TEXTS: Array<[table: string, columns: string[]]> = [
  ['assignments', ['role', 'source', 'note']],
  ['transitions', ['reason', 'source']],
  ['organisation_events', ['note', 'source']],
];

const pseudonymOf = (id: string) => `Erased person ${id.slice(-8)}`;

/**
 * A pattern matching any of the person's names and contact values, case-insensitively, for
 * PostgreSQL (ARE) and JavaScript alike. Anywhere, not only as whole words: an erasure had better
 * replace too much ("Reiterhof") than leave a trace, and word boundaries differ between the two
 * engines for letters such as Ü.
 */
function patternOf(needles: string[]): string | null {
  const words = [...new Set(needles.map((n) => n.trim()).filter((n) => n.length >= 3))].sort((a, b) => b.length - a.length);
  if (words.length === 0) return null;
  return words.map((w) => w.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`)).join('|');
}

async function needlesOf(database: Database, tx: Executor, id: string): Promise<string[]> {
  const rows = await database.rows<{ value: string }>(
    sql`SELECT DISTINCT value FROM (
          SELECT concat_ws(' ', given_name, family_name) AS value FROM people WHERE id = ${id}
          UNION ALL SELECT concat_ws(', ', family_name, given_name) FROM people WHERE id = ${id}
          UNION ALL SELECT family_name FROM people WHERE id = ${id}
          UNION ALL SELECT concat_ws(' ', given_name, family_name) FROM people_history WHERE id = ${id}
          UNION ALL SELECT family_name FROM people_history WHERE id = ${id}
          UNION ALL SELECT name FROM person_names WHERE person_id = ${id}
          UNION ALL SELECT name FROM person_names_history WHERE person_id = ${id}
          UNION ALL SELECT value FROM contact_details WHERE person_id = ${id}
          UNION ALL SELECT value FROM contact_details_history WHERE person_id = ${id}
          UNION ALL SELECT url FROM person_links WHERE person_id = ${id}
          UNION ALL SELECT url FROM person_links_history WHERE person_id = ${id}
          UNION ALL SELECT identifier FROM person_identifiers WHERE person_id = ${id}
          UNION ALL SELECT identifier FROM person_identifiers_history WHERE person_id = ${id}
        ) v WHERE value IS NOT NULL AND value <> ''`,
    tx,
  );
  return rows.map((r) => r.value);
}

function replaceIn(value: string, pattern: RegExp, pseudonym: string): string {
  return value.replace(pattern, pseudonym);
}

/** The audit payload with the person pseudonymised: their own records whole, names in texts elsewhere. */
function redactChanges(changes: unknown, personId: string, pattern: RegExp, pseudonym: string, erased: Person): unknown {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return replaceIn(node, pattern, pseudonym);
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    if (record.entity === 'person' && record.entityId !== personId) return record; // someone else
    if (record.entity === 'person' && record.entityId === personId) {
      return { ...record, before: record.before ? erased : null, after: record.after ? erased : null };
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, walk(v)]));
  };
  return walk(changes);
}

export async function erasePerson(database: Database, tx: Executor, id: string) {
  const before = await loadPerson(tx, id, true);
  if (!before) throw notFound('person', id);
  const pseudonym = pseudonymOf(id);
  const needles = await needlesOf(database, tx, id);
  const source = patternOf(needles);
  await tx.execute(sql`SELECT set_config('rolebook.erasure', 'on', true)`);

  await tx.execute(sql`UPDATE people SET given_name = NULL, honorific_prefix = NULL, family_name = ${pseudonym}, updated_at = now() WHERE id = ${id}`);
  await tx.execute(
    sql`UPDATE people_history SET given_name = NULL, honorific_prefix = NULL, family_name = ${pseudonym}, sort_name = lower(${pseudonym}) WHERE id = ${id}`,
  );
  for (const table of PERSON_TABLES) {
    await tx.execute(sql`DELETE FROM ${sql.identifier(table)} WHERE person_id = ${id}`);
    await tx.execute(sql`DELETE FROM ${sql.identifier(`${table}_history`)} WHERE person_id = ${id}`);
  }

  let rewrittenTexts = 0;
  let redactedAuditEntries = 0;
  if (source) {
    for (const [table, columns] of FREE_TEXTS) {
      for (const name of [table, `${table}_history`]) {
        for (const column of columns) {
          const rows = await database.rows<{ n: number }>(
            sql`WITH changed AS (
                  UPDATE ${sql.identifier(name)} SET ${sql.identifier(column)} = regexp_replace(${sql.identifier(column)}, ${source}, ${pseudonym}, 'gi')
                   WHERE ${sql.identifier(column)} ~* ${source} RETURNING 1)
                SELECT count(*)::int AS n FROM changed`,
            tx,
          );
          rewrittenTexts += rows[0]?.n ?? 0;
        }
      }
    }
  }

  const erased = (await loadPerson(tx, id))!;
  const pattern = source ? new RegExp(source, 'giu') : /(?!)/g;
  const mentions = await database.rows<{ seq: number; reason: string | null; changes: unknown }>(
    sql`SELECT seq, reason, changes FROM audit_events
         WHERE changes::text LIKE ${`%${id}%`} ${source ? sql`OR reason ~* ${source} OR changes::text ~* ${source}` : sql``}
         ORDER BY seq`,
    tx,
  );
  for (const entry of mentions) {
    const changes = redactChanges(entry.changes, id, pattern, pseudonym, erased);
    const reason = entry.reason === null ? null : replaceIn(entry.reason, pattern, pseudonym);
    await tx.execute(
      sql`UPDATE audit_events SET changes = ${JSON.stringify(changes)}::jsonb, reason = ${reason}, redacted_at = now() WHERE seq = ${entry.seq}`,
    );
    redactedAuditEntries++;
  }
  await tx.execute(sql`SELECT set_config('rolebook.erasure', 'off', true)`);
  return { before, erased, redactedAuditEntries, rewrittenTexts };
}

/** Art. 15: the person, their past versions, their assignments (with history), transitions and audit entries. */
async function exportPerson(database: Database, db: Executor, id: string) {
  const current = await loadPerson(db, id);
  if (!current) return undefined;
  const json = (query: ReturnType<typeof sql>) => database.rows<{ row: Record<string, unknown> }>(query, db).then((r) => r.map((x) => x.row));
  const versions = {
    person: await json(sql`SELECT to_jsonb(h) AS row FROM people_history h WHERE id = ${id} ORDER BY lower(sys_period)`),
    otherNames: await json(sql`SELECT to_jsonb(h) AS row FROM person_names_history h WHERE person_id = ${id} ORDER BY lower(sys_period)`),
    contactDetails: await json(sql`SELECT to_jsonb(h) AS row FROM contact_details_history h WHERE person_id = ${id} ORDER BY lower(sys_period)`),
    links: await json(sql`SELECT to_jsonb(h) AS row FROM person_links_history h WHERE person_id = ${id} ORDER BY lower(sys_period)`),
    identifiers: await json(sql`SELECT to_jsonb(h) AS row FROM person_identifiers_history h WHERE person_id = ${id} ORDER BY lower(sys_period)`),
  };
  const assignments = await json(sql`SELECT to_jsonb(a) AS row FROM assignments a WHERE person_id = ${id} ORDER BY start_date NULLS FIRST, id`);
  const assignmentVersions = await json(sql`SELECT to_jsonb(a) AS row FROM assignments_history a WHERE person_id = ${id} ORDER BY lower(sys_period)`);
  const transitions = await json(sql`SELECT to_jsonb(t) AS row FROM transitions t WHERE id IN (
      SELECT started_by_transition_id FROM assignments WHERE person_id = ${id}
      UNION SELECT ended_by_transition_id FROM assignments WHERE person_id = ${id}) ORDER BY date`);
  const audit = await auditEntries(db, { mentions: id }, 0, 100_000);
  return { exportedAt: new Date().toISOString(), person: current, versions, assignments, assignmentVersions, transitions, audit };
}

const erasureInput = z.strictObject({
  reason: text(2000).meta({ description: 'Why the person is erased (e.g. the request under Art. 17 DSGVO); kept in the audit log' }),
});

const erasureResult = z
  .object({
    personId: uuid,
    pseudonym: z.string(),
    redactedAuditEntries: z.number().int(),
    rewrittenTexts: z.number().int().meta({ description: 'Free texts (notes, sources, reasons) in which the name was replaced' }),
  })
  .meta({ id: 'Erasure' });

const personExport = z
  .object({
    exportedAt: z.string(),
    person: personSchema,
    versions: z.object({
      person: z.array(z.record(z.string(), z.unknown())),
      otherNames: z.array(z.record(z.string(), z.unknown())),
      contactDetails: z.array(z.record(z.string(), z.unknown())),
      links: z.array(z.record(z.string(), z.unknown())),
      identifiers: z.array(z.record(z.string(), z.unknown())),
    }),
    assignments: z.array(z.record(z.string(), z.unknown())),
    assignmentVersions: z.array(z.record(z.string(), z.unknown())),
    transitions: z.array(z.record(z.string(), z.unknown())),
    audit: z.array(auditEntry),
  })
  .meta({ id: 'PersonExport' });

export default async function dataProtectionRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/:id/export',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Everything stored about a person (DSGVO Art. 15)',
        description: 'The person, every past version, their assignments with history, the transitions that moved them and every audit entry about them.',
        tags: ['people'],
        params: idParams,
        querystring: readQuery.omit({ asOf: true }),
        response: { 200: personExport, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const found = await exportPerson(app.database, app.database.db, request.params.id);
      if (!found) throw notFound('person', request.params.id);
      await request.write('person.export', async (_tx, changes) => {
        // Reading everything about a person is itself worth a line in the audit log.
        changes.record({ entity: 'person', entityId: request.params.id, action: 'read', before: null, after: null });
      });
      return reply.header('content-disposition', `attachment; filename="person-${request.params.id}.json"`).header('cache-control', 'no-store').send(found);
    },
  );

  routes.post(
    '/:id/erasure',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Erase a person (DSGVO Art. 17): pseudonymise them everywhere, the audit log included',
        description:
          'Names, other names, contact details, links and identifiers are removed from current rows and history; the ' +
          'person stays as "Erased person …" so posts and dated assignments keep their holder. Free texts and audit ' +
          'entries that name the person are rewritten and marked redacted; the hash chain still verifies.',
        tags: ['people'],
        params: idParams,
        body: erasureInput,
        response: { 200: erasureResult, ...problemResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      const { id } = request.params;
      return request.write(
        'person.erase',
        async (tx, changes) => {
          const result = await erasePerson(app.database, tx, id);
          // The erasure's own entry keeps no personal data: no `before`.
          changes.record({ entity: 'person', entityId: id, action: 'update', before: null, after: result.erased });
          return { personId: id, pseudonym: result.erased.name, redactedAuditEntries: result.redactedAuditEntries, rewrittenTexts: result.rewrittenTexts };
        },
        { reason: request.body.reason },
      );
    },
  );
}
