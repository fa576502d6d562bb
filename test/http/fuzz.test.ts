/**
 * Fuzzing every route of the OpenAPI document (/openapi.json) with fast-check: thousands of
 * generated invalid and hostile requests, sent with an admin key — wrong types, huge strings,
 * unicode edge cases (lone surrogates, NUL, RTL marks, emoji), SQL and JS injection strings, deep
 * JSON, odd headers, bad ids, garbage query parameters. None may answer a 5xx, none may leak a
 * stack trace or SQL, and none may change the database.
 *
 * Every write request carries at least one defect that the contract says refuses it whatever the
 * rest holds (an unknown member of a strict body, a wrong type for a required member, a body that
 * is no JSON object, a wrong content type, an oversized body, a bad or unknown id in the path, a
 * PATCH without the current ETag); the rest of the request is shaped after the route's schema
 * with hostile values, so that it gets as deep into the service as a refused request can. Reads
 * may succeed; reads do not write (the data-protection export, which audits, only gets unknown ids).
 *
 * After every request the audit log's length is compared (each write appends to it), after each
 * route every table (test/http/support.ts).
 */
import fc from 'fast-check';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { DEMO_IDS } from '../../src/demo/data.js';
import { buildTestApp, type Response, type TestApp } from '../helpers/app.js';
import { DATABASE_KIND } from '../helpers/database.js';
import { snapshot } from './support.js';

/** Requests in total, spread over the operations; each operation also stops after its time budget. */
const TOTAL_RUNS = 3000;
const OPERATION_BUDGET_MS = 6000;
const SEED = Number(process.env.FUZZ_SEED ?? 20160622);

type Schema = Record<string, any>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, when the route takes JSON. */
  body?: Schema;
  /** The media types the route takes a body in (text/csv, …). */
  bodyTypes: string[];
}
interface Fuzzed {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What defect makes the request invalid (for writes), for the report. */
  defect: string;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const HOSTILE: string[] = [
  // SQL
  "' OR '1'='1",
  "'; DROP TABLE people; --",
  "'); DELETE FROM audit_events; --",
  '1; SELECT secret_hash FROM api_keys',
  "' UNION SELECT secret_hash, null FROM api_keys --",
  "\\'; SELECT pg_sleep(5); --",
  '$$; DROP TABLE people; $$',
  '%',
  '_',
  '%_%',
  '\\',
  '\\\\',
  "''",
  '"',
  '`',
  // JS, templates, markup
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{"$gt": ""}',
  '[object Object]',
  'undefined',
  'null',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '9'.repeat(400),
  // unicode edge cases
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uDC00\uD800y',
  '\u202Eevil\u202C',
  '\u200F\u200E',
  '\u200B',
  '\uFEFF',
  '\u2028\u2029',
  '\u0085',
  '\u001B[31mred',
  '\u007F',
  '\r\n',
  '\t',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '😀'.repeat(3),
  'Z̸̢̛̫͙a̴l̵g̸o̶',
  '𝕏𝔶𝔷',
  'ﷺ',
  'ẞİıß',
  'Jutta Reiter',
  'ÄÖÜäöüß',
  // dates, timestamps and ids
  '2016-02-30',
  '0000-00-00',
  '9999-12-31',
  '-2016',
  '+002016-01-01',
  '2016-13',
  '2016-06-22T25:00:00Z',
  '1970-01-01T00:00:00+25:00',
  '2016-06-22T12:00:00',
  '99999-01-01T00:00:00Z',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{0b000000-0000-4000-8000-000000000001}',
  'urn:uuid:0b000000-0000-4000-8000-000000000001',
  '0B000000-0000-4000-8000-000000000001',
  '0b000000-0000-4000-8000-00000000000',
  // paths and formats
  '../../etc/passwd',
  '..\\..\\windows',
  '%2e%2e%2f',
  '%s%s%s%n',
  '%00',
  '',
  ' ',
];
const LONG: string[] = ['a'.repeat(10_000), 'ä'.repeat(20_000), '😀'.repeat(5_000), '\u202E'.repeat(3_000), '%'.repeat(5_000)];

/** Any UTF-16 code units, lone surrogates included. */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 });

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: codeUnits },
  { weight: 1, arbitrary: fc.constantFrom(...LONG) },
);

/** JSON values of any type: what a wrong-type member gets. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0, 1e308, 2 ** 53 + 1, [], {}, [[[]]], { a: { b: { c: {} } } }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  hostileString,
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

/** Header values: what HTTP can carry (no CR, LF or NUL), Latin-1 included. */
const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 120 }),
  fc.constantFrom("' OR 1=1 --", '${jndi:ldap://x}', '*', '', ' ', 'a'.repeat(8000), '\t', 'ÄÖÜ', '"etag"', 'W/"x"', 'null'),
);

/** A string as it may appear in a URL: percent-encoded, lone surrogates as the bytes WTF-8 would give them. */
function encodeLoose(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

const BROKEN_URL_PARTS = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF%FE', '%00', '..', '.', ';', '%2F', '%252e', '+', '#frag'];

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that is no UUID (answered 400), raw or broken. */
const badId = fc.oneof(
  { weight: 4, arbitrary: hostileString.filter((s) => s.trim() !== '' && !UUID_LIKE.test(s)).map(encodeLoose) },
  { weight: 1, arbitrary: fc.constantFrom(...BROKEN_URL_PARTS.filter((p) => !['.', '..', '#frag', '%2F'].includes(p))) },
  { weight: 1, arbitrary: fc.constantFrom('1', '-1', '0', 'null', 'undefined', 'x'.repeat(300), `${DEMO_IDS.juttaReiter}x`, DEMO_IDS.juttaReiter.toUpperCase().replace(/-/g, '')) },
);

// ---------------------------------------------------------------------------------------------
// Values shaped after a JSON Schema (the OpenAPI document's), with hostile leaves

function resolver(doc: Schema) {
  return function resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; s.$ref && i < 10; i++) s = doc.components.schemas[String(s.$ref).split('/').pop()!] ?? {};
    return s;
  };
}

/** The JSON types a schema admits (all of them when it does not say). */
function typesOf(schema: Schema, resolve: (s: Schema | undefined) => Schema): Set<string> {
  const s = resolve(schema);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return new Set((alternatives as Schema[]).flatMap((a) => [...typesOf(a, resolve)]));
  if (s.enum) return new Set((s.enum as unknown[]).map((v) => (v === null ? 'null' : typeof v)));
  if (s.const !== undefined) return new Set([s.const === null ? 'null' : typeof s.const]);
  if (!s.type) return new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']);
  return new Set(([] as string[]).concat(s.type));
}

/** A value no schema of these types admits, if there is one. */
function impossibleFor(types: Set<string>): unknown[] {
  const values: unknown[] = [];
  if (!types.has('number') && !types.has('integer')) values.push(123.5, -1);
  if (!types.has('boolean')) values.push(true);
  if (!types.has('array')) values.push(['x']);
  if (!types.has('object')) values.push({ $gt: '' });
  if (!types.has('string')) values.push("' OR '1'='1");
  if (!types.has('null')) values.push(null);
  return values;
}

function shaped(schema: Schema | undefined, resolve: (s: Schema | undefined) => Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const inner = (): fc.Arbitrary<unknown> => {
    const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (alternatives) return fc.oneof(...alternatives.map((a) => shaped(a, resolve, depth)));
    if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
    if (s.const !== undefined) return fc.constant(s.const);
    const type = ([] as string[]).concat(s.type ?? 'string')[0];
    switch (type) {
      case 'object': {
        const properties = (s.properties ?? {}) as Record<string, Schema>;
        if (depth > 3 || Object.keys(properties).length === 0) return fc.constant({});
        const model = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, shaped(v, resolve, depth + 1)]));
        return fc.record(model, { requiredKeys: ((s.required ?? []) as string[]).filter((k) => k in properties) });
      }
      case 'array':
        return depth > 3 ? fc.constant([]) : fc.array(shaped(s.items, resolve, depth + 1), { maxLength: 3 });
      case 'integer':
      case 'number':
        return fc.oneof(fc.integer({ min: -5, max: 600 }), fc.constantFrom(0, -1, 1e308, 2 ** 53 + 1, 1.5, -0));
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default: {
        const examples = ((s.examples ?? []) as unknown[]).filter((e) => typeof e === 'string') as string[];
        const sensible = [
          ...examples,
          '2016-06-22',
          '2016',
          DEMO_IDS.facharbeitskreis,
          DEMO_IDS.juttaReiter,
          DEMO_IDS.reiterChair,
          '2026-01-01T00:00:00Z',
        ];
        return fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom(...sensible) }, { weight: 1, arbitrary: fc.uuid() });
      }
    }
  };
  // Now and then a member of the wrong type, anywhere.
  return fc.oneof({ weight: 5, arbitrary: inner() }, { weight: 1, arbitrary: anyJson });
}

// ---------------------------------------------------------------------------------------------
// Requests

const ODD_HEADER_NAMES = [
  'x-reason',
  'x-request-id',
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'if-none-match',
  'origin',
  'referer',
  'cookie',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
  'x-http-method-override',
  'user-agent',
  'range',
  'content-encoding',
  'x-real-ip',
  'prefer',
];

const oddHeaders = fc.dictionary(fc.oneof(fc.constantFrom(...ODD_HEADER_NAMES), fc.stringMatching(/^x-[a-z0-9-]{1,30}$/)), headerValue, { maxKeys: 4 });

const MALFORMED_JSON = ['{', '{"a":', "{'a': 1}", '{"a": 1,}', '{"a" 1}', 'nul', '{}}', '[1, 2', 'undefined', 'NaN', '{"a": NaN}', '{"a": 01}', '/* c */ {}', '\uFEFF\uFEFF{}', '{"a":"\\ud800"', '{"\\u0000": 1'];

const BAD_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json-patch+json',
  'application/jsonx',
  'text/json',
  'application/javascript',
  'application/octet-stream',
  '*/*',
  'application/',
  'json',
];

const CHARSETS = ['utf-8', 'UTF-8', 'windows-1252', 'iso-8859-1', 'utf-16', 'utf-16le', 'latin1', 'bogus', '', '"utf-8"', 'utf-8; charset=latin1'];

/** A text body for routes that take other media types than JSON (CSV): lines of hostile cells. */
const textBody = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(',', ';', '\t', '|'),
      fc.constantFrom('givenName,familyName', 'Vorname;Nachname;E-Mail', 'id,scheme,identifier', 'personId;organisationId;role;startDate', ''),
      fc.array(fc.array(fc.oneof(hostileString, fc.constantFrom('=cmd|\' /C calc\'!A0', '"unclosed', '""', '22.06.2016', '06.2016', DEMO_IDS.juttaReiter)), { maxLength: 5 }), { maxLength: 5 }),
      fc.boolean(),
    )
    .map(([sep, header, rows, quote]) =>
      [header.replaceAll(',', sep), ...rows.map((cells) => cells.map((c) => (quote ? `"${c.replaceAll('"', '""')}"` : c)).join(sep))].join(quote ? '\r\n' : '\n'),
    ),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom('\uFEFF', '\uFEFF\uFEFFa,b\n1,2', 'a'.repeat(100_000), '"'.repeat(1000), '\r'.repeat(1000)),
);

const ID_OF_COLLECTION: Array<[RegExp, string]> = [
  [/^\/v1\/people\//, DEMO_IDS.juttaReiter],
  [/^\/v1\/organisations\//, DEMO_IDS.facharbeitskreis],
  [/^\/v1\/posts\//, DEMO_IDS.chairFacharbeitskreis],
  [/^\/v1\/assignments\//, DEMO_IDS.reiterChair],
  [/^\/v1\/transitions\//, DEMO_IDS.straedeMove],
];

const isWrite = (op: Operation) => !['GET', 'HEAD'].includes(op.method);
/** Reads that write: the data-protection export is audited. */
const isAuditedRead = (op: Operation) => op.method === 'GET' && /\/export$/.test(op.path) && op.path.includes('{');

function queryString(op: Operation): fc.Arbitrary<string> {
  const known = op.parameters.filter((p) => p.in === 'query');
  const name = fc.oneof(
    { weight: 3, arbitrary: known.length ? fc.constantFrom(...known.map((p) => p.name)) : fc.constant('limit') },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom('limit[]', 'limit[$gt]', 'cursor.x', '', 'asof', 'LIMIT', '__proto__', 'constructor') },
  );
  const value = fc.oneof(
    hostileString,
    fc.constantFrom('500', '501', '0', '-1', '1e3', '1.5', ' 1', 'true', '2016-06-22', DEMO_IDS.facharbeitskreis, '2026-01-01T00:00:00Z', 'eyJhIjoxfQ', 'W10', 'WyJ4Il0'),
  );
  const pairs = fc.array(fc.tuple(name, value), { maxLength: 4 }).map((list) => list.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`));
  return fc
    .tuple(pairs, fc.option(fc.constantFrom(...BROKEN_URL_PARTS, '&&&', '=', '?x=1?y=2', 'limit=1&limit=2', 'a'.repeat(5000)), { nil: undefined }))
    .map(([list, broken]) => [...list, ...(broken ? [broken] : [])].join('&'));
}

/** The ways a write can be made certainly invalid, for this operation. */
function defectsOf(op: Operation, resolve: (s: Schema | undefined) => Schema): string[] {
  const defects: string[] = [];
  const hasPathId = op.parameters.some((p) => p.in === 'path');
  if (hasPathId) defects.push('path-invalid', 'path-unknown');
  if (op.method === 'PATCH') defects.push('stale-if-match', 'no-if-match');
  // A dry run stores nothing, whatever the body: any text in the route's own media type.
  if (op.parameters.some((p) => p.in === 'query' && p.name === 'dryRun')) defects.push('dry-run');
  if (!op.body && op.bodyTypes.length > 0) defects.push('content-type');
  if (op.body) {
    const body = resolve(op.body);
    defects.push('body-not-object', 'body-malformed', 'content-type', 'body-too-large', 'body-deep');
    if (body.additionalProperties === false) defects.push('unknown-member');
    const required = ((body.required ?? []) as string[]).filter((k) => impossibleFor(typesOf(body.properties?.[k] ?? {}, resolve)).length > 0);
    if (required.length) defects.push('wrong-type');
  }
  return defects;
}

function requestOf(op: Operation, resolve: (s: Schema | undefined) => Schema): fc.Arbitrary<Fuzzed> {
  const write = isWrite(op);
  const defects = write ? defectsOf(op, resolve) : ['none'];
  if (defects.length === 0) throw new Error(`${op.method} ${op.path}: no way to make it certainly invalid`);
  const body = op.body ? resolve(op.body) : undefined;
  const shapedBody = body ? shaped(body, resolve) : fc.constant(undefined);
  const demoId = ID_OF_COLLECTION.find(([pattern]) => pattern.test(op.path))?.[1] ?? DEMO_IDS.juttaReiter;

  return fc.constantFrom(...defects).chain((defect) => {
    const id: fc.Arbitrary<string> =
      defect === 'path-invalid'
        ? badId
        : defect === 'path-unknown' || isAuditedRead(op)
          ? fc.oneof(fc.uuid({ version: 4 }), badId)
          : fc.oneof({ weight: 3, arbitrary: fc.constant(demoId) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: badId });
    const ifMatch: fc.Arbitrary<string | undefined> =
      op.method !== 'PATCH' || defect === 'no-if-match'
        ? fc.constant(undefined)
        : fc.oneof(fc.constantFrom('"stale"', '*', 'W/"x"', '"', '', '""'), headerValue);

    const textTypes = op.bodyTypes.filter((type) => type !== 'application/json');
    let payload: fc.Arbitrary<{ payload?: string | Buffer; type?: string }>;
    const json = (v: unknown) => ({ payload: JSON.stringify(v) ?? 'null', type: 'application/json' });
    switch (defect) {
      case 'unknown-member':
        payload = fc
          .tuple(shapedBody, hostileString.filter((k) => !(k in (body?.properties ?? {})) && k !== '__proto__'), anyJson)
          .map(([value, key, member]) => json({ ...(typeof value === 'object' && value && !Array.isArray(value) ? value : {}), [key]: member }));
        break;
      case 'wrong-type': {
        const required = ((body!.required ?? []) as string[]).filter((k) => impossibleFor(typesOf(body!.properties?.[k] ?? {}, resolve)).length > 0);
        payload = fc
          .tuple(shapedBody, fc.constantFrom(...required))
          .chain(([value, key]) =>
            fc.constantFrom(...impossibleFor(typesOf(body!.properties[key], resolve))).map((wrong) =>
              json({ ...(typeof value === 'object' && value && !Array.isArray(value) ? value : {}), [key]: wrong }),
            ),
          );
        break;
      }
      case 'body-not-object':
        payload = fc
          .oneof(fc.array(shapedBody, { maxLength: 2 }), hostileString, fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]))
          .map(json);
        break;
      case 'body-malformed':
        payload = fc.oneof(
          fc.constantFrom(...MALFORMED_JSON).map((p) => ({ payload: p, type: 'application/json' })),
          // A valid document cut short.
          shapedBody.chain((v) => {
            const text = JSON.stringify(v ?? {}) ?? '{}';
            return fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((cut) => ({ payload: text.slice(0, cut) + (cut === 0 ? '{' : ''), type: 'application/json' }));
          }),
          // Bytes that are no UTF-8.
          fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ payload: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, ...bytes])]), type: 'application/json' })),
        );
        break;
      case 'dry-run':
        payload = fc
          .tuple(textBody, fc.constantFrom(...(textTypes.length ? textTypes : ['text/plain'])), fc.option(fc.constantFrom(...CHARSETS), { nil: undefined }))
          .map(([body, type, charset]) => ({ payload: body, type: charset === undefined ? type : `${type}; charset=${charset}` }));
        break;
      case 'content-type':
        if (!op.body) {
          // A route that takes text: JSON, or another text type.
          payload = fc
            .tuple(fc.oneof(textBody, anyJson.map((v) => JSON.stringify(v) ?? 'null')), fc.constantFrom('application/json', ...BAD_CONTENT_TYPES.filter((type) => !textTypes.includes(type))))
            .map(([body, type]) => ({ payload: body, type }));
          break;
        }
        payload = fc
          .tuple(shapedBody, fc.constantFrom(...BAD_CONTENT_TYPES))
          .map(([value, type]) => ({ payload: JSON.stringify(value ?? {}) ?? '{}', type }));
        break;
      case 'body-too-large':
        payload = fc.constantFrom(
          { payload: `{"givenName":"${'a'.repeat(1024 * 1024 + 10)}"}`, type: 'application/json' },
          { payload: `[${'1,'.repeat(600_000)}1]`, type: 'application/json' },
        );
        break;
      case 'body-deep':
        payload = fc.integer({ min: 1000, max: 50_000 }).chain((depth) =>
          fc.constantFrom(
            { payload: '['.repeat(depth) + ']'.repeat(depth), type: 'application/json' },
            { payload: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), type: 'application/json' },
          ),
        );
        break;
      default:
        // path-invalid, path-unknown, stale-if-match, no-if-match, and reads: a body shaped after the schema.
        payload = op.body ? shapedBody.map(json) : fc.constant({});
    }

    return fc.record({ id, ifMatch, payload, query: queryString(op), headers: oddHeaders }).map(({ id, ifMatch, payload, query: noise, headers }) => {
      const path = op.path.replace(/\{[^}]+\}/g, id);
      const query = defect === 'dry-run' ? ['dryRun=true', noise].filter(Boolean).join('&') : noise;
      const sent: Record<string, string> = { ...headers };
      if (payload.type !== undefined) sent['content-type'] = payload.type;
      if (ifMatch !== undefined) sent['if-match'] = ifMatch;
      return {
        method: op.method,
        url: query ? `${path}?${query}` : path,
        headers: sent,
        ...(payload.payload !== undefined ? { payload: payload.payload } : {}),
        defect: write ? defect : 'read',
      };
    });
  });
}

/** What an error response must never contain: a stack, a source path, the driver's or the SQL's words. */
const INTERNALS = [
  /\n\s+at [^\n]+:\d+:\d+/,
  /\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)/,
  /node_modules/,
  /\/work\/|file:\/\//,
  /Failed query/i,
  /DrizzleQueryError|PGlite|postgres\.js|PostgresError/,
  /syntax error at or near/i,
  /violates (?:check|foreign key|unique|exclusion) constraint/i,
  /relation "[^"]+"/,
  /\bSELECT\b[\s\S]*\bFROM\b/,
];

/** Text safe for a TAP line: JSON with everything but printable ASCII escaped (U+2028 would split the line). */
const printable = (value: unknown) =>
  (JSON.stringify(value) ?? String(value)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function describe(request: Fuzzed): string {
  const payload = request.payload === undefined ? '' : typeof request.payload === 'string' ? request.payload : `<${request.payload.length} bytes>`;
  const short = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  return `${request.method} ${short(request.url)} [${request.defect}] headers=${short(printable(request.headers))} body=${short(printable(payload))}`;
}

/** What is wrong with an answer, or undefined. */
function fault(res: Response): string | undefined {
  if (res.status >= 500) return `answered ${res.status}: ${res.text.slice(0, 500)}`;
  if (res.status >= 400) {
    if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return `a ${res.status} that is no problem document`;
    // Problems may quote what the client sent (an unknown member's name): that is no leak.
    const own = HOSTILE.filter((h) => h.length >= 4).reduce((text, h) => text.split(JSON.stringify(h).slice(1, -1)).join(' '), res.text);
    const leak = INTERNALS.find((pattern) => pattern.test(own));
    if (leak) return `the answer shows internals (${leak}): ${res.text.slice(0, 500)}`;
  }
  return undefined;
}

async function auditLength(app: TestApp): Promise<number> {
  const [row] = await app.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events`);
  return row!.n;
}

t.test(`fuzzing every route on ${DATABASE_KIND}`, async (t) => {
  const app = await buildTestApp(t, { demo: true });
  const doc = (await app.request({ url: '/openapi.json' })).body as Schema;
  const resolve = resolver(doc);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []) as Parameter[],
        body: op.requestBody?.content?.['application/json']?.schema,
        bodyTypes: Object.keys(op.requestBody?.content ?? {}),
      });
    }
  }
  t.ok(operations.length >= 30, `${operations.length} operations in the OpenAPI document`);

  const before = await snapshot(app.database);
  let audited = await auditLength(app);
  let sent = 0;
  const send = async (request: Fuzzed): Promise<string | undefined> => {
    const began = Date.now();
    const res = await app.request({
      method: request.method as never,
      url: request.url,
      headers: request.headers,
      ...(request.payload !== undefined ? { payload: request.payload } : {}),
    });
    sent++;
    // FUZZ_DEBUG=1 lists every request with its time and status.
    if (process.env.FUZZ_DEBUG) console.error(`#${sent} ${Date.now() - began}ms ${res.status} ${describe(request).slice(0, 160)}`);
    const problem = fault(res);
    if (problem) return problem;
    const now = await auditLength(app);
    if (now !== audited) {
      audited = now;
      return `it was stored (the audit log grew) — answered ${res.status}: ${res.text.slice(0, 300)}`;
    }
    return undefined;
  };

  t.test('deep JSON nesting does not crash the body parser', async (t) => {
    const writes = operations.filter((op) => op.body);
    for (const op of writes) {
      const path = op.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      for (const [label, payload] of [
        ['10,000 nested arrays', '['.repeat(10_000) + ']'.repeat(10_000)],
        ['10,000 nested objects', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
        ['10,000 levels inside a member', `{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
        ['100,000 nested arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
        ['10,000 levels, never closed', '['.repeat(10_000)],
      ] as const) {
        const problem = await send({ method: op.method, url: path, headers: { 'content-type': 'application/json' }, payload, defect: label });
        t.notOk(problem, `${op.method} ${op.path}, ${label}${problem ? `: ${printable(problem)}` : ''}`);
      }
    }
  });

  const runs = Math.ceil(TOTAL_RUNS / operations.length);
  for (const op of operations) {
    t.test(`${op.method} ${op.path}`, async (t) => {
      const started = sent;
      const property = fc.asyncProperty(requestOf(op, resolve), async (request) => {
        const problem = await send(request);
        if (problem) throw new Error(`${describe(request)}\n→ ${problem}`);
      });
      const details = await fc.check(property, {
        numRuns: runs,
        seed: SEED,
        plugins: [fc.interruptAfterTimeLimit(OPERATION_BUDGET_MS)],
        // Shrinking a failure of a stateful service can take long: the first counterexample is reported shrunk a little.
        endOnFailure: false,
      });
      const error = details.failed ? String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance) : '';
      t.notOk(
        details.failed,
        details.failed
          ? `failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}), shrunk ${details.numShrinks} times:\n${error.slice(0, 3000)}`
          : `${sent - started} requests`,
      );
      t.same(await snapshot(app.database), before, 'no table changed');
    });
  }

  t.test('totals', async (t) => {
    t.ok(sent >= 1000, `${sent} requests sent`);
    t.same(await snapshot(app.database), before, 'the database is as it was');
  });

  // Last, as it writes: hostile values that are valid are stored exactly as sent, and read back.
  t.test('hostile but valid values are stored as sent', async (t) => {
    const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const value of HOSTILE) {
      // Refused: what a text column cannot hold as sent (src/http/schemas.ts).
      const storable = value !== '' && value.length <= 200 && !value.includes('\u0000') && !LONE_SURROGATE.test(value);
      const res = await app.request({ method: 'POST', url: '/v1/people', payload: { givenName: value, familyName: 'Fuzz' } });
      if (!storable) {
        t.equal(res.status, 400, `${printable(value)} is refused`);
        continue;
      }
      t.equal(res.status, 201, `${printable(value)} is stored`);
      if (res.status !== 201) continue;
      const read = await app.request({ url: `/v1/people/${res.body.id}` });
      t.equal(read.body?.givenName, value, `${printable(value)} reads back unchanged`, {
        // As test/http/bad-input.test.ts knows: PGlite's text decoder drops a leading U+FEFF.
        todo: DATABASE_KIND === 'pglite' && value.startsWith('\uFEFF') ? 'PGlite drops a leading U+FEFF when it reads text' : false,
      });
      const found = await app.request({ url: `/v1/people?q=${encodeURIComponent(value.trim() || 'Fuzz')}&limit=500` });
      t.ok(found.status < 500, `the list by ${printable(value)} answers ${found.status}`);
    }
  });
});
