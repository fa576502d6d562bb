import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { Schemas } from '../../shared/api-types.js';
import { addDays, covers } from '../../shared/dates.js';
import { api, unwrap } from '../api.js';
import { LoadingPage, messageOf, refresh, state } from '../app.js';
import { FormState, field, groupError, optional } from '../forms.js';
import { orgName, span } from '../format.js';
import { t } from '../i18n.js';
import { OrganisationPicker } from '../picker.js';
import { href, navigate } from '../router.js';

type Person = Schemas['Person'];
type Timeline = Schemas['PersonTimeline'];
type Post = Schemas['Post'];

/**
 * Records a move of one person (POST /v1/transitions): on `date`, the ticked roles end (their last
 * day is the day before) and a new one starts in the chosen organisation, post and role, with the
 * reason and the source; the server's field errors appear next to the fields they name.
 */
export class TransitionPage extends LoadingPage<{ person: Person; timeline: Timeline }> {
  private date = '';
  private readonly ends = new Set<string>();
  private readonly picker: OrganisationPicker;
  private posts: Post[] | null = null;
  private postsError: string | null = null;
  private postId = '';
  private role = '';
  private reason = '';
  private source = '';
  private readonly form = new FormState();

  constructor(private readonly personId: string) {
    super();
    this.picker = new OrganisationPicker('t-organisation', (chosen) => void this.loadPosts(chosen?.id ?? null));
  }

  title(): string {
    return t('transitionTitle', this.data?.person.name ?? '');
  }

  protected async load() {
    const params = { path: { id: this.personId } };
    const [person, timeline] = await Promise.all([
      api.GET('/v1/people/{id}', { params }).then(unwrap),
      api.GET('/v1/people/{id}/timeline', { params }).then(unwrap),
    ]);
    return { person, timeline };
  }

  private async loadPosts(organisationId: string | null): Promise<void> {
    this.posts = null;
    this.postId = '';
    this.postsError = null;
    if (!organisationId) return refresh();
    try {
      this.posts = unwrap(await api.GET('/v1/posts', { params: { query: { organisationId, limit: 500 } } })).items;
    } catch (error) {
      this.postsError = messageOf(error);
    }
    refresh();
  }

  /** The roles a move on the chosen date can end: running on the day before and not ended by then. */
  private endable(timeline: Timeline): Timeline['items'] {
    const date = /^\d{4}-\d{2}-\d{2}$/.test(this.date) ? this.date : null;
    return timeline.items.filter((item) =>
      date ? covers(item.assignment, addDays(date, -1)) && covers(item.assignment, date) : item.assignment.endDate === null,
    );
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const timeline = this.data!.timeline;
    const endable = new Set(this.endable(timeline).map((item) => item.assignment.id));
    const organisation = this.picker.chosen;
    await this.form.submit(async () => {
      const created = unwrap(
        await api.POST('/v1/transitions', {
          body: {
            // An empty date is sent as missing, so that the server names the field.
            date: optional(this.date) as string,
            end: [...this.ends].filter((id) => endable.has(id)).map((assignmentId) => ({ assignmentId })),
            start: organisation
              ? [
                  {
                    personId: this.personId,
                    organisationId: organisation.id,
                    postId: this.postId || undefined,
                    role: optional(this.role),
                  },
                ]
              : [],
            reason: optional(this.reason),
            source: optional(this.source),
          },
        }),
      );
      state.flash = t('transitionSaved');
      navigate(`/person/${this.personId}`, {});
      void created;
    });
  }

  protected content({ person, timeline }: { person: Person; timeline: Timeline }): TemplateResult {
    const form = this.form;
    const endable = this.endable(timeline);
    form.claim('/end', 'end-group', t('endSection'));
    form.claim('/start', 'start-group', t('startSection'));
    form.claim('/start/0/postId', 't-post', t('startPost'));
    const postError = form.error('/start/0/postId');
    return html`<h1 tabindex="-1">${t('transitionTitle', person.name)}</h1>
      <p class="intro">${t('transitionIntro')}</p>
      <p><a href=${href(`/person/${person.id}`)}>← ${person.name}</a></p>
      ${form.summary()}
      <form novalidate @submit=${(e: Event) => void this.save(e)} class="wide">
        ${field({
          form,
          pointer: '/date',
          id: 't-date',
          label: t('transitionDate'),
          hint: t('transitionDateHint'),
          type: 'date',
          required: true,
          value: this.date,
          onInput: (v) => {
            this.date = v;
            refresh();
          },
        })}
        <fieldset id="end-group" tabindex="-1" class=${form.error('/end') ? 'invalid' : ''} aria-describedby="end-error">
          <legend>${t('endSection')}</legend>
          ${endable.length
            ? endable.map((item) => {
                const a = item.assignment;
                const id = `end-${a.id}`;
                return html`<div class="check">
                  <input
                    type="checkbox"
                    id=${id}
                    .checked=${live(this.ends.has(a.id))}
                    @change=${(e: Event) => ((e.target as HTMLInputElement).checked ? this.ends.add(a.id) : this.ends.delete(a.id))}
                  />
                  <label for=${id}>${[a.role, item.post?.label].filter(Boolean).join(' · ') || t('role')} — ${orgName(item.organisation)}
                    <span class="muted">(${span(a) || t('ongoing')})</span></label>
                </div>`;
              })
            : html`<p class="hint">${t('endNone')}</p>`}
          ${groupError(form, '/end', 'end-error')}
        </fieldset>
        <fieldset id="start-group" tabindex="-1" class=${form.error('/start') ? 'invalid' : ''} aria-describedby="start-error">
          <legend>${t('startSection')}</legend>
          ${this.picker.view(form, '/start/0/organisationId', t('startOrganisation'))}
          ${this.picker.chosen
            ? html`<div class="field ${postError ? 'invalid' : ''}">
                <label for="t-post">${t('startPost')}</label>
                ${this.posts
                  ? html`<select
                      id="t-post"
                      .value=${live(this.postId)}
                      @change=${(e: Event) => (this.postId = (e.target as HTMLSelectElement).value)}
                      aria-invalid=${postError ? 'true' : 'false'}
                      aria-describedby=${postError ? 't-post-error' : nothing}
                    >
                      <option value="">${t('noPost')}</option>
                      ${this.posts.map((p) => html`<option value=${p.id} ?selected=${p.id === this.postId}>${p.label}</option>`)}
                    </select>`
                  : this.postsError
                    ? html`<p class="field-error">${this.postsError}</p>`
                    : html`<p class="hint">${t('loading')}</p>`}
                ${postError ? html`<p class="field-error" id="t-post-error">${postError}</p>` : nothing}
              </div>`
            : nothing}
          ${field({
            form,
            pointer: '/start/0/role',
            id: 't-role',
            label: t('startRole'),
            hint: t('startRoleHint'),
            value: this.role,
            onInput: (v) => (this.role = v),
          })}
          ${groupError(form, '/start', 'start-error')}
        </fieldset>
        ${field({
          form,
          pointer: '/reason',
          id: 't-reason',
          label: t('transitionReason'),
          hint: t('reasonHint'),
          multiline: true,
          value: this.reason,
          onInput: (v) => (this.reason = v),
        })}
        ${field({
          form,
          pointer: '/source',
          id: 't-source',
          label: t('transitionSource'),
          hint: t('transitionSourceHint'),
          value: this.source,
          onInput: (v) => (this.source = v),
        })}
        <div class="actions">
          <button type="submit" ?disabled=${form.busy}>${form.busy ? t('saving') : t('transitionSave')}</button>
          <a class="button secondary" href=${href(`/person/${person.id}`)}>${t('cancel')}</a>
        </div>
      </form>`;
  }
}
