import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'drizzle-orm';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { databaseProblem } from '../../db/errors.js';
import { fieldErrorsOf, Problem, PROBLEM_TYPES, type FieldError, type ProblemType } from '../../http/problem.js';

const VALIDATION_CONTEXTS: Record<string, FieldError['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

const FASTIFY_CODES: Record<string, ProblemType> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad-request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad-request',
};

const BY_STATUS = new Map<number, ProblemType>(
  Object.entries(PROBLEM_TYPES).map(([type, { status }]) => [status, type as ProblemType]),
);

/** Every failure becomes an RFC 9457 problem; unexpected ones are logged and told apart by request id. */
export function toProblem(error: FastifyError, request: FastifyRequest): Problem {
  if (error instanceof Problem) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = VALIDATION_CONTEXTS[error.validationContext ?? 'body'] ?? 'body';
    const errors: FieldError[] = fieldErrorsOf(
      error.validation.map((issue) => ({
        code: issue.keyword,
        // The type provider joined zod's path with "/"; the names of unknown keys come whole in params.
        path: issue.instancePath === '/' ? [] : issue.instancePath.slice(1).split('/'),
        message: issue.message ?? 'is not valid',
        keys: Array.isArray(issue.params.keys) ? (issue.params.keys as string[]) : undefined,
      })),
      where,
    );
    const detail = errors
      .map((e) => `${e.in === 'body' ? '' : `${e.in} `}${e.path ? e.path.slice(1).replaceAll('/', '.') + ' ' : ''}${e.message}`)
      .join('; ');
    return new Problem('validation-error', detail, { errors });
  }
  const fromDatabase = databaseProblem(error);
  if (fromDatabase) return fromDatabase;
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return new Problem(known, error.message);
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new Problem('bad-request', 'The body is not valid JSON.');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new Problem(BY_STATUS.get(status) ?? 'bad-request', error.message);
  }
  request.log.error({ err: error }, 'unexpected error');
  return new Problem('internal-error', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`);
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const retryAfter = problem.extensions.retryAfter;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="rolebook"');
  return reply
    .code(problem.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .serializer((body: unknown) => JSON.stringify(body))
    .send(problem.toJSON());
}

/**
 * What fastify answers before a request reaches the router or a route (a malformed percent-escape in
 * the path, a path parameter over maxParamLength): pass as `frameworkErrors` to Fastify().
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(reply, toProblem(error, request));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A route's URL as a pattern for request paths: `:id` matches one segment; trailing slashes do not count. */
function pathPattern(url: string): RegExp {
  const segments = url.replace(/\/+$/, '').split('/');
  const source = segments.map((segment) => (segment.startsWith(':') ? '[^/]+' : escapeRegExp(segment))).join('/');
  return new RegExp(`^${source}/*$`);
}

/**
 * A 409 names the record in the way (DESIGN.md §4). Our own guards say so themselves; for a unique
 * identifier the owner is looked up from the key the database reports.
 */
const IDENTIFIER_OWNERS: Record<string, { table: string; owner: string; entity: string }> = {
  person_identifiers_unique: { table: 'person_identifiers', owner: 'person_id', entity: 'person' },
  organisation_identifiers_unique: { table: 'organisation_identifiers', owner: 'organisation_id', entity: 'organisation' },
};

async function withConflictingRecord(app: FastifyInstance, problem: Problem): Promise<Problem> {
  const owner = IDENTIFIER_OWNERS[String(problem.extensions.constraint ?? '')];
  const key = /=\((.*), (.*)\) already exists/.exec(problem.detail);
  if (problem.status !== 409 || !owner || !key || problem.extensions.conflicting) return problem;
  try {
    const [row] = await app.database.rows<{ id: string }>(
      sql`SELECT ${sql.identifier(owner.owner)} AS id FROM ${sql.identifier(owner.table)} WHERE scheme = ${key[1]} AND identifier = ${key[2]}`,
    );
    if (!row) return problem;
    return new Problem('conflict', `The identifier ${key[1]} ${key[2]} belongs to ${owner.entity} ${row.id} already.`, {
      ...problem.extensions,
      conflicting: { entity: owner.entity, id: row.id, scheme: key[1], identifier: key[2] },
    });
  } catch {
    return problem;
  }
}

export default fp(
  async function problems(app: FastifyInstance) {
    // Every route's path and methods, so that a known path with an unknown method answers 405.
    const routes: { pattern: RegExp; methods: string[] }[] = [];
    app.addHook('onRoute', (route) => {
      if (route.url.includes('*')) return;
      routes.push({ pattern: pathPattern(route.url), methods: ([] as string[]).concat(route.method) });
    });
    const methodsFor = (path: string) =>
      [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))].sort();

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const problem = await withConflictingRecord(app, toProblem(error, request));
      if (problem.status >= 500 && problem.type !== 'internal-error') {
        request.log.warn({ err: error }, problem.detail);
      }
      return sendProblem(reply, problem);
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const allowed = methodsFor(path);
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        reply.header('allow', allowed.join(', '));
        return sendProblem(
          reply,
          new Problem('method-not-allowed', `${path} does not answer ${request.method}; it answers ${allowed.join(', ')}.`),
        );
      }
      return sendProblem(reply, new Problem('not-found', `There is no ${request.method} ${path}.`));
    });
  },
  { name: 'problems' },
);
