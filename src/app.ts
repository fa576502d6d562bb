import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config/config.js';
import type { Database } from './db/client.js';
import database from './plugins/app/database.js';
import etag from './plugins/app/etag.js';
import problems from './plugins/app/problems.js';
import writes from './plugins/app/writes.js';
import security from './plugins/external/security.js';
import swagger from './plugins/external/swagger.js';
import healthRoutes from './routes/health/index.js';
import assignmentRoutes from './routes/v1/assignments/index.js';
import organisationRoutes from './routes/v1/organisations/index.js';
import peopleRoutes from './routes/v1/people/index.js';
import postRoutes from './routes/v1/posts/index.js';

export interface BuildAppOptions {
  config: Pick<Config, 'BODY_LIMIT_BYTES'>;
  database: Database;
  logger?: FastifyServerOptions['logger'];
}

/** Builds the whole service from its plugins; the server and the tests both start here. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // PATCH bodies are JSON merge patches (RFC 7396); parse them as the JSON they are.
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  await app.register(problems);
  await app.register(security);
  await app.register(swagger);
  await app.register(database, { database: options.database });
  await app.register(writes);
  await app.register(etag);

  await app.register(healthRoutes);
  await app.register(peopleRoutes, { prefix: '/v1/people' });
  await app.register(organisationRoutes, { prefix: '/v1/organisations' });
  await app.register(postRoutes, { prefix: '/v1/posts' });
  await app.register(assignmentRoutes, { prefix: '/v1/assignments' });
  return app;
}
