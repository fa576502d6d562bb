/** Partial dates (`2016`, `2016-06`, `2016-06-22`) and calendar days in the browser, without time zones. */

export type Lang = 'de' | 'en';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Today in the browser's calendar, YYYY-MM-DD. */
export function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function utc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}

/** Months or years later or earlier; the 31st becomes the last day of a shorter month. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return isoDay(first);
}

/** The first day a partial date may mean. */
export function firstDay(partial: string): string {
  return partial.length === 4 ? `${partial}-01-01` : partial.length === 7 ? `${partial}-01` : partial;
}

/** The last day a partial date may mean. */
export function lastDay(partial: string): string {
  if (partial.length === 4) return `${partial}-12-31`;
  if (partial.length === 7) return addDays(addMonths(`${partial}-01`, 1), -1);
  return partial;
}

/** Whether a span with these (partial) start and end dates may cover the day. */
export function covers(span: { startDate: string | null; endDate: string | null }, day: string): boolean {
  return (span.startDate === null || firstDay(span.startDate) <= day) && (span.endDate === null || lastDay(span.endDate) >= day);
}

const LOCALES: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

/** A partial date as a person reads it: `22.06.2016`, `Juni 2016`, `2016`. */
export function formatDate(partial: string | null | undefined, lang: Lang): string {
  if (!partial) return '';
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(partial)) return partial;
  if (partial.length === 4) return partial;
  const date = utc(firstDay(partial));
  const options: Intl.DateTimeFormatOptions =
    partial.length === 7
      ? { month: 'long', year: 'numeric', timeZone: 'UTC' }
      : lang === 'de'
        ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }
        : { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(LOCALES[lang], options).format(date);
}

/** A moment (RFC 3339) in the browser's time zone, to the second. */
export function formatMoment(moment: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(moment));
}

/** A span of partial dates: `seit 01.07.2016`, `bis 30.06.2016`, `01.07.2016 – 30.06.2017`. */
export function formatSpan(span: { startDate: string | null; endDate: string | null }, lang: Lang): string {
  const start = formatDate(span.startDate, lang);
  const end = formatDate(span.endDate, lang);
  const words = lang === 'de' ? { since: 'seit', until: 'bis' } : { since: 'since', until: 'until' };
  if (start && end) return `${start} – ${end}`;
  if (start) return `${words.since} ${start}`;
  if (end) return `${words.until} ${end}`;
  return '';
}
