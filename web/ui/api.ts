import createClient from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import type { Problem } from '../shared/api-types.js';

/**
 * The UI's only connection: the Rolebook API on the origin that served it, through a client typed
 * from the committed OpenAPI document. The key of the session travels as a bearer token.
 */
export const API_BASE = new URL('.', location.href).href.replace(/\/$/, '');

const KEY = 'rolebook.key';

export const session = {
  get key(): string | null {
    return sessionStorage.getItem(KEY);
  },
  set key(value: string | null) {
    if (value === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, value);
  },
};

/** Called when the API refuses the session's key (revoked or expired meanwhile). */
let onKeyRefused: () => void = () => {};
export function whenKeyRefused(handler: () => void): void {
  onKeyRefused = handler;
}

// JSON only: some reads also answer other media types (a person as text/vcard).
export const api = createClient<paths, 'application/json'>({ baseUrl: API_BASE, credentials: 'same-origin' });
api.use({
  onRequest({ request }) {
    const key = session.key;
    if (key && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && session.key && request.headers.get('authorization') === `Bearer ${session.key}`) onKeyRefused();
    return response;
  },
});

/** A refusal of the API: its status and its RFC 9457 problem. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail);
  }

  /** The field errors by JSON Pointer (`/start/0/role`), messages joined. */
  get fieldErrors(): Map<string, string> {
    const errors = new Map<string, string>();
    for (const error of this.problem.errors ?? []) {
      errors.set(error.path, errors.has(error.path) ? `${errors.get(error.path)}; ${error.message}` : error.message);
    }
    return errors;
  }
}

/** What openapi-fetch answers, turned into the data or a thrown ApiProblem (a TypeError when offline). */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  if (result.response.ok) return undefined as T;
  const body = result.error;
  const problem: Problem =
    body && typeof body === 'object' && 'status' in body
      ? (body as Problem)
      : { type: 'about:blank', title: result.response.statusText, status: result.response.status, detail: String(body ?? result.response.statusText) };
  throw new ApiProblem(result.response.status, problem);
}

export type { paths };

/** The `X-Reason` header of a write, percent-encoded after `UTF-8''` (RFC 8187) so any text travels. */
export function reasonHeader(reason: string): Record<string, string> {
  const trimmed = reason.trim();
  return trimmed ? { 'x-reason': `UTF-8''${encodeURIComponent(trimmed)}` } : {};
}
