import { sql, type SQL } from 'drizzle-orm';
import { WORD_SIMILARITY_FLOOR, type Database, type Executor } from '../../../db/client.js';
import { foldGerman, foldPlain } from '../../../domain/folding.js';
import type { SearchHit, SearchType } from './schemas.js';

/**
 * Search (DESIGN.md §4) over the search index (`search_terms`, drizzle/0011): every name folded
 * twice, German (ä → ae) and plain (ä → a), in a trigram GIN index. The query is folded the same two
 * ways (src/domain/folding.ts, the twin of the SQL functions), so that any spelling meets any other:
 * "Strade" meets the plain form of "Sträde", "Straede" its German form.
 *
 * A name matches when one of the query's forms is similar enough to some part of it: pg_trgm's
 * word similarity (the share of the query's trigrams found in the best stretch of the name), which
 * a substring meets fully and a typo or two meet mostly. The GIN index finds the candidates with
 * `%>`; ranking adds a bonus for a name that starts a word with the query, and for an exact match.
 */
export interface SearchParams {
  q: string;
  types: readonly SearchType[];
  at?: string;
  limit: number;
}

/**
 * The least word similarity a query word needs. Short words have few trigrams, so one trigram more
 * or less weighs more: they need a closer match; longer ones take a typo or two. "Schleimr" against
 * "Ingrid Schleimer" is 0.78, two typos ("Schlemr") 0.63, a swap ("Schliemer") 0.43; "gib" needs
 * three of its four trigrams.
 */
export function thresholdFor(word: string): number {
  return word.length <= 3 ? 0.6 : word.length === 4 ? 0.5 : 0.4;
}

/** Letters typed apart ("G. I. B." folds to "g i b") written together, as abbreviations are stored. */
export function joinInitials(form: string): string {
  return form.replace(/(?<![^ ])[^ ](?: [^ ](?![^ ]))+/gu, (run) => run.replaceAll(' ', ''));
}

/** The forms a query is looked up under; empty when nothing of it survives folding. */
export function queryForms(q: string): string[] {
  const folded = [foldGerman(q), foldPlain(q)];
  return [...new Set([...folded, ...folded.map(joinInitials)])].filter((form) => form !== '');
}

/** The words of a form the trigram index can look for: two characters or more. */
export const indexableWords = (form: string) => form.split(' ').filter((word) => word.length >= 2);

/** LIKE patterns: a folded form holds no % or _ (they fold to spaces), but a pattern stays a pattern. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `term` has a word that starts with `word`. */
const startsAWord = (word: string) =>
  sql`(s.term LIKE ${`${likeEscape(word)}%`} OR s.term LIKE ${`% ${likeEscape(word)}%`})`;

interface HitRow {
  type: SearchType;
  id: string;
  field: SearchHit['matched']['field'];
  matched: string;
  score: number | string;
  name: string | null;
  abbreviation: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
}

function dayFilter(at: string | undefined): SQL {
  if (!at) return sql`true`;
  return sql`CASE r.kind
      WHEN 'person' THEN EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = r.entity_id AND a.possible_span @> ${at}::date)
      WHEN 'organisation' THEN EXISTS (SELECT 1 FROM organisations o WHERE o.id = r.entity_id AND o.possible_span @> ${at}::date)
      ELSE EXISTS (SELECT 1 FROM posts p JOIN organisations o ON o.id = p.organisation_id
                    WHERE p.id = r.entity_id AND o.possible_span @> ${at}::date)
    END`;
}

/**
 * The ranked hits; each form with at least one indexable word (the caller has checked there is one).
 * A name matches a form when every word of the form matches somewhere in it: a word of two or more
 * characters by word similarity (through the index), a single letter as the start of a word.
 */
export function searchStatement(forms: readonly string[], params: SearchParams): SQL {
  const usable = forms.filter((form) => indexableWords(form).length > 0);
  // What `%>` finds already (the session's threshold, src/db/client.ts); stricter words check again.
  const guc = WORD_SIMILARITY_FLOOR;
  const matchOf = (form: string) => {
    const words = form.split(' ');
    return sql.join(
      words.map((word) =>
        word.length < 2
          ? startsAWord(word)
          : thresholdFor(word) > guc
            ? sql`s.term %> ${word} AND word_similarity(${word}, s.term) >= ${thresholdFor(word)}`
            : sql`s.term %> ${word}`,
      ),
      sql` AND `,
    );
  };
  const scoreOf = (form: string) => {
    const words = indexableWords(form);
    const similarity = sql.join(words.map((word) => sql`word_similarity(${word}, s.term)`), sql` + `);
    const wordStarts = sql.join(form.split(' ').map(startsAWord), sql` AND `);
    return sql`(0.7 * (${similarity}) / ${words.length} + 0.2 * (${wordStarts})::int + 0.1 * (s.term = ${form})::int)`;
  };
  const score = usable.length === 1 ? scoreOf(usable[0]!) : sql`greatest(${sql.join(usable.map(scoreOf), sql`, `)})`;
  const kinds = sql.join(params.types.map((t) => sql`${t}`), sql`, `);
  return sql`
    WITH matches AS (
      SELECT s.kind, s.entity_id, s.field, s.name, ${score} AS score
        FROM search_terms s
       WHERE (${sql.join(usable.map((form) => sql`(${matchOf(form)})`), sql` OR `)})
         AND s.kind IN (${kinds})
    ), ranked AS (
      SELECT DISTINCT ON (m.kind, m.entity_id) m.kind, m.entity_id, m.field, m.name,
             round((m.score * CASE WHEN m.field = 'otherName' THEN 0.95 ELSE 1 END)::numeric, 3) AS score
        FROM matches m
       ORDER BY m.kind, m.entity_id, 5 DESC, m.field, m.name
    ), top AS (
      SELECT r.* FROM ranked r
       WHERE ${dayFilter(params.at)}
       ORDER BY r.score DESC, r.name, r.kind, r.entity_id
       LIMIT ${params.limit}
    )
    SELECT t.kind AS type, t.entity_id AS id, t.field, t.name AS matched, t.score::float8 AS score,
           CASE t.kind
             WHEN 'person' THEN concat_ws(' ', pe.honorific_prefix, pe.given_name, pe.family_name)
             WHEN 'organisation' THEN o.name
             ELSE po.label
           END AS name,
           o.abbreviation, po.organisation_id, pog.name AS organisation_name
      FROM top t
      LEFT JOIN people pe ON t.kind = 'person' AND pe.id = t.entity_id
      LEFT JOIN organisations o ON t.kind = 'organisation' AND o.id = t.entity_id
      LEFT JOIN posts po ON t.kind = 'post' AND po.id = t.entity_id
      LEFT JOIN organisations pog ON pog.id = po.organisation_id
     ORDER BY t.score DESC, t.name, t.kind, t.entity_id`;
}

export async function search(database: Database, db: Executor, params: SearchParams): Promise<SearchHit[]> {
  const forms = queryForms(params.q).filter((form) => indexableWords(form).length > 0);
  if (forms.length === 0 || params.types.length === 0) return [];
  const rows = await database.rows<HitRow>(searchStatement(forms, params), db);
  return rows.map((row) => ({
    type: row.type,
    id: row.id,
    name: row.name ?? row.matched,
    matched: { field: row.field, name: row.matched },
    score: Number(row.score),
    abbreviation: row.abbreviation,
    organisation: row.organisation_id ? { id: row.organisation_id, name: row.organisation_name ?? '' } : null,
  }));
}
