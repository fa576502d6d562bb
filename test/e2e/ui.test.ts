import t from 'tap';
import type { Page } from 'playwright-core';
import { DEMO_IDS as ID } from '../../src/demo/data.js';
import { DATABASE_KIND } from '../helpers/database.js';
import { browserMissing, launchBrowser, screenshot, startApp, unlabelledControls, watchConsole } from './support.js';

const skip = browserMissing();
if (skip) console.log(`# ${skip}`);
// A browser, a build of the UI on the first run, and two test files in parallel on two cores.
t.setTimeout(300_000);

async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('API-Schlüssel').fill(key);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { name: 'Verzeichnis durchsuchen', level: 1 }).waitFor();
}

async function openPerson(page: Page, search: string, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Suche', exact: true }).click();
  await page.getByLabel('Name einer Person, Organisation oder eines Postens').fill(search);
  await page.getByRole('link', { name }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/**
 * The demo data without Katja Sträde's move: she is at the Regionalagentur, the coordination post at
 * the G.I.B. is vacant. The test records the move the way a coordinator would, through the UI.
 */
t.test(`the HR web UI (${DATABASE_KIND})`, { skip: skip ?? false }, async (t) => {
  const rolebook = await startApp(t, { transitions: false });
  const browser = await launchBrowser(t, { viewport: { width: 1366, height: 768 } });
  const page = await browser.newPage();
  const watch = watchConsole(page);

  // Sign in: a wrong key is refused next to the field, the editor's key is taken.
  await page.goto(`${rolebook.url}/`);
  await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
  t.match(page.url(), /#\/signin/, 'without a key the UI asks for one');
  await page.getByLabel('API-Schlüssel').fill('rbk_this-key-does-not-exist-000000');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.locator('#key-error').waitFor();
  t.match(await page.locator('#key-error').innerText(), /unbekannt, widerrufen oder abgelaufen/, 'a wrong key: said next to the field');
  await screenshot(page, 'ui-sign-in');
  await page.getByLabel('API-Schlüssel').fill(rolebook.keys.editor);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { name: 'Verzeichnis durchsuchen', level: 1 }).waitFor();
  t.match(await page.locator('header').innerText(), /HR Dortmund \(editor\)/, 'signed in as the editor');
  t.equal(await page.evaluate(() => sessionStorage.getItem('rolebook.key')), rolebook.keys.editor, 'the key is kept in sessionStorage');

  // Search, then Katja Sträde's page: still at the Regionalagentur.
  await page.getByLabel('Name einer Person, Organisation oder eines Postens').fill('Sträde');
  await page.getByRole('link', { name: 'Katja Sträde' }).waitFor();
  await screenshot(page, 'ui-search');
  await page.getByRole('link', { name: 'Katja Sträde' }).click();
  await page.getByRole('heading', { name: 'Katja Sträde', level: 1 }).waitFor();
  const timeline = page.locator('ol.timeline');
  await timeline.getByRole('link', { name: 'Regionalagentur Westfälisches Ruhrgebiet' }).waitFor();
  t.notMatch(await timeline.innerText(), /G\.I\.B\./, 'before: no G.I.B. in her timeline');

  // Record the move. First without a date: the server's error appears next to the date field.
  await page.getByRole('link', { name: 'Wechsel erfassen' }).click();
  await page.getByRole('heading', { name: 'Wechsel erfassen: Katja Sträde', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Wechsel speichern' }).click();
  const dateError = page.locator('#t-date-error');
  await dateError.waitFor();
  t.match(await dateError.innerText(), /muss ein (gültiges )?Datum sein/, 'the validation error, in German, next to the date field');
  t.equal(await page.getByLabel('Datum des Wechsels').getAttribute('aria-invalid'), 'true', 'the field is marked invalid');
  t.match(await page.getByLabel('Datum des Wechsels').getAttribute('aria-describedby'), /t-date-error/, 'and described by the message');
  t.ok(await page.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie die markierten Angaben' }).isVisible(), 'a summary on top');
  await screenshot(page, 'ui-transition-validation-error');

  await page.getByLabel('Datum des Wechsels').fill('2016-07-01');
  await page.getByRole('checkbox', { name: /Mitarbeiterin — Regionalagentur Westfälisches Ruhrgebiet/ }).check();
  await page.getByLabel('Neue Organisation').fill('G.I.B');
  await page.getByRole('button', { name: /Gesellschaft für innovative Beschäftigungsförderung mbH/ }).click();
  await page.getByLabel('Posten', { exact: true }).selectOption({ label: 'Koordination der Regionalagenturen in NRW' });
  await page.getByLabel('Funktion', { exact: true }).fill('Koordinatorin der Regionalagenturen in NRW');
  await page.getByLabel('Grund').fill('Wechsel zur G.I.B. nach der Sitzung vom 22. Juni 2016 – Koordination der Regionalagenturen');
  await page.getByLabel('Quelle').fill('Pressemitteilung der Regionalagentur Westfälisches Ruhrgebiet vom 04.07.2016');
  t.same(await unlabelledControls(page), [], 'every field of the transition form has a label');
  await screenshot(page, 'ui-transition-form');
  await page.getByRole('button', { name: 'Wechsel speichern' }).click();

  // Her timeline: the Regionalagentur until 30 June, the G.I.B. from 1 July, the move between.
  await page.getByRole('status').filter({ hasText: 'Der Wechsel ist gespeichert.' }).waitFor();
  await page.getByRole('heading', { name: 'Katja Sträde', level: 1 }).waitFor();
  await timeline.getByRole('link', { name: /Gesellschaft für innovative/ }).waitFor();
  const after = await timeline.innerText();
  t.match(after, /bis 30\.06\.2016\s+Mitarbeiterin\s+Regionalagentur Westfälisches Ruhrgebiet/, 'the Regionalagentur until 2016-06-30');
  t.match(after, /Wechsel am 01\.07\.2016\s+Wechsel zur G\.I\.B\./, 'the move with its reason');
  t.match(
    after,
    /seit 01\.07\.2016\s+aktuell\s+Koordinatorin der Regionalagenturen in NRW · Koordination der Regionalagenturen in NRW\s+Gesellschaft für innovative Beschäftigungsförderung mbH \(G\.I\.B\.\)/,
    'the G.I.B. from 2016-07-01, in the post',
  );
  await screenshot(page, 'ui-person-timeline');

  // The G.I.B.'s chart on 2016-07-01 (the timeline links to the day the role began), and a day earlier.
  await timeline.getByRole('link', { name: /Gesellschaft für innovative Beschäftigungsförderung/ }).click();
  await page.getByRole('heading', { name: /Organigramm/ }).waitFor();
  t.equal(await page.getByLabel('Stichtag').inputValue(), '2016-07-01', 'the chart of 2016-07-01');
  const post = page.getByRole('row', { name: /Koordination der Regionalagenturen in NRW/ });
  await post.getByRole('link', { name: 'Katja Sträde' }).waitFor();
  t.match(await post.innerText(), /Katja Sträde — Koordinatorin der Regionalagenturen in NRW\s+seit 01\.07\.2016/, 'she holds the post that day');
  await screenshot(page, 'ui-gib-chart-2016-07-01');
  await page.getByRole('button', { name: 'Einen Tag zurück' }).click();
  await page.getByRole('heading', { name: /Stand 30\.06\.2016/ }).waitFor();
  await post.getByText('unbesetzt').waitFor();
  t.pass('on 2016-06-30 the post is vacant');
  await page.getByRole('button', { name: 'Einen Tag vor' }).click();
  await post.getByRole('link', { name: 'Katja Sträde' }).waitFor();
  t.same(await unlabelledControls(page), [], 'the date picker has labels');

  const tree = await (await fetch(`${rolebook.url}/v1/organisations/${ID.gib}/tree?at=2016-07-01`)).json();
  t.equal(tree.root.posts[0].holders[0].person.id, ID.katjaStraede, 'the API agrees');

  // Creating an organisation: an end before the start is refused next to its field.
  await page.getByRole('link', { name: 'Organisation anlegen' }).click();
  await page.getByRole('heading', { name: 'Organisation anlegen', level: 1 }).waitFor();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Regionalagenturen-Service');
  await page.getByLabel('Gegründet am').fill('2016-07-01');
  await page.getByLabel('Aufgelöst am (letzter Tag)').fill('2016-06');
  await page.getByRole('button', { name: 'Anlegen' }).click();
  await page.locator('#o-dissolution-error').waitFor();
  t.match(await page.locator('#o-dissolution-error').innerText(), /darf nicht vor dem Beginn \(2016-07-01\) liegen/, 'the error sits at the dissolution date');
  t.equal(await page.locator('#o-founding-error').count(), 0, 'and not at the founding date');
  await screenshot(page, 'ui-organisation-validation-error');
  await page.getByLabel('Aufgelöst am (letzter Tag)').fill('');
  await page.getByLabel('Übergeordnete Organisation').fill('G.I.B');
  await page.getByRole('button', { name: /Gesellschaft für innovative Beschäftigungsförderung mbH/ }).click();
  await page.getByLabel('Zugehörig seit').fill('2016-07-01');
  await page.getByLabel('Grund').fill('Neue Einheit');
  await page.getByRole('button', { name: 'Anlegen' }).click();
  await page.getByRole('heading', { name: 'Regionalagenturen-Service', level: 1 }).waitFor();
  await page.locator('dl.facts').getByRole('link', { name: /Gesellschaft für innovative/ }).waitFor();
  t.match(await page.locator('dl.facts').innerText(), /Gehört zu\s+Gesellschaft für innovative Beschäftigungsförderung mbH \(G\.I\.B\.\)/, 'created, under the G.I.B.');

  // A post in it.
  await page.getByRole('link', { name: 'Posten anlegen' }).last().click();
  await page.getByRole('heading', { name: 'Posten anlegen', level: 1 }).waitFor();
  await page.getByText('Gewählt: Regionalagenturen-Service').waitFor();
  await page.getByLabel('Bezeichnung').fill('Leitung des Service');
  await page.getByRole('button', { name: 'Anlegen' }).click();
  await page.getByRole('heading', { name: 'Regionalagenturen-Service', level: 1 }).waitFor();
  await page.getByRole('row', { name: /Leitung des Service/ }).getByText('unbesetzt').waitFor();
  t.pass('a post is created, vacant');

  // A person with a contact detail.
  await page.getByRole('link', { name: 'Person anlegen' }).click();
  await page.getByRole('heading', { name: 'Person anlegen', level: 1 }).waitFor();
  await page.getByLabel('Titel').fill('Dr.');
  await page.getByLabel('Vorname').fill('Erika');
  await page.getByLabel('Nachname').fill('Mustermann');
  await page.getByRole('button', { name: 'Kontaktangabe hinzufügen' }).click();
  await page.getByLabel('Angabe').fill('erika.mustermann@example.org');
  await page.getByLabel('Sichtbarkeit').selectOption('public');
  t.same(await unlabelledControls(page), [], 'every field of the person form has a label');
  await screenshot(page, 'ui-new-person');
  await page.getByRole('button', { name: 'Anlegen' }).click();
  await page.getByRole('heading', { name: 'Dr. Erika Mustermann', level: 1 }).waitFor();
  t.match(await page.locator('dl.contacts').innerText(), /erika\.mustermann@example\.org/, 'created with the contact detail');

  // Ending an assignment: Marion Siebert's role ends on 2016-12-31.
  await openPerson(page, 'Siebert', 'Marion Siebert');
  await page.getByRole('button', { name: 'Funktion beenden: Referentin' }).click();
  await page.getByLabel('Letzter Tag').fill('2016-12-31');
  await page.getByLabel('Grund').fill('Ruhestand');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor();
  await page.locator('ol.timeline').getByText('bis 31.12.2016').waitFor();
  t.match(await page.locator('ol.timeline').innerText(), /bis 31\.12\.2016\s+Referentin/, 'her role ends on 2016-12-31');
  t.equal(await page.getByRole('link', { name: 'Änderungsprotokoll' }).count(), 0, 'an editor sees no audit trail');

  // English on request.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'the page says it is English');
  await screenshot(page, 'ui-english');
  await page.getByRole('button', { name: 'Auf Deutsch umschalten' }).click();
  await page.getByRole('heading', { name: 'Werdegang' }).waitFor();

  // The auditor: the move in the audit trail, and the directory as it stood before it.
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
  await signIn(page, rolebook.keys.auditor);
  await openPerson(page, 'Sträde', 'Katja Sträde');
  t.equal(await page.getByRole('link', { name: 'Wechsel erfassen' }).count(), 0, 'an auditor records nothing');
  await page.getByRole('link', { name: 'Änderungsprotokoll' }).first().click();
  await page.getByRole('heading', { name: 'Änderungsprotokoll: Katja Sträde', level: 1 }).waitFor();
  const entry = page.locator('article.audit-entry').filter({ hasText: 'transition.create' });
  await entry.waitFor();
  const entryText = await entry.innerText();
  t.match(entryText, /HR Dortmund \(key [0-9a-f-]+\)/, 'who recorded the move');
  t.match(entryText, /Wechsel zur G\.I\.B\. nach der Sitzung vom 22\. Juni 2016 – Koordination/, 'why, with its dash intact');
  t.match(entryText, /endDate\s+—\s+2016-06-30/, 'what changed: the end of her Regionalagentur role');
  t.ok(await page.locator('article.audit-entry').filter({ hasText: 'demo.load' }).count(), 'and the demo load before it');
  await screenshot(page, 'ui-audit-trail');

  await entry.getByRole('link', { name: 'Stand vor dieser Änderung' }).click();
  await page.getByRole('note').filter({ hasText: 'Sie sehen den Stand des Verzeichnisses vom' }).waitFor();
  await page.locator('ol.timeline').getByRole('link', { name: 'Regionalagentur Westfälisches Ruhrgebiet' }).waitFor();
  const before = await page.locator('ol.timeline').innerText();
  t.notMatch(before, /G\.I\.B\./, 'as of just before the move: no G.I.B.');
  t.notMatch(before, /bis 30\.06\.2016/, 'and no end at the Regionalagentur');
  await screenshot(page, 'ui-as-of-before-the-move');
  await page.getByRole('button', { name: 'Aktueller Stand' }).click();
  await page.locator('ol.timeline').getByRole('link', { name: /Gesellschaft für innovative/ }).waitFor();
  t.pass('and back to now');

  const verify = page.getByRole('button', { name: 'Hash-Kette prüfen' });
  await page.getByRole('link', { name: 'Änderungsprotokoll' }).first().click();
  await verify.click();
  await page.getByRole('status').filter({ hasText: 'Die Hash-Kette ist intakt' }).waitFor();
  t.pass('the auditor verifies the hash chain');

  t.same(watch.problems, [], 'no script errors, no CSP refusals');
  t.same(
    watch.failures.filter((f) => f !== '404 /v1/search'),
    ['401 /v1/me', '400 /v1/transitions', '400 /v1/organisations'],
    'no refused requests but the wrong key, the two invalid forms and, while the API has none, /v1/search',
  );
});
