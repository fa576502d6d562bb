/**
 * Reading CSV as spreadsheets write it (RFC 4180, and what Excel and LibreOffice do in practice):
 * a byte order mark or none, comma, semicolon (German locales) or tab between fields (taken from
 * the header line), fields quoted with `"` and quotes doubled inside, CRLF or LF line ends, line
 * breaks inside quoted fields. Rows that are empty in every field are skipped (spreadsheets write
 * them); the rest keep the number a spreadsheet shows them under (the header is row 1).
 */
export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** The row number a spreadsheet shows: the header is 1, the first data row 2. */
  row: number;
  fields: string[];
}

export interface CsvDocument {
  delimiter: Delimiter;
  header: string[];
  records: CsvRecord[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

/** The delimiter of a header line: the most frequent of `;`, `,` and tab outside quotes (`,` on a tie or none). */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  const best = (Object.entries(counts) as Array<[Delimiter, number]>).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > counts[','] ? best[0] : ',';
}

/** All records of a text, header first; throws CsvSyntaxError on a quoted field never closed. */
export function parseCsv(input: string, delimiter?: Delimiter): { delimiter: Delimiter; rows: CsvRecord[] } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const sep = delimiter ?? detectDelimiter(text);
  const rows: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let row = 1;
  let quoted = false;
  let wasQuoted = false;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    rows.push({ row, fields });
    fields = [];
    row++;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field !== '' || wasQuoted) {
        // A quote inside a field that does not start with one: spreadsheets never write it, but
        // hand-edited files do (Dr. "Hans"); it is kept as a character.
        field += ch;
        i++;
        continue;
      }
      quoted = true;
      wasQuoted = true;
      i++;
      continue;
    }
    if (ch === sep) {
      endField();
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (wasQuoted) {
      // Text after a closing quote ("a"b): keep it, as spreadsheets do.
      field += ch;
      i++;
      continue;
    }
    field += ch;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(row, `Row ${row}: a quoted field is never closed.`);
  if (field !== '' || fields.length > 0 || wasQuoted) endRow();
  return { delimiter: sep, rows };
}

/** A CSV document: the header and the data records, rows empty in every field left out. */
export function readCsv(input: string): CsvDocument {
  const { delimiter, rows } = parseCsv(input);
  const [header, ...data] = rows;
  return {
    delimiter,
    header: header?.fields.map((name) => name.trim()) ?? [],
    records: data.filter((record) => record.fields.some((value) => value.trim() !== '')),
  };
}
