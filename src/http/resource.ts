import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Executor } from '../db/client.js';
import type { Change } from '../db/write.js';
import { applyMergePatch, type Json } from '../domain/merge-patch.js';
import { checkIfMatch, etagOf, etagWithEmbedded } from './etag.js';
import { shapeForRole } from '../domain/access.js';
import { csvRow } from './csv.js';
import { negotiate } from './negotiate.js';
import { fieldErrorsOf, invalid, notFound, Problem, problemResponses, type FieldError } from './problem.js';
import { idParams, readQuery } from './schemas.js';
import { pageSchema, toPage, type Keyset } from './pagination.js';

/**
 * What it takes to create, read and update one kind of record. Every resource's POST, GET by id
 * and PATCH come from here, so all of them validate, audit, tag and answer the same way.
 */
export interface ResourceDefinition<Input extends Record<string, unknown>, Representation extends { id: string }> {
  entity: Change['entity'];
  /** Singular, for messages: "person". */
  noun: string;
  tag: string;
  /** Where created records live, for the Location header: "/v1/people". */
  basePath: string;
  /** The create body: a strict object; the PATCH body is derived from it. */
  input: z.ZodType<Input> & { shape: Record<string, z.ZodType> };
  representation: z.ZodType<Representation>;
  /** Reads one record as the API shows it; `forUpdate` locks it until the transaction ends. */
  load(tx: Executor, id: string, forUpdate?: boolean): Promise<Representation | undefined>;
  insert(tx: Executor, input: Input, id?: string): Promise<string>;
  /** Writes the whole editable state of an existing record. */
  update(tx: Executor, id: string, input: Input): Promise<void>;
  /** Other media types GET /{id} answers, by `Accept` (JSON stays the default). */
  alternatives?: Array<Alternative<Representation>>;
  /** Read-only data GET /{id} shows with the record (a person's roles on a day). */
  embedded?: Embedded;
}

/**
 * Data about a record that GET /{id} shows with it but that is not the record: PATCH neither
 * edits nor compares it (see etagWithEmbedded), POST and PATCH answers leave it out.
 */
export interface Embedded {
  /** The query parameters it takes, besides `asOf`. */
  query: Record<string, z.ZodType>;
  /** The GET answer: the representation with the embedded fields. */
  representation: z.ZodType;
  /**
   * Runs in the same read as the record's load (so `asOf` holds for it too), and at the same time
   * on the shared connections: it needs the record's id only.
   */
  load(db: Executor, id: string, query: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Another representation of a record, chosen by `Accept` (a vCard of a person). */
export interface Alternative<Representation> {
  /** The media type, without parameters: `text/vcard`. */
  mediaType: string;
  /** For the OpenAPI description: what the client gets. */
  description: string;
  /** Writes it; runs in the same read as the record's load (so `asOf` holds for it too). */
  render(db: Executor, representation: Representation, request: FastifyRequest): Promise<string>;
  /** A file name to suggest (Content-Disposition), if any. */
  filename?(representation: Representation): string;
}

/** The 200 response of a route that answers JSON and other media types, for the OpenAPI document. */
function multiTypeResponse(json: z.ZodType, others: Array<{ mediaType: string; description: string }>) {
  return {
    description: `JSON by default; by \`Accept\` also ${others.map((o) => `\`${o.mediaType}\``).join(', ')}`,
    content: {
      'application/json': { schema: json },
      ...Object.fromEntries(others.map((o) => [o.mediaType, { schema: z.string().meta({ description: o.description }) }])),
    },
  };
}

/** Routes without query parameters refuse unknown ones, as lists do: a typo must not go unnoticed. */
const noQuery = z.strictObject({});

/** Generic representations defeat fastify's reply typing; the schemas still validate at run time. */
type Responses = Record<number, z.ZodType>;

/** The PATCH body: any subset of the create body's fields, `null` to clear one (RFC 7396). */
export function mergePatchSchema(input: { shape: Record<string, z.ZodType> }) {
  return z.strictObject(
    Object.fromEntries(
      Object.entries(input.shape).map(([key, field]) => [key, (field as z.ZodType).nullable().optional()]),
    ),
  );
}

/** The fields of a representation that a client can edit, in the shape the create body takes. */
export function editableOf(input: { shape: Record<string, z.ZodType> }, representation: object): Json {
  const editable: Record<string, Json> = {};
  for (const key of Object.keys(input.shape)) {
    const value = (representation as Record<string, unknown>)[key];
    if (value !== null && value !== undefined) editable[key] = value as Json;
  }
  return editable;
}

export function zodIssuesToFieldErrors(error: z.ZodError): FieldError[] {
  return fieldErrorsOf(error.issues, 'body');
}

export function registerResourceRoutes<Input extends Record<string, unknown>, Representation extends { id: string }>(
  app: FastifyInstance,
  def: ResourceDefinition<Input, Representation>,
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const name = def.noun;

  routes.post(
    '/',
    {
      config: { access: 'write' },
      schema: {
        summary: `Create a ${name}`,
        tags: [def.tag],
        body: def.input,
        response: { 201: def.representation, ...problemResponses(400, 409, 413, 415) } as Responses,
      },
    },
    async (request, reply) => {
      const created = await request.write(`${def.entity}.create`, async (tx, changes) => {
        const id = await def.insert(tx, request.body as Input);
        const after = (await def.load(tx, id))!;
        changes.record({ entity: def.entity, entityId: id, action: 'create', before: null, after });
        return after;
      });
      return reply
        .code(201)
        .header('location', `${def.basePath}/${created.id}`)
        .header('etag', etagOf(created))
        .send(created as never);
    },
  );

  const alternatives = def.alternatives ?? [];
  const offered = ['application/json', ...alternatives.map((a) => a.mediaType)];
  const embedded = def.embedded;
  const json = embedded?.representation ?? def.representation;
  routes.get(
    '/:id',
    {
      config: { access: 'public' },
      schema: {
        summary: `Read a ${name}`,
        ...(alternatives.length > 0
          ? { description: `Answers JSON, or by \`Accept\`: ${alternatives.map((a) => `\`${a.mediaType}\`, ${a.description}`).join('; ')}. Any other \`Accept\` is a 406.` }
          : {}),
        tags: [def.tag],
        params: idParams,
        querystring: embedded ? readQuery.extend(embedded.query) : readQuery,
        response: {
          200: alternatives.length > 0 ? multiTypeResponse(json, alternatives) : json,
          ...problemResponses(400, 404, ...(alternatives.length > 0 ? [406] : [])),
        } as Responses,
      },
    },
    async (request, reply) => {
      const mediaType = alternatives.length > 0 ? negotiate(request.headers.accept, offered) : offered[0];
      if (!mediaType) throw new Problem('not-acceptable', `A ${name} is available as ${offered.join(' or ')}.`, { available: offered });
      const alternative = alternatives.find((a) => a.mediaType === mediaType);
      const answer = await request.read(async (db) => {
        if (alternative) {
          const found = await def.load(db, request.params.id);
          return found && { found, text: await alternative.render(db, found, request) };
        }
        const [found, extra] = await Promise.all([
          def.load(db, request.params.id),
          embedded?.load(db, request.params.id, request.query as Record<string, unknown>),
        ]);
        return found && { found, extra };
      });
      if (!answer) throw notFound(name, request.params.id);
      if (alternative) {
        // The ETag is the hash of these bytes (plugins/app/etag.ts), not of the JSON.
        reply.header('content-type', `${alternative.mediaType}; charset=utf-8`);
        const filename = alternative.filename?.(answer.found);
        if (filename) reply.header('content-disposition', `inline; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`);
        return reply.send(answer.text);
      }
      // The tag of what this caller sees: contact details are shaped by role before they leave.
      const tag = etagOf(shapeForRole(answer.found, request.principal.role));
      if (!answer.extra) return reply.header('etag', tag).send(answer.found as never);
      return reply.header('etag', etagWithEmbedded(tag, answer.extra)).send({ ...answer.found, ...answer.extra } as never);
    },
  );

  routes.patch(
    '/:id',
    {
      config: { access: 'write' },
      schema: {
        summary: `Update a ${name} (JSON merge patch; needs If-Match)`,
        tags: [def.tag],
        params: idParams,
        querystring: noQuery,
        headers: z.object({
          'if-match': z.string().optional().meta({ description: 'The ETag of the version being edited' }),
        }),
        body: mergePatchSchema(def.input),
        response: { 200: def.representation, ...problemResponses(400, 404, 409, 412, 413, 415, 428) } as Responses,
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const updated = await request.write(`${def.entity}.update`, async (tx, changes) => {
        const before = await def.load(tx, id, true);
        if (!before) throw notFound(name, id);
        checkIfMatch(request, before);
        const merged = applyMergePatch(editableOf(def.input, before), request.body as Json);
        const parsed = def.input.safeParse(merged);
        if (!parsed.success) throw invalid(zodIssuesToFieldErrors(parsed.error));
        await def.update(tx, id, parsed.data);
        const after = (await def.load(tx, id))!;
        changes.record({ entity: def.entity, entityId: id, action: 'update', before, after });
        return after;
      });
      return reply.header('etag', etagOf(updated)).send(updated as never);
    },
  );
}

export interface ListDefinition<Query extends { limit: number; cursor?: string }, Row, Item> {
  summary: string;
  description: string;
  tag: string;
  query: z.ZodType<Query>;
  item: z.ZodType<Item>;
  list(db: Executor, query: Query): Promise<Row[]>;
  keyset: Keyset<Row>;
  present(row: Row): Item;
  /** A CSV form of the list (`Accept: text/csv`): the same page and filters, one row per item. */
  csv?: CsvList<Row>;
}

/** The columns of a list's CSV form, and the rows of one page (extra data is read in the same read). */
export interface CsvList<Row> {
  columns: readonly string[];
  rows(db: Executor, rows: Row[], request: FastifyRequest): Promise<unknown[][]>;
}

/** GET on a collection: filters, a page of items and the cursor of the next page. */
export function registerListRoute<Query extends { limit: number; cursor?: string }, Row, Item>(
  app: FastifyInstance,
  def: ListDefinition<Query, Row, Item>,
): void {
  const csv = def.csv;
  const offered = csv ? ['application/json', 'text/csv'] : ['application/json'];
  const csvDescription = csv
    ? ` With \`Accept: text/csv\` the same page as CSV (RFC 4180, a header row, UTF-8), columns ${csv.columns.map((c) => `\`${c}\``).join(', ')}; ` +
      'the next page is in the `Link` header (`rel="next"`).'
    : '';
  app.withTypeProvider<ZodTypeProvider>().get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        summary: def.summary,
        description: def.description + csvDescription,
        tags: [def.tag],
        querystring: def.query,
        response: {
          200: csv ? multiTypeResponse(pageSchema(def.item), [{ mediaType: 'text/csv', description: 'a page as CSV' }]) : pageSchema(def.item),
          ...problemResponses(400, ...(csv ? [406] : [])),
        } as Responses,
      },
    },
    async (request, reply) => {
      const query = request.query as Query;
      const mediaType = csv ? negotiate(request.headers.accept, offered) : offered[0];
      if (!mediaType) throw new Problem('not-acceptable', `This list is available as ${offered.join(' or ')}.`, { available: offered });
      if (csv && mediaType === 'text/csv') {
        const { lines, page } = await request.read(async (db) => {
          const rows = await def.list(db, query);
          const page = toPage(rows, query.limit, def.keyset, (row) => row);
          return { page, lines: await csv.rows(db, page.items, request) };
        });
        if (page.nextCursor) {
          const url = new URL(request.url, 'http://localhost');
          url.searchParams.set('cursor', page.nextCursor);
          reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
        }
        return reply
          .header('content-type', 'text/csv; charset=utf-8; header=present')
          .send([csvRow([...csv.columns]), ...lines.map(csvRow)].join(''));
      }
      const rows = await request.read((db) => def.list(db, query));
      return toPage(rows, query.limit, def.keyset, def.present) as never;
    },
  );
}
