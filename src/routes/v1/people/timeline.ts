import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../../db/client.js';
import type { AssignmentRow } from '../assignments/queries.js';
import { presentAssignment } from '../assignments/queries.js';
import { assignment } from '../assignments/schemas.js';
import { notFound, problemResponses } from '../../../http/problem.js';
import { day, idParams, personRef, readQuery, uuid } from '../../../http/schemas.js';
import { assignments } from '../../../db/schema.js';

const organisationThen = z.object({
  id: uuid,
  name: z.string().meta({ description: 'Its name on `seenOn`' }),
  abbreviation: z.string().nullable(),
  parent: z.object({ id: uuid, name: z.string() }).nullable().meta({ description: 'Its parent on `seenOn`' }),
});

const transitionSummary = z.object({
  id: uuid,
  date: day,
  reason: z.string().nullable(),
  source: z.string().nullable(),
  ended: z.array(uuid).meta({ description: "This person's assignments it ended" }),
  started: z.array(uuid).meta({ description: "This person's assignments it started" }),
});

const timeline = z
  .object({
    person: personRef,
    items: z.array(
      z.object({
        assignment,
        seenOn: day.meta({ description: 'The day the organisation is shown as it was: the start, else the end, else today' }),
        organisation: organisationThen,
        post: z.object({ id: uuid, label: z.string() }).nullable(),
      }),
    ),
    transitions: z.array(transitionSummary).meta({ description: 'The transitions between these assignments, in date order' }),
  })
  .meta({ id: 'PersonTimeline' });

interface TimelineRow {
  assignment: Record<string, unknown>;
  person_name: string;
  seen_on: string;
  organisation_name: string;
  abbreviation: string | null;
  parent_id: string | null;
  parent_name: string | null;
  post_label: string | null;
  started_by: { id: string; date: string; reason: string | null; source: string | null } | null;
  ended_by: { id: string; date: string; reason: string | null; source: string | null } | null;
}

/** Every assignment of a person in date order, each organisation as it was then: one query. */
async function timelineOf(database: Database, db: Executor, personId: string) {
  const person = await database.rows<{ name: string }>(
    sql`SELECT concat_ws(' ', honorific_prefix, given_name, family_name) AS name FROM people WHERE id = ${personId}`,
    db,
  );
  if (person.length === 0) return undefined;
  const rows = await database.rows<TimelineRow>(sql`
    SELECT to_jsonb(a.*) AS assignment, r.seen_on::text AS seen_on,
           rb_organisation_name_on(a.organisation_id, r.seen_on) AS organisation_name, o.abbreviation,
           par.parent_id, rb_organisation_name_on(par.parent_id, r.seen_on) AS parent_name,
           po.label AS post_label,
           CASE WHEN st.id IS NULL THEN NULL ELSE jsonb_build_object('id', st.id, 'date', st.date, 'reason', st.reason, 'source', st.source) END AS started_by,
           CASE WHEN et.id IS NULL THEN NULL ELSE jsonb_build_object('id', et.id, 'date', et.date, 'reason', et.reason, 'source', et.source) END AS ended_by
      FROM ${assignments} a
      CROSS JOIN LATERAL (SELECT coalesce(a.start_date, a.end_date, CURRENT_DATE) AS seen_on) r
      JOIN organisations o ON o.id = a.organisation_id
      LEFT JOIN posts po ON po.id = a.post_id
      LEFT JOIN LATERAL (
        SELECT p.parent_id FROM organisation_parents p
         WHERE p.organisation_id = a.organisation_id AND p.possible_span @> r.seen_on
         ORDER BY p.start_date DESC NULLS LAST LIMIT 1) par ON true
      LEFT JOIN transitions st ON st.id = a.started_by_transition_id
      LEFT JOIN transitions et ON et.id = a.ended_by_transition_id
     WHERE a.person_id = ${personId}
     ORDER BY a.start_date NULLS FIRST, a.end_date NULLS LAST, a.id`, db);

  const transitions = new Map<string, z.infer<typeof transitionSummary>>();
  const note = (t: TimelineRow['started_by'], assignmentId: string, side: 'ended' | 'started') => {
    if (!t) return;
    const entry = transitions.get(t.id) ?? { ...t, ended: [], started: [] };
    entry[side].push(assignmentId);
    transitions.set(t.id, entry);
  };
  const items = rows.map((row) => {
    const a = fromJsonRow(row.assignment);
    note(row.started_by, a.id, 'started');
    note(row.ended_by, a.id, 'ended');
    return {
      assignment: presentAssignment(a),
      seenOn: row.seen_on,
      organisation: {
        id: a.organisationId,
        name: row.organisation_name,
        abbreviation: row.abbreviation,
        parent: row.parent_id ? { id: row.parent_id, name: row.parent_name! } : null,
      },
      post: a.postId ? { id: a.postId, label: row.post_label! } : null,
    };
  });
  return {
    person: { id: personId, name: person[0]!.name },
    items,
    transitions: [...transitions.values()].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)),
  };
}

/** A row of `assignments` as `to_jsonb` writes it, in drizzle's field names. */
function fromJsonRow(json: Record<string, unknown>): AssignmentRow {
  const camel = Object.fromEntries(
    Object.entries(json).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]),
  );
  return camel as unknown as AssignmentRow;
}

export default async function personTimelineRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/:id/timeline',
    {
      config: { access: 'public' },
      schema: {
        summary: "A person's assignments in date order, with the organisations as they were then",
        tags: ['people'],
        params: idParams,
        querystring: readQuery,
        response: { 200: timeline, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const found = await request.read((db) => timelineOf(app.database, db, request.params.id));
      if (!found) throw notFound('person', request.params.id);
      return found;
    },
  );
}
