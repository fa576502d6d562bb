/**
 * The app's route table as Fastify sees it: every route added to the app (our own, the documentation
 * plugin's, CORS's), with the access level it declares. Collected by an onRoute hook that is added
 * the moment the instance is created (Fastify's `fastify.initialization` diagnostics channel), so
 * that no route registered afterwards can escape it.
 */
import { channel } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { AccessLevel } from '../../src/domain/access.js';
import { buildTestApp, type TestApp } from './app.js';

export interface TableRoute {
  method: string;
  /** As registered: `/v1/people/:id`, `/docs/*`. */
  url: string;
  /** What the route declares (read after the app is ready: plugins may fill it in their own onRoute hooks). */
  readonly access: AccessLevel | undefined;
}

const initialization = channel('fastify.initialization');

/** buildTestApp, and the routes of the app it built (read them after the first request or `app.ready()`). */
export async function buildTestAppWithRoutes(
  t: Parameters<typeof buildTestApp>[0],
  options: Parameters<typeof buildTestApp>[1] & {
    /** Called on the built app before it is ready: to add a route of the test's own. */
    beforeReady?: (app: FastifyInstance) => unknown;
  } = {},
): Promise<TestApp & { routes: TableRoute[] }> {
  const registered: RouteOptions[] = [];
  const onInit = (message: unknown) => {
    const fastify = (message as { fastify: FastifyInstance }).fastify;
    fastify.addHook('onRoute', (route) => {
      registered.push(route);
    });
  };
  initialization.subscribe(onInit);
  let built: TestApp;
  try {
    built = await buildTestApp(t, options);
  } finally {
    initialization.unsubscribe(onInit);
  }
  await options.beforeReady?.(built.app);
  await built.app.ready();
  const routes = registered.flatMap((route) =>
    ([] as string[]).concat(route.method).map((method) => ({
      method,
      url: route.url,
      get access() {
        return route.config?.access;
      },
    })),
  );
  return { ...built, routes };
}

/** `/v1/people/:id` → `/v1/people/{id}`: the path as the OpenAPI document writes it. */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
