import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { hitsOf, type Schemas, type SearchHit } from '../../shared/api-types.js';
import { api, ApiProblem, API_BASE, session, unwrap } from '../api.js';
import { errorView, loadingView, refresh, type Page } from '../app.js';
import { orgName } from '../format.js';
import { t, type TextKey } from '../i18n.js';
import { href } from '../router.js';

const LIMIT = 20;
let searchRoute: boolean | undefined;

/**
 * GET /v1/search when the API has it (people, organisations and posts in one ranked list);
 * else the three lists filtered by name.
 */
async function find(q: string): Promise<SearchHit[]> {
  if (searchRoute !== false) {
    const url = new URL(`${API_BASE}/v1/search`);
    url.search = new URLSearchParams({ q, limit: String(LIMIT) }).toString();
    const response = await fetch(url, { headers: session.key ? { authorization: `Bearer ${session.key}` } : {} });
    if (response.ok) {
      searchRoute = true;
      return hitsOf(await response.json());
    }
    if (response.status !== 404 && response.status !== 405) {
      const problem = await response.json().catch(() => ({ type: 'about:blank', title: response.statusText, status: response.status, detail: response.statusText }));
      throw new ApiProblem(response.status, problem);
    }
    searchRoute = false;
  }
  const query = { q, limit: LIMIT };
  const [people, organisations, posts] = await Promise.all([
    api.GET('/v1/people', { params: { query } }).then(unwrap),
    api.GET('/v1/organisations', { params: { query } }).then(unwrap),
    api.GET('/v1/posts', { params: { query } }).then(unwrap),
  ]);
  return [
    ...people.items.map((p): SearchHit => ({ type: 'person', id: p.id, name: p.name, detail: null })),
    ...organisations.items.map((o): SearchHit => ({ type: 'organisation', id: o.id, name: o.name, detail: o.abbreviation })),
    ...posts.items.map((p): SearchHit => ({ type: 'post', id: p.id, name: p.label, detail: null })),
  ];
}

const TYPE_LABEL: Record<SearchHit['type'], TextKey> = { person: 'typePerson', organisation: 'typeOrganisation', post: 'typePost' };

/** The start page: search as you type, and the organisations to start from. */
export class SearchPage implements Page {
  private q: string;
  private hits: SearchHit[] | null = null;
  private searchError: unknown;
  private organisations: Schemas['Organisation'][] | null = null;
  private organisationsError: unknown;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(q: string) {
    this.q = q;
  }

  title(): string {
    return t('searchTitle');
  }

  start(): void {
    if (this.q.trim().length >= 2) void this.search();
    void this.loadOrganisations();
  }

  private async loadOrganisations(): Promise<void> {
    try {
      this.organisations = unwrap(await api.GET('/v1/organisations', { params: { query: { limit: 100 } } })).items;
    } catch (error) {
      this.organisationsError = error;
    }
    refresh();
  }

  private typed(value: string): void {
    this.q = value;
    // The query stays in the address, so that Back returns to the results.
    history.replaceState(null, '', href('/', { q: value.trim() || undefined }));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), 250);
  }

  private async search(): Promise<void> {
    const q = this.q.trim();
    const seq = ++this.seq;
    if (q.length < 2) {
      this.hits = null;
      refresh();
      return;
    }
    try {
      const hits = await find(q);
      if (seq !== this.seq) return;
      this.hits = hits;
      this.searchError = undefined;
    } catch (error) {
      if (seq !== this.seq) return;
      this.searchError = error;
    }
    refresh();
  }

  private results(): TemplateResult | typeof nothing {
    const q = this.q.trim();
    if (this.searchError) return errorView(this.searchError, () => void this.search());
    if (q.length === 1) return html`<p class="hint">${t('searchTooShort')}</p>`;
    if (this.hits === null) return nothing;
    if (this.hits.length === 0) return html`<p>${t('searchNoHits', q)}</p>`;
    return html`<ul class="hits" aria-label=${t('searchHits', this.hits.length)}>
      ${this.hits.map(
        (hit) => html`<li>
          <span class="badge">${t(TYPE_LABEL[hit.type])}</span>
          <a href=${href(`/${hit.type}/${hit.id}`)}>${hit.name}</a>
          ${hit.detail ? html`<span class="muted"> ${hit.detail}</span>` : nothing}
        </li>`,
      )}
    </ul>`;
  }

  view(): TemplateResult {
    return html`<h1 tabindex="-1">${t('searchTitle')}</h1>
      <form class="search" role="search" @submit=${(e: Event) => (e.preventDefault(), void this.search())}>
        <label for="q">${t('searchLabel')}</label>
        <div class="inline">
          <input id="q" type="search" autocomplete="off" .value=${live(this.q)} @input=${(e: Event) => this.typed((e.target as HTMLInputElement).value)} />
          <button type="submit">${t('searchButton')}</button>
        </div>
      </form>
      <div role="status" aria-live="polite" class="sr-only">${this.hits ? t('searchHits', this.hits.length) : ''}</div>
      ${this.results()}
      <section aria-labelledby="orgs-heading" class="organisations">
        <h2 id="orgs-heading">${t('allOrganisations')}</h2>
        ${this.organisationsError
          ? errorView(this.organisationsError, () => void this.loadOrganisations())
          : this.organisations
            ? html`<ul class="columns">
                ${this.organisations.map((o) => html`<li><a href=${href(`/organisation/${o.id}`)}>${orgName(o)}</a></li>`)}
              </ul>`
            : loadingView()}
      </section>`;
  }
}
