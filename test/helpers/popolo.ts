/**
 * Validation against the official Popolo schemas (draft-03), with Ajv. The schemas come from
 * `../shared/popolo` beside the project when it is there (CI, the team's machines), else from the
 * verbatim copy in `popolo/schemas`. Draft-03 is translated to draft-07 on the way in, and only
 * where the two differ for these files: a property's `"required": true` becomes an entry of its
 * object's `required` list, `id` becomes `$id`, `$schema` is dropped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The project's root, whatever folder the tests run from. */
export const PROJECT_ROOT = new URL('../..', import.meta.url).pathname;
/** The shared folder beside the project: the real data set and the Popolo schemas (CI has it, a fresh clone may not). */
export const SHARED_DIR = join(PROJECT_ROOT, '..', 'shared');
export const SHARED_POPOLO_DIR = join(SHARED_DIR, 'popolo');
export const PROJECT_POPOLO_DIR = join(PROJECT_ROOT, 'popolo', 'schemas');
export const REAL_DATA_FILE = join(SHARED_DIR, 'data', 'czech-republic_deputies_ep-popolo-v1.0.json');

export const POPOLO_SCHEMA_DIR = existsSync(SHARED_POPOLO_DIR) ? SHARED_POPOLO_DIR : PROJECT_POPOLO_DIR;

type Schema = Record<string, unknown>;

function toDraft07(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toDraft07);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === '$schema') continue;
    if (key === 'id' && typeof value === 'string') out.$id = value;
    else if (key === 'required' && typeof value === 'boolean') continue;
    else out[key] = toDraft07(value);
  }
  const properties = (node as Schema).properties;
  if (properties && typeof properties === 'object') {
    // `properties` may hold a property named "id"; the walk above only renames schema keywords there too,
    // so it is copied key by key instead.
    out.properties = Object.fromEntries(Object.entries(properties as Schema).map(([name, schema]) => [name, toDraft07(schema)]));
    const required = Object.entries(properties as Schema)
      .filter(([, schema]) => (schema as Schema | null)?.required === true)
      .map(([name]) => name);
    if (required.length > 0) out.required = required;
  }
  return out;
}

export interface PopoloValidator {
  /** The errors of one object against one schema (`person`, `organization`, …); empty when valid. */
  errors(kind: string, value: unknown): ErrorObject[];
  /** Every error of a document's persons, organizations, posts, memberships and events, with their position. */
  documentErrors(document: Record<string, unknown>): { path: string; message: string }[];
}

export function popoloValidator(dir = POPOLO_SCHEMA_DIR): PopoloValidator {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const ids = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const schema = toDraft07(JSON.parse(readFileSync(join(dir, file), 'utf8'))) as Schema;
    ajv.addSchema(schema);
    ids.set(file.replace(/\.json$/, ''), schema.$id as string);
  }
  const errors = (kind: string, value: unknown) => {
    const validate = ajv.getSchema(ids.get(kind)!)!;
    return validate(value) ? [] : [...(validate.errors ?? [])];
  };
  const KINDS: Record<string, string> = { persons: 'person', organizations: 'organization', posts: 'post', memberships: 'membership', events: 'event' };
  return {
    errors,
    documentErrors: (document) =>
      Object.entries(KINDS).flatMap(([collection, kind]) =>
        ((document[collection] as unknown[] | undefined) ?? []).flatMap((item, i) =>
          errors(kind, item).map((e) => ({ path: `/${collection}/${i}${e.instancePath}`, message: `${e.message ?? 'invalid'} (${e.schemaPath})` })),
        ),
      ),
  };
}
