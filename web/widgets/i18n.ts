import type { Lang } from '../shared/dates.js';

const de = {
  loading: 'Wird geladen …',
  retry: 'Erneut versuchen',
  unreachable: 'Rolebook ist gerade nicht erreichbar.',
  notFound: 'Nicht gefunden: die angegebene Kennung gibt es im Verzeichnis nicht.',
  denied: 'Der Widget-Schlüssel wurde abgelehnt.',
  failed: 'Die Daten konnten nicht geladen werden.',
  missing: 'Es fehlt das Attribut „{0}“.',
  asOf: 'Stand {0}',
  today: 'heute',
  vacant: 'unbesetzt',
  uncertain: 'Datum unsicher',
  nobody: 'An diesem Tag ist hier niemand eingetragen.',
  notExisting: 'Diese Organisation bestand an diesem Tag nicht.',
  subUnits: 'Untereinheiten',
  members: 'Mitglieder',
  posts: 'Posten',
  noRole: 'Zurzeit keine Funktion eingetragen.',
  formerly: 'zuletzt',
  searchLabel: 'Im Verzeichnis suchen',
  searchPlaceholder: 'Name, Organisation oder Posten',
  searching: 'Suche läuft …',
  noHits: 'Keine Treffer.',
  hits: '{0} Treffer',
  typeMore: 'Bitte mindestens zwei Zeichen eingeben.',
  person: 'Person',
  organisation: 'Organisation',
  post: 'Posten',
  email: 'E-Mail',
  phone: 'Telefon',
  mobile: 'Mobil',
  fax: 'Fax',
  address: 'Anschrift',
  url: 'Web',
} as const;

type Key = keyof typeof de;

const en: Record<Key, string> = {
  loading: 'Loading …',
  retry: 'Try again',
  unreachable: 'Rolebook cannot be reached right now.',
  notFound: 'Not found: the directory has no record with this id.',
  denied: 'The widget key was refused.',
  failed: 'The data could not be loaded.',
  missing: 'The attribute “{0}” is missing.',
  asOf: 'As of {0}',
  today: 'today',
  vacant: 'vacant',
  uncertain: 'date uncertain',
  nobody: 'Nobody is recorded here on this day.',
  notExisting: 'This organisation did not exist on this day.',
  subUnits: 'Sub-units',
  members: 'Members',
  posts: 'Posts',
  noRole: 'No current role recorded.',
  formerly: 'last',
  searchLabel: 'Search the directory',
  searchPlaceholder: 'Name, organisation or post',
  searching: 'Searching …',
  noHits: 'No results.',
  hits: '{0} results',
  typeMore: 'Type at least two characters.',
  person: 'Person',
  organisation: 'Organisation',
  post: 'Post',
  email: 'Email',
  phone: 'Phone',
  mobile: 'Mobile',
  fax: 'Fax',
  address: 'Address',
  url: 'Web',
};

const TEXTS: Record<Lang, Record<Key, string>> = { de, en };

export function text(lang: Lang, key: Key, ...args: string[]): string {
  return TEXTS[lang][key].replace(/\{(\d)\}/g, (_, i: string) => args[Number(i)] ?? '');
}

export function hasText(key: string): key is Key {
  return key in de;
}
