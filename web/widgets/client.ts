import type { GetParams, GetPath, GetResult } from '../shared/api-types.js';

/**
 * Where the API is: the folder above the one this script was loaded from
 * (`https://rolebook.example/widgets/rolebook.js` → `https://rolebook.example/`), read once while
 * the script runs; a widget's `api` attribute overrides it.
 */
function scriptBase(): string {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="rolebook.js"]');
  return new URL('../', script?.src || location.href).href;
}

export const DEFAULT_BASE = scriptBase();

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

type PathParams<P extends GetPath> = GetParams<P> extends { path: infer X } ? X : never;
type QueryParams<P extends GetPath> = GetParams<P> extends { query?: infer Q } ? Q : never;

export interface RequestParams<P extends GetPath> {
  path?: PathParams<P>;
  query?: QueryParams<P>;
}

/**
 * Widgets on one page that ask for the same thing share one request (ten cards of one team cost
 * one), for as long as the API lets anonymous readers reuse an answer; after that the browser's
 * cache asks with If-None-Match and gets a 304 while nothing changed.
 */
const shared = new Map<string, { answer: Promise<unknown>; until: number }>();
const SHARE_MS = 60_000;

function urlOf(base: string, path: string, params: { path?: unknown; query?: unknown }): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String((params.path as Record<string, unknown> | undefined)?.[name] ?? '')),
  );
  const url = new URL(filled.slice(1), base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries((params.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  return url.href;
}

/** A GET of the API, typed from the OpenAPI document: its 200 answer, or an ApiError. */
export function get<P extends GetPath>(base: string, path: P, params: RequestParams<P>, key: string | null): Promise<GetResult<P>> {
  const url = urlOf(base, path, params);
  const id = `${key ?? ''} ${url}`;
  const hit = shared.get(id);
  if (hit && hit.until > Date.now()) return hit.answer as Promise<GetResult<P>>;
  const answer = fetch(url, {
    headers: key ? { Authorization: `Bearer ${key}` } : {},
    credentials: 'omit',
  }).then(async (response) => {
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      shared.delete(id);
      throw new ApiError(response.status, (body as { detail?: string } | null)?.detail ?? response.statusText);
    }
    return body as GetResult<P>;
  });
  answer.catch(() => shared.delete(id));
  shared.set(id, { answer, until: Date.now() + SHARE_MS });
  return answer;
}

/** A GET of a path the OpenAPI document may not describe yet (search): the body, or an ApiError. */
export async function getUntyped(base: string, path: string, query: Record<string, string | number>, key: string | null): Promise<unknown> {
  const response = await fetch(urlOf(base, path, { query }), {
    headers: key ? { Authorization: `Bearer ${key}` } : {},
    credentials: 'omit',
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, (body as { detail?: string } | null)?.detail ?? response.statusText);
  return body;
}
