import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Role } from '../domain/access.js';
import type { Executor } from './client.js';
import { apiKeys } from './schema.js';

/** `rbk_` and 43 characters: 256 random bits, base64url. */
export function generateKey(): string {
  return `rbk_${randomBytes(32).toString('base64url')}`;
}

export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** What a list shows of a key: enough to recognise it, never enough to use it. */
export const prefixOf = (key: string) => `${key.slice(0, 10)}…`;

export interface KeyRecord {
  id: string;
  name: string;
  role: Role;
  scopes: string[];
  prefix: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

const publicColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  scopes: apiKeys.scopes,
  prefix: apiKeys.prefix,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
};

const iso = (value: string | null) => (value ? new Date(value).toISOString() : null);
const present = (row: KeyRecord): KeyRecord => ({
  ...row,
  createdAt: iso(row.createdAt)!,
  expiresAt: iso(row.expiresAt),
  revokedAt: iso(row.revokedAt),
});

export interface NewKey {
  name: string;
  role: Role;
  scopes?: string[];
  expiresAt?: string | null;
}

/** Stores a key (a fresh one, or a given secret such as ROLEBOOK_ADMIN_KEY); only its hash is kept. */
export async function insertKey(tx: Executor, input: NewKey, createdBy: string, secret = generateKey()) {
  const [row] = await tx
    .insert(apiKeys)
    .values({
      name: input.name,
      role: input.role,
      scopes: input.scopes ?? [],
      prefix: prefixOf(secret),
      secretHash: hashKey(secret),
      createdBy,
      expiresAt: input.expiresAt ?? null,
    })
    .returning(publicColumns);
  return { key: present(row as KeyRecord), secret };
}

/**
 * The key a request presents, if it is stored, not revoked and not expired. The lookup is by the
 * hash; the hashes are then compared in constant time as well.
 */
export async function findActiveKey(db: Executor, secret: string): Promise<KeyRecord | undefined> {
  const hash = hashKey(secret);
  const [row] = await db
    .select({ ...publicColumns, secretHash: apiKeys.secretHash })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.secretHash, hash),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
      ),
    );
  if (!row || !timingSafeEqual(Buffer.from(row.secretHash), Buffer.from(hash))) return undefined;
  const { secretHash: _, ...key } = row;
  return present(key as KeyRecord);
}

export async function keyExists(db: Executor, secret: string): Promise<boolean> {
  const [row] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.secretHash, hashKey(secret)));
  return row !== undefined;
}

export async function listKeys(db: Executor): Promise<KeyRecord[]> {
  const rows = await db.select(publicColumns).from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return (rows as KeyRecord[]).map(present);
}

export async function loadKey(db: Executor, id: string): Promise<KeyRecord | undefined> {
  const [row] = await db.select(publicColumns).from(apiKeys).where(eq(apiKeys.id, id));
  return row ? present(row as KeyRecord) : undefined;
}

export async function revokeKey(tx: Executor, id: string): Promise<KeyRecord | undefined> {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.id, id))
    .returning(publicColumns);
  return row ? present(row as KeyRecord) : undefined;
}

export async function countKeys(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(apiKeys);
  return row?.n ?? 0;
}
