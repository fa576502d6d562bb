import type { FastifyInstance } from 'fastify';
import { registerListRoute, registerResourceRoutes } from '../../../http/resource.js';
import postHolderRoutes from './holders.js';
import { insertPost, listPosts, loadPost, postKeyset, presentPost, updatePost } from './queries.js';
import { listPostsQuery, post, postInput } from './schemas.js';

export default async function postRoutes(app: FastifyInstance) {
  registerListRoute(app, {
    summary: 'List posts',
    description: 'Sorted by label.',
    tag: 'posts',
    query: listPostsQuery,
    item: post,
    list: listPosts,
    keyset: postKeyset,
    present: presentPost,
  });
  registerResourceRoutes(app, {
    entity: 'post',
    noun: 'post',
    tag: 'posts',
    basePath: '/v1/posts',
    input: postInput,
    representation: post,
    load: loadPost,
    insert: insertPost,
    update: updatePost,
  });
  await app.register(postHolderRoutes);
}
