/**
 * Browser tests: the real service on a real port, Debian's chromium driven by playwright-core (no
 * browser download), and a second tiny web server on another port (another origin) for the pages
 * that embed the widgets. Screenshots go to test-output/screenshots/ (ignored by git).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ensureWebBuilt, type WebBuild } from '../../scripts/build-web.js';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/client.js';
import { insertKey } from '../../src/db/keys.js';
import { runWrite } from '../../src/db/write.js';
import { seedDemoDataIfEmpty } from '../../src/demo/seed.js';
import type { Role } from '../../src/domain/access.js';
import { createTestDatabase } from '../helpers/database.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** Why the browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `chromium is not installed at ${CHROMIUM}: the browser tests are skipped (apt-get install chromium; CI installs it)`;
}

export interface RunningApp {
  app: FastifyInstance;
  database: Database;
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  keys: Record<'admin' | 'editor' | 'auditor', string>;
  /** Requests the service received, by method and path (query left out). */
  requests: string[];
  web: WebBuild;
}

async function createKey(database: Database, role: Role, name: string): Promise<string> {
  return runWrite(database, { actor: 'test', requestId: null, reason: null }, 'key.create', async (tx) => {
    const { secret } = await insertKey(tx, { name, role, scopes: [], expiresAt: null }, 'test');
    return secret;
  });
}

/**
 * The service over a fresh test database with the demo data, listening on a free port.
 * `transitions: false` seeds the demo without Katja Sträde's move, for a test that records it.
 */
export async function startApp(t: Teardown, options: { transitions?: boolean } = {}): Promise<RunningApp> {
  const web = await ensureWebBuilt();
  const { database, destroy } = await createTestDatabase();
  await seedDemoDataIfEmpty(database, { transitions: options.transitions });
  const app = await buildApp({
    config: { BODY_LIMIT_BYTES: 1024 * 1024, RATE_LIMIT_PER_MINUTE: 1_000_000, MAX_EVENT_LOOP_DELAY_MS: 60_000 },
    database,
  });
  const requests: string[] = [];
  app.addHook('onRequest', async (request) => {
    requests.push(`${request.method} ${request.url.split('?')[0]}`);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(async () => {
    await app.close();
    await destroy();
  });
  const keys = {
    admin: await createKey(database, 'admin', 'Test-Admin'),
    editor: await createKey(database, 'editor', 'HR Dortmund'),
    auditor: await createKey(database, 'auditor', 'Revision'),
  };
  return { app, database, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, keys, requests, web };
}

/** A web server of another origin (`localhost` and its own port) that serves the given pages. */
export async function startOtherOrigin(t: Teardown, pages: Record<string, string>): Promise<string> {
  const server: Server = createServer((request, response) => {
    const page = pages[(request.url ?? '/').split('?')[0]!];
    if (page === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

/** An address where nothing listens: a port that was free a moment ago. */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

/** Debian's chromium, headless, with a fresh profile of its own (so that its cache starts cold). */
export async function launchBrowser(t: Teardown, options: { lang?: string; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), 'rolebook-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1366, height: 900 },
    locale: options.lang ?? 'de-DE',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.teardown(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  return context;
}

export interface PageWatch {
  /** Script errors and console errors (a CSP refusal among them). */
  problems: string[];
  /** Answers of 400 and above: status and path. */
  failures: string[];
}

/** What goes wrong on a page: script and console errors, and refused requests. */
export function watchConsole(page: Page): PageWatch {
  const watch: PageWatch = { problems: [], failures: [] };
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused request is reported below, with its address.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) watch.problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) watch.failures.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on('requestfailed', (request) => watch.failures.push(`${request.failure()?.errorText ?? 'failed'} ${request.url()}`));
  return watch;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every form control on the page has an accessible name (a label, aria-label or aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), select, textarea')]
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** The text a widget shows: its shadow root's, as rendered (innerText of the host sees none of it). */
export async function widgetText(widget: Locator): Promise<string> {
  return widget.evaluate((el) => (el.shadowRoot?.querySelector('[part~=body]') as HTMLElement | null)?.innerText ?? '');
}
