import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { assignments, organisationEventOrganisations, organisationEvents, organisationParents, organisations } from '../../../db/schema.js';
import type { ChangeSet } from '../../../db/write.js';
import { applyMergePatch, type Json } from '../../../domain/merge-patch.js';
import { addDays, parsePartialDate, lastDay } from '../../../domain/partial-date.js';
import { Problem, invalid, notFound } from '../../../http/problem.js';
import { editableOf } from '../../../http/resource.js';
import { presentAssignment } from '../assignments/queries.js';
import type { OrganisationEvent, OrganisationEventInput } from './event-schemas.js';
import { loadOrganisation, updateOrganisation } from './queries.js';
import { organisationInput, type Organisation } from './schemas.js';

interface Tally {
  endedAssignments: number;
  endedParentLinks: number;
  movedSubUnits: number;
}

/** Writes that change organisations record each one's before and after. */
async function changeOrganisation(
  tx: Executor,
  changes: ChangeSet,
  id: string,
  work: (before: Organisation) => Promise<void>,
): Promise<void> {
  const before = await loadOrganisation(tx, id, true);
  if (!before) throw notFound('organisation', id);
  await work(before);
  changes.record({ entity: 'organisation', entityId: id, action: 'update', before, after: await loadOrganisation(tx, id) });
}

/** Sub-units attached to the organisation on a day. */
async function subUnitsOn(tx: Executor, parentId: string, day: string): Promise<string[]> {
  const rows = await tx
    .select({ id: organisationParents.organisationId })
    .from(organisationParents)
    .where(and(eq(organisationParents.parentId, parentId), sql`${organisationParents.possibleSpan} @> ${day}::date`));
  return rows.map((r) => r.id);
}

/**
 * Ends the organisation on `last`: its open assignments, its parent links and its sub-units'
 * links to it end that day, then the dissolution date is set (the database checks the rest).
 */
async function dissolve(tx: Executor, id: string, last: string, eventId: string, changes: ChangeSet, tally: Tally) {
  const runsPast = (t: typeof assignments | typeof organisationParents) =>
    or(isNull(t.endDate), sql`rb_period_end(${t.endDate}, ${t.endPrecision}::text) > ${last}::date`);

  const open = await tx.select().from(assignments).where(and(eq(assignments.organisationId, id), runsPast(assignments))).for('update');
  for (const before of open) {
    if (before.startDate && before.startDate > last) {
      throw new Problem('conflict', `Assignment ${before.id} starts after ${last}, the last day of the organisation.`, {
        conflicting: { entity: 'assignment', ...presentAssignment(before) },
      });
    }
    const [after] = await tx
      .update(assignments)
      .set({ endDate: last, endPrecision: 'day', endedByEventId: eventId, updatedAt: sql`now()` })
      .where(eq(assignments.id, before.id))
      .returning();
    changes.record({ entity: 'assignment', entityId: before.id, action: 'update', before: presentAssignment(before), after: presentAssignment(after!) });
    tally.endedAssignments++;
  }

  const links = await tx
    .select()
    .from(organisationParents)
    .where(and(or(eq(organisationParents.organisationId, id), eq(organisationParents.parentId, id)), runsPast(organisationParents)));
  for (const ownerId of new Set(links.map((l) => l.organisationId))) {
    await changeOrganisation(tx, changes, ownerId, async () => {
      for (const link of links.filter((l) => l.organisationId === ownerId)) {
        if (link.startDate && link.startDate > last) {
          throw new Problem('conflict', `A parent link of organisation ${ownerId} starts after ${last}, the last day of organisation ${id}.`);
        }
        await tx
          .update(organisationParents)
          .set({ endDate: last, endPrecision: 'day', endedByEventId: eventId })
          .where(eq(organisationParents.id, link.id));
        tally.endedParentLinks++;
      }
    });
  }

  await changeOrganisation(tx, changes, id, async (before) => {
    if (before.dissolutionDate) {
      throw new Problem('conflict', `${before.name} is dissolved already (${before.dissolutionDate}).`, {
        conflicting: { entity: 'organisation', id, name: before.name, dissolutionDate: before.dissolutionDate },
      });
    }
    if (before.foundingDate && parsePartialDate(before.foundingDate)!.first > last) {
      throw new Problem('conflict', `${before.name} was founded after ${last} (${before.foundingDate}).`);
    }
    await tx
      .update(organisations)
      .set({ dissolutionDate: last, dissolutionPrecision: 'day', updatedAt: sql`now()` })
      .where(eq(organisations.id, id));
  });
}

/** Attaches sub-units to a new parent from `date`. */
async function attach(tx: Executor, moves: Array<{ organisationId: string; parentId: string }>, date: string, changes: ChangeSet, tally: Tally) {
  for (const move of moves) {
    await changeOrganisation(tx, changes, move.organisationId, async () => {
      const [{ position } = { position: 0 }] = await tx
        .select({ position: sql<number>`coalesce(max(${organisationParents.position}) + 1, 0)` })
        .from(organisationParents)
        .where(eq(organisationParents.organisationId, move.organisationId));
      await tx.insert(organisationParents).values({
        organisationId: move.organisationId,
        parentId: move.parentId,
        position,
        startDate: date,
        startPrecision: 'day',
      });
    });
    tally.movedSubUnits++;
  }
}

async function rename(tx: Executor, id: string, input: Extract<OrganisationEventInput, { type: 'rename' }>, changes: ChangeSet) {
  await changeOrganisation(tx, changes, id, async (before) => {
    // The old name held from the end of the previous dated name (or the founding) to the day before.
    const previousEnds = before.otherNames.filter((n) => n.endDate).map((n) => lastDay(parsePartialDate(n.endDate!)!));
    const since = previousEnds.length ? addDays(previousEnds.sort().at(-1)!, 1) : before.foundingDate;
    const patch: Record<string, Json> = {
      name: input.name,
      otherNames: [
        ...(before.otherNames as unknown as Json[]),
        { name: before.name, startDate: since, endDate: addDays(input.date, -1), note: before.abbreviation ? `abbreviation ${before.abbreviation}` : null },
      ],
    };
    if (input.abbreviation !== undefined) patch.abbreviation = input.abbreviation;
    const parsed = organisationInput.safeParse(applyMergePatch(editableOf(organisationInput, before), patch));
    if (!parsed.success) {
      throw new Problem('conflict', `The rename does not fit the stored organisation: ${parsed.error.issues[0]!.message}.`);
    }
    await updateOrganisation(tx, id, parsed.data);
  });
}

async function assertExist(tx: Executor, ids: string[], path: string) {
  const found = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, ids));
  const known = new Set(found.map((f) => f.id));
  const missing = ids.findIndex((id) => !known.has(id));
  if (missing >= 0) throw invalid([{ path: `${path}/${missing}`, in: 'body', message: 'refers to no organisation' }]);
}

/** Records an organisation event (W3C ORG ChangeEvent) and carries out what it means. */
export async function recordOrganisationEvent(
  tx: Executor,
  organisationId: string,
  input: OrganisationEventInput,
  recordedBy: string,
  changes: ChangeSet,
  id?: string,
): Promise<{ eventId: string } & Tally> {
  if (!(await loadOrganisation(tx, organisationId, true))) throw notFound('organisation', organisationId);
  const [event] = await tx
    .insert(organisationEvents)
    .values({ type: input.type, date: input.date, note: input.note ?? null, source: input.source ?? null, recordedBy, ...(id ? { id } : {}) })
    .returning();
  const eventId = event!.id;
  const tally: Tally = { endedAssignments: 0, endedParentLinks: 0, movedSubUnits: 0 };
  let originals = [organisationId];
  let resulting: string[] = [];

  switch (input.type) {
    case 'rename':
      resulting = [organisationId];
      await rename(tx, organisationId, input, changes);
      break;
    case 'dissolve':
      await dissolve(tx, organisationId, input.date, eventId, changes, tally);
      break;
    case 'merge': {
      await assertExist(tx, input.with, '/with');
      await assertExist(tx, [input.resultingId], '/resultingId');
      originals = [...new Set([organisationId, ...input.with])];
      resulting = [input.resultingId];
      const last = addDays(input.date, -1);
      for (const original of originals.filter((o) => o !== input.resultingId)) {
        const subUnits = input.moveSubUnits ? await subUnitsOn(tx, original, last) : [];
        await dissolve(tx, original, last, eventId, changes, tally);
        await attach(tx, subUnits.map((s) => ({ organisationId: s, parentId: input.resultingId })), input.date, changes, tally);
      }
      break;
    }
    case 'split': {
      await assertExist(tx, input.resultingIds, '/resultingIds');
      resulting = [...new Set(input.resultingIds)];
      const last = addDays(input.date, -1);
      const subUnits = new Set(await subUnitsOn(tx, organisationId, last));
      input.moves.forEach((move, index) => {
        if (!resulting.includes(move.parentId)) {
          throw invalid([{ path: `/moves/${index}/parentId`, in: 'body', message: 'is not one of resultingIds' }]);
        }
        if (!subUnits.has(move.organisationId)) {
          throw invalid([{ path: `/moves/${index}/organisationId`, in: 'body', message: `is not a sub-unit on ${last}` }]);
        }
      });
      await dissolve(tx, organisationId, last, eventId, changes, tally);
      await attach(tx, input.moves, input.date, changes, tally);
      break;
    }
  }

  const links = [
    ...originals.map((o, position) => ({ eventId, organisationId: o, role: 'original' as const, position })),
    ...resulting.map((o, position) => ({ eventId, organisationId: o, role: 'resulting' as const, position })),
  ];
  await tx.insert(organisationEventOrganisations).values(links);
  changes.record({ entity: 'organisationEvent', entityId: eventId, action: 'create', before: null, after: { ...event, originals, resulting } });
  return { eventId, ...tally };
}

export async function listOrganisationEvents(db: Executor, organisationId: string | undefined, eventId?: string): Promise<OrganisationEvent[]> {
  const rows = await db
    .select({ event: organisationEvents, link: organisationEventOrganisations })
    .from(organisationEvents)
    .innerJoin(organisationEventOrganisations, eq(organisationEventOrganisations.eventId, organisationEvents.id))
    .where(
      eventId
        ? eq(organisationEvents.id, eventId)
        : sql`${organisationEvents.id} IN (SELECT event_id FROM organisation_event_organisations WHERE organisation_id = ${organisationId})`,
    )
    .orderBy(asc(organisationEvents.date), asc(organisationEvents.createdAt), asc(organisationEventOrganisations.position));
  const events = new Map<string, OrganisationEvent>();
  for (const { event, link } of rows) {
    const entry =
      events.get(event.id) ??
      {
        id: event.id,
        type: event.type,
        date: event.date,
        originalIds: [],
        resultingIds: [],
        note: event.note,
        source: event.source,
        recordedBy: event.recordedBy,
        createdAt: new Date(event.createdAt).toISOString(),
      };
    (link.role === 'original' ? entry.originalIds : entry.resultingIds).push(link.organisationId);
    events.set(event.id, entry);
  }
  return [...events.values()];
}
