/**
 * shapeForRole against a naive model: a deep copy of the whole answer with every `contactDetails`
 * list filtered. The real one shares the parts it does not change, so it must also leave its input
 * alone and return the very same object when there is nothing to hide.
 */
import fc from 'fast-check';
import t from 'tap';
import { ROLES, shapeForRole, visibleTo, type Role, type Visibility } from '../../src/domain/access.js';

function modelShape(value: unknown, role: Role): unknown {
  const visible = visibleTo(role);
  if (Array.isArray(value)) return value.map((v) => modelShape(v, role));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === 'contactDetails' && Array.isArray(child)
        ? child.filter((c) => visible.has((c as { visibility?: Visibility }).visibility ?? 'private')).map((c) => modelShape(c, role))
        : modelShape(child, role),
    ]),
  );
}

const contact = fc.record(
  { type: fc.constantFrom('email', 'phone'), value: fc.string({ maxLength: 5 }), visibility: fc.constantFrom('public', 'internal', 'private') },
  { requiredKeys: ['type', 'value'] },
);
const { answer } = fc.letrec((tie) => ({
  answer: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('answer'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('id', 'name', 'items', 'person', 'current'), tie('answer'), { maxKeys: 3 }),
    fc.record({ id: fc.uuid(), contactDetails: fc.array(contact, { maxLength: 4 }), members: fc.array(tie('answer'), { maxLength: 3 }) }),
  ),
}));

t.test('shapeForRole answers as the naive model does, for every role', async (t) => {
  fc.assert(
    fc.property(answer, fc.constantFrom(...ROLES), (value, role) => {
      const before = structuredClone(value);
      const shaped = shapeForRole(value, role);
      t.same(shaped, modelShape(value, role));
      t.same(value, before, 'the input is not changed');
    }),
    { numRuns: 400, seed: 8 },
  );
});

t.test('nothing to hide: the very same object, no copy', async (t) => {
  const tree = { root: { units: [{ id: 'a', members: [{ person: { id: 'p', name: 'Katja Sträde' } }] }] } };
  t.equal(shapeForRole(tree, 'public'), tree);
  const person = { id: 'p', contactDetails: [{ type: 'email', value: 'k@example.org', visibility: 'public' }], links: [{ url: 'x' }] };
  t.equal(shapeForRole(person, 'public'), person, 'all contact details visible');
  const hidden = { ...person, contactDetails: [...person.contactDetails, { type: 'phone', value: '1', visibility: 'internal' }] };
  const shaped = shapeForRole(hidden, 'public');
  t.not(shaped, hidden);
  t.equal(shaped.links, hidden.links, 'unchanged parts are shared');
  t.same(shaped.contactDetails, person.contactDetails);
});
