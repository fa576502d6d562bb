import { html, nothing, type TemplateResult } from 'lit-html';
import { formatDate, formatMoment, formatSpan } from '../shared/dates.js';
import { lang, t } from './i18n.js';

export const date = (partial: string | null | undefined) => formatDate(partial, lang);
export const moment = (value: string) => formatMoment(value, lang);
export const span = (value: { startDate: string | null; endDate: string | null }) => formatSpan(value, lang);

export function orgName(o: { name: string; abbreviation?: string | null }): string {
  return o.abbreviation ? `${o.name} (${o.abbreviation})` : o.name;
}

/** A marker for holdings whose partial dates make the day uncertain. */
export function uncertain(certainty: string | null | undefined): TemplateResult | typeof nothing {
  return certainty === 'possible' ? html` <abbr class="uncertain" title=${t('uncertain')}>(?)</abbr>` : nothing;
}

/** `datetime-local` value (browser time) ⇄ RFC 3339. */
export function toRfc3339(local: string): string | undefined {
  const parsed = new Date(local);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

export function toLocalInput(rfc3339: string | null | undefined): string {
  if (!rfc3339) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * The moment just before a recorded one, to the microsecond the audit log keeps
 * (`…T10:00:00.000001Z` → `…T10:00:00.000000Z`), for "the state before this change".
 */
export function justBefore(moment: string): string {
  // PostgreSQL's own form (`2016-07-01 10:00:00.123456+00`) as RFC 3339.
  const rfc3339 = moment.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!match) return moment;
  const [, head = '', fraction = '', zone = 'Z'] = match;
  const micros = Date.parse(`${head}${zone}`) * 1000 + Number(fraction.padEnd(6, '0')) - 1;
  const seconds = Math.floor(micros / 1_000_000);
  const rest = micros - seconds * 1_000_000;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(rest).padStart(6, '0')}Z`;
}
