/**
 * Who may do what (DESIGN.md §5), as plain data: every route declares one access level, every key
 * has one role, and `allows` decides.
 */
export const ROLES = ['public', 'reader', 'editor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * - `public`: anyone, with or without a key (published data only);
 * - `write`: editors (within their scopes) and admins;
 * - `audit`: the audit log, as-of reads: auditors and admins;
 * - `admin`: keys, data-protection export and erasure.
 */
export const ACCESS_LEVELS = ['public', 'write', 'audit', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

const GRANTS: Record<AccessLevel, readonly Role[]> = {
  public: ROLES,
  write: ['editor', 'admin'],
  audit: ['auditor', 'admin'],
  admin: ['admin'],
};

export function allows(role: Role, level: AccessLevel): boolean {
  return GRANTS[level].includes(role);
}

export type Visibility = 'public' | 'internal' | 'private';

/** The contact details a role may read: readers add internal ones, editors and up see all. */
export function visibleTo(role: Role): ReadonlySet<Visibility> {
  switch (role) {
    case 'public':
      return new Set(['public']);
    case 'reader':
      return new Set(['public', 'internal']);
    default:
      return new Set(['public', 'internal', 'private']);
  }
}

/**
 * A response shaped for an audience: every `contactDetails` list anywhere in it keeps only what
 * the role may read. Applied to every response (lists, change feed, problems with a `current`
 * record), so no route can forget it.
 */
export function shapeForRole<T>(value: T, role: Role): T {
  const visible = visibleTo(role);
  if (visible.size === 3) return value;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const shaped: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      shaped[key] =
        key === 'contactDetails' && Array.isArray(child)
          ? child.filter((c) => visible.has((c as { visibility?: Visibility }).visibility ?? 'private')).map(walk)
          : walk(child);
    }
    return shaped;
  };
  return walk(value) as T;
}
