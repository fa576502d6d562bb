/**
 * Types of the API, all taken from the committed OpenAPI document (openapi/openapi.json), which
 * scripts/build-web.ts turns into web/generated/openapi.ts with openapi-typescript before each build.
 */
import type { components, paths } from '../generated/openapi.js';

export type { components, paths };
export type Schemas = components['schemas'];

/** The paths that answer GET with JSON. */
export type GetPath = {
  [P in keyof paths]: paths[P] extends { get: { responses: { 200: { content: { 'application/json': unknown } } } } } ? P : never;
}[keyof paths];

/** What a GET of a path answers with 200. */
export type GetResult<P extends GetPath> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;

/** The path and query parameters of a GET. */
export type GetParams<P extends GetPath> = paths[P] extends { get: { parameters: infer Q } } ? Q : never;

export type Problem = Schemas['Problem'];

/** A hit of `GET /v1/search`: a person, an organisation or a post, with its type. */
export interface SearchHit {
  type: 'person' | 'organisation' | 'post';
  id: string;
  /** What to show: a name or a label. */
  name: string;
  /** A second line: an organisation, a role, an abbreviation. */
  detail: string | null;
}

/**
 * `GET /v1/search?q=&types=&limit=` comes from another change; until the committed OpenAPI document
 * describes it, its answer is read defensively (`items` or `hits`, each with `type`, `id` and a
 * `name`, `label` or `title`). Once it is there, this type is the generated one.
 */
export type SearchAnswer = '/v1/search' extends GetPath ? GetResult<'/v1/search' & GetPath> : unknown;

/** Reads hits out of a search answer of any of the shapes the contract allows. */
export function hitsOf(answer: unknown): SearchHit[] {
  const body = answer as { items?: unknown; hits?: unknown; results?: unknown } | null;
  const list = Array.isArray(body) ? body : (body?.items ?? body?.hits ?? body?.results);
  if (!Array.isArray(list)) return [];
  const hits: SearchHit[] = [];
  for (const raw of list as Array<Record<string, unknown>>) {
    const type = raw.type ?? raw.kind ?? raw.entity;
    const inner = (raw.item ?? raw.record ?? raw.resource ?? raw) as Record<string, unknown>;
    const id = raw.id ?? inner.id;
    const name = raw.name ?? raw.label ?? raw.title ?? inner.name ?? inner.label;
    if ((type === 'person' || type === 'organisation' || type === 'post') && typeof id === 'string' && typeof name === 'string') {
      // Organisations: the abbreviation; posts: their organisation; a hit by a former name: that name.
      const organisation = (raw.organisation ?? null) as { name?: unknown } | null;
      const matched = (raw.matched ?? null) as { field?: unknown; name?: unknown } | null;
      const detail =
        raw.abbreviation ?? inner.abbreviation ?? organisation?.name ?? (matched?.field === 'otherName' ? matched.name : null) ?? null;
      hits.push({ type, id, name, detail: typeof detail === 'string' ? detail : null });
    }
  }
  return hits;
}
