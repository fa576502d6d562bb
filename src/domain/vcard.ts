/**
 * vCard 4.0 (RFC 6350) writing, without I/O: a person's card as plain data in, the text out.
 *
 * - Lines end in CRLF (§3.2) and are folded so that no line is longer than 75 octets, a
 *   continuation starting with one space; a fold never splits a UTF-8 sequence (§3.2).
 * - Text values escape backslash, comma, semicolon and line breaks (§3.4); components of structured
 *   values (N, ADR, ORG) are escaped one by one and joined with unescaped semicolons.
 * - Parameter values that hold anything but safe characters are quoted, with RFC 6868's caret
 *   encoding for quotes, carets and line breaks.
 */

export interface VcardTelephone {
  value: string;
  /** vCard TYPE values: voice, cell, fax, work, home… */
  types: string[];
}

export interface VcardAffiliation {
  /** The organisation first, then the units inside it (ORG's components), outermost first. */
  organisation: string[];
  /** TITLE: the position held (a post's label). */
  title?: string | null;
  /** ROLE: the function played (an assignment's role). */
  role?: string | null;
}

export interface VcardPerson {
  /** A stable id: written as UID urn:uuid:… */
  uid: string;
  /** FN: the name as displayed. */
  formattedName: string;
  /** Further names the person goes by (written as further FN properties, after the preferred one). */
  otherNames?: string[];
  familyName?: string | null;
  givenName?: string | null;
  honorificPrefix?: string | null;
  emails?: string[];
  telephones?: VcardTelephone[];
  urls?: string[];
  addresses?: Array<{ value: string; label?: string | null }>;
  /** Anything else worth keeping, as X- properties: [name without X-, value]. */
  extensions?: Array<[string, string]>;
  affiliations?: VcardAffiliation[];
  /** REV: when the card's data last changed, an RFC 3339 timestamp. */
  revision?: string;
}

export const VCARD_MEDIA_TYPE = 'text/vcard';

/** §3.4: backslash, comma, semicolon and newlines in a TEXT value. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r\n|\r|\n/g, '\\n');
}

/** A structured value (N, ADR, ORG): each component escaped, joined with ";". */
export function structured(components: Array<string | null | undefined>): string {
  return components.map((c) => escapeText(c ?? '')).join(';');
}

/** A parameter value (§5, RFC 6868): as is when safe, else quoted with ^-encoding. */
export function parameterValue(value: string): string {
  const encoded = value.replace(/\^/g, '^^').replace(/\r\n|\r|\n/g, '^n').replace(/"/g, "^'");
  const safe = [...value].every((ch) => ch >= ' ' && ch !== '\u007f' && !'";:,^'.includes(ch));
  return safe ? value : `"${encoded}"`;
}

/**
 * §3.2: a content line longer than 75 octets is split into lines of at most 75 octets, each
 * continuation starting with a single space (counted in its 75). Splits fall between characters.
 */
export function foldLine(line: string): string {
  const limit = 75;
  if (Buffer.byteLength(line, 'utf8') <= limit) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let room = limit;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > room) {
      parts.push(current);
      current = '';
      octets = 0;
      room = limit - 1; // the leading space of a continuation line
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** "2026-11-30T10:01:02.345Z" → "20261130T100102Z" (§4.3.5, timestamp). */
export function vcardTimestamp(iso: string): string {
  const date = new Date(iso);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** X- property names: letters, digits and hyphens. */
const xName = (name: string) => `X-${name.toUpperCase().replace(/[^A-Z0-9-]/g, '-')}`;

/** The card, CRLF line ends, folded. */
export function writeVcard(person: VcardPerson): string {
  const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0', 'PRODID:-//Rolebook//Rolebook//EN', 'KIND:individual'];
  lines.push(`UID:urn:uuid:${person.uid}`);
  const others = (person.otherNames ?? []).filter((name) => name !== person.formattedName);
  lines.push(`FN${others.length > 0 ? ';PREF=1' : ''}:${escapeText(person.formattedName)}`);
  for (const name of others) lines.push(`FN:${escapeText(name)}`);
  lines.push(`N:${structured([person.familyName, person.givenName, null, person.honorificPrefix, null])}`);
  for (const email of person.emails ?? []) lines.push(`EMAIL;TYPE=work:${escapeText(email)}`);
  for (const tel of person.telephones ?? []) {
    lines.push(`TEL${tel.types.length ? `;TYPE=${tel.types.map(parameterValue).join(',')}` : ''}:${escapeText(tel.value)}`);
  }
  for (const address of person.addresses ?? []) {
    // The address is kept as one free text: the street component holds it, LABEL shows it whole.
    lines.push(`ADR;TYPE=work;LABEL=${parameterValue(address.label ? `${address.label}\n${address.value}` : address.value)}:${structured([null, null, address.value, null, null, null, null])}`);
  }
  for (const url of person.urls ?? []) lines.push(`URL:${url}`);
  const affiliations = person.affiliations ?? [];
  affiliations.forEach((affiliation, i) => {
    // Properties of one affiliation share a group name, so that a reader can tell which title goes with which ORG.
    const group = affiliations.length > 1 ? `ITEM${i + 1}.` : '';
    lines.push(`${group}ORG:${structured(affiliation.organisation)}`);
    if (affiliation.title) lines.push(`${group}TITLE:${escapeText(affiliation.title)}`);
    if (affiliation.role) lines.push(`${group}ROLE:${escapeText(affiliation.role)}`);
  });
  for (const [name, value] of person.extensions ?? []) lines.push(`${xName(name)}:${escapeText(value)}`);
  if (person.revision) lines.push(`REV:${vcardTimestamp(person.revision)}`);
  lines.push('END:VCARD');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
