/**
 * Content negotiation by `Accept` (RFC 9110 §12.5.1) for routes that answer more than JSON: the
 * offered type with the highest quality wins, the most specific range deciding a type's quality;
 * on a tie the server's order (JSON first). No `Accept`, or an empty one, takes the first offered.
 */
interface Range {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): Range[] {
  const ranges: Range[] = [];
  for (const part of header.split(',')) {
    const [mediaRange, ...parameters] = part.split(';').map((s) => s.trim());
    const match = /^([!#$%&'*+.^_`|~0-9a-z-]+)\/([!#$%&'*+.^_`|~0-9a-z-]+)$/i.exec(mediaRange ?? '');
    if (!match) continue;
    let q = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=').map((s) => s.trim());
      if (name?.toLowerCase() === 'q') {
        const parsed = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value ?? '') ? Number(value) : NaN;
        q = Number.isNaN(parsed) ? 0 : parsed;
      }
    }
    ranges.push({ type: match[1]!.toLowerCase(), subtype: match[2]!.toLowerCase(), q });
  }
  return ranges;
}

/** The quality the client gives a media type: that of the most specific range that covers it. */
function qualityOf(ranges: Range[], mediaType: string): number {
  const [type, subtype] = mediaType.toLowerCase().split('/') as [string, string];
  let best: { specificity: number; q: number } | undefined;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1;
    if (specificity < 0) continue;
    if (!best || specificity > best.specificity || (specificity === best.specificity && range.q > best.q)) best = { specificity, q: range.q };
  }
  return best?.q ?? 0;
}

/** The offered media type to answer with, or null when the client accepts none of them. */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | null {
  if (accept === undefined || accept.trim() === '') return offered[0] ?? null;
  const ranges = parseAccept(accept);
  // A header with nothing readable in it is treated as absent rather than as "nothing acceptable".
  if (ranges.length === 0) return offered[0] ?? null;
  let chosen: string | null = null;
  let bestQ = 0;
  for (const type of offered) {
    const q = qualityOf(ranges, type);
    if (q > bestQ) {
      chosen = type;
      bestQ = q;
    }
  }
  return chosen;
}
