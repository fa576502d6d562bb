import { html, nothing, type TemplateResult } from 'lit-html';
import { api, session, unwrap } from '../api.js';
import { state, type Page } from '../app.js';
import { FormState, field } from '../forms.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';

/** Sign-in with an API key: checked against GET /v1/me, then kept in sessionStorage. */
export class SignInPage implements Page {
  private key = '';
  private readonly form = new FormState();

  constructor(private readonly returnTo: string | null) {}

  title(): string {
    return t('signInTitle');
  }

  private async signIn(event: Event): Promise<void> {
    event.preventDefault();
    await this.form.submit(async () => {
      const key = this.key.trim();
      const result = await api.GET('/v1/me', { headers: { authorization: `Bearer ${key}` } });
      if (result.response.status === 401 || result.response.status === 400) {
        this.form.errors.set('/key', t('keyRefused'));
        this.form.alert = t('errorSummary');
        return;
      }
      state.me = unwrap(result);
      state.flash = null;
      session.key = key;
      sessionStorage.removeItem('rolebook.anonymous');
      this.done();
    });
  }

  private async anonymous(): Promise<void> {
    session.key = null;
    sessionStorage.setItem('rolebook.anonymous', '1');
    state.me = unwrap(await api.GET('/v1/me', {}));
    this.done();
  }

  private done(): void {
    const target = this.returnTo && this.returnTo.startsWith('/') && !this.returnTo.startsWith('/signin') ? this.returnTo : '/';
    const [path = '/', query = ''] = target.split('?');
    navigate(path, Object.fromEntries(new URLSearchParams(query)), true);
  }

  view(): TemplateResult {
    const flash = state.flash;
    return html`<h1 tabindex="-1">${t('signInTitle')}</h1>
      ${flash ? html`<p class="alert info" role="status">${flash}</p>` : nothing}
      <p class="intro">${t('signInIntro')}</p>
      ${this.form.summary()}
      <form class="narrow" novalidate @submit=${(e: Event) => void this.signIn(e)}>
        ${field({
          form: this.form,
          pointer: '/key',
          id: 'key',
          label: t('keyLabel'),
          hint: t('keyHint'),
          type: 'password',
          autocomplete: 'off',
          required: true,
          value: this.key,
          onInput: (v) => (this.key = v),
        })}
        <div class="actions">
          <button type="submit" ?disabled=${this.form.busy}>${t('signIn')}</button>
          <button type="button" class="secondary" @click=${() => void this.anonymous()}>${t('readAnonymously')}</button>
        </div>
      </form>`;
  }
}
