import { z } from 'zod';

/**
 * RFC 9457 problem details. Every error the API sends is one of these; `type` is a path under
 * `/problems/` on the service itself, where a person can read what the problem means.
 */
export interface FieldError {
  /** JSON Pointer into the part of the request named by `in`. */
  path: string;
  in: 'body' | 'query' | 'path' | 'header';
  message: string;
}

export const PROBLEM_TYPES = {
  'validation-error': { status: 400, title: 'The request is not valid' },
  'bad-request': { status: 400, title: 'The request cannot be read' },
  'unauthorized': { status: 401, title: 'Credentials are missing or wrong' },
  'forbidden': { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'No acceptable representation' },
  'conflict': { status: 409, title: 'Conflicts with stored data' },
  'precondition-failed': { status: 412, title: 'The resource has changed' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'precondition-required': { status: 428, title: 'If-Match is required' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Internal error' },
  'service-unavailable': { status: 503, title: 'Service unavailable' },
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export class Problem extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.status = PROBLEM_TYPES[type].status;
    this.title = PROBLEM_TYPES[type].title;
  }

  toJSON(): ProblemBody {
    return {
      type: `/problems/${this.type}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...this.extensions,
    };
  }
}

export const fieldErrorSchema = z.object({
  path: z.string().meta({ description: 'JSON Pointer to the offending value' }),
  in: z.enum(['body', 'query', 'path', 'header']),
  message: z.string(),
});

export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export type ProblemBody = z.infer<typeof problemSchema>;

/** A JSON Pointer (RFC 6901) to a value inside a request part: `/otherNames/0/name`, `` for the whole. */
export function jsonPointer(segments: readonly PropertyKey[]): string {
  return segments.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * What zod found wrong, as field errors. An unknown member is reported at its own path, not at the
 * object that holds it, so that a client sees which field to drop.
 */
export function fieldErrorsOf(
  issues: readonly { code: string; path: readonly PropertyKey[]; message: string; keys?: readonly string[] }[],
  where: FieldError['in'],
): FieldError[] {
  return issues.flatMap((issue): FieldError[] =>
    issue.code === 'unrecognized_keys' && issue.keys?.length
      ? issue.keys.map((key) => ({ path: jsonPointer([...issue.path, key]), in: where, message: 'is not a known field' }))
      : [{ path: jsonPointer(issue.path), in: where, message: issue.message }],
  );
}

export const notFound = (entity: string, id: string) =>
  new Problem('not-found', `No ${entity} with id ${id}.`);

export const invalid = (errors: FieldError[], detail?: string) =>
  new Problem('validation-error', detail ?? errors.map((e) => e.message).join('; '), { errors });

/** The error responses a route may document, by status. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, problemSchema])) as Record<
    number,
    typeof problemSchema
  >;
}
