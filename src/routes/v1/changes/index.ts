import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageQuery } from '../../../http/pagination.js';
import { problemResponses } from '../../../http/problem.js';
import { uuid } from '../../../http/schemas.js';
import { auditEntries } from '../audit/queries.js';

const changesQuery = z.strictObject({
  since: z.string().max(200).optional().meta({ description: 'The `nextCursor` of the previous answer; omitted = from the beginning' }),
  limit: pageQuery.limit,
});

const changeFeed = z
  .object({
    items: z.array(
      z.object({
        seq: z.number().int(),
        recordedAt: z.string(),
        operation: z.string(),
        changes: z.array(
          z.object({
            entity: z.string(),
            entityId: uuid,
            action: z.enum(['create', 'update', 'delete']),
            after: z.unknown().meta({ description: 'The record after the change' }),
          }),
        ),
      }),
    ),
    nextCursor: z.string().meta({ description: 'Pass as `since` to get what comes after; the same cursor when nothing new came' }),
  })
  .meta({ id: 'ChangeFeed' });

export default async function changeRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Every change after a cursor, in commit order: follow the directory without missing one',
        description:
          'Writes commit in the order of the audit chain, so a cursor never skips a change that commits later. ' +
          'Poll with the returned `nextCursor`.',
        tags: ['audit'],
        querystring: changesQuery,
        response: { 200: changeFeed, ...problemResponses(400) },
      },
    },
    async (request) => {
      const { since, limit } = request.query;
      const after = since ? Number(decodeCursor(since, 1)[0]) : 0;
      const entries = await auditEntries(app.database.db, {}, Number.isInteger(after) && after > 0 ? after : 0, limit);
      const last = entries.length ? entries[entries.length - 1]!.seq : after;
      // Reads worth auditing (a data-protection export) changed nothing: not in the feed. API keys
      // are no directory data, and the feed is public: their changes stay in the audit log.
      const changed = entries
        .map((e) => ({
          ...e,
          changes: e.changes.flatMap((c) => (c.action === 'read' || c.entity === 'key' ? [] : [{ ...c, action: c.action }])),
        }))
        .filter((e) => e.changes.length > 0);
      return {
        items: changed.map((e) => ({
          seq: e.seq,
          recordedAt: e.recordedAt,
          operation: e.operation,
          changes: e.changes.map(({ entity, entityId, action, after }) => ({ entity, entityId, action, after })),
        })),
        nextCursor: encodeCursor([last]),
      };
    },
  );
}
