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
  // Copies only the paths to a list it shortens and shares the rest: a 2,000-row answer without
  // contact details costs one walk and no copy.
  const walk = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        const shaped = walk(node[i]);
        if (shaped !== node[i]) (copy ??= node.slice())[i] = shaped;
      }
      return copy ?? node;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      const shaped =
        key === 'contactDetails' && Array.isArray(child)
          ? shortened(child.filter((c) => visible.has((c as { visibility?: Visibility }).visibility ?? 'private')).map(walk), child)
          : walk(child);
      if (shaped !== child) (copy ??= { ...node })[key] = shaped;
    }
    return copy ?? node;
  };
  return walk(value) as T;
}

/** `filtered` when it differs from `original`, else `original` itself. */
function shortened(filtered: unknown[], original: unknown[]): unknown[] {
  return filtered.length === original.length && filtered.every((item, i) => item === original[i]) ? original : filtered;
}
