import { parsePartialDate } from './partial-date.js';

/**
 * Dates as spreadsheets and people write them, to the API's partial dates (DESIGN.md §2): ISO
 * (`2016-06-22`, `2016-06`, `2016`) and German (`22.06.2016`, `1.7.2016`, `06.2016`, `6.2016`).
 * Two-digit years are refused: `22.06.16` could be 1916 as well as 2016.
 */
export type SpreadsheetDate = { ok: true; date: string } | { ok: false; message: string };

export const DATE_FORMATS = 'a date such as 22.06.2016, 06.2016, 2016, 2016-06-22 or 2016-06';

const pad = (n: string) => n.padStart(2, '0');

export function parseSpreadsheetDate(text: string): SpreadsheetDate {
  const value = text.trim();
  let iso: string | null = null;
  let match: RegExpExecArray | null;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) iso = value;
  else if ((match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value))) iso = `${match[3]}-${pad(match[2]!)}-${pad(match[1]!)}`;
  else if ((match = /^(\d{1,2})\.(\d{4})$/.exec(value))) iso = `${match[2]}-${pad(match[1]!)}`;
  else if (/^\d{1,2}\.\d{1,2}\.\d{2}$/.test(value)) {
    return { ok: false, message: 'needs a four-digit year (22.06.2016, not 22.06.16)' };
  }
  if (iso === null) return { ok: false, message: `must be ${DATE_FORMATS}` };
  if (parsePartialDate(iso) === null) return { ok: false, message: `is not a real date (${value})` };
  return { ok: true, date: iso };
}
