import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { configSchema, type Config } from './config/config.js';
import type { Database } from './db/client.js';
import { JSON_MEDIA_TYPES, parseJsonBody } from './http/json-body.js';
import database from './plugins/app/database.js';
import etag from './plugins/app/etag.js';
import problems, { frameworkErrors } from './plugins/app/problems.js';
import reads from './plugins/app/reads.js';
import auth from './plugins/app/auth.js';
import metrics from './plugins/app/metrics.js';
import writes from './plugins/app/writes.js';
import security from './plugins/external/security.js';
import swagger from './plugins/external/swagger.js';
import limits from './plugins/external/limits.js';
import healthRoutes from './routes/health/index.js';
import assignmentRoutes from './routes/v1/assignments/index.js';
import organisationRoutes from './routes/v1/organisations/index.js';
import peopleRoutes from './routes/v1/people/index.js';
import postRoutes from './routes/v1/posts/index.js';
import transitionRoutes from './routes/v1/transitions/index.js';
import auditRoutes from './routes/v1/audit/index.js';
import changeRoutes from './routes/v1/changes/index.js';
import keyRoutes from './routes/v1/keys/index.js';
import searchRoutes from './routes/v1/search/index.js';
import csvImportRoutes from './routes/v1/import/csv.js';
import meRoutes from './routes/v1/me/index.js';
import popoloImportRoutes from './routes/v1/import/popolo.js';
import popoloExportRoutes from './routes/v1/export/popolo.js';
import webRoutes from './routes/web/index.js';

export interface BuildAppOptions {
  /** What the app takes from the configuration; what is left out takes its default. */
  config: Partial<Pick<Config, 'BODY_LIMIT_BYTES' | 'RATE_LIMIT_PER_MINUTE' | 'CORS_ORIGINS' | 'MAX_EVENT_LOOP_DELAY_MS'>>;
  database: Database;
  logger?: FastifyServerOptions['logger'];
}

/** Builds the whole service from its plugins; the server and the tests both start here. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const config = { ...configSchema.parse({}), ...options.config };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Bodies are JSON only (PATCH bodies are JSON merge patches, RFC 7396); any other type is a 415,
  // text/plain included, instead of a string that fails validation.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'string' }, async (_request: FastifyRequest, body: string | Buffer) =>
    parseJsonBody(body.toString()),
  );

  await app.register(problems);
  await app.register(security, { corsOrigins: config.CORS_ORIGINS });
  await app.register(database, { database: options.database });
  // Before any route, so that every route's access declaration is seen and enforced.
  await app.register(auth);
  await app.register(metrics);
  await app.register(limits, {
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    // The embedded database runs on the event loop: its lag is the database working, not overload.
    maxEventLoopDelayMs: options.database.kind === 'pglite' ? 0 : config.MAX_EVENT_LOOP_DELAY_MS,
  });
  await app.register(swagger);
  await app.register(writes);
  await app.register(reads);
  await app.register(etag);

  await app.register(healthRoutes);
  await app.register(peopleRoutes, { prefix: '/v1/people' });
  await app.register(organisationRoutes, { prefix: '/v1/organisations' });
  await app.register(postRoutes, { prefix: '/v1/posts' });
  await app.register(assignmentRoutes, { prefix: '/v1/assignments' });
  await app.register(transitionRoutes, { prefix: '/v1/transitions' });
  await app.register(auditRoutes, { prefix: '/v1/audit' });
  await app.register(changeRoutes, { prefix: '/v1/changes' });
  await app.register(keyRoutes, { prefix: '/v1/keys' });
  await app.register(searchRoutes, { prefix: '/v1/search' });
  await app.register(csvImportRoutes, { prefix: '/v1/import' });
  await app.register(meRoutes, { prefix: '/v1/me' });
  await app.register(popoloImportRoutes, { prefix: '/v1/import' });
  await app.register(popoloExportRoutes, { prefix: '/v1/export' });
  // The web UI at / and the widgets at /widgets/ (static files built into dist/web).
  await app.register(webRoutes);
  return app;
}
