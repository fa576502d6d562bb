import type { FastifyInstance } from 'fastify';
import { registerListRoute, registerResourceRoutes } from '../../../http/resource.js';
import {
  assignmentKeyset,
  insertAssignment,
  listAssignments,
  loadAssignment,
  presentAssignment,
  updateAssignment,
} from './queries.js';
import { assignment, assignmentInput, listAssignmentsQuery } from './schemas.js';
import { assignmentsCsv } from './csv.js';

export default async function assignmentRoutes(app: FastifyInstance) {
  registerListRoute(app, {
    summary: 'List assignments',
    description:
      'In date order. `at` keeps the assignments that may cover that day; `from`/`to` those that may overlap the period. A partial date covers its whole period.',
    tag: 'assignments',
    query: listAssignmentsQuery,
    item: assignment,
    list: listAssignments,
    keyset: assignmentKeyset,
    present: presentAssignment,
    csv: assignmentsCsv(app.database),
  });
  registerResourceRoutes(app, {
    entity: 'assignment',
    noun: 'assignment',
    tag: 'assignments',
    basePath: '/v1/assignments',
    input: assignmentInput,
    representation: assignment,
    load: loadAssignment,
    insert: insertAssignment,
    update: updateAssignment,
  });
}
