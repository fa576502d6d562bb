import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { etagOfBytes, tagListMatches } from '../../http/etag.js';

/**
 * How long anonymous readers and shared caches may reuse a published read without asking again:
 * an intranet page full of widgets costs one request per record a minute at most, and a change
 * shows everywhere within that minute.
 */
export const PUBLIC_MAX_AGE_SECONDS = 60;

/**
 * Reads that must never be reused without asking, even by anonymous readers: health checks, metrics,
 * and the change feed (a follower polls the same cursor for what is new).
 */
const ALWAYS_REVALIDATE = /^\/(healthz|readyz|metrics|v1\/changes)(\/|$)/;

/**
 * The caching policy of every read, unless the route set its own `Cache-Control` (static files do):
 * - with credentials, `private, no-cache`: a browser may keep the answer but asks each time, which
 *   the ETag makes a cheap 304; no shared cache keeps it;
 * - anonymous reads of published data under /v1, `public, max-age=60`;
 * - anything else, `no-cache`.
 */
function cacheControlOf(request: FastifyRequest): string {
  if (request.headers.authorization !== undefined) return 'private, no-cache';
  const route = request.routeOptions.url ?? '';
  if (request.routeOptions.config?.access === 'public' && route.startsWith('/v1/') && !ALWAYS_REVALIDATE.test(route)) {
    return `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`;
  }
  return 'no-cache';
}

/** Adds to `Vary` without dropping what another plugin (CORS: `Origin`) put there. */
function addVary(reply: FastifyReply, ...fields: string[]): void {
  const current = reply.getHeader('vary');
  const present = String(current ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const known = new Set(present.map((field) => field.toLowerCase()));
  reply.header('vary', [...present, ...fields.filter((field) => !known.has(field.toLowerCase()))].join(', '));
}

/**
 * Conditional GET for every read: each 200 answer carries an ETag (the route's own, or a hash of
 * the bytes) and a Cache-Control, and a matching If-None-Match turns it into an empty 304.
 */
export default fp(
  async function etag(app: FastifyInstance) {
    app.addHook('onSend', (request, reply, payload, done) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return done(null, payload);
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
      let tag = reply.getHeader('etag') as string | undefined;
      if (tag === undefined) {
        tag = etagOfBytes(payload);
        reply.header('etag', tag);
      }
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', cacheControlOf(request));
      // Representations differ by credentials (published fields only for the public).
      addVary(reply, 'Authorization', 'Accept');
      if (tagListMatches(request.headers['if-none-match'], tag)) {
        reply.code(304);
        reply.removeHeader('content-length');
        return done(null, '');
      }
      done(null, payload);
    });
  },
  { name: 'etag' },
);
