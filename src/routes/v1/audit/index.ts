import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { csvRow } from '../../../http/csv.js';
import { decodeCursor, encodeCursor, pageSchema } from '../../../http/pagination.js';
import { problemResponses } from '../../../http/problem.js';
import { allAuditEntries, auditEntries, chainHeadOf, verifyAuditChain } from './queries.js';
import { auditEntry, auditQuery, chainHead, exportQuery, verification, verifyQuery, type AuditEntry } from './schemas.js';

const CSV_COLUMNS = ['seq', 'id', 'recordedAt', 'actor', 'requestId', 'operation', 'reason', 'changes', 'payloadHash', 'prevHash', 'hash', 'redacted'] as const;

export default async function auditRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/',
    {
      config: { access: 'audit' },
      schema: {
        summary: 'The audit log: who changed what, when and why, in commit order',
        tags: ['audit'],
        querystring: auditQuery,
        response: { 200: pageSchema(auditEntry), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      const after = cursor ? Number(decodeCursor(cursor, 1)[0]) : 0;
      const items = await auditEntries(app.database.db, filter, Number.isFinite(after) ? after : 0, limit + 1);
      const more = items.length > limit;
      const page = more ? items.slice(0, limit) : items;
      return { items: page, nextCursor: more ? encodeCursor([page[page.length - 1]!.seq]) : null };
    },
  );

  routes.get(
    '/export',
    {
      config: { access: 'audit' },
      schema: {
        summary: 'Export the audit log (a time range, a record, an actor…) as JSON Lines or CSV',
        description: 'Streams every matching entry in commit order; `from`/`to` choose the time range.',
        tags: ['audit'],
        querystring: exportQuery,
        response: {
          200: { description: 'JSON Lines (application/x-ndjson) or CSV (text/csv)', content: { 'application/x-ndjson': { schema: auditEntry }, 'text/csv': { schema: auditEntry } } },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const entries = allAuditEntries(app.database.db, filter);
      async function* lines(): AsyncGenerator<string> {
        if (format === 'csv') yield csvRow([...CSV_COLUMNS]);
        for await (const entry of entries) {
          yield format === 'csv'
            ? csvRow(CSV_COLUMNS.map((column) => entry[column as keyof AuditEntry]))
            : `${JSON.stringify(entry)}\n`;
        }
      }
      const stamp = new Date().toISOString().replaceAll(':', '-');
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="rolebook-audit-${stamp}.${format}"`)
        .send(Readable.from(lines()) as never);
    },
  );

  routes.get(
    '/head',
    {
      config: { access: 'audit' },
      schema: {
        summary: 'The newest entry of the chain: keep it somewhere else to detect a rewrite later',
        tags: ['audit'],
        response: { 200: chainHead.nullable(), ...problemResponses(400) },
      },
    },
    async () => chainHeadOf(app.database),
  );

  routes.get(
    '/verify',
    {
      config: { access: 'audit' },
      schema: {
        summary: 'Recompute the whole hash chain and report the first broken entry',
        description:
          'Recomputes every payload hash, link and entry hash. Pass an exported head (`headSeq`, `headHash`) ' +
          'to detect a rewrite of the whole table as well.',
        tags: ['audit'],
        querystring: verifyQuery,
        response: { 200: verification, ...problemResponses(400) },
      },
    },
    async (request) => {
      const { headSeq, headHash } = request.query;
      const exported = headSeq !== undefined && headHash !== undefined ? { seq: headSeq, hash: headHash } : undefined;
      return verifyAuditChain(app.database, exported);
    },
  );
}
