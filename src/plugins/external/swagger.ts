import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const API_DESCRIPTION = `A directory of people, organisations and who held which role when.

**Dates** are partial: \`YYYY\`, \`YYYY-MM\` or \`YYYY-MM-DD\`; the precision is stored and returned as sent.
\`endDate\` is the last day in a role (inclusive); no \`endDate\` means ongoing.

**Errors** are RFC 9457 \`application/problem+json\` documents; validation problems list \`errors[]\`
with a JSON Pointer \`path\`, where the value was (\`in\`) and a \`message\`.

**Updates** are JSON merge patches (RFC 7396) and need \`If-Match\` with the resource's \`ETag\`.
Every write may carry an \`X-Reason\` header, kept in the audit log.

**Access**: send an API key as \`Authorization: Bearer <key>\`. Without one you read published data only.
Roles: public, reader, editor (writes, limited to its organisation scopes), auditor (audit log, \`asOf\`), admin.

**Lists** are paginated: pass the \`nextCursor\` of one page as \`cursor\` to get the next.`;

/** OpenAPI 3.1 from the routes' zod schemas, at /openapi.json, and its reader at /docs. */
export default fp(
  async function openapi(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Rolebook', version: '1.0.0', description: API_DESCRIPTION },
        components: {
          securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer <key>' } },
        },
        security: [{ apiKey: [] }, {}],
        tags: [
          { name: 'people', description: 'People and their names, contact details and identifiers' },
          { name: 'organisations', description: 'Organisations, their names and their dated parents' },
          { name: 'posts', description: 'Positions inside organisations that outlive their holders' },
          { name: 'assignments', description: 'Who held which role in which organisation, when' },
          { name: 'transitions', description: 'Dated, atomic moves: end assignments and start new ones on one day' },
          { name: 'audit', description: 'The hash-chained audit log, its verification and the change feed' },
          { name: 'keys', description: 'API keys (admin)' },
          { name: 'search', description: 'Finding people, organisations and posts by (half-remembered) names' },
          { name: 'service', description: 'Health and the API description' },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
