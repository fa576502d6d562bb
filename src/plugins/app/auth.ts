import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findActiveKey, hashKey, type KeyRecord } from '../../db/keys.js';
import { allows, shapeForRole, type AccessLevel, type Role } from '../../domain/access.js';
import { Problem } from '../../http/problem.js';

export interface Principal {
  role: Role;
  keyId: string | null;
  name: string;
  /** Organisations an editor may write in (their subtrees); null = everywhere. */
  scopes: string[] | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Who may call the route (src/domain/access.ts); a route without it cannot be reached. */
    access?: AccessLevel;
  }
  interface FastifyInstance {
    /** Forgets cached keys, so that a revocation takes effect at once on this instance. */
    forgetKeys(): void;
  }
}

export const ANONYMOUS: Principal = { role: 'public', keyId: null, name: 'anonymous', scopes: null };

/** Third-party routes that serve documentation only. */
const DOCUMENTATION = /^\/docs(\/|$)/;

/** Keys are looked up once per few seconds per instance; a revocation elsewhere takes that long. */
const KEY_CACHE_MS = 5000;

function unauthorized(detail: string) {
  return new Problem('unauthorized', detail);
}

export default fp(
  async function auth(app: FastifyInstance) {
    const cache = new Map<string, { key: KeyRecord | undefined; until: number }>();
    app.decorate('forgetKeys', () => cache.clear());

    async function lookup(secret: string): Promise<KeyRecord | undefined> {
      const hash = hashKey(secret);
      const hit = cache.get(hash);
      if (hit && hit.until > Date.now() && (!hit.key?.expiresAt || Date.parse(hit.key.expiresAt) > Date.now())) {
        return hit.key;
      }
      const key = await findActiveKey(app.database.db, secret);
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { key, until: Date.now() + KEY_CACHE_MS });
      return key;
    }

    app.addHook('onRoute', (route) => {
      if (route.config?.access) return;
      if (route.method === 'OPTIONS' || (Array.isArray(route.method) && route.method.every((m) => m === 'OPTIONS' || m === 'HEAD'))) return;
      if (DOCUMENTATION.test(route.url) || route.url === '/openapi.json') {
        route.config = { ...route.config, access: 'public' };
        return;
      }
      app.log.warn({ url: route.url, method: route.method }, 'route declares no access: it is not reachable');
    });

    app.decorateRequest('principal', null as unknown as Principal);

    /** Who may do what: the principal is set, then the route's access (and `asOf`'s) is checked. */
    function authorise(request: FastifyRequest, principal: Principal): void {
      request.principal = principal;
      request.actor = principal.keyId ? `${principal.name} (key ${principal.keyId})` : principal.name;

      if (request.is404) return;
      const access = request.routeOptions.config?.access;
      if (!access) throw new Problem('not-found', `There is no ${request.method} ${request.url.split('?')[0]}.`);
      const asOf = (request.query as Record<string, unknown> | undefined)?.asOf;
      for (const [needed, what] of [
        [access, 'this route'],
        ...(asOf !== undefined ? ([['audit', 'asOf']] as const) : []),
      ] as const) {
        if (allows(principal.role, needed)) continue;
        if (principal.role === 'public' && !principal.keyId) {
          throw unauthorized(`${what === 'asOf' ? 'Reading with asOf' : 'This route'} needs a key.`);
        }
        throw new Problem('forbidden', `A ${principal.role} key may not use ${what}.`);
      }
    }

    // A callback hook, not an async one: most reads come without a key and need no promise.
    app.addHook('onRequest', (request, _reply, done) => {
      const proceed = (principal: Principal) => {
        try {
          authorise(request, principal);
        } catch (error) {
          return done(error as Error);
        }
        done();
      };
      const header = request.headers.authorization;
      if (header === undefined) return proceed(ANONYMOUS);
      const match = /^Bearer\s+(\S{16,512})\s*$/i.exec(header);
      if (!match) return done(unauthorized('Send the key as "Authorization: Bearer <key>".'));
      lookup(match[1]!).then(
        (key) =>
          key
            ? proceed({ role: key.role, keyId: key.id, name: key.name, scopes: key.scopes.length ? key.scopes : null })
            : done(unauthorized('The key is unknown, revoked or expired.')),
        (error: Error) => done(error),
      );
    });

    // Every response leaves with only what its audience may read (contact details by visibility).
    // A request refused before it has a principal (a malformed or unknown key) is shaped as anonymous.
    app.addHook('preSerialization', (request: FastifyRequest, _reply, payload: unknown, done) =>
      done(null, payload && typeof payload === 'object' ? shapeForRole(payload, (request.principal ?? ANONYMOUS).role) : payload),
    );
  },
  { name: 'auth', dependencies: ['database'] },
);
