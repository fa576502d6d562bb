/**
 * GET /v1/people/{id} with Accept: text/vcard (RFC 6350): the card's syntax (CRLF, escaping,
 * folding at 75 octets without splitting a character), its content (names, today's organisations
 * with post and role), what each audience may see of the contact details, and the negotiation that
 * keeps JSON the default.
 */
import t from 'tap';
import { DEMO_IDS } from '../../../../src/demo/data.js';
import { escapeText, foldLine, parameterValue, writeVcard } from '../../../../src/domain/vcard.js';
import { buildTestApp } from '../../../helpers/app.js';
import { DATABASE_KIND } from '../../../helpers/database.js';
import { assertProblem, createPerson, read } from '../../../helpers/fixtures.js';

const { request, createKey } = await buildTestApp(t, { demo: true });

function vcard(id: string, key?: string | null, accept = 'text/vcard') {
  return request({ method: 'GET', url: `/v1/people/${id}`, headers: { accept }, key });
}

/** The logical lines of a card: physical lines unfolded (RFC 6350 §3.2). */
const unfold = (text: string) => text.replace(/\r\n /g, '').split('\r\n').filter(Boolean);

t.test(`a vCard 4.0 of a person on ${DATABASE_KIND}`, async (t) => {
  const res = await vcard(DEMO_IDS.katjaStraede);
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'text/vcard; charset=utf-8');
  t.match(String(res.headers['content-disposition']), /filename="katja-strade\.vcf"/);
  t.ok(res.text.endsWith('\r\n') && !/[^\r]\n/.test(res.text), 'every line ends in CRLF');
  const lines = unfold(res.text);
  t.same(lines.slice(0, 2), ['BEGIN:VCARD', 'VERSION:4.0']);
  t.equal(lines.at(-1), 'END:VCARD');
  t.ok(lines.includes(`UID:urn:uuid:${DEMO_IDS.katjaStraede}`));
  t.ok(lines.includes('FN:Katja Sträde'));
  t.ok(lines.includes('N:Sträde;Katja;;;'));
  // Today she is at the G.I.B., in the coordination post; the Regionalagentur (until 2016-06-30) is past.
  t.ok(lines.includes('ORG:Gesellschaft für innovative Beschäftigungsförderung mbH'));
  t.ok(lines.includes('TITLE:Koordination der Regionalagenturen in NRW'));
  t.ok(lines.some((l) => l.startsWith('ROLE:')));
  t.notOk(lines.some((l) => l.includes('Regionalagentur Westfälisches')), 'no past organisation');
  t.ok(lines.some((l) => l.startsWith('ADR;') && l.includes('Im Blankenfeld 4\\, 46238 Bottrop')), 'the public address, escaped');
  t.ok(lines.some((l) => /^REV:\d{8}T\d{6}Z$/.test(l)));

  const chair = unfold((await vcard(DEMO_IDS.juttaReiter)).text);
  t.ok(chair.includes('ORG:Regionalagentur Westfälisches Ruhrgebiet;Facharbeitskreis Westfälisches Ruhrgebiet'), 'the units above, outermost first');
  t.ok(chair.includes('TITLE:Vorsitz des Facharbeitskreises'));
  t.ok(chair.includes('ROLE:Vorsitzende'));
});

t.test('escaping and folding', async (t) => {
  const person = await createPerson(request, {
    givenName: 'Anna-Lena',
    familyName: 'Müller-Lüdenscheidt, geb. Öztürk; a\\b',
    honorificPrefix: 'Prof. Dr.',
    otherNames: [
      { name: 'Anna-Lena Öztürk', endDate: '2015-05' },
      { name: 'Lena Müller; "die Jüngere"' },
    ],
    contactDetails: [
      { type: 'address', value: 'Fürstenwall 25\n40219 Düsseldorf', label: 'Büro, 3. OG', visibility: 'public' },
      { type: 'email', value: 'anna-lena.mueller-luedenscheidt@ministerium-fuer-arbeit-und-soziales.nrw.example', visibility: 'public' },
    ],
  });
  const res = await vcard(person.id);
  t.equal(res.status, 200);
  for (const physical of res.text.split('\r\n')) {
    t.ok(Buffer.byteLength(physical, 'utf8') <= 75, `at most 75 octets: ${JSON.stringify(physical)}`);
  }
  t.notMatch(res.text, /\uFFFD/, 'no character split');
  t.ok(res.text.split('\r\n').some((l) => l.startsWith(' ')), 'long lines are folded');
  const lines = unfold(res.text);
  t.ok(lines.includes('N:Müller-Lüdenscheidt\\, geb. Öztürk\\; a\\\\b;Anna-Lena;;Prof. Dr.;'), 'N: , ; and \\ escaped');
  t.ok(lines.includes('FN;PREF=1:Prof. Dr. Anna-Lena Müller-Lüdenscheidt\\, geb. Öztürk\\; a\\\\b'));
  t.ok(lines.includes('FN:Lena Müller\\; "die Jüngere"'), 'an other name in use today');
  t.notOk(lines.some((l) => l.includes('Anna-Lena Öztürk')), 'not a name that ended');
  t.ok(lines.some((l) => l.startsWith('ADR;TYPE=work;LABEL="Büro, 3. OG^nFürstenwall 25^n40219 Düsseldorf":;;Fürstenwall 25\\n40219 Düsseldorf;')), 'newlines: \\n in values, ^n in parameters');
  t.ok(lines.includes('EMAIL;TYPE=work:anna-lena.mueller-luedenscheidt@ministerium-fuer-arbeit-und-soziales.nrw.example'));

  // The writer on its own, at the edges.
  t.equal(escapeText('a,b;c\\d\r\ne\nf'), 'a\\,b\\;c\\\\d\\ne\\nf');
  t.equal(parameterValue('work'), 'work');
  t.equal(parameterValue('a:b'), '"a:b"');
  t.equal(parameterValue('say "hi"^'), `"say ^'hi^'^^"`);
  const long = `NOTE:${'ä'.repeat(100)}`;
  const folded = foldLine(long);
  t.ok(folded.split('\r\n').every((l) => Buffer.byteLength(l) <= 75));
  t.equal(folded.replace(/\r\n /g, ''), long, 'unfolding gives the line back');
  t.equal(foldLine('x'.repeat(75)), 'x'.repeat(75), '75 octets stay on one line');
  t.equal(foldLine('x'.repeat(76)), `${'x'.repeat(75)}\r\n x`);
  const card = writeVcard({ uid: 'u', formattedName: 'A' });
  t.equal(card, 'BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//Rolebook//Rolebook//EN\r\nKIND:individual\r\nUID:urn:uuid:u\r\nFN:A\r\nN:;;;;\r\nEND:VCARD\r\n');
});

t.test('each audience sees the contact details its role may read', async (t) => {
  const person = await createPerson(request, {
    givenName: 'Marion',
    familyName: 'Kontakt',
    contactDetails: [
      { type: 'email', value: 'public@example.org', visibility: 'public' },
      { type: 'phone', value: '+49 211 855-0', visibility: 'internal' },
      { type: 'mobile', value: '+49 170 1234567', visibility: 'private' },
      { type: 'fax', value: '+49 211 855-1', visibility: 'internal' },
      { type: 'twitter', value: '@marion', visibility: 'public' },
    ],
  });
  const anonymous = (await vcard(person.id, null)).text;
  t.match(anonymous, /EMAIL;TYPE=work:public@example\.org/);
  t.match(anonymous, /X-TWITTER:@marion/, 'other types as X- properties');
  t.notMatch(anonymous, /855|1234567/, 'anonymous: no internal or private contact');

  const reader = (await vcard(person.id, await createKey('reader'))).text;
  t.match(reader, /TEL;TYPE=voice,work:\+49 211 855-0/);
  t.match(reader, /TEL;TYPE=fax,work:\+49 211 855-1/);
  t.notMatch(reader, /1234567/, 'reader: no private contact');

  const admin = (await vcard(person.id)).text;
  t.match(admin, /TEL;TYPE=cell,work:\+49 170 1234567/, 'admin: everything');
});

t.test('negotiation: JSON stays the default', async (t) => {
  const id = DEMO_IDS.katjaStraede;
  for (const accept of [undefined, 'application/json', '*/*', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/vcard;q=0.5, application/json']) {
    const res = await request({ method: 'GET', url: `/v1/people/${id}`, headers: accept ? { accept } : {} });
    t.equal(res.status, 200, `Accept: ${accept}`);
    t.match(String(res.headers['content-type']), /^application\/json/, `JSON for Accept: ${accept}`);
    t.equal(res.body.id, id);
  }
  for (const accept of ['text/vcard', 'text/*', 'text/vcard, application/json;q=0.9', 'TEXT/VCARD; version=4.0']) {
    const res = await vcard(id, undefined, accept);
    t.match(String(res.headers['content-type']), /^text\/vcard/, `vCard for Accept: ${accept}`);
  }
  const refused = await vcard(id, undefined, 'text/html');
  assertProblem(t, refused, 406, 'not-acceptable');
  t.same(refused.body.available, ['application/json', 'text/vcard']);
  assertProblem(t, await vcard('00000000-0000-4000-8000-000000000000'), 404, 'not-found');

  // Each representation has its own entity tag, and a conditional GET answers 304.
  const json = await read(request, `/v1/people/${id}`);
  const card = await vcard(id);
  t.not(card.headers.etag, json.headers.etag, 'the vCard has an ETag of its own');
  t.match(String(card.headers.vary), /Accept/);
  const again = await request({ method: 'GET', url: `/v1/people/${id}`, headers: { accept: 'text/vcard', 'if-none-match': String(card.headers.etag) } });
  t.equal(again.status, 304);

  // asOf holds for the card too (auditors and admins).
  const before = new Date().toISOString();
  const current = await read(request, `/v1/people/${id}`);
  await request({
    method: 'PATCH',
    url: `/v1/people/${id}`,
    headers: { 'content-type': 'application/merge-patch+json', 'if-match': String(current.headers.etag) },
    payload: JSON.stringify({ honorificPrefix: 'Dr.' }),
  });
  t.match((await vcard(id)).text, /FN:Dr\. Katja Sträde/);
  const then = await request({ method: 'GET', url: `/v1/people/${id}?asOf=${encodeURIComponent(before)}`, headers: { accept: 'text/vcard' } });
  t.match(then.text, /FN:Katja Sträde\r\n/, 'as the directory stood before');
});
