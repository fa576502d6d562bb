/**
 * A deterministic generator of a realistic directory, written straight into a migrated database by
 * SQL in big batches (COPY or multi-row INSERT), through the real schema: the guards (triggers),
 * exclusion constraints, checks and foreign keys all run on every row.
 *
 *   npx tsx bench/generate.ts --people 10000 --organisations 1000 --assignments 100000
 *
 * Options: --seed 42, --server <postgres URL> (default postgres://postgres@127.0.0.1:5432/postgres;
 * a throwaway database rolebook_bench_<pid> is created there and dropped at the end unless
 * --keep), --target postgres|pglite (pglite: in memory, or in --data-dir), --method copy|insert
 * (default copy on a server, insert on PGlite), --row-sample 1000 (the last N assignments are
 * inserted one statement each, to measure the row-by-row rate), --batch 1000 (rows per INSERT),
 * --patch a.sql,b.sql (what-if: SQL applied after the migrations, e.g. bench/what-if/*.sql).
 *
 * The data is valid by construction: an organisation hierarchy of six levels with dated parent
 * links (some units move, some are founded or dissolved within the window, some renamed), posts
 * (single-holder heads and deputies, staff posts of 2–5 or unlimited holders), and assignments
 * over 15 years: every post is a few "tracks" of successive holdings, so that a single-holder
 * post's handover ends on D−1 and starts on D, and people move from post to post; memberships
 * without a post fill up the rest. Partial dates (year, month) now and then.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import type { PGlite } from '@electric-sql/pglite';
import { openPglite, openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import {
  createServerDatabase,
  DEFAULT_SERVER_URL,
  databaseName,
  dayNumber,
  dropServerDatabase,
  firstOfMonth,
  firstOfYear,
  int,
  intArg,
  isMain,
  isoDay,
  machineNote,
  ms,
  now,
  parseArgs,
  Random,
  stringArg,
  table,
  type Args,
} from './lib.js';

// ---------------------------------------------------------------- options

export interface GenerateOptions {
  people: number;
  organisations: number;
  /**
   * How many of them are top-level (ministries). Two, by default, so that the medium size holds
   * charts of about 500 units: the size of the tree read's latency target (issue 8).
   */
  topUnits: number;
  assignments: number;
  seed: number;
  /** The 15 years of history: holdings start and end within (a few start before). */
  windowStart: string;
  windowEnd: string;
  target: 'postgres' | 'pglite';
  serverUrl: string;
  /** PGlite: a folder to keep the database in; in memory without. */
  dataDir?: string;
  method: 'copy' | 'insert';
  /** The last N assignments are inserted one statement each (autocommit), to measure that rate. */
  rowSample: number;
  batch: number;
  /** Print progress and tables. */
  verbose: boolean;
  /**
   * SQL files applied after the migrations and before the load: what-if variants of the schema
   * (bench/what-if/*.sql) to measure a proposed change without touching drizzle/.
   */
  patches: string[];
}

export function optionsFromArgs(args: Args): GenerateOptions {
  const target = stringArg(args, 'target', 'postgres');
  if (target !== 'postgres' && target !== 'pglite') throw new Error('--target must be postgres or pglite');
  const method = stringArg(args, 'method', target === 'postgres' ? 'copy' : 'insert');
  if (method !== 'copy' && method !== 'insert') throw new Error('--method must be copy or insert');
  if (method === 'copy' && target === 'pglite') throw new Error('--method copy needs --target postgres');
  return {
    people: intArg(args, 'people', 10_000),
    organisations: intArg(args, 'organisations', 1_000),
    topUnits: Math.max(1, intArg(args, 'top-units', 2)),
    assignments: intArg(args, 'assignments', 100_000),
    seed: intArg(args, 'seed', 42),
    windowStart: stringArg(args, 'window-start', '2011-07-01'),
    windowEnd: stringArg(args, 'window-end', '2026-06-30'),
    target,
    serverUrl: stringArg(args, 'server', process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL),
    ...(stringArg(args, 'data-dir') ? { dataDir: stringArg(args, 'data-dir') } : {}),
    method,
    rowSample: intArg(args, 'row-sample', 1_000),
    batch: Math.max(1, intArg(args, 'batch', 1_000)),
    verbose: true,
    patches: (stringArg(args, 'patch') ?? '').split(',').filter(Boolean),
  };
}

// ---------------------------------------------------------------- the model

type Precision = 'year' | 'month' | 'day';
interface PartialDay {
  day: number;
  precision: Precision;
}

interface Org {
  id: string;
  level: number;
  code: string;
  name: string;
  abbreviation: string;
  classification: string;
  location: string;
  founding: PartialDay | null;
  dissolution: number | null;
  /** First and last day an assignment may cover (±Infinity when open). */
  existFrom: number;
  existTo: number;
  links: ParentLink[];
  formerName: { id: string; name: string; end: number } | null;
  children: number[];
}

interface ParentLink {
  id: string;
  parent: number;
  position: number;
  start: PartialDay | null;
  end: number | null;
}

interface Post {
  id: string;
  org: number;
  label: string;
  /** What its holders' assignments call the role. */
  role: string;
  maxHolders: number | null;
  tracks: number;
}

interface Person {
  id: string;
  given: string;
  family: string;
  prefix: string | null;
}

interface Assignment {
  id: string;
  person: number;
  org: number;
  post: number | null;
  role: string;
  onBehalfOf: number | null;
  start: PartialDay | null;
  end: PartialDay | null;
  source: string;
  startedBy: string | null;
  endedBy: string | null;
}

interface Transition {
  id: string;
  date: number;
  reason: string;
  source: string;
}

export interface Directory {
  orgs: Org[];
  posts: Post[];
  people: Person[];
  assignments: Assignment[];
  transitions: Transition[];
  stats: Record<string, number>;
}

// ---------------------------------------------------------------- vocabulary

const MINISTRY_TOPICS = [
  ['Arbeit, Integration und Soziales', 'MAIS'],
  ['Wirtschaft, Innovation, Digitalisierung und Energie', 'MWIDE'],
  ['Schule und Bildung', 'MSB'],
  ['Kultur und Wissenschaft', 'MKW'],
  ['Umwelt, Landwirtschaft, Natur- und Verbraucherschutz', 'MULNV'],
  ['Heimat, Kommunales, Bau und Gleichstellung', 'MHKBG'],
  ['Kinder, Familie, Flüchtlinge und Integration', 'MKFFI'],
  ['Verkehr', 'VM'],
  ['Finanzen', 'FM'],
  ['Inneres', 'IM'],
  ['Justiz', 'JM'],
  ['Gesundheit, Emanzipation, Pflege und Alter', 'MGEPA'],
] as const;

const TOPICS = [
  'Berufliche Bildung', 'Beschäftigungssicherung', 'Berufliche Integration und Teilhabe', 'Arbeitsmarktpolitik',
  'Fachkräftesicherung', 'Haushalt', 'Personal', 'Organisation', 'IT-Verfahren', 'Recht', 'Grundsatzfragen',
  'Europäischer Sozialfonds', 'Arbeitsschutz', 'Integration', 'Teilhabe', 'Digitalisierung', 'Controlling',
  'Statistik', 'Öffentlichkeitsarbeit', 'Förderprogramme', 'Jugend', 'Weiterbildung', 'Gleichstellung',
  'Migration', 'Wohnungsbau', 'Energie', 'Klimaschutz', 'Verbraucherschutz', 'Landwirtschaft', 'Schulaufsicht',
  'Regionalagenturen', 'Übergang Schule–Beruf', 'Qualifizierung', 'Soziale Sicherung', 'Inklusion',
  'Gesundheitsschutz', 'Strukturwandel', 'Kommunalfinanzen', 'Hochschulen', 'Forschung',
];

const LEVELS = [
  { classification: 'ministry', unit: 'Ministerium', head: 'Minister/in', share: 0.005 },
  { classification: 'department', unit: 'Abteilung', head: 'Abteilungsleitung', share: 0.03 },
  { classification: 'group', unit: 'Gruppe', head: 'Gruppenleitung', share: 0.08 },
  { classification: 'unit', unit: 'Referat', head: 'Referatsleitung', share: 0.17 },
  { classification: 'section', unit: 'Sachgebiet', head: 'Sachgebietsleitung', share: 0.3 },
  { classification: 'team', unit: 'Team', head: 'Teamleitung', share: 0 },
] as const;

const CITIES = ['Düsseldorf', 'Dortmund', 'Bottrop', 'Köln', 'Essen', 'Bochum', 'Münster', 'Bielefeld', 'Duisburg', 'Gelsenkirchen', 'Hagen', 'Wuppertal'];

const GIVEN = [
  'Jutta', 'Ingrid', 'Marion', 'Katja', 'Sabine', 'Andrea', 'Petra', 'Claudia', 'Susanne', 'Monika', 'Birgit', 'Stefanie',
  'Julia', 'Anna', 'Lea', 'Sophie', 'Jürgen', 'Thomas', 'Michael', 'Andreas', 'Stefan', 'Frank', 'Klaus', 'Günther',
  'Jörg', 'Uwe', 'Matthias', 'Tobias', 'Jan', 'Lukas', 'Felix', 'Ömer', 'Ayşe', 'Mehmet', 'Zoë', 'Björn', 'Søren',
  'Renée', 'Hans-Peter', 'Anne-Marie',
];
const FAMILY = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer',
  'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger',
  'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier', 'Lehmann', 'Schmid', 'Schulze',
  'Maier', 'Köhler', 'Herrmann', 'König', 'Walter', 'Mayer', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Lang', 'Scholz',
  'Möller', 'Weiß', 'Jung', 'Hahn', 'Schubert', 'Reiter', 'Schleimer', 'Siebert', 'Sträde', 'Yılmaz', 'Öztürk',
  'Kowalski', 'Nowak', 'Dąbrowski', 'van der Berg', 'Gößling', 'Strauß', 'Büttner', 'Jäger', 'Kühn',
];

const MEMBERSHIP_ROLES = [
  ['Sachbearbeitung', 45],
  ['Mitglied', 25],
  ['Projektmitarbeit', 15],
  ['Referent/in', 10],
  ['Praktikum', 5],
] as const;

// ---------------------------------------------------------------- generation

const YEAR = 365;

/** A min-heap of [key, value]. */
class Heap {
  private items: Array<[number, number]> = [];
  get size() {
    return this.items.length;
  }
  peekKey(): number {
    return this.items[0]![0];
  }
  push(key: number, value: number) {
    const a = this.items;
    a.push([key, value]);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]![0] <= a[i]![0]) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0]![1];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]![0] < a[m]![0]) m = l;
        if (r < a.length && a[r]![0] < a[m]![0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

function partialOf(day: number, precision: Precision): PartialDay {
  if (precision === 'year') return { day: firstOfYear(day), precision };
  if (precision === 'month') return { day: firstOfMonth(day), precision };
  return { day, precision };
}

const exact = (day: number): PartialDay => ({ day, precision: 'day' });

export function generateDirectory(options: Pick<GenerateOptions, 'people' | 'organisations' | 'topUnits' | 'assignments' | 'seed' | 'windowStart' | 'windowEnd'>): Directory {
  const rng = new Random(options.seed);
  const W0 = dayNumber(options.windowStart);
  const W1 = dayNumber(options.windowEnd);
  const stats: Record<string, number> = {};
  const count = (key: string, n = 1) => (stats[key] = (stats[key] ?? 0) + n);

  // ---------------------------------------------------------- organisations in six levels
  const n = Math.max(LEVELS.length, options.organisations);
  const perLevel = LEVELS.map((l) => Math.max(1, Math.round(n * l.share)));
  perLevel[0] = Math.min(options.topUnits, perLevel[1]!);
  perLevel[LEVELS.length - 1] = Math.max(1, n - perLevel.slice(0, -1).reduce((s, x) => s + x, 0));
  const orgs: Org[] = [];
  const byLevel: number[][] = LEVELS.map(() => []);

  const foundingAfter = (earliestYear: number): PartialDay | null => {
    if (rng.chance(0.1)) return null;
    const year = rng.int(Math.min(earliestYear, 2009), 2009);
    const day = dayNumber(`${year}-01-01`) + rng.int(0, 364);
    return rng.chance(0.3) ? partialOf(day, 'year') : exact(day);
  };

  for (let level = 0; level < LEVELS.length; level++) {
    const spec = LEVELS[level]!;
    const parents = level === 0 ? [] : [...byLevel[level - 1]!];
    // Round-robin over the shuffled parents: a balanced tree with some randomness.
    for (let i = parents.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [parents[i], parents[j]] = [parents[j]!, parents[i]!];
    }
    for (let i = 0; i < perLevel[level]!; i++) {
      const idx = orgs.length;
      const parentIdx = level === 0 ? null : parents[i % parents.length]!;
      const parent = parentIdx === null ? null : orgs[parentIdx]!;
      const childNo = parent ? parent.children.length + 1 : i + 1;
      const code = parent ? (parent.level === 0 ? `${childNo}` : `${parent.code}.${childNo}`) : `${i + 1}`;
      let name: string;
      let abbreviation: string;
      if (level === 0) {
        const [topic, abbr] = MINISTRY_TOPICS[i % MINISTRY_TOPICS.length]!;
        const round = Math.floor(i / MINISTRY_TOPICS.length);
        name = `Ministerium für ${topic}${round ? ` ${round + 1}` : ''}`;
        abbreviation = `${abbr}${round ? round + 1 : ''}`;
      } else {
        const topic = rng.pick(TOPICS);
        name = `${spec.unit} ${code} – ${topic}`;
        abbreviation = `${spec.unit.slice(0, 3)}. ${code}`;
        if (parent!.level === 0) abbreviation = `${parent!.abbreviation} ${abbreviation}`;
      }
      const parentFoundingYear = parent?.founding ? Number(isoDay(parent.founding.day).slice(0, 4)) : 1950;
      let founding = foundingAfter(parentFoundingYear);
      let dissolution: number | null = null;
      if (level === LEVELS.length - 1) {
        // Teams come and go: some are founded within the window, some dissolved.
        if (rng.chance(0.15)) founding = exact(rng.int(W0 + 30, W1 - 2 * YEAR));
        if (rng.chance(0.1)) {
          const from = Math.max(founding?.day ?? W0, W0) + YEAR;
          if (from < W1 - 30) dissolution = rng.int(from, W1 - 30);
        }
      }
      const location = parent && rng.chance(0.8) ? parent.location : level === 0 ? 'Düsseldorf' : rng.pick(CITIES);
      const org: Org = {
        id: rng.uuid(),
        level,
        code,
        name,
        abbreviation,
        classification: spec.classification,
        location,
        founding,
        dissolution,
        existFrom: founding ? founding.day : -Infinity,
        existTo: dissolution ?? Infinity,
        links: [],
        formerName: null,
        children: [],
      };
      orgs.push(org);
      byLevel[level]!.push(idx);
      if (parentIdx !== null) {
        orgs[parentIdx]!.children.push(idx);
        const lastDay = dissolution;
        const movable = level >= 2 && byLevel[level - 1]!.length > 1;
        const moveFrom = Math.max(founding?.day ?? W0, W0) + 180;
        const moveTo = Math.min(dissolution ?? W1, W1) - 180;
        if (movable && moveFrom < moveTo && rng.chance(0.1)) {
          // A unit moves to another parent on day M: the old link ends on M−1.
          const move = rng.int(moveFrom, moveTo);
          let other = parentIdx;
          while (other === parentIdx) other = rng.pick(byLevel[level - 1]!);
          org.links.push({ id: rng.uuid(), parent: parentIdx, position: 0, start: founding, end: move - 1 });
          org.links.push({ id: rng.uuid(), parent: other, position: 1, start: exact(move), end: lastDay });
          count('unit moves');
        } else {
          org.links.push({ id: rng.uuid(), parent: parentIdx, position: 0, start: founding, end: lastDay });
        }
      }
      const renameFrom = Math.max(org.existFrom, W0) + 90;
      const renameTo = Math.min(org.existTo, W1) - 90;
      if (level > 0 && renameFrom < renameTo && rng.chance(0.08)) {
        const rename = rng.int(renameFrom, renameTo);
        org.formerName = { id: rng.uuid(), name: `${spec.unit} ${code} – ${rng.pick(TOPICS)}`, end: rename - 1 };
        count('renamed units');
      }
    }
  }
  stats['organisations'] = orgs.length;
  stats['dissolved units'] = orgs.filter((o) => o.dissolution !== null).length;

  // ---------------------------------------------------------- posts
  const posts: Post[] = [];
  const addPost = (org: number, role: string, label: string, maxHolders: number | null, tracks: number) =>
    posts.push({ id: rng.uuid(), org, label, role, maxHolders, tracks });
  orgs.forEach((o, idx) => {
    const spec = LEVELS[o.level]!;
    addPost(idx, spec.head, `${spec.head} ${o.abbreviation}`, 1, 1);
    if (o.level === 0) {
      addPost(idx, 'Staatssekretär/in', `Staatssekretär/in ${o.abbreviation}`, 1, 1);
      addPost(idx, 'Büroleitung', `Büroleitung ${o.abbreviation}`, 1, 1);
    }
    if (rng.chance(o.level <= 3 ? 0.4 : 0.2)) {
      addPost(idx, `Stellvertretende ${spec.head}`, `Stellvertretende ${spec.head} ${o.abbreviation}`, 1, 1);
    }
    if (o.level >= 2) {
      const staff = rng.int(1, 2);
      for (let s = 0; s < staff; s++) {
        const max = rng.weighted<number | null>([[null, 50], [2, 20], [3, 20], [5, 10]]);
        addPost(idx, 'Referent/in', `Referent/in ${rng.pick(TOPICS)} (${o.abbreviation})`, max, max ?? rng.int(1, 4));
      }
    }
  });
  stats['posts'] = posts.length;
  stats['single-holder posts'] = posts.filter((p) => p.maxHolders === 1).length;

  // ---------------------------------------------------------- holdings: tracks of successions
  const postShare = 0.55;
  interface Track {
    post: number;
    from: number;
    to: number;
    open: boolean;
  }
  const tracks: Track[] = [];
  let trackDays = 0;
  for (let p = 0; p < posts.length; p++) {
    const post = posts[p]!;
    const org = orgs[post.org]!;
    for (let t = 0; t < post.tracks; t++) {
      const from = org.existFrom > W0 - 10 * YEAR ? org.existFrom + rng.int(0, 60) : W0 - rng.int(0, 10 * YEAR);
      const open = org.dissolution === null;
      const to = Math.min(org.existTo, W1);
      if (from >= to) continue;
      tracks.push({ post: p, from, to, open });
      trackDays += to - from + 1;
    }
  }
  const targetHoldings = Math.max(1, Math.round(options.assignments * postShare));
  const meanLength = Math.max(30, trackDays / targetHoldings);

  interface Segment {
    post: number;
    start: number;
    end: number | null;
    /** Starts on the day after the previous holder of a single-holder post ended: a handover. */
    handoverFrom: number | null;
    assignment: number;
  }
  const segments: Segment[] = [];
  for (const track of tracks) {
    const single = posts[track.post]!.maxHolders === 1;
    let cursor = track.from;
    let previous: number | null = null;
    for (;;) {
      const length = Math.max(30, Math.round(meanLength * (0.25 + 1.5 * rng.next())));
      let end: number | null = cursor + length - 1;
      let last = false;
      if (end >= track.to) {
        last = true;
        if (!track.open) end = track.to;
        else if (rng.chance(0.9)) end = null;
        else end = Math.max(cursor, track.to - rng.int(0, 300));
      }
      segments.push({ post: track.post, start: cursor, end, handoverFrom: previous, assignment: -1 });
      if (last || end === null) break;
      const handover = rng.chance(single ? 0.85 : 0.6);
      previous = handover ? segments.length - 1 : null;
      cursor = end + 1 + (handover ? 0 : rng.int(1, 200));
      if (cursor > track.to) break;
    }
  }
  segments.sort((a, b) => a.start - b.start || a.post - b.post);
  // Index fix-up after the sort: handoverFrom pointed at positions before sorting.
  // (Re-link by post and dates instead: the predecessor is the segment of the same post ending the day before.)
  {
    const byPostEnd = new Map<string, number>();
    segments.forEach((s, i) => {
      if (s.end !== null) byPostEnd.set(`${s.post}:${s.end}`, i);
    });
    for (const s of segments) {
      s.handoverFrom = s.handoverFrom === null ? null : (byPostEnd.get(`${s.post}:${s.start - 1}`) ?? null);
    }
  }

  // ---------------------------------------------------------- people
  const people: Person[] = [];
  for (let i = 0; i < options.people; i++) {
    people.push({
      id: rng.uuid(),
      given: rng.pick(GIVEN),
      family: rng.pick(FAMILY),
      prefix: rng.chance(0.08) ? rng.pick(['Dr.', 'Dr.', 'Prof. Dr.']) : null,
    });
  }

  // ---------------------------------------------------------- who holds which segment
  // Free people are picked at random; a holder is free again after the end of the holding
  // (often on the next day: a move from post to post). Nobody holds one post twice on a day.
  const assignments: Assignment[] = [];
  const transitions: Transition[] = [];
  const heldByPost = new Map<number, Array<{ person: number; start: number; end: number }>>();
  const overlapsSamePost = (post: number, person: number, start: number, end: number) =>
    (heldByPost.get(post) ?? []).some((h) => h.person === person && h.start <= end && start <= h.end);
  const pool: number[] = Array.from({ length: people.length }, (_, i) => i);
  const busy = new Heap();
  let fallbacks = 0;
  for (const seg of segments) {
    if (people.length === 0) break;
    while (busy.size > 0 && busy.peekKey() <= seg.start) pool.push(busy.pop());
    const end = seg.end ?? Infinity;
    let person = -1;
    for (let tries = 0; tries < 5 && pool.length > 0 && person < 0; tries++) {
      const k = rng.int(0, pool.length - 1);
      const candidate = pool[k]!;
      if (overlapsSamePost(seg.post, candidate, seg.start, end)) continue;
      pool[k] = pool[pool.length - 1]!;
      pool.pop();
      person = candidate;
      if (seg.end !== null) busy.push(seg.end + 1 + (rng.chance(0.45) ? 0 : rng.int(1, 400)), candidate);
    }
    while (person < 0) {
      const candidate = rng.int(0, people.length - 1);
      if (!overlapsSamePost(seg.post, candidate, seg.start, end)) person = candidate;
      fallbacks++;
    }
    const list = heldByPost.get(seg.post) ?? [];
    list.push({ person, start: seg.start, end });
    heldByPost.set(seg.post, list);
    const post = posts[seg.post]!;
    const year = isoDay(seg.start).slice(0, 4);
    seg.assignment = assignments.length;
    assignments.push({
      id: rng.uuid(),
      person,
      org: post.org,
      post: seg.post,
      role: post.role,
      onBehalfOf: null,
      start: exact(seg.start),
      end: seg.end === null ? null : exact(seg.end),
      source: rng.chance(0.5) ? `Geschäftsverteilungsplan ${year}` : `https://www.example.nrw/organigramm/${year}`,
      startedBy: null,
      endedBy: null,
    });
  }
  stats['holder picks outside the free pool'] = fallbacks;

  // Handovers of single-holder posts are recorded as transitions: the old holding ends on D−1,
  // the new one starts on D, both linked to the transition of day D.
  for (const seg of segments) {
    if (seg.handoverFrom === null || seg.assignment < 0) continue;
    const prev = segments[seg.handoverFrom]!;
    if (prev.assignment < 0 || posts[seg.post]!.maxHolders !== 1) continue;
    const t: Transition = {
      id: rng.uuid(),
      date: seg.start,
      reason: `Nachfolge: ${posts[seg.post]!.label}`,
      source: `Hausmitteilung ${isoDay(seg.start).slice(0, 7)}`,
    };
    transitions.push(t);
    assignments[prev.assignment]!.endedBy = t.id;
    assignments[seg.assignment]!.startedBy = t.id;
  }
  stats['post holdings'] = assignments.length;
  stats['single-holder handovers (transitions)'] = transitions.length;

  // Partial dates now and then, on holdings that are not part of a recorded handover: a partial
  // date narrows the certain span (the guards' span) and widens the possible one (the reads').
  for (const a of assignments) {
    if (!a.startedBy && a.start && rng.chance(0.02)) {
      a.start = partialOf(a.start.day, rng.chance(0.5) ? 'year' : 'month');
      count('partial start dates');
    }
    if (!a.endedBy && a.end && rng.chance(0.02)) {
      a.end = partialOf(a.end.day, rng.chance(0.5) ? 'year' : 'month');
      count('partial end dates');
    }
  }

  // ---------------------------------------------------------- memberships without a post
  const memberships = Math.max(0, options.assignments - assignments.length);
  const ministries = byLevel[0]!;
  for (let i = 0; i < memberships && people.length > 0; i++) {
    let org = rng.int(0, orgs.length - 1);
    let start = rng.int(W0 - 2 * YEAR, W1 - 30);
    for (let tries = 0; tries < 20; tries++) {
      const o = orgs[org]!;
      if (start < o.existFrom) start = o.existFrom + rng.int(0, 180);
      if (start <= Math.min(o.existTo, W1) - 30) break;
      org = rng.int(0, orgs.length - 1);
      start = rng.int(W0 - 2 * YEAR, W1 - 30);
    }
    const o = orgs[org]!;
    if (start > Math.min(o.existTo, W1)) continue; // nowhere to go: very rare
    const role = rng.weighted(MEMBERSHIP_ROLES);
    const length = role === 'Praktikum' ? rng.int(30, 180) : 30 + Math.floor(-Math.log(1 - rng.next()) * 900);
    let end: number | null = start + length - 1;
    if (end > o.existTo) end = o.existTo;
    else if (end > W1) end = rng.chance(0.8) ? null : W1;
    let startDay: PartialDay = exact(start);
    let endDay: PartialDay | null = end === null ? null : exact(end);
    if (rng.chance(0.08)) {
      startDay = partialOf(start, rng.chance(0.5) ? 'year' : 'month');
      count('partial start dates');
    }
    if (endDay && rng.chance(0.03)) {
      endDay = partialOf(endDay.day, rng.chance(0.5) ? 'year' : 'month');
      count('partial end dates');
    }
    assignments.push({
      id: rng.uuid(),
      person: rng.int(0, people.length - 1),
      org,
      post: null,
      role,
      onBehalfOf: role === 'Mitglied' && rng.chance(0.2) ? rng.pick(ministries) : null,
      start: startDay,
      end: endDay,
      source: `Personalverzeichnis ${isoDay(start).slice(0, 4)}`,
      startedBy: null,
      endedBy: null,
    });
  }
  stats['memberships without a post'] = assignments.length - stats['post holdings']!;
  stats['ongoing assignments'] = assignments.filter((a) => a.end === null).length;
  // Chronological, as history is recorded.
  assignments.sort((a, b) => (a.start?.day ?? -Infinity) - (b.start?.day ?? -Infinity));
  return { orgs, posts, people, assignments, transitions, stats };
}

// ---------------------------------------------------------------- rows

type Value = string | number | null;
interface TableRows {
  table: string;
  columns: string[];
  rows: Value[][];
}

/** A reproducible id for a record owned by another: its owner's id with the first digit replaced. */
const derivedId = (ownerId: string, digit: string) => `${digit}${ownerId.slice(1)}`;

const dateOf = (d: PartialDay | null): [Value, Value] => (d ? [isoDay(d.day), d.precision] : [null, null]);

function rowsOf(dir: Directory): TableRows[] {
  const orgId = (i: number) => dir.orgs[i]!.id;
  const organisations: TableRows = {
    table: 'organisations',
    columns: ['id', 'name', 'abbreviation', 'classification', 'location', 'founding_date', 'founding_precision', 'dissolution_date', 'dissolution_precision'],
    rows: dir.orgs.map((o) => [
      o.id, o.name, o.abbreviation, o.classification, o.location, ...dateOf(o.founding),
      ...dateOf(o.dissolution === null ? null : exact(o.dissolution)),
    ]),
  };
  const organisationNames: TableRows = {
    table: 'organisation_names',
    columns: ['id', 'organisation_id', 'position', 'name', 'start_date', 'start_precision', 'end_date', 'end_precision'],
    rows: dir.orgs
      .filter((o) => o.formerName)
      .map((o) => [o.formerName!.id, o.id, 0, o.formerName!.name, ...dateOf(o.founding), ...dateOf(exact(o.formerName!.end))]),
  };
  const parents: TableRows = {
    table: 'organisation_parents',
    columns: ['id', 'organisation_id', 'parent_id', 'position', 'start_date', 'start_precision', 'end_date', 'end_precision'],
    rows: dir.orgs.flatMap((o) =>
      o.links.map((l) => [l.id, o.id, orgId(l.parent), l.position, ...dateOf(l.start), ...dateOf(l.end === null ? null : exact(l.end))]),
    ),
  };
  const posts: TableRows = {
    table: 'posts',
    columns: ['id', 'organisation_id', 'label', 'max_holders'],
    rows: dir.posts.map((p) => [p.id, orgId(p.org), p.label, p.maxHolders]),
  };
  const people: TableRows = {
    table: 'people',
    columns: ['id', 'given_name', 'family_name', 'honorific_prefix'],
    rows: dir.people.map((p) => [p.id, p.given, p.family, p.prefix]),
  };
  const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z]/g, '');
  const contacts: TableRows = {
    table: 'contact_details',
    columns: ['id', 'person_id', 'position', 'type', 'value', 'label', 'visibility'],
    rows: dir.people.flatMap((p, i) => {
      const rows: Value[][] = [[derivedId(p.id, 'c'), p.id, 0, 'email', `${slug(p.given)}.${slug(p.family)}.${i}@example.nrw`, 'Dienstlich', 'internal']];
      if (i % 2 === 0) rows.push([derivedId(p.id, 'd'), p.id, 1, 'phone', `+49 211 855-${String(1000 + (i % 9000)).padStart(4, '0')}`, 'Büro', 'public']);
      return rows;
    }),
  };
  const identifiers: TableRows = {
    table: 'person_identifiers',
    columns: ['id', 'person_id', 'position', 'scheme', 'identifier'],
    rows: dir.people.map((p, i) => [derivedId(p.id, 'e'), p.id, 0, 'personalnummer', `P${String(i + 1).padStart(7, '0')}`]),
  };
  const transitions: TableRows = {
    table: 'transitions',
    columns: ['id', 'date', 'reason', 'source', 'recorded_by'],
    rows: dir.transitions.map((t) => [t.id, isoDay(t.date), t.reason, t.source, 'bench:generator']),
  };
  const assignments: TableRows = {
    table: 'assignments',
    columns: ['id', 'person_id', 'organisation_id', 'post_id', 'role', 'on_behalf_of_id', 'start_date', 'start_precision', 'end_date', 'end_precision', 'source', 'started_by_transition_id', 'ended_by_transition_id'],
    rows: dir.assignments.map((a) => [
      a.id, dir.people[a.person]!.id, orgId(a.org), a.post === null ? null : dir.posts[a.post]!.id, a.role,
      a.onBehalfOf === null ? null : orgId(a.onBehalfOf), ...dateOf(a.start), ...dateOf(a.end), a.source, a.startedBy, a.endedBy,
    ]),
  };
  return [organisations, organisationNames, parents, posts, people, contacts, identifiers, transitions, assignments];
}

const literal = (v: Value): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

function insertSql(t: TableRows, rows: Value[][]): string {
  return `INSERT INTO ${t.table} (${t.columns.join(', ')}) VALUES\n${rows.map((r) => `(${r.map(literal).join(', ')})`).join(',\n')}`;
}

const copyField = (v: Value): string =>
  v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

// ---------------------------------------------------------------- loading

interface Sink {
  exec(text: string): Promise<void>;
  query(text: string): Promise<Array<Record<string, unknown>>>;
  copy?(t: TableRows, rows: Value[][]): Promise<void>;
}

function postgresSink(sql: postgres.Sql): Sink {
  return {
    exec: async (text) => {
      await sql.unsafe(text);
    },
    query: async (text) => (await sql.unsafe(text)) as unknown as Array<Record<string, unknown>>,
    copy: async (t, rows) => {
      const writable = await sql.unsafe(`COPY ${t.table} (${t.columns.join(', ')}) FROM STDIN`).writable();
      const chunks = function* () {
        for (let i = 0; i < rows.length; i += 1000) {
          yield rows.slice(i, i + 1000).map((r) => r.map(copyField).join('\t')).join('\n') + '\n';
        }
      };
      await pipeline(Readable.from(chunks()), writable);
    },
  };
}

function pgliteSink(client: PGlite): Sink {
  return {
    exec: async (text) => {
      await client.exec(text);
    },
    query: async (text) => (await client.query<Record<string, unknown>>(text)).rows,
  };
}

export interface LoadPhase {
  phase: string;
  rows: number;
  seconds: number;
  method: string;
}

export interface Generated {
  /** PostgreSQL server: the database's URL. */
  url?: string;
  name?: string;
  /** PGlite: the open client, still usable. */
  pglite?: PGlite;
  directory: Directory;
  phases: LoadPhase[];
  triggerProfile: Array<{ trigger: string; ms: number; calls: number }>;
  report: string;
  /** Drops the server database (or closes PGlite). */
  drop(): Promise<void>;
}

async function loadTable(sink: Sink, t: TableRows, rows: Value[][], method: 'copy' | 'insert', batch: number): Promise<void> {
  if (rows.length === 0) return;
  if (method === 'copy' && sink.copy) return sink.copy(t, rows);
  for (let i = 0; i < rows.length; i += batch) await sink.exec(insertSql(t, rows.slice(i, i + batch)));
}

/** What explain-reads and write-cost run on without --url: a generated server database, dropped unless --keep. */
export async function generateForBench(args: Args, started: number): Promise<{ url: string; drop: (() => Promise<void>) | undefined }> {
  const options = optionsFromArgs(args);
  const generated = await generate({ ...options, rowSample: 0 });
  const url = generated.url!;
  console.log(`Generated ${databaseName(url)} in ${((now() - started) / 1000).toFixed(0)} s.\n`);
  if (options.patches.length) console.log(`**What-if schema**: after the migrations, applied ${options.patches.join(', ')}.\n`);
  return { url, drop: args.keep ? undefined : generated.drop };
}

/** Generates a directory and loads it into a fresh, migrated database. */
export async function generate(options: GenerateOptions): Promise<Generated> {
  const log = (line: string) => options.verbose && process.stderr.write(`${line}\n`);
  const t0 = now();
  const directory = generateDirectory(options);
  const generateSeconds = (now() - t0) / 1000;
  log(`generated ${directory.assignments.length} assignments in ${generateSeconds.toFixed(1)} s`);

  const phases: LoadPhase[] = [];
  const timed = async (phase: string, rows: number, method: string, work: () => Promise<unknown>) => {
    const started = now();
    await work();
    const seconds = (now() - started) / 1000;
    phases.push({ phase, rows, seconds, method });
    log(`${phase}: ${rows} rows in ${seconds.toFixed(2)} s`);
  };

  let sink: Sink;
  let url: string | undefined;
  let name: string | undefined;
  let pglite: PGlite | undefined;
  let closeLoader: () => Promise<void>;
  if (options.target === 'postgres') {
    name = `rolebook_bench_${process.pid}`;
    await timed('create database and migrate', 0, 'drizzle migrate', async () => {
      url = await createServerDatabase(options.serverUrl, name!);
      const database = await openPostgres({ url, max: 1 });
      await migrate(database, url);
      for (const file of options.patches) await database.client.unsafe(await readFile(file, 'utf8'));
      await database.close();
    });
    const loader = postgres(url!, { max: 1, onnotice: () => {} });
    sink = postgresSink(loader);
    closeLoader = () => loader.end({ timeout: 5 });
  } else {
    let database!: Awaited<ReturnType<typeof openPglite>>;
    await timed('open PGlite and migrate', 0, 'drizzle migrate', async () => {
      database = await openPglite(options.dataDir ? { dataDir: options.dataDir } : {});
      await migrate(database);
      for (const file of options.patches) await database.client.exec(await readFile(file, 'utf8'));
    });
    pglite = database.client;
    sink = pgliteSink(database.client);
    closeLoader = async () => {};
  }

  const triggerProfile: Array<{ trigger: string; ms: number; calls: number }> = [];
  const functionProfile: Array<{ name: string; calls: number; total: number; self: number }> = [];
  try {
    const tables = rowsOf(directory);
    for (const t of tables.slice(0, -1)) {
      await timed(t.table, t.rows.length, options.method === 'copy' ? 'COPY' : `INSERT × ${options.batch}`, () =>
        loadTable(sink, t, t.rows, options.method, options.batch),
      );
    }

    // Assignments: in tenths, so that the rate can be watched as the table grows; one batch in
    // the middle under EXPLAIN ANALYZE for the time each trigger takes; the last rowSample rows
    // one INSERT statement each.
    const a = tables[tables.length - 1]!;
    const sample = Math.min(options.rowSample, a.rows.length);
    const bulk = a.rows.slice(0, a.rows.length - sample);
    const tenth = Math.max(1, Math.ceil(bulk.length / 10));
    const method = options.method === 'copy' ? 'COPY' : `INSERT × ${options.batch}`;
    for (let i = 0, part = 1; i < bulk.length; i += tenth, part++) {
      let rows = bulk.slice(i, i + tenth);
      if (part === 6 && rows.length > options.batch) {
        const explained = rows.slice(0, options.batch);
        rows = rows.slice(options.batch);
        await timed(`assignments: EXPLAIN ANALYZE of one INSERT`, explained.length, `INSERT × ${explained.length}`, async () => {
          // With track_functions, the transaction's function statistics show the SQL and PL/pgSQL
          // functions the row costs (generated columns, guard) called, and how often.
          await sink.exec(`BEGIN; SET LOCAL track_functions = 'all'`);
          // Not yet flushed statistics of earlier transactions are in the view too: subtract them.
          const functionStats = `SELECT funcname, calls::int, total_time::float8 AS total, self_time::float8 AS self FROM pg_stat_xact_user_functions`;
          const before = new Map((await sink.query(functionStats)).map((f) => [String(f.funcname), f]));
          const plan = await sink.query(`EXPLAIN (ANALYZE) ${insertSql(a, explained)}`);
          for (const row of plan) {
            const line = String(Object.values(row)[0]);
            const m = /^Trigger (.+): time=([\d.]+) calls=(\d+)/.exec(line.trim());
            if (m) triggerProfile.push({ trigger: m[1]!, ms: Number(m[2]), calls: Number(m[3]) });
            const total = /^Execution Time: ([\d.]+) ms/.exec(line.trim());
            if (total) triggerProfile.push({ trigger: '(statement, total)', ms: Number(total[1]), calls: explained.length });
          }
          for (const f of await sink.query(functionStats)) {
            const b = before.get(String(f.funcname));
            const calls = Number(f.calls) - Number(b?.calls ?? 0);
            if (calls <= 0) continue;
            functionProfile.push({
              name: String(f.funcname),
              calls,
              total: Number(f.total) - Number(b?.total ?? 0),
              self: Number(f.self) - Number(b?.self ?? 0),
            });
          }
          functionProfile.sort((x, y) => y.total - x.total);
          await sink.exec('COMMIT');
        });
      }
      await timed(`assignments, part ${part} of 10`, rows.length, method, () =>
        loadTable(sink, a, rows, options.method, options.batch),
      );
    }
    // Half of the sample autocommitted (a commit, and its WAL flush, per row), half in one transaction.
    const single = sample > 0 ? a.rows.slice(a.rows.length - sample) : [];
    const half = Math.ceil(single.length / 2);
    if (single.length > 0) await timed('assignments: row by row (one INSERT each)', half, 'INSERT × 1, autocommit', async () => {
      for (const row of single.slice(0, half)) await sink.exec(insertSql(a, [row]));
    });
    if (single.length > half) await timed('assignments: row by row in one transaction', single.length - half, 'INSERT × 1, one COMMIT', async () => {
      await sink.exec('BEGIN');
      for (const row of single.slice(half)) await sink.exec(insertSql(a, [row]));
      await sink.exec('COMMIT');
    });
    await timed('VACUUM ANALYZE', 0, '', () => sink.exec('VACUUM ANALYZE'));
  } catch (error) {
    await closeLoader();
    if (name) await dropServerDatabase(options.serverUrl, name);
    throw error;
  }

  // What the database holds now, from the database.
  const [counts] = await sink.query(`SELECT
      (SELECT count(*) FROM organisations)::int AS organisations,
      (SELECT count(*) FROM organisation_parents)::int AS parent_links,
      (SELECT count(*) FROM organisation_names)::int AS former_names,
      (SELECT count(*) FROM posts)::int AS posts,
      (SELECT count(*) FROM posts WHERE max_holders = 1)::int AS single_holder_posts,
      (SELECT count(*) FROM people)::int AS people,
      (SELECT count(*) FROM contact_details)::int AS contact_details,
      (SELECT count(*) FROM transitions)::int AS transitions,
      (SELECT count(*) FROM assignments)::int AS assignments,
      (SELECT count(*) FROM assignments WHERE post_id IS NOT NULL)::int AS post_holdings,
      (SELECT count(*) FROM assignments WHERE start_precision <> 'day' OR end_precision <> 'day')::int AS partial_dates,
      (SELECT count(*) FROM assignments WHERE end_date IS NULL)::int AS ongoing,
      (SELECT count(*) FROM assignments WHERE start_date < '${options.windowStart}')::int AS started_before_window,
      (SELECT pg_size_pretty(pg_total_relation_size('assignments'))) AS assignments_size,
      (SELECT pg_size_pretty(pg_database_size(current_database()))) AS database_size`);
  await closeLoader();

  const assignmentPhases = phases.filter((p) => p.phase.startsWith('assignments'));
  const bulkPhases = assignmentPhases.filter((p) => !p.phase.includes('row by row'));
  const bulkRows = bulkPhases.reduce((s, p) => s + p.rows, 0);
  const bulkSeconds = bulkPhases.reduce((s, p) => s + p.seconds, 0);
  const rowByRow = assignmentPhases.find((p) => p.phase.includes('row by row (one'));
  const rowByRowTx = assignmentPhases.find((p) => p.phase.includes('row by row in one'));
  const total = directory.assignments.length;
  const lines: string[] = [];
  lines.push(`### Load (${options.target}${options.target === 'postgres' ? `, database ${name}` : ''}, seed ${options.seed})`);
  if (options.patches.length > 0) {
    lines.push('');
    lines.push(`**What-if schema**: after the migrations, applied ${options.patches.map((f) => `\`${f}\``).join(', ')}.`);
  }
  lines.push('');
  lines.push(`Machine at the end: ${machineNote()}.`);
  lines.push('');
  lines.push(`Generated in memory in ${generateSeconds.toFixed(1)} s.`);
  lines.push('');
  lines.push(
    table(
      ['phase', 'rows', 'method', 'seconds', 'rows/s'],
      phases.map((p) => [p.phase, p.rows ? int(p.rows) : '', p.method, p.seconds.toFixed(2), p.rows ? int(p.rows / p.seconds) : '']),
    ),
  );
  lines.push('');
  lines.push(
    table(
      ['assignments', 'value'],
      [
        ['bulk rate (guards and constraints on every row)', `${int(bulkRows / bulkSeconds)} rows/s`],
        ...(rowByRow && rowByRow.rows > 0
          ? [
              ['row by row (one autocommitted INSERT each)', `${int(rowByRow.rows / rowByRow.seconds)} rows/s`],
              [`all ${int(total)} row by row, extrapolated`, `${((total * rowByRow.seconds) / rowByRow.rows).toFixed(0)} s`],
            ]
          : []),
        ...(rowByRowTx && rowByRowTx.rows > 0
          ? [
              ['row by row in one transaction', `${int(rowByRowTx.rows / rowByRowTx.seconds)} rows/s`],
              [`all ${int(total)} row by row in one transaction, extrapolated`, `${((total * rowByRowTx.seconds) / rowByRowTx.rows).toFixed(0)} s`],
            ]
          : []),
        [`all ${int(total)} in bulk, extrapolated`, `${((total * bulkSeconds) / Math.max(1, bulkRows)).toFixed(0)} s`],
        ['total load time (all tables, incl. migrate and VACUUM ANALYZE)', `${phases.reduce((s, p) => s + p.seconds, 0).toFixed(1)} s`],
      ],
    ),
  );
  if (triggerProfile.length > 0) {
    lines.push('');
    lines.push(`Where the time of one ${int(triggerProfile.find((t) => t.trigger.startsWith('('))?.calls ?? 0)}-row INSERT of assignments goes (EXPLAIN ANALYZE, table half full):`);
    lines.push('');
    lines.push(table(['trigger', 'ms', 'calls', 'µs per row'], triggerProfile.map((t) => [t.trigger, ms(t.ms, 1), int(t.calls), ms((1000 * t.ms) / Math.max(1, t.calls), 1)])));
  }
  if (functionProfile.length > 0) {
    const rowsExplained = triggerProfile.find((t) => t.trigger.startsWith('('))?.calls ?? 1;
    lines.push('');
    lines.push('Functions called by that INSERT (pg_stat_xact_user_functions, track_functions = all; nested calls count in total, not self):');
    lines.push('');
    lines.push(
      table(
        ['function', 'calls', 'calls per row', 'total ms', 'self ms'],
        functionProfile.map((f) => [f.name, int(f.calls), ms(f.calls / rowsExplained, 1), ms(f.total, 1), ms(f.self, 1)]),
      ),
    );
  }
  lines.push('');
  lines.push('What the database holds:');
  lines.push('');
  lines.push(table(['', 'count'], Object.entries(counts ?? {}).map(([k, v]) => [k.replace(/_/g, ' '), typeof v === 'number' ? int(v) : String(v)])));
  lines.push('');
  lines.push(table(['generator', 'count'], Object.entries(directory.stats).map(([k, v]) => [k, int(v)])));
  const report = lines.join('\n');

  return {
    ...(url ? { url } : {}),
    ...(name ? { name } : {}),
    ...(pglite ? { pglite } : {}),
    directory,
    phases,
    triggerProfile,
    report,
    drop: async () => {
      if (name) await dropServerDatabase(options.serverUrl, name);
      if (pglite && !pglite.closed) await pglite.close();
    },
  };
}

// ---------------------------------------------------------------- CLI

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const options = optionsFromArgs(args);
  const result = await generate(options);
  console.log(`## bench/generate.ts — ${int(options.people)} people, ${int(options.organisations)} organisations, ${int(options.assignments)} assignments\n`);
  console.log(result.report);
  if (args.keep) {
    console.log(`\nKept: ${result.url ?? options.dataDir ?? '(in memory: nothing to keep)'}`);
    if (result.pglite) await result.pglite.close();
  } else {
    await result.drop();
    console.log(`\nDropped ${result.name ?? 'the database'} (pass --keep to keep it).`);
  }
}
