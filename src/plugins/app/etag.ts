import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { etagOfBytes, tagListMatches } from '../../http/etag.js';

/**
 * Conditional GET for every read: each 200 answer carries an ETag (the route's own, or a hash of
 * the bytes), and a matching If-None-Match turns it into an empty 304.
 */
export default fp(
  async function etag(app: FastifyInstance) {
    app.addHook('onSend', async (request, reply, payload) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      let tag = reply.getHeader('etag') as string | undefined;
      if (tag === undefined) {
        tag = etagOfBytes(payload);
        reply.header('etag', tag);
      }
      // Representations differ by credentials (published fields only for the public).
      reply.header('vary', 'Authorization, Accept');
      if (tagListMatches(request.headers['if-none-match'], tag)) {
        reply.code(304);
        reply.removeHeader('content-length');
        return '';
      }
      return payload;
    });
  },
  { name: 'etag' },
);
