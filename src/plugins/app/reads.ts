import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Runs a read. With `asOf` in the query it runs in a read-only transaction that sees every
     * table as it stood at that moment (the `asof` schema of drizzle/0007), so each route answers
     * "what did the directory say then" with the very queries it uses for now.
     */
    read<T>(work: (db: Executor) => Promise<T>): Promise<T>;
  }
}

export function asOfOf(request: FastifyRequest): string | undefined {
  const query = request.query as { asOf?: unknown } | undefined;
  return typeof query?.asOf === 'string' ? query.asOf : undefined;
}

export default fp(
  async function reads(app: FastifyInstance) {
    app.decorateRequest('read', async function read<T>(this: FastifyRequest, work: (db: Executor) => Promise<T>): Promise<T> {
      const asOf = asOfOf(this);
      if (asOf === undefined) return work(app.database.db);
      return app.database.db.transaction(async (tx) => {
        await tx.execute(sql`SET TRANSACTION READ ONLY`);
        await tx.execute(
          // The union views hide that ids are unique; parallel plans built on those estimates cost more than they save.
          sql`SELECT set_config('rolebook.as_of', ${asOf}, true), set_config('search_path', 'asof, public', true),
                     set_config('max_parallel_workers_per_gather', '0', true)`,
        );
        return work(tx as unknown as Executor);
      });
    });
  },
  { name: 'reads', dependencies: ['database'] },
);
