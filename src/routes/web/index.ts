import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOfBytes } from '../../http/etag.js';
import { Problem } from '../../http/problem.js';

/**
 * The web UI for HR coordinators (`/`) and the embeddable widgets (`/widgets/rolebook.js`, demo page
 * at `/widgets/`): static files that `npm run build` writes to dist/web (scripts/build-web.ts). The
 * same folder is found from src/ (tsx, tests) and from dist/ (the built service, the image).
 */
export const WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * - the UI's bundles carry a content hash in their names: kept for a year;
 * - the widget script has a fixed URL that other sites embed: reused for five minutes, then
 *   revalidated (a 304 while it is unchanged);
 * - pages are revalidated on every load, so a new build shows at once.
 */
function cacheControlOf(path: string): string {
  if (path.startsWith('ui/assets/')) return 'public, max-age=31536000, immutable';
  if (path === 'widgets/rolebook.js') return 'public, max-age=300';
  return 'no-cache';
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  raw: Buffer;
  rawTag: string;
  gzip: Buffer | null;
  gzipTag: string | null;
}

export default async function webRoutes(app: FastifyInstance) {
  const cache = new Map<string, CachedFile>();

  async function load(path: string): Promise<CachedFile | undefined> {
    const file = join(WEB_ROOT, path);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit;
    const raw = await readFile(file);
    const compressible = extname(path) !== '.png' && raw.length > 1024;
    const gzip = compressible ? gzipSync(raw, { level: 9 }) : null;
    const entry: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      raw,
      rawTag: etagOfBytes(raw),
      gzip,
      gzipTag: gzip ? etagOfBytes(gzip) : null,
    };
    cache.set(path, entry);
    return entry;
  }

  /** Sends one file of dist/web; the etag plugin answers If-None-Match with 304. */
  async function send(request: FastifyRequest, reply: FastifyReply, path: string) {
    const clean = normalize(path).replaceAll(sep, '/');
    if (clean.startsWith('..') || clean.startsWith('/') || clean.includes('\0')) {
      throw new Problem('not-found', `There is no ${request.method} ${request.url.split('?')[0]}.`);
    }
    const file = await load(clean);
    if (!file) {
      const built = await stat(WEB_ROOT).catch(() => undefined);
      throw new Problem(
        'not-found',
        built ? `There is no ${request.method} ${request.url.split('?')[0]}.` : 'The web UI and the widgets are not built: run `npm run build`.',
      );
    }
    const gzip = file.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    reply
      .header('content-type', TYPES[extname(clean)] ?? 'application/octet-stream')
      .header('cache-control', cacheControlOf(clean))
      .header('vary', 'Accept-Encoding')
      .header('etag', gzip ? file.gzipTag! : file.rawTag);
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? file.gzip! : file.raw);
  }

  const page = { config: { access: 'public' as const }, schema: { hide: true } };
  app.get('/', page, (request, reply) => send(request, reply, 'ui/index.html'));
  app.get('/ui/*', page, (request, reply) => send(request, reply, `ui/${(request.params as { '*': string })['*']}`));
  // The demo page refers to its files relatively: it must be read as a folder.
  app.get('/widgets', page, (request, reply) => {
    const [path = '', query] = request.url.split('?');
    if (!path.endsWith('/')) return reply.redirect(`${path}/${query === undefined ? '' : `?${query}`}`, 301);
    return send(request, reply, 'widgets/index.html');
  });
  app.get('/widgets/*', page, (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    return send(request, reply, `widgets/${rest === '' ? 'index.html' : rest}`);
  });
}
