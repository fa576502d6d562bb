import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { api, reasonHeader, unwrap } from '../api.js';
import { refresh, state, type Page } from '../app.js';
import { FormState, field, groupError, optional } from '../forms.js';
import { t, type TextKey } from '../i18n.js';
import { OrganisationPicker } from '../picker.js';
import { navigate } from '../router.js';

const CONTACT_TYPES = ['email', 'phone', 'mobile', 'fax', 'address', 'url'] as const;
const VISIBILITIES: Array<['public' | 'internal' | 'private', TextKey]> = [
  ['internal', 'visibilityInternal'],
  ['public', 'visibilityPublic'],
  ['private', 'visibilityPrivate'],
];

interface ContactRow {
  type: string;
  value: string;
  label: string;
  visibility: 'public' | 'internal' | 'private';
}

function reasonField(form: FormState, value: string, onInput: (v: string) => void): TemplateResult {
  return field({ form, pointer: '/x-reason', id: 'c-reason', label: t('reason'), hint: t('reasonHint'), value, onInput });
}

function actions(form: FormState): TemplateResult {
  return html`<div class="actions">
    <button type="submit" ?disabled=${form.busy}>${form.busy ? t('saving') : t('create')}</button>
    <button type="button" class="secondary" @click=${() => history.back()}>${t('cancel')}</button>
  </div>`;
}

/** POST /v1/people: names and contact details (each with its visibility). */
export class NewPersonPage implements Page {
  private givenName = '';
  private familyName = '';
  private honorificPrefix = '';
  private contacts: ContactRow[] = [];
  private reason = '';
  private readonly form = new FormState();

  title(): string {
    return t('newPersonTitle');
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    await this.form.submit(async () => {
      const person = unwrap(
        await api.POST('/v1/people', {
          body: {
            givenName: optional(this.givenName),
            familyName: optional(this.familyName),
            honorificPrefix: optional(this.honorificPrefix),
            contactDetails: this.contacts.map((c) => ({ type: c.type, value: c.value, label: optional(c.label), visibility: c.visibility })),
          },
          headers: reasonHeader(this.reason),
        }),
      );
      state.flash = t('created');
      navigate(`/person/${person.id}`);
    });
  }

  private contactRow(row: ContactRow, index: number): TemplateResult {
    const form = this.form;
    const base = `/contactDetails/${index}`;
    return html`<fieldset class="contact-row" id="contact-${index}" tabindex="-1">
      <legend>${t('contactN', index + 1)}</legend>
      <div class="field">
        <label for="contact-${index}-type">${t('contactType')}</label>
        <select id="contact-${index}-type" .value=${live(row.type)} @change=${(e: Event) => (row.type = (e.target as HTMLSelectElement).value)}>
          ${CONTACT_TYPES.map((type) => html`<option value=${type} ?selected=${row.type === type}>${t(type)}</option>`)}
        </select>
      </div>
      ${field({ form, pointer: `${base}/value`, id: `contact-${index}-value`, label: t('contactValue'), required: true, value: row.value, onInput: (v) => (row.value = v) })}
      ${field({ form, pointer: `${base}/label`, id: `contact-${index}-label`, label: t('contactLabel'), value: row.label, onInput: (v) => (row.label = v) })}
      <div class="field">
        <label for="contact-${index}-visibility">${t('visibility')}</label>
        <select
          id="contact-${index}-visibility"
          .value=${live(row.visibility)}
          @change=${(e: Event) => (row.visibility = (e.target as HTMLSelectElement).value as ContactRow['visibility'])}
        >
          ${VISIBILITIES.map(([value, label]) => html`<option value=${value} ?selected=${row.visibility === value}>${t(label)}</option>`)}
        </select>
      </div>
      ${groupError(form, base, `contact-${index}-error`)}
      <button
        type="button"
        class="secondary small"
        @click=${() => {
          this.contacts.splice(index, 1);
          refresh();
        }}
      >
        ${t('removeContact', index + 1)}
      </button>
    </fieldset>`;
  }

  view(): TemplateResult {
    const form = this.form;
    this.contacts.forEach((_, index) => form.claim(`/contactDetails/${index}`, `contact-${index}`, t('contactN', index + 1)));
    return html`<h1 tabindex="-1">${t('newPersonTitle')}</h1>
      ${form.summary()}
      <form novalidate class="wide" @submit=${(e: Event) => void this.save(e)}>
        <div class="grid-3">
          ${field({ form, pointer: '/honorificPrefix', id: 'p-prefix', label: t('honorificPrefix'), hint: t('honorificPrefixHint'), value: this.honorificPrefix, onInput: (v) => (this.honorificPrefix = v) })}
          ${field({ form, pointer: '/givenName', id: 'p-given', label: t('givenName'), autocomplete: 'off', value: this.givenName, onInput: (v) => (this.givenName = v) })}
          ${field({ form, pointer: '/familyName', id: 'p-family', label: t('familyName'), autocomplete: 'off', value: this.familyName, onInput: (v) => (this.familyName = v) })}
        </div>
        ${groupError(form, '', 'p-error')}
        <h2>${t('contactDetails')}</h2>
        ${this.contacts.map((row, index) => this.contactRow(row, index))}
        <p>
          <button
            type="button"
            class="secondary"
            @click=${() => {
              this.contacts.push({ type: 'email', value: '', label: '', visibility: 'internal' });
              refresh(() => document.getElementById(`contact-${this.contacts.length - 1}-value`)?.focus());
            }}
          >
            ${t('addContact')}
          </button>
        </p>
        ${reasonField(form, this.reason, (v) => (this.reason = v))} ${actions(form)}
      </form>`;
  }
}

/** POST /v1/organisations: name, kind, place, dates, and the parent it belongs to from a date. */
export class NewOrganisationPage implements Page {
  private name = '';
  private abbreviation = '';
  private classification = '';
  private location = '';
  private foundingDate = '';
  private dissolutionDate = '';
  private parentSince = '';
  private reason = '';
  private readonly parent = new OrganisationPicker('o-parent');
  private readonly form = new FormState();

  constructor(parentId: string | null) {
    if (parentId) {
      void api
        .GET('/v1/organisations/{id}', { params: { path: { id: parentId } } })
        .then(unwrap)
        .then((o) => {
          if (!this.parent.chosen) this.parent.choose({ id: o.id, name: o.name, abbreviation: o.abbreviation });
        })
        .catch(() => {});
    }
  }

  title(): string {
    return t('newOrganisationTitle');
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    await this.form.submit(async () => {
      const parent = this.parent.chosen;
      const created = unwrap(
        await api.POST('/v1/organisations', {
          body: {
            name: optional(this.name) as string,
            abbreviation: optional(this.abbreviation),
            classification: optional(this.classification),
            location: optional(this.location),
            foundingDate: optional(this.foundingDate),
            dissolutionDate: optional(this.dissolutionDate),
            parents: parent ? [{ organisationId: parent.id, startDate: optional(this.parentSince) }] : [],
          },
          headers: reasonHeader(this.reason),
        }),
      );
      state.flash = t('created');
      navigate(`/organisation/${created.id}`, { at: created.foundingDate && created.foundingDate.length === 10 ? created.foundingDate : undefined });
    });
  }

  view(): TemplateResult {
    const form = this.form;
    return html`<h1 tabindex="-1">${t('newOrganisationTitle')}</h1>
      ${form.summary()}
      <form novalidate class="wide" @submit=${(e: Event) => void this.save(e)}>
        ${field({ form, pointer: '/name', id: 'o-name', label: t('name'), required: true, value: this.name, onInput: (v) => (this.name = v) })}
        <div class="grid-3">
          ${field({ form, pointer: '/abbreviation', id: 'o-abbreviation', label: t('abbreviation'), value: this.abbreviation, onInput: (v) => (this.abbreviation = v) })}
          <div class="field ${form.error('/classification') ? 'invalid' : ''}">
            <label for="o-classification">${t('classification')}</label>
            <input id="o-classification" list="classifications" .value=${live(this.classification)} @input=${(e: Event) => (this.classification = (e.target as HTMLInputElement).value)} />
            <datalist id="classifications">
              ${['ministry', 'department', 'unit', 'agency', 'company', 'association', 'committee', 'region'].map((c) => html`<option value=${c}></option>`)}
            </datalist>
            ${form.error('/classification') ? html`<p class="field-error">${form.error('/classification')}</p>` : nothing}
          </div>
          ${field({ form, pointer: '/location', id: 'o-location', label: t('location'), value: this.location, onInput: (v) => (this.location = v) })}
        </div>
        <div class="grid-2">
          ${field({ form, pointer: '/foundingDate', id: 'o-founding', label: t('foundingDate'), hint: t('partialDateHint'), inputmode: 'numeric', value: this.foundingDate, onInput: (v) => (this.foundingDate = v) })}
          ${field({ form, pointer: '/dissolutionDate', id: 'o-dissolution', label: t('dissolutionDate'), hint: t('partialDateHint'), inputmode: 'numeric', value: this.dissolutionDate, onInput: (v) => (this.dissolutionDate = v) })}
        </div>
        <div class="grid-2">
          ${this.parent.view(form, '/parents/0/organisationId', t('parent'))}
          ${field({ form, pointer: '/parents/0/startDate', id: 'o-parent-since', label: t('parentSince'), hint: t('partialDateHint'), inputmode: 'numeric', value: this.parentSince, onInput: (v) => (this.parentSince = v) })}
        </div>
        ${groupError(form, '/parents', 'o-parents-error')} ${reasonField(form, this.reason, (v) => (this.reason = v))} ${actions(form)}
      </form>`;
  }
}

/** POST /v1/posts: a position in an organisation that outlives its holders. */
export class NewPostPage implements Page {
  private label = '';
  private maxHolders = '1';
  private reason = '';
  private readonly organisation = new OrganisationPicker('post-organisation');
  private readonly form = new FormState();

  constructor(organisationId: string | null) {
    if (organisationId) {
      void api
        .GET('/v1/organisations/{id}', { params: { path: { id: organisationId } } })
        .then(unwrap)
        .then((o) => {
          if (!this.organisation.chosen) this.organisation.choose({ id: o.id, name: o.name, abbreviation: o.abbreviation });
        })
        .catch(() => {});
    }
  }

  title(): string {
    return t('newPostTitle');
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    await this.form.submit(async () => {
      const max = this.maxHolders.trim();
      const created = unwrap(
        await api.POST('/v1/posts', {
          body: {
            organisationId: this.organisation.chosen?.id as string,
            label: optional(this.label) as string,
            // A value that is not a number goes as written, so that the server names the field.
            maxHolders: max === '' ? null : /^\d+$/.test(max) ? Number(max) : (max as unknown as number),
          },
          headers: reasonHeader(this.reason),
        }),
      );
      state.flash = t('created');
      navigate(`/organisation/${created.organisationId}`);
    });
  }

  view(): TemplateResult {
    const form = this.form;
    return html`<h1 tabindex="-1">${t('newPostTitle')}</h1>
      ${form.summary()}
      <form novalidate class="wide" @submit=${(e: Event) => void this.save(e)}>
        ${this.organisation.view(form, '/organisationId', t('organisation'), true)}
        ${field({ form, pointer: '/label', id: 'post-label', label: t('postLabel'), required: true, value: this.label, onInput: (v) => (this.label = v) })}
        ${field({ form, pointer: '/maxHolders', id: 'post-max', label: t('maxHolders'), hint: t('maxHoldersHint'), inputmode: 'numeric', value: this.maxHolders, onInput: (v) => (this.maxHolders = v) })}
        ${reasonField(form, this.reason, (v) => (this.reason = v))} ${actions(form)}
      </form>`;
  }
}
