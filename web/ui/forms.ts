import { html, nothing, type TemplateResult } from 'lit-html';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import { live } from 'lit-html/directives/live.js';
import { ApiProblem } from './api.js';
import { messageOf, refresh } from './app.js';
import { serverMessage, t } from './i18n.js';

/**
 * A form's state after the server answered: field errors by JSON Pointer (RFC 6901, as the API's
 * problem `errors[].path` names them), shown next to their fields, and a summary at the top.
 */
export class FormState {
  errors = new Map<string, string>();
  /** A message for the whole form (a conflict, a refusal); the summary when fields are wrong. */
  alert: string | null = null;
  busy = false;
  /** JSON Pointers of the fields this form shows, with their input ids, for the summary's links. */
  private fields = new Map<string, { id: string; label: string }>();

  claim(pointer: string, id: string, label: string): void {
    this.fields.set(pointer, { id, label });
  }

  /** The message for a field: its own pointer, or any pointer below it (`/end` takes `/end/0`). */
  error(pointer: string): string | undefined {
    const own = this.errors.get(pointer);
    if (own) return serverMessage(own);
    for (const [path, message] of this.errors) if (path.startsWith(`${pointer}/`) && !this.fields.has(path)) return serverMessage(message);
    return undefined;
  }

  reset(): void {
    this.errors.clear();
    this.alert = null;
  }

  /** Runs a submit: busy state, then the field errors or the alert of a refusal. */
  async submit(work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.reset();
    refresh();
    try {
      await work();
    } catch (error) {
      if (error instanceof ApiProblem) {
        this.errors = error.fieldErrors;
        this.alert =
          error.status === 409
            ? t('conflict', error.problem.detail)
            : error.status === 403
              ? t('forbidden', error.problem.detail)
              : this.errors.size
                ? t('errorSummary')
                : error.problem.detail;
      } else this.alert = messageOf(error);
      refresh(() => document.getElementById('form-alert')?.focus());
    } finally {
      this.busy = false;
      refresh();
    }
  }

  summary(): TemplateResult | typeof nothing {
    if (!this.alert) return nothing;
    const listed = [...this.errors.entries()];
    return html`<div class="alert error" id="form-alert" role="alert" tabindex="-1">
      <p>${this.alert}</p>
      ${listed.length
        ? html`<ul>
            ${listed.map(([pointer, message]) => {
              const field = this.fields.get(pointer) ?? [...this.fields.entries()].find(([p]) => pointer.startsWith(`${p}/`))?.[1];
              return html`<li>${field ? html`<a href="#${field.id}" @click=${(e: Event) => focusField(e, field.id)}>${field.label}</a>` : pointer || '/'}:
                ${serverMessage(message)}</li>`;
            })}
          </ul>`
        : nothing}
    </div>`;
  }
}

function focusField(event: Event, id: string): void {
  event.preventDefault();
  document.getElementById(id)?.focus();
}

export interface FieldOptions {
  form: FormState;
  /** The JSON Pointer of the value in the request body. */
  pointer: string;
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: string;
  placeholder?: string;
  multiline?: boolean;
}

/** A labelled input with its hint and, after a refusal, the server's message right below it. */
export function field(options: FieldOptions): TemplateResult {
  const { form, pointer, id, label, value, hint, required } = options;
  // A corrected field loses its message at once; the server judges it again on the next submit.
  const onInput = (next: string) => {
    options.onInput(next);
    if (form.errors.delete(pointer)) refresh();
  };
  form.claim(pointer, id, label);
  const error = form.error(pointer);
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const input = options.multiline
    ? html`<textarea
        id=${id}
        rows="3"
        .value=${live(value)}
        @input=${(e: Event) => onInput((e.target as HTMLTextAreaElement).value)}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(described)}
        ?required=${required}
      ></textarea>`
    : html`<input
        id=${id}
        type=${options.type ?? 'text'}
        .value=${live(value)}
        @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(described)}
        autocomplete=${ifDefined(options.autocomplete)}
        inputmode=${ifDefined(options.inputmode)}
        placeholder=${ifDefined(options.placeholder)}
        ?required=${required}
      />`;
  return html`<div class="field ${error ? 'invalid' : ''}">
    <label for=${id}>${label}${required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</label>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing} ${input}
    ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
  </div>`;
}

/** The error line of a group of fields (a fieldset), for pointers such as `/end` or `/contactDetails/0`. */
export function groupError(form: FormState, pointer: string, id: string): TemplateResult | typeof nothing {
  const error = form.error(pointer);
  return error ? html`<p class="field-error" id=${id}>${error}</p>` : nothing;
}

/** Empty strings are "not given": left out of a create. */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
