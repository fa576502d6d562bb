/**
 * The contract every resource's POST, GET by id and PATCH share (DESIGN.md §4): 201 with the stored
 * resource, Location and ETag; conditional GET; PATCH as a JSON merge patch under If-Match (428,
 * 412, 200); problems for bad input; one audit event per write and none for a failed one.
 */
import type { Test } from 'tap';
import { buildTestApp } from './app.js';
import {
  assertProblem,
  assertValidationProblem,
  auditEventCount,
  auditEventsFor,
  patch,
  read,
  TEST_ADMIN_ACTOR,
  UNKNOWN_ID,
  UUID_PATTERN,
  type Request,
  type Resource,
} from './fixtures.js';

export interface ContractUpdate {
  patch: Record<string, unknown>;
  /** The fields the resource must show after the patch; all others must be as before. */
  expect: Record<string, unknown>;
}

export interface InvalidInput {
  name: string;
  body: Record<string, unknown>;
  /** The JSON pointer the validation problem must name. */
  path: string;
}

export interface ContractSpec {
  /** The collection: `/v1/people`. */
  path: string;
  /** The audit log's entity name: `person`. */
  entity: 'person' | 'organisation' | 'post' | 'assignment';
  /** The create body; may create the records it refers to first. */
  input(request: Request): Promise<Record<string, unknown>>;
  /**
   * The stored resource for that body: every field a client can set, and derived ones such as a
   * person's `name`; fields the server manages (`id`, timestamps, links to transitions) are left out.
   */
  expected(input: Record<string, unknown>): Record<string, unknown>;
  /** Two successive updates: the first sent as merge-patch+json, the second as plain JSON. */
  updates(created: Resource): [ContractUpdate, ContractUpdate];
  /** Create bodies that must be refused with a validation problem; may create records they refer to. */
  invalidCreates(request: Request): Promise<InvalidInput[]>;
  /** A patch of the created record that must be refused with a validation problem. */
  invalidPatch(created: Resource): InvalidInput;
  /**
   * Read-only fields GET adds to the record (a person's roles on a day, DESIGN.md §2). The
   * contract compares the record without them, and their part of the ETag (after the dot) apart.
   */
  embedded?: string[];
}

const ETAG_PATTERN = /^"[A-Za-z0-9_-]+"$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const REASON = 'Pressenotiz der Regionalagentur vom 04.07.2016';

/** The named fields of a resource; the ones it lacks come out `undefined`, so they fail a comparison. */
function pick(resource: Resource, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, resource[key]]));
}

function withoutServerFields(resource: Resource): Record<string, unknown> {
  const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...rest } = resource;
  return rest;
}

export async function resourceContract(t: Test, spec: ContractSpec): Promise<void> {
  const { request, database } = await buildTestApp(t);
  let created: Resource = { id: '' };
  let etag = '';
  let url = '';

  await t.test('POST answers 201 with the stored resource, Location and ETag, and audits it', async (t) => {
    const input = await spec.input(request);
    const res = await request({ method: 'POST', url: spec.path, payload: input, headers: { 'x-reason': REASON } });
    t.equal(res.status, 201, res.text);
    t.match(String(res.headers['content-type']), /^application\/json/);
    t.match(res.body.id, UUID_PATTERN, 'a UUID id');
    t.equal(res.headers.location, `${spec.path}/${res.body.id}`, 'Location names the new resource');
    t.match(String(res.headers.etag), ETAG_PATTERN, 'a strong ETag');
    const expected = spec.expected(input);
    t.same(pick(res.body, Object.keys(expected)), expected, 'the stored resource, exactly');
    t.same(Object.keys(input).filter((key) => !(key in res.body)), [], 'every field sent is in the answer');
    t.match(res.body.createdAt, ISO_TIMESTAMP);
    t.equal(res.body.updatedAt, res.body.createdAt, 'a new record was last updated when it was created');
    created = res.body;
    etag = String(res.headers.etag);
    url = `${spec.path}/${created.id}`;

    const events = await auditEventsFor(database, created.id);
    t.equal(events.length, 1, 'one audit event');
    t.equal(events[0]?.operation, `${spec.entity}.create`);
    t.equal(events[0]?.reason, REASON, 'X-Reason is the reason');
    t.match(events[0]?.actor, TEST_ADMIN_ACTOR, 'the key that sent the request is the actor');
    t.same(events[0]?.changes, [{ entity: spec.entity, entityId: created.id, action: 'create', before: null, after: created }]);
  });

  if (!url) {
    t.fail('the create failed, so the rest of the contract cannot be checked');
    return;
  }

  /** GET as the contract compares it: the record without the embedded fields, and its tag's record part. */
  const readRecord = async (path: string) => {
    const res = await read(request, path);
    if (!spec.embedded) return res;
    const body = Object.fromEntries(Object.entries(res.body as Resource).filter(([key]) => !spec.embedded!.includes(key)));
    return { ...res, body: body as Resource, headers: { ...res.headers, etag: String(res.headers.etag).replace(/\.[A-Za-z0-9_-]+"$/, '"') } };
  };
  /** The tag GET answers, which If-None-Match compares whole. */
  let getEtag = etag;

  await t.test('GET answers the same body and ETag', async (t) => {
    const res = await read(request, url);
    t.equal(res.status, 200);
    t.match(String(res.headers['content-type']), /^application\/json/);
    getEtag = String(res.headers.etag);
    if (spec.embedded) {
      t.same(spec.embedded.filter((key) => !(key in res.body)), [], 'with the embedded fields');
      t.match(getEtag, new RegExp(`^${etag.slice(0, -1)}\\.[A-Za-z0-9_-]+"$`), "the record's tag, a dot, the embedded fields' part");
    } else {
      t.equal(getEtag, etag);
    }
    const record = await readRecord(url);
    t.same(record.body, created);
    t.equal(record.headers.etag, etag);
  });

  await t.test('GET with If-None-Match answers 304 when the tag matches', async (t) => {
    for (const header of [getEtag, `W/${getEtag}`, `"other", ${getEtag}`, '*']) {
      const res = await read(request, url, { 'if-none-match': header });
      t.equal(res.status, 304, `If-None-Match: ${header}`);
      t.equal(res.text, '', 'no body');
      t.equal(res.headers.etag, getEtag, 'the ETag is repeated');
    }
    if (spec.embedded) {
      const partOnly = await read(request, url, { 'if-none-match': etag });
      t.equal(partOnly.status, 200, "the record's part alone is not the whole tag: the embedded fields may have changed");
    }
    const other = await readRecord(url);
    t.equal((await read(request, url, { 'if-none-match': '"something-else"' })).status, 200, 'another tag gets the resource');
    t.same(other.body, created);
  });

  await t.test('unknown and malformed ids', async (t) => {
    assertProblem(t, await read(request, `${spec.path}/${UNKNOWN_ID}`), 404, 'not-found');
    assertValidationProblem(t, await read(request, `${spec.path}/not-a-uuid`), '/id', 'path');
    assertProblem(t, await patch(request, `${spec.path}/${UNKNOWN_ID}`, {}, { ifMatch: '*' }), 404, 'not-found');
  });

  await t.test('invalid creates are refused with a validation problem and leave no audit event', async (t) => {
    const invalidCreates = await spec.invalidCreates(request);
    const before = await auditEventCount(database);
    for (const invalid of invalidCreates) {
      const res = await request({ method: 'POST', url: spec.path, payload: invalid.body });
      await t.test(invalid.name, async (t) => assertValidationProblem(t, res, invalid.path));
    }
    t.equal(await auditEventCount(database), before, 'no audit event');
  });

  await t.test('PATCH without If-Match answers 428 and changes nothing', async (t) => {
    const [update] = spec.updates(created);
    const res = await patch(request, url, update.patch);
    assertProblem(t, res, 428, 'precondition-required');
    const after = await readRecord(url);
    t.same(after.body, created, 'unchanged');
    t.equal(after.headers.etag, etag);
    t.equal((await auditEventsFor(database, created.id)).length, 1, 'no audit event');
  });

  await t.test('PATCH with a stale If-Match answers 412 with the current version', async (t) => {
    const [update] = spec.updates(created);
    const res = await patch(request, url, update.patch, { ifMatch: '"stale"' });
    assertProblem(t, res, 412, 'precondition-failed');
    t.equal(res.body.currentEtag, etag, 'currentEtag is the current ETag');
    t.same(res.body.current, created, 'current is the current representation');
    t.same((await readRecord(url)).body, created, 'unchanged');
    t.equal((await auditEventsFor(database, created.id)).length, 1, 'no audit event');
  });

  await t.test('an invalid patch is refused with a validation problem and changes nothing', async (t) => {
    const invalid = spec.invalidPatch(created);
    const res = await patch(request, url, invalid.body, { ifMatch: etag });
    assertValidationProblem(t, res, invalid.path);
    const after = await readRecord(url);
    t.same(after.body, created, 'unchanged');
    t.equal(after.headers.etag, etag);
    t.equal((await auditEventsFor(database, created.id)).length, 1, 'no audit event');
  });

  await t.test('PATCH with a content type other than JSON answers 415', async (t) => {
    const res = await request({
      method: 'PATCH',
      url,
      payload: 'givenName=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'if-match': etag },
    });
    assertProblem(t, res, 415, 'unsupported-media-type');
  });

  const [first, second] = spec.updates(created);
  let updated: Resource = { id: '' };
  let updatedEtag = '';

  await t.test('PATCH (merge-patch+json) with the current ETag answers 200 with the new state', async (t) => {
    // The tag as GET answered it: If-Match compares its record's part (etagWithEmbedded).
    const res = await patch(request, url, first.patch, { ifMatch: getEtag, reason: 'Korrektur' });
    t.equal(res.status, 200, res.text);
    const { updatedAt: _updatedAt, ...expected } = { ...created, ...first.expect };
    t.same(withoutServerFields(res.body), withoutServerFields(expected as Resource), 'the patched fields and no others changed');
    t.equal(res.body.id, created.id);
    t.equal(res.body.createdAt, created.createdAt);
    t.ok(Date.parse(res.body.updatedAt) > Date.parse(created.updatedAt), 'updatedAt moved on');
    t.match(String(res.headers.etag), ETAG_PATTERN);
    t.not(res.headers.etag, etag, 'a new ETag');
    updated = res.body;
    updatedEtag = String(res.headers.etag);

    const get = await readRecord(url);
    t.same(get.body, updated, 'GET shows the new state');
    t.equal(get.headers.etag, updatedEtag, 'GET shows the new ETag');

    const events = await auditEventsFor(database, created.id);
    t.equal(events.length, 2, 'a second audit event');
    t.equal(events[1]?.operation, `${spec.entity}.update`);
    t.equal(events[1]?.reason, 'Korrektur');
    t.same(events[1]?.changes, [{ entity: spec.entity, entityId: created.id, action: 'update', before: created, after: updated }]);
  });

  await t.test('PATCH (application/json): the old ETag is stale now, the new one works', async (t) => {
    const stale = await patch(request, url, second.patch, { ifMatch: etag, contentType: 'application/json' });
    assertProblem(t, stale, 412, 'precondition-failed');
    t.equal(stale.body.currentEtag, updatedEtag);
    t.same(stale.body.current, updated);

    const res = await patch(request, url, second.patch, { ifMatch: updatedEtag, contentType: 'application/json' });
    t.equal(res.status, 200, res.text);
    t.same(withoutServerFields(res.body), withoutServerFields({ ...updated, ...second.expect }));
    t.not(res.headers.etag, updatedEtag, 'a new ETag');
    t.same((await readRecord(url)).body, res.body);

    const events = await auditEventsFor(database, created.id);
    t.equal(events.length, 3);
    t.equal(events[2]?.operation, `${spec.entity}.update`);
    t.equal(events[2]?.reason, null, 'no X-Reason, no reason');
    t.same(events[2]?.changes, [{ entity: spec.entity, entityId: created.id, action: 'update', before: updated, after: res.body }]);
  });
}
