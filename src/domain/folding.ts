/**
 * Folding of names for search (DESIGN.md §4: insensitive to case and diacritics, German-aware).
 *
 * Two foldings, both to lower-case ASCII for Latin script:
 *
 * - `foldPlain` drops diacritics: "Sträde" → "strade", "Dvořák" → "dvorak", "Straße" → "strasse";
 * - `foldGerman` first writes the German umlauts out: "Sträde" → "straede", "Müller" → "mueller".
 *
 * A name is indexed under both, and a query is looked up under both, so that "Strade", "Straede",
 * "sträde" and "STRÄDE" all find Katja Sträde. Both foldings also turn punctuation into single
 * spaces and drop dots and apostrophes, so that "G.I.B." and "GIB" are the same word.
 *
 * The database folds with the same tables: `rb_fold()` and `rb_fold_german()` (drizzle/0011) are
 * this module written as IMMUTABLE SQL (translate() over these very strings), so that they can feed
 * an index; test/db/folding.test.ts checks that both agree (test/domain/folding.test.ts checks this
 * module against a naive model). A change here needs a migration
 * that replaces those functions and refreshes the search table.
 *
 * Letters outside the table (Greek, Cyrillic, …) are kept as they are, case included.
 */

/**
 * Every Latin letter with a diacritic in Latin-1, Latin Extended-A/B and Latin Extended Additional
 * that folds to one ASCII letter, A–Z, and the lower-case twins of Ɨ and Ʉ (ɨ, ʉ, outside these
 * blocks), so that case never matters; `LATIN_TO` holds the letter each one folds to.
 */
export const LATIN_FROM =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľŁłŃńŅņŇňŉŊŋŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƀƗƚƠơƯưƵƶǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳȽɄɆɇḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹɃɨʉ';
export const LATIN_TO =
  'abcdefghijklmnopqrstuvwxyzaaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkkllllllllnnnnnnnnnoooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzsbiloouuzzaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyylueeaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwysaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyybiu';

/** Letters that fold to two ASCII letters (ligatures, ß, thorn, the Croatian digraphs). */
export const LATIN_MULTI: ReadonlyArray<readonly [string, string]> = [
  ['Æ', 'ae'], ['æ', 'ae'], ['Œ', 'oe'], ['œ', 'oe'], ['ß', 'ss'], ['ẞ', 'ss'], ['Þ', 'th'], ['þ', 'th'],
  ['Ĳ', 'ij'], ['ĳ', 'ij'], ['Ǆ', 'dz'], ['ǅ', 'dz'], ['ǆ', 'dz'], ['Ǳ', 'dz'], ['ǲ', 'dz'], ['ǳ', 'dz'],
  ['Ǉ', 'lj'], ['ǈ', 'lj'], ['ǉ', 'lj'], ['Ǌ', 'nj'], ['ǋ', 'nj'], ['ǌ', 'nj'],
];

/** German: the umlauts written out, before anything else folds. */
export const GERMAN_MULTI: ReadonlyArray<readonly [string, string]> = [
  ['Ä', 'ae'], ['ä', 'ae'], ['Ö', 'oe'], ['ö', 'oe'], ['Ü', 'ue'], ['ü', 'ue'],
];

/** Characters that separate words: each becomes a space (runs of them one space). */
export const SEPARATORS =
  ' \t\n\u000b\f\r!"#$%&()*+,-/:;<=>?@[\\]^_{|}~' +
  '\u00a0\u00a1\u00a6\u00a7\u00ab\u00b7\u00bb\u00bf\u00d7\u00f7' +
  '\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' +
  '\u2010\u2011\u2012\u2013\u2014\u2015\u2016\u201a\u201c\u201d\u201e\u201f\u2020\u2021\u2022\u2026\u2027' +
  '\u2028\u2029\u202f\u2030\u2039\u203a\u205f\u3000';

/**
 * Characters that vanish: dots and apostrophes (so that "G.I.B." is "gib" and "O'Neill" is
 * "oneill"), soft hyphens, zero-width characters and combining marks left over after NFC.
 */
export const DROPPED =
  ".'`\u00ad\u00b4\u02b9\u02bb\u02bc\u2018\u2019\u201b\u2032\u200b\u200c\u200d\u2060\ufeff" +
  Array.from({ length: 0x36f - 0x300 + 1 }, (_, i) => String.fromCharCode(0x300 + i)).join('');

function tableOf(multi: ReadonlyArray<readonly [string, string]>): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  for (const ch of DROPPED) table.set(ch, '');
  for (const ch of SEPARATORS) table.set(ch, ' ');
  const from = [...LATIN_FROM];
  const to = [...LATIN_TO];
  from.forEach((ch, i) => table.set(ch, to[i]!));
  for (const [ch, folded] of LATIN_MULTI) table.set(ch, folded);
  for (const [ch, folded] of multi) table.set(ch, folded);
  return table;
}

const PLAIN = tableOf([]);
const GERMAN = tableOf(GERMAN_MULTI);

function fold(text: string, table: ReadonlyMap<string, string>): string {
  let out = '';
  let space = true; // at the start: leading separators vanish
  for (const ch of text.normalize('NFC')) {
    const folded = table.get(ch) ?? ch;
    for (const c of folded) {
      if (c === ' ') {
        space = true;
      } else {
        if (space && out !== '') out += ' ';
        space = false;
        out += c;
      }
    }
  }
  return out;
}

/** Lower case, diacritics dropped, punctuation as single spaces: "Dvořák" → "dvorak". */
export function foldPlain(text: string): string {
  return fold(text, PLAIN);
}

/** As foldPlain, but ä, ö, ü written out as ae, oe, ue first: "Sträde" → "straede". */
export function foldGerman(text: string): string {
  return fold(text, GERMAN);
}

/** The forms a name is indexed and looked up under: German first, plain when it differs. */
export function searchForms(text: string): string[] {
  const german = foldGerman(text);
  const plain = foldPlain(text);
  return german === plain ? [german] : [german, plain];
}
