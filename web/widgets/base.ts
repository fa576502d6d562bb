import type { Lang } from '../shared/dates.js';
import { ApiError, DEFAULT_BASE } from './client.js';
import { h } from './dom.js';
import { text } from './i18n.js';
import { adoptStyles } from './styles.js';

/** Raised for a widget that lacks a required attribute. */
export class MissingAttribute extends Error {}

/**
 * What every Rolebook widget shares: a shadow root with the styles, the API base (`api`
 * attribute, else where the script came from), the optional widget key (`key`), the language of
 * the page (`lang` on the element or an ancestor: `en…` English, anything else German), and the
 * three states a reader sees: loading, the content, or an error with a way to try again.
 */
export abstract class RolebookElement extends HTMLElement {
  protected readonly root: ShadowRoot;
  private generation = 0;
  private scheduled = false;
  private readonly body: HTMLElement;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    adoptStyles(this.root);
    this.body = h('div', { part: 'body' });
    this.root.appendChild(this.body);
  }

  connectedCallback(): void {
    this.schedule();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.schedule();
  }

  protected get language(): Lang {
    const lang = this.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang ?? '';
    return lang.toLowerCase().startsWith('en') ? 'en' : 'de';
  }

  protected get api(): string {
    return this.getAttribute('api') || DEFAULT_BASE;
  }

  protected get key(): string | null {
    return this.getAttribute('key') || null;
  }

  protected t(key: Parameters<typeof text>[1], ...args: string[]): string {
    return text(this.language, key, ...args);
  }

  protected required(name: string): string {
    const value = this.getAttribute(name);
    if (!value) throw new MissingAttribute(name);
    return value;
  }

  /** The heading level of the widget's title (`heading-level`, default 2), to fit the page's outline. */
  protected get headingLevel(): number {
    const level = Number(this.getAttribute('heading-level') ?? 2);
    return Number.isInteger(level) && level >= 1 && level <= 5 ? level : 2;
  }

  protected heading(offset: number, attributes: Record<string, string>, ...children: (Node | string)[]): HTMLElement {
    const level = Math.min(6, this.headingLevel + offset);
    return h(`h${level}` as 'h2', attributes, ...children);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.refresh();
    });
  }

  /** Loads and shows the content; a newer refresh wins over an older one still under way. */
  protected async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.setAttribute('aria-busy', 'true');
    this.show(
      h('div', { part: 'status loading', class: 'status', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), this.t('loading')),
    );
    try {
      const content = await this.load();
      if (generation !== this.generation) return;
      this.show(content);
      this.dispatchEvent(new CustomEvent('rolebook-load', { bubbles: true, composed: true }));
    } catch (error) {
      if (generation !== this.generation) return;
      this.show(this.errorView(error));
      this.dispatchEvent(new CustomEvent('rolebook-error', { bubbles: true, composed: true, detail: { error } }));
    } finally {
      if (generation === this.generation) this.removeAttribute('aria-busy');
    }
  }

  protected show(content: Node): void {
    this.body.replaceChildren(content);
  }

  protected errorView(error: unknown): HTMLElement {
    const message =
      error instanceof MissingAttribute
        ? this.t('missing', error.message)
        : error instanceof ApiError
          ? error.status === 404
            ? this.t('notFound')
            : error.status === 401 || error.status === 403
              ? this.t('denied')
              : error.status >= 500 || error.status === 429
                ? this.t('unreachable')
                : `${this.t('failed')} ${error.detail}`
          : this.t('unreachable');
    const retry = h('button', { type: 'button', part: 'retry' }, this.t('retry'));
    retry.addEventListener('click', () => void this.refresh());
    return h('div', { part: 'card error', class: 'card error', role: 'alert' }, h('p', {}, message), error instanceof MissingAttribute ? null : retry);
  }

  /** What the widget shows once its data is there. */
  protected abstract load(): Promise<Node>;
}
