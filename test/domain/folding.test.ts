/**
 * The search folding (src/domain/folding.ts) against a naive model: where the module looks every
 * character up in literal tables (the same strings the SQL functions of drizzle/0011 translate
 * with), the model derives each character's folding from Unicode itself — compatibility
 * decomposition, combining marks removed, lower case — with a short list of letters that do not
 * decompose (ß, æ, ø, ł, đ, þ…). Then the properties search relies on: idempotence, case and
 * normalisation insensitivity, words kept apart, the German folding as the plain one after the
 * umlauts are written out. test/db/folding.test.ts checks the SQL twin against this module.
 */
import fc from 'fast-check';
import t from 'tap';
import {
  DROPPED,
  foldGerman,
  foldPlain,
  GERMAN_MULTI,
  LATIN_FROM,
  LATIN_MULTI,
  SEPARATORS,
  searchForms,
} from '../../src/domain/folding.js';

// ---------------------------------------------------------------- the naive model

/** Letters whose base letter Unicode does not give by decomposition. */
const UNDECOMPOSED: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', đ: 'd', Đ: 'd', ð: 'd', Ð: 'd', ł: 'l', Ł: 'l',
  þ: 'th', Þ: 'th', ħ: 'h', Ħ: 'h', ı: 'i', ĸ: 'k', ŧ: 't', Ŧ: 't', ŋ: 'n', Ŋ: 'n', ŉ: 'n', ƀ: 'b', ƚ: 'l', Ƚ: 'l',
  ɇ: 'e', Ɇ: 'e', ƶ: 'z', Ƶ: 'z', Ɨ: 'i', ɨ: 'i', Ʉ: 'u', ʉ: 'u', Ƀ: 'b',
};

/** The Latin blocks the folding covers: Basic Latin letters, Latin-1, Extended-A/B, Extended Additional. */
const inLatinBlocks = (ch: string) => {
  const c = ch.codePointAt(0)!;
  return (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x1e00 && c <= 0x1eff);
};

function modelChar(ch: string): string {
  if (UNDECOMPOSED[ch] !== undefined) return UNDECOMPOSED[ch]!;
  if (/^[\u0300-\u036f]$/.test(ch) || DROPPED.includes(ch)) return '';
  if (SEPARATORS.includes(ch)) return ' ';
  if (inLatinBlocks(ch)) {
    const base = ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    if (/^[a-z]+$/.test(base)) return base;
  }
  return ch;
}

function modelPlain(text: string): string {
  return [...text.normalize('NFC')].map(modelChar).join('').split(' ').filter(Boolean).join(' ');
}

function modelGerman(text: string): string {
  const umlauts: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'ae', Ö: 'oe', Ü: 'ue' };
  return modelPlain(text.normalize('NFC').replace(/[äöüÄÖÜ]/g, (c) => umlauts[c]!));
}

// ---------------------------------------------------------------- arbitraries

const latinLetters = [...LATIN_FROM, ...LATIN_MULTI.map(([ch]) => ch), ...'abcdefghijklmnopqrstuvwxyz'];
const alphabet = [
  ...latinLetters,
  ...SEPARATORS,
  ...DROPPED.slice(0, 20),
  '\u0301', '\u0308', '\u030c', // combining marks, to be composed or dropped
  ...'0123456789',
  'Ω', 'ж', 'Ж', '中', 'ﬁ', '²', '😀', // kept as they are
];
const anyChar = fc.constantFrom(...alphabet);
const text = fc.string({ unit: anyChar, maxLength: 40 });
const latinText = fc.string({ unit: fc.constantFrom(...latinLetters, ...' -.,\'0123456789'), maxLength: 40 });
const runs = { numRuns: 2000 };

// ---------------------------------------------------------------- tests

t.test('the folding agrees with the naive model, character by character', async (t) => {
  for (const ch of new Set([...latinLetters, ...SEPARATORS, ...DROPPED])) {
    if (foldPlain(`a${ch}b`) !== modelPlain(`a${ch}b`)) t.fail(`plain folding of ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16)})`);
    if (foldGerman(`a${ch}b`) !== modelGerman(`a${ch}b`)) t.fail(`German folding of ${JSON.stringify(ch)}`);
  }
  t.pass('every letter, separator and dropped character of the tables');
});

t.test('the folding agrees with the naive model on any text', async (t) => {
  fc.assert(fc.property(text, (s) => foldPlain(s) === modelPlain(s) && foldGerman(s) === modelGerman(s)), runs);
  t.pass();
});

t.test('folding twice changes nothing', async (t) => {
  fc.assert(
    fc.property(text, (s) => foldPlain(foldPlain(s)) === foldPlain(s) && foldGerman(foldGerman(s)) === foldGerman(s)),
    runs,
  );
  t.pass();
});

t.test('Latin text folds to lower-case ASCII words with single spaces', async (t) => {
  fc.assert(
    fc.property(latinText, (s) => /^([a-z0-9]+( [a-z0-9]+)*)?$/.test(foldPlain(s)) && /^([a-z0-9]+( [a-z0-9]+)*)?$/.test(foldGerman(s))),
    runs,
  );
  t.pass();
});

t.test('case does not matter for Latin text', async (t) => {
  fc.assert(
    fc.property(latinText, (s) =>
      foldPlain(s.toUpperCase()) === foldPlain(s.toLowerCase()) && foldGerman(s.toUpperCase()) === foldGerman(s.toLowerCase()),
    ),
    runs,
  );
  t.pass();
});

t.test('composed and decomposed text fold alike', async (t) => {
  fc.assert(
    fc.property(text, (s) => foldPlain(s.normalize('NFD')) === foldPlain(s) && foldGerman(s.normalize('NFD')) === foldGerman(s)),
    runs,
  );
  t.pass();
});

t.test('a separator keeps words apart, a dropped character joins them', async (t) => {
  const separator = fc.constantFrom(...SEPARATORS);
  const dropped = fc.constantFrom('.', "'", '’', '\u00ad');
  fc.assert(
    fc.property(latinText, separator, latinText, (a, sep, b) => foldPlain(a + sep + b) === [foldPlain(a), foldPlain(b)].filter(Boolean).join(' ')),
    runs,
  );
  fc.assert(
    fc.property(latinText, dropped, latinText, (a, drop, b) => foldPlain(a + drop + b) === foldPlain(a + b)),
    runs,
  );
  t.pass();
});

t.test('German folding is plain folding after the umlauts are written out', async (t) => {
  fc.assert(
    fc.property(text, (s) => {
      let written = s.normalize('NFC');
      for (const [umlaut, out] of GERMAN_MULTI) written = written.replaceAll(umlaut, out);
      return foldGerman(s) === foldPlain(written);
    }),
    runs,
  );
  t.pass();
});

t.test('the spellings search must bring together', async (t) => {
  const same = (a: string, b: string) => searchForms(a).some((form) => searchForms(b).includes(form));
  const pairs: Array<[string, string]> = [
    ['Sträde', 'Strade'],
    ['Sträde', 'Straede'],
    ['Sträde', 'STRÄDE'],
    ['sträde', 'STRAEDE'],
    ['Müller', 'Muller'],
    ['Müller', 'Mueller'],
    ['Straße', 'Strasse'],
    ['STRASSE', 'straße'],
    ['G.I.B.', 'GIB'],
    ['G. I. B.', 'g i b'],
    ['Novák', 'Novak'],
    ['Dvořák', 'Dvorak'],
    ['Łukasz Żółć', 'lukasz zolc'],
    ['Ødegård', 'Odegard'],
    ['François Lefèvre', 'francois lefevre'],
    ['Sträde-Muster', 'Sträde Muster'],
    ['O’Neill', "O'Neill"],
    ['Yılmaz', 'Yilmaz'],
    ['Nguyễn', 'Nguyen'],
    ['Ærø', 'aero'],
  ];
  for (const [a, b] of pairs) {
    t.ok(same(a, b), `${a} ~ ${b} (${searchForms(a).join('|')} / ${searchForms(b).join('|')})`);
  }
  t.same(searchForms('Sträde'), ['straede', 'strade']);
  t.same(searchForms('Dvořák'), ['dvorak']);
  t.equal(foldPlain('  Dr. Katja  Sträde-Muster, G.I.B. (Bottrop) '), 'dr katja strade muster gib bottrop');
  t.equal(foldGerman('Ingrid Schleimer'), 'ingrid schleimer');
  t.equal(foldPlain('Ελένη'), 'Ελένη', 'other scripts are kept as they are');
  t.equal(foldPlain('...'), '', 'nothing but punctuation folds to nothing');
});
