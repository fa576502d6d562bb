import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem, problemResponses } from '../../../http/problem.js';
import { reasonOf } from '../../../plugins/app/writes.js';
import { COLLECTION, KINDS, parsePopoloDocument, type Kind, type Reject } from './popolo-document.js';
import { PopoloStore, type KindCounts } from './popolo-store.js';

/**
 * Popolo documents are large (a parliament's history is a few megabytes): this route takes bodies
 * up to 50 MiB, whatever BODY_LIMIT_BYTES says for the others. The document is parsed once, in
 * memory, and written in batches inside the import's one transaction.
 */
export const POPOLO_BODY_LIMIT_BYTES = 50 * 1024 * 1024;

/** Records per batch (savepoint) and per progress line in the log. */
const BATCH_SIZE = 250;

const importQuery = z.strictObject({
  source: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,99}$/, 'must be 1 to 100 letters, digits and . _ : / @ -')
    .default('default')
    .meta({
      description:
        'Where the document comes from, e.g. `everypolitician-cz`: its ids are kept as identifiers with the scheme ' +
        '`popolo:<source>`, so that a second import of the same source finds its records again. Default `default`.',
    }),
  partial: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true')
    .meta({
      description:
        '`false` (default): nothing is stored unless every record can be. `true`: the valid records are stored, the others reported.',
    }),
});

const popoloDocument = z
  .looseObject({
    persons: z.array(z.unknown()).nullish(),
    organizations: z.array(z.unknown()).nullish(),
    posts: z.array(z.unknown()).nullish(),
    memberships: z.array(z.unknown()).nullish(),
    events: z.array(z.unknown()).nullish(),
  })
  .meta({
    id: 'PopoloDocument',
    description: 'A Popolo JSON document (https://www.popoloproject.com/specs/): persons, organizations, posts, memberships, events',
  });

const kindCounts = z.object({
  received: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
});

const reject = z.object({
  path: z.string().meta({ description: 'JSON Pointer to the record in the document, e.g. /memberships/17' }),
  kind: z.enum(['organization', 'post', 'person', 'membership']),
  id: z.string().nullable().meta({ description: "The record's id in the document" }),
  reason: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  refusedBy: z.enum(['document', 'database']).meta({ description: "`document`: the import's checks; `database`: its guards and constraints" }),
  conflicting: z.unknown().optional().meta({ description: 'The stored record in the way, for a refusal by a guard' }),
});

const importResult = z
  .object({
    importId: z.uuid().meta({ description: 'The id of the import: its audit event lists it as an `import` change' }),
    source: z.string(),
    scheme: z.string().meta({ description: 'The scheme of the foreign ids kept as identifiers: `popolo:<source>`' }),
    partial: z.boolean(),
    audited: z.boolean().meta({ description: 'Whether an audit event was written: an import that changes nothing writes none' }),
    durationMs: z.number().int(),
    counts: z.object({
      persons: kindCounts,
      organizations: kindCounts,
      posts: kindCounts,
      memberships: kindCounts,
      events: z.object({ received: z.number().int(), ignored: z.number().int() }),
    }),
    rejected: z.array(reject),
    ignored: z.array(z.object({ path: z.string(), count: z.number().int(), reason: z.string() })).meta({
      description: 'Fields of the document that Rolebook does not keep, by path (`*` for every position), with how often they occurred',
    }),
  })
  .meta({ id: 'PopoloImportResult' });

type Counts = z.infer<typeof importResult>['counts'];

function countsOf(counts: Record<Kind, KindCounts>, events: number): Counts {
  return {
    ...(Object.fromEntries(KINDS.map((kind) => [COLLECTION[kind], counts[kind]])) as Omit<Counts, 'events'>),
    events: { received: events, ignored: events },
  };
}

/**
 * The whole import refused: nothing was stored. 400 when the document is at fault, 409 when all
 * it is refused for is what the database's guards refuse (conflicts with stored data).
 */
function refused(rejects: Reject[], counts: Counts): Problem {
  const byDatabase = rejects.every((r) => r.refusedBy === 'database');
  const detail =
    `${rejects.length} record(s) cannot be stored${byDatabase ? ' (the directory refuses some of them)' : ''}; nothing was stored. ` +
    'Correct them, or send partial=true to store the others.';
  return new Problem(byDatabase ? 'conflict' : 'validation-error', detail, {
    errors: rejects.flatMap((r) => r.errors.map((e) => ({ path: e.path, in: 'body', message: e.message }))),
    rejected: rejects,
    counts,
  });
}

export default async function popoloImportRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/popolo',
    {
      bodyLimit: POPOLO_BODY_LIMIT_BYTES,
      config: { access: 'write' },
      schema: {
        summary: 'Import a Popolo JSON document (persons, organizations, posts, memberships)',
        description:
          'Creates and updates people, organisations, posts and assignments from a Popolo document, as one audited write ' +
          '(operation `import.popolo`). Foreign ids are kept as identifiers (`popolo:<source>`), so importing the same file ' +
          'again changes nothing and an updated file updates. Each record is applied like a merge patch: members it leaves ' +
          'out keep their stored value. Invalid records are reported by position (`/memberships/17`) and reason; unless ' +
          '`partial=true`, nothing is stored when any record cannot be (400, or 409 when the database refuses one). ' +
          'Bodies up to 50 MiB.',
        tags: ['interchange'],
        querystring: importQuery,
        body: popoloDocument,
        response: { 200: importResult, ...problemResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request) => {
      const started = performance.now();
      const { source, partial } = request.query;
      const scheme = `popolo:${source}`;
      const document = parsePopoloDocument(request.body as Record<string, unknown>);
      const received = Object.fromEntries(KINDS.map((kind) => [COLLECTION[kind], document.received[kind]]));
      request.log.info({ source, partial, received, rejected: document.rejects.length }, 'popolo import: document read');
      const importId = randomUUID();
      const result = await request.write(
        'import.popolo',
        async (tx, changes) => {
          const stored = await new PopoloStore(app.database, tx, document, { scheme, batchSize: BATCH_SIZE, log: request.log }).run();
          const counts = countsOf(stored.counts, document.received.event);
          if (stored.rejects.length > 0 && !partial) throw refused(stored.rejects, counts);
          for (const change of stored.changes) changes.record(change);
          // The import itself, with its source and counts; only when it changed something.
          if (stored.changes.length > 0) {
            changes.record({
              entity: 'import',
              entityId: importId,
              action: 'create',
              before: null,
              after: { format: 'popolo', source, scheme, partial, counts, rejected: stored.rejects.length },
            });
          }
          return { counts, rejects: stored.rejects, audited: stored.changes.length > 0 };
        },
        { reason: reasonOf(request) ?? `Popolo import from source ${source}` },
      );
      const durationMs = Math.round(performance.now() - started);
      request.log.info({ source, counts: result.counts, rejected: result.rejects.length, durationMs }, 'popolo import: done');
      return {
        importId,
        source,
        scheme,
        partial,
        audited: result.audited,
        durationMs,
        counts: result.counts,
        rejected: result.rejects,
        ignored: document.ignored,
      };
    },
  );
}
