import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Executor } from '../../../db/client.js';
import { assertWithinScopes } from '../../../db/scopes.js';
import { CsvSyntaxError, readCsv, type CsvDocument } from '../../../http/csv-reader.js';
import { Problem, problemResponses } from '../../../http/problem.js';
import { reasonOf } from '../../../plugins/app/writes.js';
import { CSV_IMPORT_TYPES, CsvImport, mapHeader, type CsvImportResult } from './csv-import.js';

/**
 * POST /v1/import/csv (README.md, "CSV import"): people or assignments from a spreadsheet. The body
 * is the CSV file itself (`Content-Type: text/csv`), UTF-8 with or without BOM unless a `charset`
 * says otherwise; comma, semicolon or tab between fields. `dryRun=true` reports what would be
 * created, updated and rejected, row by row, and stores nothing; a real run stores every row or, when
 * any row is rejected, none (one audit event, operation `import.csv`, with the source and counts).
 */

/** CSV files may be larger than other bodies: 10 MiB, or BODY_LIMIT_BYTES when that is more. */
export const CSV_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
/** Rows per file: a spreadsheet of a whole directory still fits; larger ones are split. */
export const MAX_CSV_ROWS = 10_000;

const CSV_MEDIA_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values'];

/** The body as text: UTF-8 (a BOM is dropped later), or the charset the Content-Type names. */
export function decodeCsvBody(body: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new Problem('unsupported-media-type', `The charset ${charset} is not one Rolebook reads; send UTF-8 (or windows-1252, iso-8859-1, iso-8859-15).`);
  }
  try {
    return decoder.decode(body);
  } catch {
    throw new Problem(
      'bad-request',
      charset === 'utf-8' || charset === 'utf8'
        ? 'The body is not UTF-8. Save the file as "CSV UTF-8", or name its encoding in the Content-Type (text/csv; charset=windows-1252).'
        : `The body is not ${charset}.`,
    );
  }
}

const importQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .meta({ description: '`true`: report what would happen and store nothing. `false` (default): store every row, or none.' }),
  type: z
    .enum(CSV_IMPORT_TYPES, { error: 'must be people or assignments' })
    .optional()
    .meta({ description: 'What the rows are: `people` or `assignments`. Default: taken from the header (organisation columns: assignments).' }),
  source: z
    .string()
    .min(1)
    .max(200)
    .refine((value) => [...value].every((ch) => ch >= ' ' && ch !== '\u007f'), 'must be one line of text without control characters')
    .optional()
    .meta({ description: 'Where the file comes from (its name, a system): kept in the audit event. Default `csv`.' }),
});

const rowError = z.object({
  column: z.string().nullable().meta({ description: 'The column (API name) the error is about; null for the row as a whole' }),
  message: z.string(),
});

const rowResult = z.object({
  row: z.number().int().meta({ description: 'The row as a spreadsheet numbers it: the header is row 1' }),
  action: z.enum(['create', 'update', 'unchanged', 'reject']),
  id: z.uuid().nullable().meta({ description: 'The record created or updated (null for rejected rows and for creations in a dry run)' }),
  name: z.string().nullable(),
  errors: z.array(rowError),
  refusedBy: z.enum(['file', 'database']).optional().meta({ description: "A rejected row's refusal: the file's checks, or the database (conflicts with stored data)" }),
  conflicting: z.unknown().optional().meta({ description: 'For a row the database refused: the stored record in the way' }),
});

const counts = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
});

const importResult = z
  .object({
    importId: z.uuid().nullable().meta({ description: 'The import, as its audit event names it (an `import` change); null for a dry run' }),
    dryRun: z.boolean(),
    type: z.enum(CSV_IMPORT_TYPES),
    source: z.string(),
    delimiter: z.enum([',', ';', '\t']).meta({ description: 'The delimiter found in the header line' }),
    audited: z.boolean().meta({ description: 'Whether an audit event was written: an import that changes nothing writes none' }),
    counts,
    rows: z.array(rowResult),
  })
  .meta({ id: 'CsvImportResult' });

function documentOf(request: FastifyRequest): CsvDocument {
  if (typeof request.body !== 'string') throw new Problem('bad-request', 'Send the CSV file as the body, with Content-Type: text/csv.');
  let document: CsvDocument;
  try {
    document = readCsv(request.body);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new Problem('validation-error', error.message, { errors: [{ path: `/${error.row}`, in: 'body', message: error.message }] });
    }
    throw error;
  }
  if (document.header.length === 0 || document.header.every((h) => h === '')) {
    throw new Problem('validation-error', 'The file is empty: it needs a header row and at least one row.', {
      errors: [{ path: '/1', in: 'body', message: 'needs a header row' }],
    });
  }
  if (document.records.length === 0) {
    throw new Problem('validation-error', 'The file has a header but no rows.', { errors: [{ path: '/2', in: 'body', message: 'no rows' }] });
  }
  if (document.records.length > MAX_CSV_ROWS) {
    throw new Problem('validation-error', `The file has ${document.records.length} rows; import at most ${MAX_CSV_ROWS} at a time.`, {
      errors: [{ path: '', in: 'body', message: `more than ${MAX_CSV_ROWS} rows` }],
    });
  }
  return document;
}

/** Throws a dry run's transaction away once its report is made. */
class DryRunDone extends Error {
  constructor(readonly result: CsvImportResult) {
    super('dry run');
  }
}

export default async function csvImportRoutes(app: FastifyInstance) {
  const bodyLimit = Math.max(CSV_BODY_LIMIT_BYTES, app.initialConfig.bodyLimit ?? 0);
  // In this plugin only, and instead of JSON: the rest of the API takes JSON bodies alone (src/app.ts).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(CSV_MEDIA_TYPES, { parseAs: 'buffer', bodyLimit }, async (request: FastifyRequest, body: Buffer) =>
    decodeCsvBody(body, request.headers['content-type']),
  );

  app.withTypeProvider<ZodTypeProvider>().post(
    '/csv',
    {
      bodyLimit,
      config: { access: 'write' },
      schema: {
        summary: 'Import people or assignments from a CSV file (dry run or for real)',
        description:
          'The body is the CSV file (`Content-Type: text/csv`; UTF-8 with or without BOM, or the `charset` named): a header ' +
          'row, then one person or assignment per row; comma, semicolon (as German spreadsheets write it) or tab between ' +
          'fields; dates as `22.06.2016`, `06.2016`, `2016` or ISO. The columns are those of the CSV lists ' +
          '(`GET /v1/people` and `GET /v1/assignments` with `Accept: text/csv`), also under German names; README.md, ' +
          '"CSV import", lists them. People are matched by `id`, else by `scheme` + `identifier`, so a re-import updates ' +
          'instead of duplicating; empty cells leave stored values as they are. `dryRun=true` reports per row what would ' +
          'be created, updated or rejected (with the reason) and stores nothing. A real run stores all rows or, if any ' +
          'row is rejected, none (400 with the same report; 409 when only the database refuses rows), as one audit event ' +
          `(\`import.csv\`). At most ${MAX_CSV_ROWS} rows and ${Math.round(bodyLimit / 1024 / 1024)} MiB.`,
        tags: ['interchange'],
        consumes: CSV_MEDIA_TYPES,
        querystring: importQuery,
        body: z.string().meta({ description: 'The CSV file' }),
        response: { 200: importResult, ...problemResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request) => {
      const { dryRun: dryRunText, type: wantedType, source = 'csv' } = request.query;
      const dryRun = dryRunText === 'true';
      const document = documentOf(request);
      const mapping = mapHeader(document.header, wantedType);
      if ('errors' in mapping) {
        const detail = `The header names columns this import does not know: ${mapping.errors.map((e) => `"${e.column}" ${e.message}`).join('; ')}.`;
        throw new Problem('validation-error', detail, {
          errors: mapping.errors.map((e) => ({ path: `/1/${e.column}`, in: 'body', message: e.message })),
        });
      }
      const summary = { format: 'csv', type: mapping.type, source, delimiter: document.delimiter };

      if (dryRun) {
        // The same work as a real run, in a transaction that is rolled back: the report shows what
        // the database's own guards would say, and an editor's scopes are checked as they would be.
        const result = await app.database.db
          .transaction(async (tx) => {
            const run = await new CsvImport(app.database, tx as unknown as Executor, document, mapping, true).run();
            if (request.principal.scopes?.length) await assertWithinScopes(app.database, tx as unknown as Executor, run.changes, request.principal.scopes);
            throw new DryRunDone(run);
          })
          .catch((error: unknown) => {
            if (error instanceof DryRunDone) return error.result;
            throw error;
          });
        request.log.info({ ...summary, counts: result.counts }, 'csv import: dry run');
        return { importId: null, dryRun, ...summary, audited: false, counts: result.counts, rows: result.results };
      }

      const importId = randomUUID();
      const result = await request.write(
        'import.csv',
        async (tx, changes) => {
          const run = await new CsvImport(app.database, tx, document, mapping, false).run();
          if (run.counts.rejected > 0) {
            const rejected = run.results.filter((r) => r.action === 'reject');
            const byDatabase = rejected.every((r) => r.refusedBy === 'database');
            throw new Problem(
              byDatabase ? 'conflict' : 'validation-error',
              `${run.counts.rejected} of ${run.counts.rows} rows cannot be stored; nothing was stored. Rows: ${rejected.map((r) => r.row).join(', ')}.`,
              {
                errors: rejected.flatMap((r) => r.errors.map((e) => ({ path: `/${r.row}${e.column ? `/${e.column}` : ''}`, in: 'body', message: e.message }))),
                counts: run.counts,
                // Nothing was stored: the rows it would have created have no id.
                rows: run.results.map((r) => (r.action === 'create' ? { ...r, id: null } : r)),
              },
            );
          }
          for (const change of run.changes) changes.record(change);
          if (run.changes.length > 0) {
            changes.record({ entity: 'import', entityId: importId, action: 'create', before: null, after: { ...summary, counts: run.counts } });
          }
          return run;
        },
        {
          reason:
            reasonOf(request) ??
            `CSV import of ${summary.type} from ${source}`,
        },
      );
      request.log.info({ ...summary, counts: result.counts }, 'csv import: done');
      const audited = result.changes.length > 0;
      return { importId: audited ? importId : null, dryRun, ...summary, audited, counts: result.counts, rows: result.results };
    },
  );
}
