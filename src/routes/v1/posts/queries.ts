import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { prepared } from '../../../db/prepared.js';
import { posts } from '../../../db/schema.js';
import { likePattern } from '../../../db/text.js';
import { afterCursor, orderBy, type Keyset } from '../../../http/pagination.js';
import type { Post, PostInput } from './schemas.js';

type PostRow = typeof posts.$inferSelect;

export function presentPost(row: PostRow): Post {
  return {
    id: row.id,
    organisationId: row.organisationId,
    label: row.label,
    maxHolders: row.maxHolders,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

const byId = (db: Executor, name: string) => db.select().from(posts).where(eq(posts.id, sql.placeholder('id'))).prepare(name);

export async function loadPost(tx: Executor, id: string, forUpdate = false): Promise<Post | undefined> {
  const [row] = forUpdate
    ? await tx.select().from(posts).where(eq(posts.id, id)).for('update')
    : await prepared(tx, 'post_by_id', byId).execute({ id });
  return row && presentPost(row);
}

const postColumns = (input: PostInput) => ({
  organisationId: input.organisationId,
  label: input.label,
  maxHolders: input.maxHolders ?? null,
});

export async function insertPost(tx: Executor, input: PostInput, id?: string): Promise<string> {
  const [row] = await tx.insert(posts).values({ ...postColumns(input), ...(id ? { id } : {}) }).returning({ id: posts.id });
  return row!.id;
}

export async function updatePost(tx: Executor, id: string, input: PostInput): Promise<void> {
  await tx
    .update(posts)
    .set({ ...postColumns(input), updatedAt: sql`now()` })
    .where(eq(posts.id, id));
}

export const postKeyset: Keyset<PostRow> = {
  columns: [
    { expression: sql`${posts.sortLabel}`, type: 'text' },
    { expression: sql`${posts.id}`, type: 'uuid' },
  ],
  valuesOf: (row) => [row.sortLabel, row.id],
};

export async function listPosts(
  db: Executor,
  filter: { organisationId?: string; q?: string; cursor?: string; limit: number },
): Promise<PostRow[]> {
  const conditions: (SQL | undefined)[] = [
    afterCursor(postKeyset, filter.cursor),
    filter.organisationId ? eq(posts.organisationId, filter.organisationId) : undefined,
    filter.q ? sql`${posts.label} ILIKE ${likePattern(filter.q)}` : undefined,
  ];
  return db
    .select()
    .from(posts)
    .where(and(...conditions))
    .orderBy(...orderBy(postKeyset))
    .limit(filter.limit + 1);
}
