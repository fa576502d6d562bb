import t from 'tap';
import { DEMO_IDS as ID } from '../../src/demo/data.js';
import { DATABASE_KIND } from '../helpers/database.js';
import { browserMissing, closedPort, launchBrowser, screenshot, startApp, startOtherOrigin, watchConsole, widgetText } from './support.js';

const skip = browserMissing();
if (skip) console.log(`# ${skip}`);
// A browser, a build of the UI on the first run, and two test files in parallel on two cores.
t.setTimeout(300_000);

/** An intranet page of another origin that embeds the widgets with one script and one tag each. */
function intranetPage(api: string, body: string, lang = 'de'): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Intranet</title>
<script src="${api}/widgets/rolebook.js" defer></script>
<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto}rolebook-team,rolebook-person,rolebook-search{margin:1rem 0}</style>
</head><body><h1>Intranet</h1>${body}
<script>window.selected=[];document.addEventListener('rolebook-select',function(e){window.selected.push(e.detail);e.preventDefault();});
window.loaded=0;document.addEventListener('rolebook-load',function(){window.loaded++;});</script>
</body></html>`;
}

t.test(`widgets on a page of another origin (${DATABASE_KIND})`, { skip: skip ?? false }, async (t) => {
  const rolebook = await startApp(t);
  // An internal contact detail that no widget may show.
  const katja = await fetch(`${rolebook.url}/v1/people/${ID.katjaStraede}`, { headers: { authorization: `Bearer ${rolebook.keys.admin}` } });
  const patched = await fetch(`${rolebook.url}/v1/people/${ID.katjaStraede}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${rolebook.keys.admin}`, 'content-type': 'application/json', 'if-match': katja.headers.get('etag')! },
    body: JSON.stringify({
      contactDetails: [
        ...((await katja.json()) as { contactDetails: object[] }).contactDetails,
        { type: 'email', value: 'k.straede@intern.example', visibility: 'internal' },
        { type: 'phone', value: '+49 2041 767 0', visibility: 'public' },
      ],
    }),
  });
  t.equal(patched.status, 200, 'an internal e-mail address is added');

  // A widget key: the public role, sent as a bearer token (a CORS preflight, then private answers).
  const created = await fetch(`${rolebook.url}/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rolebook.keys.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Intranet Team-Seite', role: 'public' }),
  });
  const widgetKey = ((await created.json()) as { key: string }).key;
  const down = await closedPort();
  const origin = await startOtherOrigin(t, {
    '/team.html': intranetPage(
      rolebook.url,
      `<rolebook-team id="gib" organisation="${ID.gib}" at="2016-07-01"></rolebook-team>
       <rolebook-team id="mais" organisation="${ID.mais}" at="2016-06-22" include-sub-units></rolebook-team>
       <rolebook-person id="katja" person="${ID.katjaStraede}"></rolebook-person>
       <rolebook-search id="search"></rolebook-search>
       <div lang="en"><rolebook-team id="english" organisation="${ID.regionalagentur}" at="2016-06-30"></rolebook-team></div>
       <rolebook-person id="unknown" person="0b000000-0000-4000-8000-0000000000ff"></rolebook-person>
       <rolebook-team id="down" organisation="${ID.gib}" api="${down}"></rolebook-team>
       <rolebook-team id="nothing"></rolebook-team>
       <rolebook-person id="keyed" person="${ID.juttaReiter}" key="${widgetKey}"></rolebook-person>`,
    ),
  });
  t.not(new URL(origin).origin, new URL(rolebook.url).origin, 'the page comes from another origin than the API');

  const browser = await launchBrowser(t);
  const page = await browser.newPage();
  const watch = watchConsole(page);
  const answers: Array<{ url: string; status: number; headers: Record<string, string> }> = [];
  page.on('response', (response) => {
    if (response.url().startsWith(`${rolebook.url}/v1/`)) answers.push({ url: response.url(), status: response.status(), headers: response.headers() });
  });

  // Hold the G.I.B.'s tree until the loading state has been seen.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const gibTree = (url: URL) => url.pathname === `/v1/organisations/${ID.gib}/tree` && url.searchParams.get('at') === '2016-07-01';
  await page.route(gibTree, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${origin}/team.html`);
  const gib = page.locator('#gib');
  await gib.getByRole('status').filter({ hasText: 'Wird geladen' }).waitFor();
  t.equal(await gib.getAttribute('aria-busy'), 'true', 'a loading widget says it is busy');
  await screenshot(page, 'widgets-loading');
  release();

  await gib.getByText('Katja Sträde').waitFor();
  t.match(await widgetText(gib), /Gesellschaft für innovative Beschäftigungsförderung mbH \(G\.I\.B\.\)/, 'team: the organisation');
  t.match(await widgetText(gib), /Koordination der Regionalagenturen in NRW\s+Katja Sträde/, 'team: the post and its holder on 2016-07-01');
  t.match(await widgetText(gib), /Stand 01\.07\.2016/, 'team: the day, in German');
  t.equal(await gib.getAttribute('aria-busy'), null, 'no longer busy');

  const mais = page.locator('#mais');
  await mais.getByText('Marion Siebert').waitFor();
  const maisText = await widgetText(mais);
  for (const expected of ['Abteilung Arbeit und Qualifizierung', 'Referat Berufliche Bildung', 'Ingrid Schleimer', 'Gruppenleiterin', 'Referentin']) {
    t.match(maisText, expected, `team with sub-units: ${expected}`);
  }
  t.equal(await mais.locator('h3').count(), 2, 'sub-units are sections with headings below the title: the departments');
  t.equal(await mais.locator('h4').count(), 2, 'and the Referate below them');

  const card = page.locator('#katja');
  await card.getByRole('heading', { name: 'Katja Sträde' }).waitFor();
  const cardText = await widgetText(card);
  t.match(cardText, /Koordinatorin der Regionalagenturen in NRW/, 'card: the title');
  t.match(cardText, /Gesellschaft für innovative Beschäftigungsförderung mbH \(G\.I\.B\.\)/, 'card: the organisation');
  t.match(cardText, /Im Blankenfeld 4, 46238 Bottrop/, 'card: the published address');
  t.equal(await card.getByRole('link', { name: '+49 2041 767 0' }).getAttribute('href'), 'tel:+4920417670', 'card: a phone number to call');
  t.notMatch(cardText, /intern\.example/, 'card: no internal contact detail');

  const english = page.locator('#english');
  await english.getByText('Katja Sträde').waitFor();
  t.match(await widgetText(english), /As of 30 June 2016/, 'a widget inside lang="en" speaks English');

  await page.locator('#unknown').getByRole('alert').waitFor();
  t.match(await widgetText(page.locator('#unknown')), /Nicht gefunden/, 'an unknown id: an error state');
  await page.locator('#down').getByRole('alert').waitFor();
  t.match(await widgetText(page.locator('#down')), /nicht erreichbar/, 'an API that does not answer: an error state');
  t.ok(await page.locator('#down').getByRole('button', { name: 'Erneut versuchen' }).isVisible(), 'with a way to try again');
  t.match(await widgetText(page.locator('#nothing')), /Es fehlt das Attribut „organisation“/, 'a missing attribute is named');

  const keyed = page.locator('#keyed');
  await keyed.getByRole('heading', { name: 'Jutta Reiter' }).waitFor();
  t.match(await widgetText(keyed), /Vorsitzende · Vorsitz des Facharbeitskreises/, 'a widget with a widget key');
  const keyedAnswer = answers.find((a) => a.url === `${rolebook.url}/v1/people/${ID.juttaReiter}`);
  t.equal(keyedAnswer?.headers['cache-control'], 'private, no-cache', 'sent with a key: private, revalidated');

  // Search as you type, pick with the keyboard.
  const input = page.locator('#search').getByRole('combobox', { name: 'Im Verzeichnis suchen' });
  await input.pressSequentially('Strä', { delay: 40 });
  const option = page.locator('#search').getByRole('option', { name: /Katja Sträde/ });
  await option.waitFor();
  await input.press('ArrowDown');
  t.equal(await option.getAttribute('aria-selected'), 'true', 'search: the arrow key marks the first result');
  await input.press('Enter');
  t.same(
    await page.evaluate(() => (window as unknown as { selected: unknown[] }).selected),
    [{ type: 'person', id: ID.katjaStraede, name: 'Katja Sträde', detail: null }],
    'search: Enter picks the result (rolebook-select)',
  );
  await screenshot(page, 'widgets-other-origin');

  // Theming from outside: a custom property and a part.
  await page.addStyleTag({ content: '#katja{--rolebook-background:rgb(8, 66, 124)} #katja::part(name){color:rgb(255, 0, 0)}' });
  t.equal(await card.evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('.card')!).backgroundColor), 'rgb(8, 66, 124)', 'themed by a custom property');
  t.equal(await card.evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('[part~=name]')!).color), 'rgb(255, 0, 0)', 'themed through ::part');

  // What the widgets asked for: cacheable, tagged answers, read across origins.
  const reads = answers.filter((a) => a.status === 200 && !a.url.includes('/v1/search') && !a.url.includes(ID.juttaReiter));
  t.ok(reads.length >= 4, 'the widgets read the API');
  for (const answer of reads) {
    t.equal(answer.headers['cache-control'], 'public, max-age=60', `${new URL(answer.url).pathname}: Cache-Control`);
    t.match(answer.headers.etag, /^"[\w.-]+"$/, `${new URL(answer.url).pathname}: ETag`);
    t.equal(answer.headers['access-control-allow-origin'], '*', `${new URL(answer.url).pathname}: readable from another origin`);
  }
  t.same(watch.problems, [], 'no script errors on the page');
  t.same(
    watch.failures.filter((f) => !f.endsWith('/v1/search')).sort(),
    ['404 /v1/people/0b000000-0000-4000-8000-0000000000ff', '404 /v1/people/0b000000-0000-4000-8000-0000000000ff/timeline', `net::ERR_CONNECTION_REFUSED ${down}v1/organisations/${ID.gib}/tree?members=true`],
    'no failed requests but the demonstrated ones',
  );
});

t.test(`ten widgets: requests cold and warm (${DATABASE_KIND})`, { skip: skip ?? false }, async (t) => {
  const rolebook = await startApp(t);
  const ten = [
    `<rolebook-team organisation="${ID.gib}" at="2016-07-01"></rolebook-team>`,
    `<rolebook-team organisation="${ID.mais}" at="2016-06-22" include-sub-units></rolebook-team>`,
    `<rolebook-team organisation="${ID.facharbeitskreis}" at="2016-06-22"></rolebook-team>`,
    `<rolebook-team organisation="${ID.regionalagentur}" at="2016-06-22" include-sub-units></rolebook-team>`,
    `<rolebook-person person="${ID.juttaReiter}"></rolebook-person>`,
    `<rolebook-person person="${ID.ingridSchleimer}"></rolebook-person>`,
    `<rolebook-person person="${ID.marionSiebert}"></rolebook-person>`,
    `<rolebook-person person="${ID.katjaStraede}"></rolebook-person>`,
    `<rolebook-person person="${ID.katjaStraede}"></rolebook-person>`,
    `<rolebook-search></rolebook-search>`,
  ].join('\n');
  const origin = await startOtherOrigin(t, { '/ten.html': intranetPage(rolebook.url, ten) });
  const browser = await launchBrowser(t);
  const page = await browser.newPage();

  const visit = async (how: 'goto' | 'reload') => {
    const before = rolebook.requests.length;
    if (how === 'goto') await page.goto(`${origin}/ten.html`);
    else await page.reload();
    await page.waitForFunction(() => (window as unknown as { loaded: number }).loaded >= 10);
    await page.waitForLoadState('networkidle');
    return rolebook.requests.slice(before);
  };
  const cold = await visit('goto');
  const warmReload = await visit('reload');
  const warmVisit = await visit('goto');
  // 1 script + 4 trees + 4 people × (person + timeline); the second card of the same person shares them.
  t.equal(cold.length, 13, `cold: ${cold.length} requests (${cold.join(', ')})`);
  t.equal(cold.filter((r) => r.startsWith('GET /v1/')).length, 12, 'cold: 12 API reads');
  t.equal(warmReload.length, 0, `warm (reload): ${warmReload.length} requests`);
  t.equal(warmVisit.length, 0, `warm (visit again): ${warmVisit.length} requests`);

  // After a minute the browser asks again, with the ETag: a 304 without a body while nothing changed.
  const tree = `${rolebook.url}/v1/organisations/${ID.gib}/tree?at=2016-07-01`;
  const first = await fetch(tree);
  const again = await fetch(tree, { headers: { 'if-none-match': first.headers.get('etag')! } });
  t.equal(again.status, 304, 'revalidation: 304');
  t.equal(again.headers.get('cache-control'), 'public, max-age=60', 'the 304 renews the freshness');
  const keyed = await fetch(tree, { headers: { authorization: `Bearer ${rolebook.keys.editor}` } });
  t.equal(keyed.headers.get('cache-control'), 'private, no-cache', 'with a key: private, revalidated each time');
  const script = await fetch(`${rolebook.url}/widgets/rolebook.js`, { headers: { 'accept-encoding': 'gzip' } });
  t.equal(script.headers.get('cache-control'), 'public, max-age=300', 'the script: cached for five minutes');
  t.equal(script.headers.get('content-encoding'), 'gzip', 'the script: gzipped');
  console.log(
    `# widget script: ${rolebook.web.widget.bytes} bytes, ${rolebook.web.widget.gzipBytes} gzipped; ` +
      `ten widgets: ${cold.length} requests cold, ${warmReload.length} on reload, ${warmVisit.length} on a new visit`,
  );
});

t.test(`the demo page at /widgets/ (${DATABASE_KIND})`, { skip: skip ?? false }, async (t) => {
  const rolebook = await startApp(t);
  const browser = await launchBrowser(t);
  const page = await browser.newPage();
  const watch = watchConsole(page);
  await page.goto(`${rolebook.url}/widgets/`);
  await page.locator('rolebook-team').first().getByText('Katja Sträde').waitFor();
  await page.locator('rolebook-person').first().getByRole('heading', { name: 'Katja Sträde' }).waitFor();
  await page.locator('rolebook-person[lang], div[lang=en] rolebook-person').first().getByText('Gruppenleiterin').waitFor();
  await page.locator(`rolebook-team[organisation="${ID.mais}"]`).getByText('Ingrid Schleimer').waitFor();
  await page.waitForLoadState('networkidle');
  await screenshot(page, 'widgets-demo-page');
  // The demonstrated error states: an unknown person, and an API the page's CSP does not let it reach.
  t.same(
    watch.problems.filter((p) => !/rolebook\.invalid/.test(p)),
    [],
    'no script errors',
  );
  t.same(
    watch.failures.filter((f) => !f.endsWith('/v1/search') && !f.includes('rolebook.invalid')).sort(),
    ['404 /v1/people/0b000000-0000-4000-8000-0000000000ff', '404 /v1/people/0b000000-0000-4000-8000-0000000000ff/timeline'],
    'no failed requests but the demonstrated ones',
  );
  const search = page.locator('rolebook-search').getByRole('combobox');
  await search.fill('G.I.B');
  await page.locator('rolebook-search').getByRole('option', { name: /Gesellschaft für innovative/ }).click();
  // The UI asks for a key first and keeps where to go on.
  await page.waitForURL(/#\/(organisation|signin)/);
  t.match(decodeURIComponent(page.url()), `/organisation/${ID.gib}`, 'a picked result opens its page in the web UI');
});
