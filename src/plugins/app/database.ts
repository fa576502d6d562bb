import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/client.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}

/** Makes the opened database available to every route; its owner (server or test) closes it. */
export default fp(
  async function database(app: FastifyInstance, options: { database: Database }) {
    app.decorate('database', options.database);
  },
  { name: 'database' },
);
