import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { runWrite, type Change } from '../db/write.js';
import { insertAssignment, loadAssignment } from '../routes/v1/assignments/queries.js';
import { insertOrganisation, loadOrganisation } from '../routes/v1/organisations/queries.js';
import { insertPerson, loadPerson } from '../routes/v1/people/queries.js';
import { insertPost, loadPost } from '../routes/v1/posts/queries.js';
import { recordTransition } from '../routes/v1/transitions/queries.js';
import { recordOrganisationEvent } from '../routes/v1/organisations/event-queries.js';
import { demoAssignments, demoOrganisationEvents, demoOrganisations, demoPeople, demoPosts, demoTransitions, PRESS_NOTE } from './data.js';

const ACTOR = 'system:demo-data';

interface DemoKind {
  entity: Change['entity'];
  items: Array<{ id: string; input: unknown }>;
  insert(tx: Executor, input: never, id: string): Promise<string>;
  load(tx: Executor, id: string): Promise<unknown>;
}

/** In the order their references need: organisations before the posts and people they hold. */
const DEMO_KINDS: DemoKind[] = [
  { entity: 'organisation', items: demoOrganisations, insert: insertOrganisation, load: loadOrganisation },
  { entity: 'post', items: demoPosts, insert: insertPost, load: loadPost },
  { entity: 'person', items: demoPeople, insert: insertPerson, load: loadPerson },
  { entity: 'assignment', items: demoAssignments, insert: insertAssignment, load: loadAssignment },
];

/**
 * Loads the demo data set as one audited write, unless the directory already holds anything.
 * `transitions: false` leaves out Katja Sträde's move (she stays at the Regionalagentur, the G.I.B.
 * post stays vacant), so that a test can record it the way a coordinator would.
 */
export async function seedDemoDataIfEmpty(database: Database, options: { transitions?: boolean } = {}): Promise<boolean> {
  return runWrite(
    database,
    { actor: ACTOR, requestId: null, reason: `Demo data set: ${PRESS_NOTE}` },
    'demo.load',
    async (tx, changes) => {
      // Instances starting together against one server: only the first one seeds.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${0x526f6c66})`);
      const [existing] = await database.rows<{ any: boolean }>(
        sql`SELECT EXISTS (SELECT 1 FROM organisations) OR EXISTS (SELECT 1 FROM people) AS any`,
        tx,
      );
      if (existing?.any) return false;
      for (const kind of DEMO_KINDS) {
        for (const { id, input } of kind.items) {
          await kind.insert(tx, input as never, id);
          changes.record({ entity: kind.entity, entityId: id, action: 'create', before: null, after: await kind.load(tx, id) });
        }
      }
      if (options.transitions !== false) {
        for (const { id, input } of demoTransitions) await recordTransition(tx, input, ACTOR, changes, id);
      }
      for (const { id, organisationId, input } of demoOrganisationEvents) {
        await recordOrganisationEvent(tx, organisationId, input, ACTOR, changes, id);
      }
      return true;
    },
  );
}
