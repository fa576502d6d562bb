import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Executor } from '../db/client.js';
import type { Change } from '../db/write.js';
import { applyMergePatch, type Json } from '../domain/merge-patch.js';
import { checkIfMatch, etagOf } from './etag.js';
import { fieldErrorsOf, invalid, notFound, problemResponses, type FieldError } from './problem.js';
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

  routes.get(
    '/:id',
    {
      config: { access: 'public' },
      schema: {
        summary: `Read a ${name}`,
        tags: [def.tag],
        params: idParams,
        querystring: readQuery,
        response: { 200: def.representation, ...problemResponses(400, 404) } as Responses,
      },
    },
    async (request, reply) => {
      const found = await request.read((db) => def.load(db, request.params.id));
      if (!found) throw notFound(name, request.params.id);
      return reply.header('etag', etagOf(found)).send(found as never);
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
}

/** GET on a collection: filters, a page of items and the cursor of the next page. */
export function registerListRoute<Query extends { limit: number; cursor?: string }, Row, Item>(
  app: FastifyInstance,
  def: ListDefinition<Query, Row, Item>,
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        summary: def.summary,
        description: def.description,
        tags: [def.tag],
        querystring: def.query,
        response: { 200: pageSchema(def.item), ...problemResponses(400) },
      },
    },
    async (request) => {
      const query = request.query as Query;
      const rows = await request.read((db) => def.list(db, query));
      return toPage(rows, query.limit, def.keyset, def.present);
    },
  );
}
