import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { Schemas } from '../../shared/api-types.js';
import { covers, today } from '../../shared/dates.js';
import { api, reasonHeader, unwrap } from '../api.js';
import { LoadingPage, may, refresh } from '../app.js';
import { FormState, field } from '../forms.js';
import { date, moment, orgName, span, toLocalInput, toRfc3339 } from '../format.js';
import { hasKey, t } from '../i18n.js';
import { href, navigate, type Route } from '../router.js';

type Person = Schemas['Person'];
type Timeline = Schemas['PersonTimeline'];
type Item = Timeline['items'][number];

/** The form that ends one assignment: its last day and a reason, sent as a merge patch with If-Match. */
class EndForm {
  lastDay = today();
  reason = '';
  readonly form = new FormState();
  constructor(readonly item: Item) {}
}

/** A form for auditors: see the page as the directory stood at a moment (asOf). */
export function asOfForm(current: string | undefined, apply: (asOf: string | undefined) => void): TemplateResult | typeof nothing {
  if (!may('audit')) return nothing;
  let value = toLocalInput(current);
  return html`<form
    class="asof inline"
    @submit=${(e: Event) => {
      e.preventDefault();
      apply(toRfc3339(value));
    }}
  >
    <label for="as-of">${t('asOfLabel')}</label>
    <input id="as-of" type="datetime-local" step="1" .value=${live(value)} @input=${(e: Event) => (value = (e.target as HTMLInputElement).value)} />
    <button type="submit" class="secondary">${t('asOfShow')}</button>
    ${current ? html`<button type="button" class="secondary" @click=${() => apply(undefined)}>${t('asOfNow')}</button>` : nothing}
  </form>`;
}

export function asOfBanner(asOf: string | undefined): TemplateResult | typeof nothing {
  return asOf ? html`<p class="alert info" role="note">${t('asOfBanner', moment(asOf))}</p>` : nothing;
}

/** A person: name, contact details, the timeline of roles with the moves between them, and actions. */
export class PersonPage extends LoadingPage<{ person: Person; timeline: Timeline }> {
  private asOf: string | undefined;
  private ending: EndForm | null = null;

  constructor(
    private readonly id: string,
    route: Route,
  ) {
    super();
    this.asOf = route.query.get('asOf') ?? undefined;
  }

  title(): string {
    return this.data?.person.name ?? t('person');
  }

  reroute(route: Route): boolean {
    if (route.path[0] !== 'person' || route.path[1] !== this.id || route.path.length !== 2) return false;
    this.asOf = route.query.get('asOf') ?? undefined;
    this.ending = null;
    void this.reload();
    return true;
  }

  protected async load() {
    const params = { path: { id: this.id }, query: { asOf: this.asOf } };
    const [person, timeline] = await Promise.all([
      api.GET('/v1/people/{id}', { params }).then(unwrap),
      api.GET('/v1/people/{id}/timeline', { params }).then(unwrap),
    ]);
    return { person, timeline };
  }

  private async end(form: EndForm): Promise<void> {
    await form.form.submit(async () => {
      const id = form.item.assignment.id;
      const current = await api.GET('/v1/assignments/{id}', { params: { path: { id } } });
      unwrap(current);
      const etag = current.response.headers.get('etag') ?? '';
      unwrap(
        await api.PATCH('/v1/assignments/{id}', {
          params: { path: { id }, header: { 'if-match': etag } },
          body: { endDate: form.lastDay.trim() },
          headers: reasonHeader(form.reason),
        }),
      );
      this.ending = null;
      await this.reload();
      // Said once the timeline shows the change.
      this.flash = t('saved');
      refresh(() => document.querySelector<HTMLElement>('h1')?.focus());
    });
  }

  private endFormView(form: EndForm): TemplateResult {
    const id = form.item.assignment.id;
    return html`<form class="panel" novalidate @submit=${(e: Event) => (e.preventDefault(), void this.end(form))} aria-labelledby="end-${id}-title">
      <h3 id="end-${id}-title">${t('endAssignmentTitle', form.item.assignment.role ?? orgName(form.item.organisation))}</h3>
      ${form.form.summary()}
      ${field({
        form: form.form,
        pointer: '/endDate',
        id: 'end-last-day',
        label: t('lastDay'),
        hint: t('lastDayHint'),
        required: true,
        inputmode: 'numeric',
        value: form.lastDay,
        onInput: (v) => (form.lastDay = v),
      })}
      ${field({
        form: form.form,
        pointer: '/reason',
        id: 'end-reason',
        label: t('reason'),
        hint: t('reasonHint'),
        value: form.reason,
        onInput: (v) => (form.reason = v),
      })}
      <div class="actions">
        <button type="submit" ?disabled=${form.form.busy}>${form.form.busy ? t('saving') : t('save')}</button>
        <button type="button" class="secondary" @click=${() => ((this.ending = null), refresh())}>${t('cancel')}</button>
      </div>
    </form>`;
  }

  private item(item: Item, day: string): TemplateResult {
    const a = item.assignment;
    const current = covers(a, day);
    const canEnd = may('write') && !this.asOf && a.endDate === null;
    return html`<li class="timeline-item ${current ? 'current' : 'past'}">
      <p class="when">${span(a) || t('ongoing')}${current ? html` <span class="badge">${t('current')}</span>` : nothing}</p>
      <div class="what">
        <p>
          ${a.role ? html`<strong>${a.role}</strong>` : nothing}${item.post ? html`${a.role ? ' · ' : ''}<span>${item.post.label}</span>` : nothing}
        </p>
        <p>
          <a href=${href(`/organisation/${item.organisation.id}`, { at: item.seenOn, asOf: this.asOf })}>${orgName(item.organisation)}</a>
          ${item.organisation.parent ? html`<span class="muted"> — ${item.organisation.parent.name}</span>` : nothing}
        </p>
        ${a.source ? html`<p class="small"><span class="muted">${t('source')}:</span> ${a.source}</p>` : nothing}
        ${a.note ? html`<p class="small"><span class="muted">${t('note')}:</span> ${a.note}</p>` : nothing}
        <p class="row-actions">
          ${canEnd && this.ending?.item.assignment.id !== a.id
            ? html`<button
                type="button"
                class="secondary small"
                aria-label=${t('endAssignmentTitle', a.role ?? orgName(item.organisation))}
                @click=${() => {
                  this.ending = new EndForm(item);
                  refresh(() => document.getElementById('end-last-day')?.focus());
                }}
              >
                ${t('endAssignment')}
              </button>`
            : nothing}
          ${may('audit') ? html`<a class="small" href=${href(`/audit/assignment/${a.id}`)}>${t('auditTrail')}</a>` : nothing}
        </p>
        ${this.ending?.item.assignment.id === a.id ? this.endFormView(this.ending) : nothing}
      </div>
    </li>`;
  }

  protected content({ person, timeline }: { person: Person; timeline: Timeline }): TemplateResult {
    const day = today();
    const startedBy = new Map(timeline.transitions.flatMap((tr) => tr.started.map((id) => [id, tr] as const)));
    const shown = new Set<string>();
    const entries: TemplateResult[] = [];
    for (const item of timeline.items) {
      const transition = startedBy.get(item.assignment.id);
      if (transition && !shown.has(transition.id)) {
        shown.add(transition.id);
        entries.push(
          html`<li class="transition">
            <p><strong>${t('transitionOn', date(transition.date))}</strong></p>
            ${transition.reason ? html`<p>${transition.reason}</p>` : nothing}
            ${transition.source ? html`<p class="small"><span class="muted">${t('source')}:</span> ${transition.source}</p>` : nothing}
          </li>`,
        );
      }
      entries.push(this.item(item, day));
    }
    const flash = this.flash;
    return html`<h1 tabindex="-1">${person.name}</h1>
      ${flash ? html`<p class="alert success" role="status">${flash}</p>` : nothing} ${asOfBanner(this.asOf)}
      <div class="page-actions">
        ${may('write') && !this.asOf ? html`<a class="button" href=${href(`/person/${person.id}/transition`)}>${t('recordTransition')}</a>` : nothing}
        ${may('audit') ? html`<a class="button secondary" href=${href(`/audit/person/${person.id}`)}>${t('auditTrail')}</a>` : nothing}
      </div>
      ${asOfForm(this.asOf, (asOf) => navigate(`/person/${person.id}`, { asOf }))}
      <div class="two-columns">
        <section aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">${t('timeline')}</h2>
          ${entries.length ? html`<ol class="timeline">${entries}</ol>` : html`<p>${t('timelineEmpty')}</p>`}
        </section>
        <section aria-labelledby="contact-heading">
          <h2 id="contact-heading">${t('contactDetails')}</h2>
          ${person.contactDetails.length
            ? html`<dl class="contacts">
                ${person.contactDetails.map(
                  (c) => html`<dt>${c.label ?? (hasKey(c.type) ? t(c.type) : c.type)}
                      <span class="badge">${t(c.visibility === 'public' ? 'visibilityPublic' : c.visibility === 'internal' ? 'visibilityInternal' : 'visibilityPrivate')}</span></dt>
                    <dd>${c.value}</dd>`,
                )}
              </dl>`
            : html`<p>${t('noContactDetails')}</p>`}
          ${person.identifiers.length
            ? html`<h2>${t('identifiers')}</h2>
                <dl class="contacts">${person.identifiers.map((i) => html`<dt>${i.scheme}</dt><dd>${i.identifier}</dd>`)}</dl>`
            : nothing}
        </section>
      </div>`;
  }
}
