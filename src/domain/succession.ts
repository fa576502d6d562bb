import { addDays } from './partial-date.js';

/**
 * The succession of a post: its holdings in order, with the vacancies between them. A holding
 * covers `first` to `last` (inclusive days, `YYYY-MM-DD`); `first` null means since an unknown day,
 * `last` null means ongoing. A vacancy is a run of days that no holding covers, after the first
 * holding began; one after the last holding ended has no end.
 */
export interface Span {
  first: string | null;
  last: string | null;
}

export type Period<T> = { kind: 'held'; holding: T } | { kind: 'vacant'; from: string; to: string | null };

export function succession<T>(holdings: readonly T[], spanOf: (holding: T) => Span): Period<T>[] {
  const sorted = [...holdings].sort((a, b) => compareStarts(spanOf(a).first, spanOf(b).first));
  const periods: Period<T>[] = [];
  // The last day covered so far: undefined before the first holding, null once one is ongoing.
  let coveredUntil: string | null | undefined;
  for (const holding of sorted) {
    const { first, last } = spanOf(holding);
    if (coveredUntil && first !== null && first > addDays(coveredUntil, 1)) {
      periods.push({ kind: 'vacant', from: addDays(coveredUntil, 1), to: addDays(first, -1) });
    }
    periods.push({ kind: 'held', holding });
    if (coveredUntil === undefined) coveredUntil = last;
    else if (coveredUntil !== null) coveredUntil = last === null || last > coveredUntil ? last : coveredUntil;
  }
  if (coveredUntil) periods.push({ kind: 'vacant', from: addDays(coveredUntil, 1), to: null });
  return periods;
}

function compareStarts(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
