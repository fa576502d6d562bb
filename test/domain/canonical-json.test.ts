/**
 * Canonical JSON (src/domain/canonical-json.ts): the same JSON value always gives the same text,
 * whatever the order of its members, and the text parses back to the value.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import { canonicalJson } from '../../src/domain/canonical-json.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON values, with keys that often collide and include non-ASCII, astral and digit-only names. */
const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('a', 'b', 'A', '10', '9', '1', 'ä', 'é', '\uFF61', '\u{1F600}', ' ', '"', '\\', ''),
);
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'binary', maxLength: 8 }), // any code units, lone surrogates included
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** The same value with every object's members inserted in another order. */
function reorder(value: Json, pick: (n: number) => number): Json {
  if (Array.isArray(value)) return value.map((v) => reorder(v, pick));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const shuffled: string[] = [];
  while (keys.length > 0) shuffled.push(keys.splice(pick(keys.length), 1)[0]!);
  const copy: Record<string, Json> = {};
  for (const k of shuffled) copy[k] = reorder(value[k]!, pick);
  return copy;
}

/** The text with every string literal removed, to look at what is between the tokens. */
const withoutStrings = (text: string) => text.replace(/"(?:[^"\\]|\\.)*"/g, '""');

const runs = { numRuns: 2000 };

t.test('the text parses back to the value', async () => {
  fc.assert(
    fc.property(json, (value) => {
      // What the value means as JSON: -0 is written 0, as JSON.stringify writes it.
      const meaning = JSON.parse(JSON.stringify(value)) as Json;
      return isDeepStrictEqual(JSON.parse(canonicalJson(value)), meaning);
    }),
    runs,
  );
});

t.test('the order of members does not matter', async () => {
  fc.assert(
    fc.property(json, fc.infiniteStream(fc.nat()), (value, numbers) => {
      const stream = numbers[Symbol.iterator]();
      const pick = (n: number) => (stream.next().value as number) % n;
      return canonicalJson(reorder(value, pick)) === canonicalJson(value);
    }),
    runs,
  );
});

t.test('members are sorted by UTF-16 code unit, at every level', async (t) => {
  fc.assert(
    fc.property(fc.dictionary(key, json, { maxKeys: 8 }), (object) => {
      const keys = Object.keys(object).sort();
      const expected = `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
      return canonicalJson(object) === expected;
    }),
    runs,
  );
  // Integer-like keys come first in a JavaScript object, but not in the canonical text.
  t.equal(canonicalJson({ b: 1, 10: 2, 9: 3, a: { d: 1, c: 2 } }), '{"10":2,"9":3,"a":{"c":2,"d":1},"b":1}');
  // U+1F600 is the surrogate pair D83D DE00: before U+FF61 by code unit, after it by code point.
  t.equal(canonicalJson({ '\uFF61': 1, '\u{1F600}': 2 }), '{"\u{1F600}":2,"\uFF61":1}');
  t.equal(canonicalJson({ a: 1, A: 2, ä: 3 }), '{"A":2,"a":1,"ä":3}');
});

t.test('no white space outside strings', async (t) => {
  fc.assert(fc.property(json, (value) => !/\s/.test(withoutStrings(canonicalJson(value)))), runs);
  t.equal(canonicalJson({ a: [1, { b: ' x ' }], c: 'd e' }), '{"a":[1,{"b":" x "}],"c":"d e"}');
});

t.test('agrees with JSON.stringify of the sorted value', async () => {
  const sorted = (value: Json): Json =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sorted(value[k]!)]),
          )
        : value;
  // Without integer-like keys, JSON.stringify keeps the insertion order: a second, independent model.
  const plainKey = key.filter((k) => !/^(0|[1-9]\d*)$/.test(k));
  const plainJson = fc.letrec<{ value: Json }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(plainKey, tie('value'), { maxKeys: 5 }),
    ),
  })).value;
  fc.assert(fc.property(plainJson, (value) => canonicalJson(value) === JSON.stringify(sorted(value))), runs);
});

t.test('undefined members are left out, as JSON.stringify leaves them out', async (t) => {
  t.equal(canonicalJson({ b: undefined, a: 1 }), '{"a":1}');
  t.equal(canonicalJson([undefined, 1]), '[null,1]');
  t.equal(canonicalJson(undefined), 'null');
  t.equal(canonicalJson({ a: { b: undefined } }), '{"a":{}}');
  t.equal(canonicalJson('a\u2028b'), JSON.stringify('a\u2028b'));
  t.equal(canonicalJson('\ud800'), '"\\ud800"', 'a lone surrogate is escaped, as JSON.stringify escapes it');
});
