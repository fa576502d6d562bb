import { Problem, type FieldError } from '../http/problem.js';

/**
 * Turns what the database refused into the problem a client can act on. drizzle wraps driver
 * errors, so the PostgreSQL fields are looked up on the error and on its cause; postgres.js and
 * PGlite name the constraint differently.
 */
interface PgErrorFields {
  code: string;
  constraint?: string;
  detail?: string;
  message: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

/** The embedded database (PGlite) throws plain errors once it is closed or closing: gone, like a dropped connection. */
const PGLITE_CLOSED = /^PGlite is clos(?:ed|ing)$/;

export function pgErrorOf(error: unknown): PgErrorFields | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as Record<string, unknown>;
    if (current instanceof Error && PGLITE_CLOSED.test(current.message)) {
      return { code: 'CONNECTION_ENDED', message: current.message };
    }
    if (typeof candidate.code === 'string' && (/^[0-9A-Z]{5}$/.test(candidate.code) || NETWORK_CODES.has(candidate.code))) {
      return {
        code: candidate.code,
        constraint: (candidate.constraint_name ?? candidate.constraint) as string | undefined,
        detail: candidate.detail as string | undefined,
        message: String(candidate.message ?? ''),
      };
    }
    current = candidate.cause;
  }
  return undefined;
}

/** Where in a request body a constraint's column comes from, for 400 answers with a path. */
const REFERENCE_FIELDS: Record<string, { path: string; entity: string }> = {
  assignments_person_id_people_id_fk: { path: '/personId', entity: 'person' },
  assignments_organisation_id_organisations_id_fk: { path: '/organisationId', entity: 'organisation' },
  assignments_on_behalf_of_id_organisations_id_fk: { path: '/onBehalfOfId', entity: 'organisation' },
  assignments_post_in_organisation_fk: { path: '/postId', entity: 'post in that organisation' },
  posts_organisation_id_organisations_id_fk: { path: '/organisationId', entity: 'organisation' },
  organisation_parents_parent_id_organisations_id_fk: { path: '/parents', entity: 'parent organisation' },
};

const CHECK_MESSAGES: Record<string, FieldError> = {
  people_has_a_name: { path: '/familyName', in: 'body', message: 'a person needs a given or a family name' },
  organisation_parents_not_self: { path: '/parents', in: 'body', message: 'an organisation cannot be its own parent' },
  posts_max_holders_positive: { path: '/maxHolders', in: 'body', message: 'must be at least 1' },
};

const RETRY_AFTER_SECONDS = 5;

export function databaseProblem(error: unknown): Problem | undefined {
  const pg = pgErrorOf(error);
  if (!pg) return undefined;
  const constraint = pg.constraint ?? '';
  switch (pg.code) {
    case 'RB409': // raised by our own guards (drizzle/0004): the detail names the conflicting record
      return new Problem('conflict', pg.message, { constraint, ...parseJsonDetail(pg.detail) });
    case '23505':
      return new Problem('conflict', `Another record already has this value: ${pg.detail ?? constraint}.`, {
        constraint,
      });
    case '23P01':
      return new Problem('conflict', `This overlaps a stored record: ${pg.detail ?? constraint}.`, { constraint });
    case '23503': {
      const field = REFERENCE_FIELDS[constraint];
      if (pg.detail?.includes('is still referenced')) {
        return new Problem('conflict', 'Other records still refer to this one.', { constraint });
      }
      const path = field?.path ?? '/';
      const message = `refers to no ${field?.entity ?? 'stored record'}`;
      return new Problem('validation-error', `${path.slice(1)} ${message}.`, {
        errors: [{ path, in: 'body', message }],
      });
    }
    case '23514': {
      const known = CHECK_MESSAGES[constraint];
      const fieldError: FieldError = known ?? {
        path: constraint.includes('_end_') || constraint.includes('dissolution') ? '/endDate' : '/',
        in: 'body',
        message: `violates the rule ${constraint}`,
      };
      return new Problem('validation-error', fieldError.message, { errors: [fieldError], constraint });
    }
    case '22P02': // invalid text representation (a malformed uuid in a cursor, …)
    case '22007': // invalid datetime format
    case '22008': // datetime field overflow
    case '22003': // numeric value out of range
    case '22001': // string too long
    case '22021': // character not in repertoire (NUL bytes)
    case '54000': // program limit exceeded (an index row too large)
      return new Problem('bad-request', 'The database cannot store or compare a value of this request.');
    case '57014': // statement timeout
    case '40001': // serialization failure
    case '40P01': // deadlock
    case '55P03': // lock not available
    case '53300': // too many connections
    case '57P01': // admin shutdown
    case '57P02':
    case '57P03':
      return unavailable();
    default:
      if (pg.code.startsWith('08') || NETWORK_CODES.has(pg.code)) return unavailable();
      return undefined;
  }
}

function parseJsonDetail(detail: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(detail ?? '');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function unavailable(): Problem {
  return new Problem('service-unavailable', 'The database is busy or unavailable; try again shortly.', {
    retryAfter: RETRY_AFTER_SECONDS,
  });
}
