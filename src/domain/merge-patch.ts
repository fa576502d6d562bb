/** JSON Merge Patch (RFC 7396): objects merge member by member, `null` removes, all else replaces. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    // defineProperty, not assignment: a member named __proto__ is data, never the prototype.
    else Object.defineProperty(result, key, { value: applyMergePatch(result[key], value), enumerable: true, writable: true, configurable: true });
  }
  return result;
}
