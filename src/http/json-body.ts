import { jsonPointer, Problem } from './problem.js';

/**
 * Request bodies are JSON (`application/json`, and `application/merge-patch+json` for PATCH). A
 * body that is not JSON is told apart from one that is JSON but carries a member that could reach an
 * object's prototype (`__proto__`, `constructor.prototype`): the latter is refused at its path, like
 * any other field the API does not know.
 */
export const JSON_MEDIA_TYPES = ['application/json', 'application/merge-patch+json'];

export function parseJsonBody(text: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === '') throw new Problem('bad-request', 'The body is empty; send a JSON document.');
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new Problem('bad-request', `The body is not valid JSON: ${(error as Error).message}.`);
  }
  const path = prototypeMemberPath(value);
  if (path !== undefined) {
    const message = 'is not allowed: it would reach the prototype of an object';
    throw new Problem('validation-error', `${path.slice(1).replaceAll('/', '.')} ${message}.`, {
      errors: [{ path, in: 'body', message }],
    });
  }
  return value;
}

interface Visit {
  value: unknown;
  key: string | undefined;
  parent: Visit | undefined;
}

/** The pointer to the first `__proto__` or `constructor.prototype` member; iterative, so depth is no risk. */
function prototypeMemberPath(root: unknown): string | undefined {
  const pointer = (visit: Visit): string => {
    const keys: string[] = [];
    for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
    return jsonPointer(keys);
  };
  const stack: Visit[] = [{ value: root, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (visit.value === null || typeof visit.value !== 'object') continue;
    for (const [key, child] of Object.entries(visit.value)) {
      const next: Visit = { value: child, key, parent: visit };
      if (key === '__proto__') return pointer(next);
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) {
        return pointer(next);
      }
      stack.push(next);
    }
  }
  return undefined;
}
