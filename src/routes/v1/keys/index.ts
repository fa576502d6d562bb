import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { insertKey, listKeys, loadKey, revokeKey } from '../../../db/keys.js';
import { organisations } from '../../../db/schema.js';
import { inArray } from 'drizzle-orm';
import { ROLES } from '../../../domain/access.js';
import { invalid, notFound, problemResponses } from '../../../http/problem.js';
import { idParams, text, uuid } from '../../../http/schemas.js';

export const keyInput = z
  .strictObject({
    name: text(200).meta({ description: 'Who or what uses the key: "Intranet Team-Seite", "HR Dortmund"' }),
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
    scopes: z
      .array(uuid)
      .max(100)
      .default([])
      .meta({ description: 'Editor keys: the organisations whose subtrees it may write; empty = all' }),
    expiresAt: z.iso
      .datetime({ offset: true, error: 'must be an RFC 3339 timestamp' })
      .nullish()
      .meta({ description: 'After this moment the key is refused' }),
  })
  .meta({ id: 'NewKey' });

export const keyRecord = z
  .object({
    id: uuid,
    name: z.string(),
    role: z.enum(ROLES),
    scopes: z.array(uuid),
    prefix: z.string().meta({ description: 'The first characters of the key, to tell keys apart' }),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'Key' });

const createdKey = keyRecord
  .extend({ key: z.string().meta({ description: 'The key itself: shown this once, stored only as a hash' }) })
  .meta({ id: 'CreatedKey' });

export default async function keyRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'List the API keys (never the keys themselves)',
        tags: ['keys'],
        querystring: z.strictObject({}),
        response: { 200: z.object({ items: z.array(keyRecord) }), ...problemResponses(400, 401, 403) },
      },
    },
    async () => ({ items: await listKeys(app.database.db) }),
  );

  routes.post(
    '/',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Create an API key; the answer holds the key, once',
        tags: ['keys'],
        body: keyInput,
        response: { 201: createdKey, ...problemResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await request.write('key.create', async (tx, changes) => {
        if (body.scopes.length) {
          const found = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, body.scopes));
          const known = new Set(found.map((f) => f.id));
          const missing = body.scopes.findIndex((id) => !known.has(id));
          if (missing >= 0) throw invalid([{ path: `/scopes/${missing}`, in: 'body', message: 'refers to no organisation' }]);
        }
        const result = await insertKey(tx, body, request.actor);
        changes.record({ entity: 'key', entityId: result.key.id, action: 'create', before: null, after: result.key });
        return result;
      });
      return reply
        .code(201)
        .header('location', `/v1/keys/${created.key.id}`)
        .header('cache-control', 'no-store')
        .send({ ...created.key, key: created.secret });
    },
  );

  routes.delete(
    '/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Revoke an API key (at once on this instance, within seconds on others)',
        tags: ['keys'],
        params: idParams,
        response: { 200: keyRecord, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const revoked = await request.write('key.revoke', async (tx, changes) => {
        const before = await loadKey(tx, id);
        if (!before) throw notFound('key', id);
        const after = (await revokeKey(tx, id))!;
        changes.record({ entity: 'key', entityId: id, action: 'update', before, after });
        return after;
      });
      app.forgetKeys();
      return revoked;
    },
  );
}
