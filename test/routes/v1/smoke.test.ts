import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';
import { DATABASE_KIND } from '../../helpers/database.js';

t.test(`demo data on ${DATABASE_KIND}`, async (t) => {
  const { request } = await buildTestApp(t, { demo: true });
  const res = await request({ method: 'GET', url: '/v1/people' });
  t.equal(res.status, 200);
  t.equal(res.body.items.length, 4);
});
