import { html, nothing, render, type TemplateResult } from 'lit-html';
import type { Schemas } from '../shared/api-types.js';
import { ApiProblem } from './api.js';
import { t } from './i18n.js';
import type { Route } from './router.js';

export type Me = Schemas['Me'];

/** One screen of the UI. `start` runs once it is shown; `view` runs on every render. */
export interface Page {
  title(): string;
  view(): TemplateResult;
  start?(): void;
  dispose?(): void;
  /** Takes a new address in place (another day, another asOf) instead of being rebuilt; true if it did. */
  reroute?(route: Route): boolean;
}

export const state = {
  /** Who the session's key belongs to; null before sign-in. */
  me: null as Me | null,
  page: null as Page | null,
  /** A message for the next page: "Gespeichert." */
  flash: null as string | null,
  shell: (_page: Page): TemplateResult => html``,
};

let scheduled = false;
let afterRender: Array<() => void> = [];

/** Renders the current page on the next microtask; many state changes cost one render. */
export function refresh(then?: () => void): void {
  if (then) afterRender.push(then);
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    const page = state.page;
    const root = document.getElementById('app');
    if (!page || !root) return;
    // The first render replaces the page's "loading" text.
    if (root.dataset.rendered === undefined) {
      root.replaceChildren();
      root.dataset.rendered = '';
    }
    document.title = `${page.title()} – ${t('appName')}`;
    render(state.shell(page), root);
    const callbacks = afterRender;
    afterRender = [];
    for (const callback of callbacks) callback();
  });
}

/** The message left for the next page, once. */
export function takeFlash(): string | null {
  const flash = state.flash;
  state.flash = null;
  return flash;
}

export function may(level: 'write' | 'audit' | 'admin'): boolean {
  return state.me?.may.includes(level) ?? false;
}

export function loadingView(): TemplateResult {
  return html`<p class="loading" role="status"><span class="spinner" aria-hidden="true"></span> ${t('loading')}</p>`;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiProblem) return error.problem.detail || error.problem.title;
  if (error instanceof TypeError) return t('unreachable');
  return error instanceof Error ? error.message : String(error);
}

export function errorView(error: unknown, retry?: () => void): TemplateResult {
  return html`<div class="alert error" role="alert">
    <p>${t('loadFailed', messageOf(error))}</p>
    ${retry ? html`<button type="button" @click=${retry}>${t('retry')}</button>` : nothing}
  </div>`;
}

/** A page that loads its data first: shows the loading state, then the content or the error. */
export abstract class LoadingPage<D> implements Page {
  /** The message the page shows once ("Gespeichert."): what the previous page left for it. */
  protected flash: string | null = takeFlash();
  protected data: D | undefined;
  protected error: unknown;
  protected loading = false;
  private disposed = false;

  abstract title(): string;
  protected abstract load(): Promise<D>;
  protected abstract content(data: D): TemplateResult;
  /** What stays on screen while loading or failing: the heading, a date picker. */
  protected frame(body: TemplateResult): TemplateResult {
    return html`<h1 tabindex="-1">${this.title()}</h1>${body}`;
  }

  start(): void {
    void this.reload();
  }

  dispose(): void {
    this.disposed = true;
  }

  async reload(): Promise<void> {
    this.loading = true;
    refresh();
    try {
      const data = await this.load();
      if (this.disposed) return;
      this.data = data;
      this.error = undefined;
    } catch (error) {
      if (this.disposed) return;
      this.error = error;
    } finally {
      this.loading = false;
      if (!this.disposed) refresh();
    }
  }

  view(): TemplateResult {
    if (this.error !== undefined) return this.frame(errorView(this.error, () => void this.reload()));
    if (this.data === undefined) return this.frame(loadingView());
    return html`<div aria-busy=${this.loading ? 'true' : 'false'}>${this.content(this.data)}</div>`;
  }
}
