import { hitsOf, type SearchHit } from '../shared/api-types.js';
import { RolebookElement } from './base.js';
import { ApiError, get, getUntyped } from './client.js';
import { h } from './dom.js';

const TYPES = ['person', 'organisation', 'post'] as const;

/** Whether this API has GET /v1/search; until the answer says otherwise, it is assumed. */
const searchRoute = new Map<string, boolean>();

/**
 * `<rolebook-search [types="person,organisation,post"] [limit="8"] [link="https://…/{type}/{id}"]>`:
 * a search box that shows results as you type (from two characters, 200 ms after the last key).
 * Arrow keys move through the results, Enter or a click picks one: the element fires
 * `rolebook-select` (detail: type, id, name) and, unless a listener cancels it, opens `link` with
 * `{type}` and `{id}` filled in. Uses GET /v1/search, or the people and organisation lists where
 * an API has no search yet.
 */
export class RolebookSearch extends RolebookElement {
  static observedAttributes: string[] = [];
  private input!: HTMLInputElement;
  private list!: HTMLUListElement;
  private status!: HTMLElement;
  private hits: SearchHit[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private query = 0;
  private built = false;

  override connectedCallback(): void {
    if (!this.built) super.connectedCallback();
  }

  override attributeChangedCallback(): void {}

  protected async load(): Promise<Node> {
    this.built = true;
    const id = 'rolebook-search';
    this.input = h('input', {
      id: `${id}-q`,
      part: 'input',
      type: 'search',
      autocomplete: 'off',
      spellcheck: 'false',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': `${id}-results`,
      placeholder: this.getAttribute('placeholder') ?? this.t('searchPlaceholder'),
    });
    this.list = h('ul', { id: `${id}-results`, part: 'results', role: 'listbox', 'aria-label': this.t('searchLabel') });
    this.status = h('p', { part: 'status', class: 'meta', role: 'status', 'aria-live': 'polite' });
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.search(), 200);
    });
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    return h(
      'div',
      { part: 'card search', class: 'card', role: 'search' },
      h('label', { for: `${id}-q`, part: 'label' }, this.getAttribute('label') ?? this.t('searchLabel')),
      this.input,
      this.status,
      this.list,
    );
  }

  private get types(): string[] {
    const wanted = (this.getAttribute('types') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    return wanted.length ? TYPES.filter((t) => wanted.includes(t)) : [...TYPES];
  }

  private get limit(): number {
    const limit = Number(this.getAttribute('limit') ?? 8);
    return Number.isInteger(limit) && limit > 0 && limit <= 50 ? limit : 8;
  }

  private async search(): Promise<void> {
    const q = this.input.value.trim();
    const query = ++this.query;
    if (q.length < 2) {
      this.showHits([]);
      this.status.textContent = q.length ? this.t('typeMore') : '';
      return;
    }
    this.status.textContent = this.t('searching');
    this.setAttribute('aria-busy', 'true');
    try {
      const hits = await this.find(q);
      if (query !== this.query) return;
      this.showHits(hits);
      this.status.textContent = hits.length ? this.t('hits', String(hits.length)) : this.t('noHits');
    } catch (error) {
      if (query !== this.query) return;
      this.showHits([]);
      this.status.textContent = error instanceof ApiError && error.status < 500 && error.status !== 429 ? `${this.t('failed')} ${error.detail}` : this.t('unreachable');
    } finally {
      if (query === this.query) this.removeAttribute('aria-busy');
    }
  }

  private async find(q: string): Promise<SearchHit[]> {
    const limit = this.limit;
    if (searchRoute.get(this.api) !== false) {
      try {
        const answer = await getUntyped(this.api, '/v1/search', { q, types: this.types.join(','), limit }, this.key);
        searchRoute.set(this.api, true);
        return hitsOf(answer).slice(0, limit);
      } catch (error) {
        if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405) || searchRoute.get(this.api)) throw error;
        searchRoute.set(this.api, false);
      }
    }
    // An API without /v1/search: the people and organisation lists filtered by name.
    const [people, organisations] = await Promise.all([
      this.types.includes('person') ? get(this.api, '/v1/people', { query: { q, limit } }, this.key) : null,
      this.types.includes('organisation') ? get(this.api, '/v1/organisations', { query: { q, limit } }, this.key) : null,
    ]);
    return [
      ...(people?.items ?? []).map((p): SearchHit => ({ type: 'person', id: p.id, name: p.name, detail: null })),
      ...(organisations?.items ?? []).map((o): SearchHit => ({ type: 'organisation', id: o.id, name: o.name, detail: o.abbreviation })),
    ].slice(0, limit);
  }

  private showHits(hits: SearchHit[]): void {
    this.hits = hits;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.input.setAttribute('aria-expanded', String(hits.length > 0));
    this.list.replaceChildren(
      ...hits.map((hit, index) => {
        const option = h(
          'li',
          { id: `rolebook-hit-${index}`, role: 'option', part: 'result', 'aria-selected': 'false' },
          h('span', { class: 'type', part: 'result-type' }, this.t(hit.type)),
          h('span', { class: 'name', part: 'result-name' }, hit.name),
          hit.detail ? h('span', { class: 'detail', part: 'result-detail' }, ` ${hit.detail}`) : null,
        );
        option.addEventListener('mousedown', (event) => event.preventDefault());
        option.addEventListener('click', () => this.pick(hit));
        return option;
      }),
    );
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!this.hits.length) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.hits.length) % this.hits.length;
      [...this.list.children].forEach((option, index) => option.setAttribute('aria-selected', String(index === this.active)));
      this.input.setAttribute('aria-activedescendant', `rolebook-hit-${this.active}`);
    } else if (event.key === 'Enter' && this.active >= 0) {
      event.preventDefault();
      this.pick(this.hits[this.active]!);
    } else if (event.key === 'Escape') {
      this.input.value = '';
      this.showHits([]);
      this.status.textContent = '';
    }
  }

  private pick(hit: SearchHit): void {
    const proceed = this.dispatchEvent(
      new CustomEvent('rolebook-select', { bubbles: true, composed: true, cancelable: true, detail: { ...hit } }),
    );
    const link = this.getAttribute('link');
    if (proceed && link) location.assign(link.replaceAll('{type}', hit.type).replaceAll('{id}', encodeURIComponent(hit.id)));
  }
}
