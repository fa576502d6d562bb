import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Executor } from '../../db/client.js';
import { runWrite, type ChangeSet, type WriteContext } from '../../db/write.js';
import { Problem } from '../../http/problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts for; authentication sets it, anonymous until then. */
    actor: string;
    /** Runs a write in one transaction with its audit event (src/db/write.ts). */
    write<T>(
      operation: string,
      work: (tx: Executor, changes: ChangeSet) => Promise<T>,
      options?: { reason?: string | null },
    ): Promise<T>;
  }
}

const MAX_REASON_LENGTH = 2000;

/** RFC 8187's ext-value, `UTF-8''<percent-encoded>`: how a browser sends text beyond ISO-8859-1 in a header. */
const EXT_VALUE = /^UTF-8''/i;

/**
 * The `X-Reason` header every write may carry (DESIGN.md §4): as sent, or percent-encoded UTF-8
 * after `UTF-8''` (RFC 8187), since fetch refuses header values beyond ISO-8859-1.
 */
export function reasonOf(request: FastifyRequest): string | null {
  const header = request.headers['x-reason'];
  let value = Array.isArray(header) ? header.join(', ') : header;
  if (value !== undefined && EXT_VALUE.test(value)) {
    try {
      value = decodeURIComponent(value.replace(EXT_VALUE, ''));
    } catch {
      throw new Problem('validation-error', "X-Reason after UTF-8'' must be percent-encoded UTF-8.", {
        errors: [{ path: '/x-reason', in: 'header', message: "must be percent-encoded UTF-8 after UTF-8''" }],
      });
    }
  }
  if (value === undefined || value.trim() === '') return null;
  if (value.length > MAX_REASON_LENGTH) {
    throw new Problem('validation-error', `X-Reason must be at most ${MAX_REASON_LENGTH} characters long.`, {
      errors: [{ path: '/x-reason', in: 'header', message: `must be at most ${MAX_REASON_LENGTH} characters long` }],
    });
  }
  return value.trim();
}

export default fp(
  async function writes(app: FastifyInstance) {
    app.decorateRequest('actor', 'anonymous');
    app.decorateRequest('write', async function write<T>(
      this: FastifyRequest,
      operation: string,
      work: (tx: Executor, changes: ChangeSet) => Promise<T>,
      options: { reason?: string | null } = {},
    ): Promise<T> {
      const context: WriteContext = {
        actor: this.actor,
        requestId: String(this.id),
        reason: options.reason ?? reasonOf(this),
        scopes: this.principal.scopes,
      };
      return runWrite(app.database, context, operation, work);
    });
  },
  { name: 'writes', dependencies: ['database', 'auth'] },
);
