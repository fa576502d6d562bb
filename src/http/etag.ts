import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { canonicalJson } from '../domain/canonical-json.js';
import { Problem } from './problem.js';

/**
 * Entity tags are the hash of a representation, so a resource's tag changes exactly when what a
 * client sees of it changes. Single resources hash their canonical JSON (the same value for GET
 * and for the If-Match check of PATCH); other GET responses hash their bytes (plugins/app/etag).
 */
export function etagOfBytes(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
}

export function etagOf(representation: unknown): string {
  return etagOfBytes(canonicalJson(representation));
}

/**
 * The tag of a record shown with read-only data about it (a person's roles on a day): the
 * record's own tag and, after a dot, a hash of the rest. If-None-Match compares the whole, so a
 * cached contact card is refreshed when the roles change; If-Match compares the record's part
 * (checkIfMatch), so an edit of the record is not refused because an assignment changed meanwhile.
 */
export function etagWithEmbedded(recordTag: string, embedded: unknown): string {
  return `${recordTag.slice(0, -1)}.${etagOf(embedded).slice(1, 17)}"`;
}

/** A tag list with every tag cut to its record's part (etagWithEmbedded). */
function recordParts(header: string): string {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/\.[A-Za-z0-9_-]*"$/, '"'))
    .join(', ');
}

/** True when a list of entity tags (If-None-Match, If-Match) names this one or `*`. */
export function tagListMatches(header: string | undefined, etag: string, weak = true): boolean {
  if (header === undefined) return false;
  return header.split(',').some((raw) => {
    const candidate = raw.trim();
    if (candidate === '*') return true;
    if (candidate.startsWith('W/')) return weak && candidate.slice(2) === etag;
    return candidate === etag;
  });
}

/**
 * The precondition of every update (DESIGN.md §4): 428 without If-Match, 412 when it names another
 * version than the current one; the 412 carries the current representation and its tag.
 */
export function checkIfMatch(request: FastifyRequest, current: unknown): void {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '') {
    throw new Problem(
      'precondition-required',
      'Send the ETag of the version you edited in If-Match, so that no concurrent change is overwritten.',
    );
  }
  const etag = etagOf(current);
  if (!tagListMatches(recordParts(header), etag, false)) {
    throw new Problem('precondition-failed', 'The resource was changed since the version named in If-Match.', {
      currentEtag: etag,
      current,
    });
  }
}
