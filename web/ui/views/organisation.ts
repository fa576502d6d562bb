import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { Schemas } from '../../shared/api-types.js';
import { addDays, addMonths, covers, today } from '../../shared/dates.js';
import { api, unwrap } from '../api.js';
import { errorView, LoadingPage, loadingView, may, refresh } from '../app.js';
import { date, orgName, span, uncertain } from '../format.js';
import { t, type TextKey } from '../i18n.js';
import { href, navigate, type Route } from '../router.js';
import { asOfBanner, asOfForm } from './person.js';

type Organisation = Schemas['Organisation'];
type Tree = Schemas['OrganisationTree'];
type Unit = Schemas['TreeUnit'];
type Holding = Schemas['Holding'];

const STEPS: Array<[TextKey, string, TextKey, (day: string) => string]> = [
  ['yearBack', '−1', 'yearShort', (d) => addMonths(d, -12)],
  ['monthBack', '−1', 'monthShort', (d) => addMonths(d, -1)],
  ['dayBack', '−1', 'dayShort', (d) => addDays(d, -1)],
  ['dayForward', '+1', 'dayShort', (d) => addDays(d, 1)],
  ['monthForward', '+1', 'monthShort', (d) => addMonths(d, 1)],
  ['yearForward', '+1', 'yearShort', (d) => addMonths(d, 12)],
];

/**
 * An organisation's chart on a chosen day: the date picker moves through time (a day, a month, a
 * year at a time), the chart shows the units as attached that day with their names of that day,
 * each post with its holders (or vacant), and the people without a post.
 */
export class OrganisationPage extends LoadingPage<Organisation> {
  private at: string;
  private asOf: string | undefined;
  private tree: Tree | null = null;
  private treeError: unknown;
  private treeSeq = 0;
  private readonly parentNames = new Map<string, string>();

  constructor(
    private readonly id: string,
    route: Route,
  ) {
    super();
    this.at = route.query.get('at') ?? today();
    this.asOf = route.query.get('asOf') ?? undefined;
  }

  title(): string {
    return this.tree?.root.name ?? this.data?.name ?? t('organisationChart');
  }

  reroute(route: Route): boolean {
    if (route.path[0] !== 'organisation' || route.path[1] !== this.id) return false;
    const asOf = route.query.get('asOf') ?? undefined;
    const asOfChanged = asOf !== this.asOf;
    this.at = route.query.get('at') ?? today();
    this.asOf = asOf;
    if (asOfChanged) void this.reload();
    void this.loadTree();
    return true;
  }

  override start(): void {
    super.start();
    void this.loadTree();
  }

  protected async load(): Promise<Organisation> {
    return unwrap(await api.GET('/v1/organisations/{id}', { params: { path: { id: this.id }, query: { asOf: this.asOf } } }));
  }

  private async loadTree(): Promise<void> {
    const seq = ++this.treeSeq;
    this.treeError = undefined;
    refresh();
    try {
      const tree = unwrap(
        await api.GET('/v1/organisations/{id}/tree', { params: { path: { id: this.id }, query: { at: this.at, asOf: this.asOf, members: 'true' } } }),
      );
      if (seq !== this.treeSeq) return;
      this.tree = tree;
    } catch (error) {
      if (seq !== this.treeSeq) return;
      this.treeError = error;
    }
    refresh();
  }

  /** The parent's name, read once per parent (its current name; the chart shows the day's names). */
  private parentName(id: string): string {
    const known = this.parentNames.get(id);
    if (known !== undefined) return known;
    this.parentNames.set(id, '');
    void api
      .GET('/v1/organisations/{id}', { params: { path: { id }, query: { asOf: this.asOf } } })
      .then(unwrap)
      .then((parent) => {
        this.parentNames.set(id, orgName(parent));
        refresh();
      })
      .catch(() => {});
    return '';
  }

  private goTo(day: string): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    // The day is part of the address (a link to the chart of 2016-07-01 can be shared), without a
    // history entry per click.
    navigate(`/organisation/${this.id}`, { at: day, asOf: this.asOf }, true);
  }

  private picker(): TemplateResult {
    return html`<form class="day-picker" @submit=${(e: Event) => e.preventDefault()}>
      <label for="day">${t('dayLabel')}</label>
      <div class="inline">
        ${STEPS.slice(0, 3).map(
          ([label, sign, unit, step]) =>
            html`<button type="button" class="secondary step" aria-label=${t(label)} title=${t(label)} @click=${() => this.goTo(step(this.at))}>
              ${sign} ${t(unit)}
            </button>`,
        )}
        <input id="day" type="date" required .value=${live(this.at)} @change=${(e: Event) => this.goTo((e.target as HTMLInputElement).value)} />
        ${STEPS.slice(3).map(
          ([label, sign, unit, step]) =>
            html`<button type="button" class="secondary step" aria-label=${t(label)} title=${t(label)} @click=${() => this.goTo(step(this.at))}>
              ${sign} ${t(unit)}
            </button>`,
        )}
        <button type="button" class="secondary" @click=${() => this.goTo(today())}>${t('today')}</button>
      </div>
    </form>`;
  }

  private holder(h: Holding): TemplateResult {
    return html`<a href=${href(`/person/${h.person.id}`, { asOf: this.asOf })}>${h.person.name}</a>${h.role
        ? html`<span class="muted"> — ${h.role}</span>`
        : nothing}
      <span class="muted small"> ${span(h)}</span>${uncertain(h.certainty)}`;
  }

  private unit(unit: Unit, level: number, root: boolean): TemplateResult {
    const heading = (content: TemplateResult) =>
      level <= 2 ? html`<h2>${content}</h2>` : level === 3 ? html`<h3>${content}</h3>` : level === 4 ? html`<h4>${content}</h4>` : html`<h5>${content}</h5>`;
    const members = unit.members ?? [];
    const empty = unit.posts.length === 0 && members.length === 0;
    return html`<section class="unit ${root ? 'root' : ''}" aria-label=${unit.name}>
      ${root
        ? nothing
        : heading(html`<a href=${href(`/organisation/${unit.id}`, { at: this.at, asOf: this.asOf })}>${orgName(unit)}</a>
            ${unit.classification ? html`<span class="badge">${unit.classification}</span>` : nothing}`)}
      ${unit.posts.length
        ? html`<table class="posts">
            <caption class="sr-only">${t('posts')}: ${unit.name}</caption>
            <thead>
              <tr><th scope="col">${t('post')}</th><th scope="col">${t('holders')}</th></tr>
            </thead>
            <tbody>
              ${unit.posts.map(
                (post) => html`<tr>
                  <th scope="row">${post.label}</th>
                  <td>${post.vacant ? html`<span class="vacant">${t('vacant')}</span>` : post.holders.map((h) => html`<div>${this.holder(h)}</div>`)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : nothing}
      ${members.length
        ? html`<p class="label">${t('members')}</p>
            <ul class="members">
              ${members.map((m) => html`<li>${this.holder(m)}</li>`)}
            </ul>`
        : nothing}
      ${empty && unit.units.length === 0 ? html`<p class="muted">${t('nobody')}</p>` : nothing}
      ${unit.units.length ? html`<div class="sub-units">${unit.units.map((u) => this.unit(u, level + 1, false))}</div>` : nothing}
    </section>`;
  }

  protected content(org: Organisation): TemplateResult {
    const tree = this.tree;
    const parentLink = org.parents.find((p) => covers(p, this.at));
    const flash = this.flash;
    return html`<h1 tabindex="-1">${orgName(tree?.root ?? org)}</h1>
      ${flash ? html`<p class="alert success" role="status">${flash}</p>` : nothing} ${asOfBanner(this.asOf)}
      <dl class="facts">
        ${org.classification ? html`<dt>${t('classification')}</dt><dd>${org.classification}</dd>` : nothing}
        ${org.location ? html`<dt>${t('location')}</dt><dd>${org.location}</dd>` : nothing}
        ${org.foundingDate ? html`<dt>${t('founded')}</dt><dd>${date(org.foundingDate)}</dd>` : nothing}
        ${org.dissolutionDate ? html`<dt>${t('dissolved')}</dt><dd>${date(org.dissolutionDate)}</dd>` : nothing}
        ${org.otherNames.length
          ? html`<dt>${t('otherNames')}</dt><dd>${org.otherNames.map((n) => html`<div>${n.name} <span class="muted">${span(n)}</span></div>`)}</dd>`
          : nothing}
        <dt>${t('parentOn')}</dt>
        <dd>
          ${parentLink
            ? html`<a href=${href(`/organisation/${parentLink.organisationId}`, { at: this.at, asOf: this.asOf })}
                  >${this.parentName(parentLink.organisationId) || t('organisation')}</a
                >
                <span class="muted">${span(parentLink)}</span>`
            : html`<span class="muted">${t('noParent')}</span>`}
        </dd>
      </dl>
      <div class="page-actions">
        ${may('write') && !this.asOf
          ? html`<a class="button secondary" href=${href('/new/post', { organisationId: org.id })}>${t('navNewPost')}</a>
              <a class="button secondary" href=${href('/new/organisation', { parentId: org.id })}>${t('newSubUnit')}</a>`
          : nothing}
        ${may('audit') ? html`<a class="button secondary" href=${href(`/audit/organisation/${org.id}`)}>${t('auditTrail')}</a>` : nothing}
      </div>
      ${asOfForm(this.asOf, (asOf) => navigate(`/organisation/${org.id}`, { at: this.at, asOf }))}
      <section aria-labelledby="chart-heading" class="chart">
        <h2 id="chart-heading">${t('organisationChart')} <span class="muted">${t('chartOn', date(this.at))}</span></h2>
        ${this.picker()}
        <p class="sr-only" role="status">${tree?.at === this.at ? t('chartOn', date(this.at)) : t('loading')}</p>
        <div aria-busy=${tree?.at === this.at ? 'false' : 'true'}>
          ${this.treeError
            ? errorView(this.treeError, () => void this.loadTree())
            : !tree
              ? loadingView()
              : !tree.existed
                ? html`<p class="alert info">${t('notExisting', date(tree.at))}</p>`
                : this.unit(tree.root, 2, true)}
        </div>
      </section>`;
  }
}
