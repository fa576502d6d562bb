import { html, nothing, type TemplateResult } from 'lit-html';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import { live } from 'lit-html/directives/live.js';
import type { Schemas } from '../shared/api-types.js';
import { api, unwrap } from './api.js';
import { messageOf, refresh } from './app.js';
import type { FormState } from './forms.js';
import { t } from './i18n.js';

export interface Chosen {
  id: string;
  name: string;
  abbreviation: string | null;
}

type Organisation = Schemas['Organisation'];

/**
 * Chooses an organisation by typing part of its name or abbreviation: the matches appear as
 * buttons below the field (Tab reaches them, Enter or a click chooses one).
 */
export class OrganisationPicker {
  query = '';
  hits: Organisation[] = [];
  status = '';
  chosen: Chosen | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(
    private readonly id: string,
    private readonly onChange: (chosen: Chosen | null) => void = () => {},
  ) {}

  choose(chosen: Chosen | null): void {
    this.chosen = chosen;
    this.hits = [];
    this.status = '';
    this.onChange(chosen);
    refresh(() => document.getElementById(chosen ? `${this.id}-change` : this.id)?.focus());
  }

  private typed(value: string): void {
    this.query = value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), 200);
  }

  private async search(): Promise<void> {
    const q = this.query.trim();
    const seq = ++this.seq;
    if (q.length < 2) {
      this.hits = [];
      this.status = q ? t('searchTooShort') : '';
      refresh();
      return;
    }
    try {
      const page = unwrap(await api.GET('/v1/organisations', { params: { query: { q, limit: 10 } } }));
      if (seq !== this.seq) return;
      this.hits = page.items;
      this.status = page.items.length ? t('searchHits', page.items.length) : t('pickerNoHits');
    } catch (error) {
      if (seq !== this.seq) return;
      this.hits = [];
      this.status = messageOf(error);
    }
    refresh();
  }

  view(form: FormState, pointer: string, label: string, required = false): TemplateResult {
    form.claim(pointer, this.chosen ? `${this.id}-change` : this.id, label);
    const error = form.error(pointer);
    const errorId = `${this.id}-error`;
    if (this.chosen) {
      const name = this.chosen.abbreviation ? `${this.chosen.name} (${this.chosen.abbreviation})` : this.chosen.name;
      return html`<div class="field picker ${error ? 'invalid' : ''}" role="group" aria-labelledby="${this.id}-label">
        <p class="label" id="${this.id}-label">${label}</p>
        <p class="chosen">
          <span id="${this.id}-value">${t('pickerChosen', name)}</span>
          <button type="button" class="secondary" id="${this.id}-change" aria-describedby=${ifDefined(error ? errorId : undefined)} @click=${() => this.choose(null)}>
            ${t('pickerChange')}
          </button>
        </p>
        ${error ? html`<p class="field-error" id=${errorId}>${error}</p>` : nothing}
      </div>`;
    }
    return html`<div class="field picker ${error ? 'invalid' : ''}">
      <label for=${this.id} id="${this.id}-label">${label}${required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</label>
      <input
        id=${this.id}
        type="search"
        autocomplete="off"
        .value=${live(this.query)}
        @input=${(e: Event) => this.typed((e.target as HTMLInputElement).value)}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby="${this.id}-status${error ? ` ${errorId}` : ''}"
      />
      <p class="hint" id="${this.id}-status" role="status" aria-live="polite">${this.status}</p>
      ${this.hits.length
        ? html`<ul class="picker-hits">
            ${this.hits.map(
              (o) =>
                html`<li>
                  <button type="button" class="link" @click=${() => this.choose({ id: o.id, name: o.name, abbreviation: o.abbreviation })}>
                    ${o.name}${o.abbreviation ? html` <span class="muted">(${o.abbreviation})</span>` : nothing}${o.location
                      ? html` <span class="muted">· ${o.location}</span>`
                      : nothing}
                  </button>
                </li>`,
            )}
          </ul>`
        : nothing}
      ${error ? html`<p class="field-error" id=${errorId}>${error}</p>` : nothing}
    </div>`;
  }
}
