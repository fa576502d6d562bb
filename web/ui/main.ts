import './styles.css';
import { html, nothing, type TemplateResult } from 'lit-html';
import { api, session, unwrap, whenKeyRefused } from './api.js';
import { errorView, loadingView, refresh, state, type Page } from './app.js';
import { lang, setLang, t } from './i18n.js';
import { currentRoute, href, navigate, type Route } from './router.js';
import { AuditPage, type AuditEntity } from './views/audit.js';
import { NewOrganisationPage, NewPersonPage, NewPostPage } from './views/create.js';
import { OrganisationPage } from './views/organisation.js';
import { PersonPage } from './views/person.js';
import { SearchPage } from './views/search.js';
import { SignInPage } from './views/signin.js';
import { TransitionPage } from './views/transition.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class NotFoundPage implements Page {
  title(): string {
    return t('notFoundTitle');
  }
  view(): TemplateResult {
    return html`<h1 tabindex="-1">${t('notFoundTitle')}</h1>
      <p>${t('notFound')}</p>
      <p><a href="#/">${t('backHome')}</a></p>`;
  }
}

/** `#/post/ID` shows the post in its organisation's chart. */
class PostPage implements Page {
  private error: unknown;
  constructor(private readonly id: string) {}
  title(): string {
    return t('post');
  }
  start(): void {
    api
      .GET('/v1/posts/{id}', { params: { path: { id: this.id } } })
      .then(unwrap)
      .then((post) => navigate(`/organisation/${post.organisationId}`, {}, true))
      .catch((error: unknown) => {
        this.error = error;
        refresh();
      });
  }
  view(): TemplateResult {
    return html`<h1 tabindex="-1">${t('post')}</h1>
      ${this.error ? errorView(this.error) : loadingView()}`;
  }
}

/** A page for an address; null when it needs a signed-in session first. */
function pageFor(route: Route): Page {
  const [first = '', id = '', sub] = route.path;
  const q = route.query;
  if (first === 'signin') return new SignInPage(q.get('return'));
  if (first === '') return new SearchPage(q.get('q') ?? '');
  if (first === 'person' && UUID.test(id)) return sub === 'transition' ? new TransitionPage(id) : new PersonPage(id, route);
  if (first === 'organisation' && UUID.test(id)) return new OrganisationPage(id, route);
  if (first === 'post' && UUID.test(id)) return new PostPage(id);
  if (first === 'new' && id === 'person') return new NewPersonPage();
  if (first === 'new' && id === 'organisation') return new NewOrganisationPage(q.get('parentId'));
  if (first === 'new' && id === 'post') return new NewPostPage(q.get('organisationId'));
  if (first === 'audit' && ['person', 'organisation', 'assignment', 'post'].includes(id) && sub && UUID.test(sub)) {
    return new AuditPage(id as AuditEntity, sub);
  }
  return new NotFoundPage();
}

function signedIn(): boolean {
  return state.me !== null;
}

function show(route: Route): void {
  if (!signedIn() && route.path[0] !== 'signin') {
    const here = location.hash.replace(/^#/, '') || '/';
    navigate('/signin', { return: here }, true);
    return;
  }
  if (state.page?.reroute?.(route)) return;
  state.page?.dispose?.();
  const page = pageFor(route);
  state.page = page;
  page.start?.();
  // After a change of page the keyboard and screen reader start at its heading.
  refresh(() => document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: false }));
}

function signOut(): void {
  session.key = null;
  sessionStorage.removeItem('rolebook.anonymous');
  state.me = null;
  navigate('/signin', {}, true);
}

function shell(page: Page): TemplateResult {
  const me = state.me;
  const nav = me
    ? html`<nav aria-label="Rolebook">
        <ul>
          <li><a href="#/">${t('navSearch')}</a></li>
          ${me.may.includes('write')
            ? html`<li><a href=${href('/new/person')}>${t('navNewPerson')}</a></li>
                <li><a href=${href('/new/organisation')}>${t('navNewOrganisation')}</a></li>
                <li><a href=${href('/new/post')}>${t('navNewPost')}</a></li>`
            : nothing}
        </ul>
      </nav>`
    : nothing;
  return html`<a class="skip" href="#main" @click=${(e: Event) => (e.preventDefault(), document.getElementById('main')?.focus())}>${t('skip')}</a>
    <header class="top">
      <a class="brand" href="#/">${t('appName')}</a>
      ${nav}
      <div class="session">
        ${me
          ? html`<span class="who">${me.keyId ? t('signedInAs', me.name, me.role) : t('anonymous')}</span>
              <button type="button" class="secondary small" @click=${signOut}>${t('signOut')}</button>`
          : nothing}
        <button
          type="button"
          class="secondary small"
          lang=${lang === 'de' ? 'en' : 'de'}
          aria-label=${t('switchLanguageLabel')}
          @click=${() => {
            setLang(lang === 'de' ? 'en' : 'de');
            refresh();
          }}
        >
          ${t('switchLanguage')}
        </button>
      </div>
    </header>
    <main id="main" tabindex="-1">${page.view()}</main>`;
}

async function boot(): Promise<void> {
  setLang(lang);
  state.shell = shell;
  whenKeyRefused(() => {
    session.key = null;
    state.me = null;
    state.flash = t('sessionExpired');
    navigate('/signin', {}, true);
  });
  if (session.key || sessionStorage.getItem('rolebook.anonymous')) {
    try {
      state.me = unwrap(await api.GET('/v1/me', {}));
    } catch {
      session.key = null;
      state.me = null;
    }
  }
  window.addEventListener('hashchange', () => show(currentRoute()));
  show(currentRoute());
}

void boot();
