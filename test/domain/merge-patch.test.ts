/**
 * JSON Merge Patch (RFC 7396): the laws it must obey, a naive model written from the RFC's
 * pseudocode, and the RFC's own examples (section 3 and appendix A) verbatim.
 */
import fc from 'fast-check';
import t from 'tap';
import { applyMergePatch, type Json } from '../../src/domain/merge-patch.js';

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7396 section 2, line by line, on deep copies. */
function modelMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, Json> = isObject(target) ? structuredClone(target) : {};
  for (const name of Object.keys(patch)) {
    const value = patch[name]!;
    if (value === null) {
      if (Object.hasOwn(result, name)) delete result[name];
    } else {
      result[name] = modelMergePatch(Object.hasOwn(result, name) ? result[name] : undefined, value);
    }
  }
  return result;
}

/**
 * JSON values with keys drawn from a small set, so that targets and patches share members often.
 * (Keys such as `__proto__` are refused before a patch gets here: see src/http/json-body.ts.)
 */
const key = fc.constantFrom('a', 'b', 'c', 'title', 'tags', 'author', 'x y', 'ä', '');
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -1000, max: 1000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.string({ maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;
const object = fc.dictionary(key, json, { maxKeys: 6 });
const nonObject = json.filter((v) => !isObject(v));

const runs = { numRuns: 2000 };

t.test('an empty patch changes no object', async () => {
  fc.assert(fc.property(object, (target) => {
    const before = structuredClone(target);
    const result = applyMergePatch(target, {});
    return JSON.stringify(result) === JSON.stringify(before) && result !== target;
  }), runs);
});

t.test('an object patch turns a non-object target into an object', async (t) => {
  fc.assert(fc.property(nonObject, object, (target, patch) => isObject(applyMergePatch(target, patch))), runs);
  t.same(applyMergePatch(['a'], {}), {});
  t.same(applyMergePatch('text', { a: 1 }), { a: 1 });
});

t.test('null removes a member and leaves the others', async () => {
  fc.assert(fc.property(object, key, (target, name) => {
    const result = applyMergePatch(target, { [name]: null }) as Record<string, Json>;
    if (Object.hasOwn(result, name)) return false;
    return Object.keys(target)
      .filter((k) => k !== name)
      .every((k) => JSON.stringify(result[k]) === JSON.stringify(target[k]));
  }), runs);
});

t.test('a patch that is not an object replaces the target', async () => {
  fc.assert(fc.property(json, nonObject, (target, patch) => JSON.stringify(applyMergePatch(target, patch)) === JSON.stringify(patch)), runs);
});

t.test('applying a patch twice is applying it once', async () => {
  fc.assert(fc.property(json, json, (target, patch) => {
    const once = applyMergePatch(target, patch);
    return JSON.stringify(applyMergePatch(once, patch)) === JSON.stringify(once);
  }), runs);
});

t.test('agrees with the RFC pseudocode, and changes neither argument', async () => {
  fc.assert(fc.property(json, json, (target, patch) => {
    const [targetBefore, patchBefore] = [JSON.stringify(target), JSON.stringify(patch)];
    const result = applyMergePatch(target, patch);
    return (
      JSON.stringify(result) === JSON.stringify(modelMergePatch(target, patch)) &&
      JSON.stringify(target) === targetBefore &&
      JSON.stringify(patch) === patchBefore
    );
  }), runs);
});

t.test('the members a patch sets are the patched members of the target', async () => {
  fc.assert(fc.property(json, object, (target, patch) => {
    const result = applyMergePatch(target, patch) as Record<string, Json>;
    return Object.entries(patch).every(([name, value]) =>
      value === null
        ? !Object.hasOwn(result, name)
        : JSON.stringify(result[name]) === JSON.stringify(applyMergePatch(isObject(target) ? target[name] : undefined, value)),
    );
  }), runs);
});

t.test('RFC 7396 section 3 example', async (t) => {
  const target = JSON.parse(`{
     "title": "Goodbye!",
     "author" : {
       "givenName" : "John",
       "familyName" : "Doe"
     },
     "tags":[ "example", "sample" ],
     "content": "This will be unchanged"
   }`) as Json;
  const patch = JSON.parse(`{
     "title": "Hello!",
     "phoneNumber": "+01-123-456-7890",
     "author": {
       "familyName": null
     },
     "tags": [ "example" ]
   }`) as Json;
  t.same(
    applyMergePatch(target, patch),
    JSON.parse(`{
     "title": "Hello!",
     "author" : {
       "givenName" : "John"
     },
     "tags": [ "example" ],
     "content": "This will be unchanged",
     "phoneNumber": "+01-123-456-7890"
   }`),
  );
});

t.test('RFC 7396 appendix A examples', async (t) => {
  // ORIGINAL, PATCH, RESULT: the appendix's table, verbatim.
  const examples: [string, string, string][] = [
    ['{"a":"b"}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'],
    ['{"a":"b"}', '{"a":null}', '{}'],
    ['{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'],
    ['{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'],
    ['{"a": {"b": "c"}}', '{"a": {"b": "d","c": null}}', '{"a": {"b": "d"}}'],
    ['{"a": [{"b":"c"}]}', '{"a": [1]}', '{"a": [1]}'],
    ['["a","b"]', '["c","d"]', '["c","d"]'],
    ['{"a":"b"}', '["c"]', '["c"]'],
    ['{"a":"foo"}', 'null', 'null'],
    ['{"a":"foo"}', '"bar"', '"bar"'],
    ['{"e":null}', '{"a":1}', '{"e":null,"a":1}'],
    ['[1,2]', '{"a":"b","c":null}', '{"a":"b"}'],
    ['{}', '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}'],
  ];
  for (const [original, patch, result] of examples) {
    t.same(applyMergePatch(JSON.parse(original) as Json, JSON.parse(patch) as Json), JSON.parse(result), `${original} + ${patch}`);
  }
});
