import { z } from 'zod';
import { pageQuery } from '../../../http/pagination.js';
import { uuid } from '../../../http/schemas.js';

const instant = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 timestamp' });

export const change = z.object({
  entity: z.string(),
  entityId: uuid,
  action: z.enum(['create', 'update', 'delete', 'read']),
  before: z.unknown().meta({ description: 'The record before the change (null for a create)' }),
  after: z.unknown().meta({ description: 'The record after the change (null for a delete)' }),
});

export const auditEntry = z
  .object({
    seq: z.number().int().meta({ description: 'Position in the chain: the order in which writes committed' }),
    id: uuid,
    recordedAt: z.string().meta({ description: 'Server time of the write, UTC, microseconds' }),
    actor: z.string(),
    requestId: z.string().nullable(),
    operation: z.string().meta({ examples: ['person.update', 'transition.create', 'organisation.split'] }),
    reason: z.string().nullable(),
    changes: z.array(change),
    payloadHash: z.string(),
    prevHash: z.string(),
    hash: z.string(),
    redacted: z.boolean().meta({ description: 'Personal data in it was pseudonymised by an erasure' }),
  })
  .meta({ id: 'AuditEntry' });

export type AuditEntry = z.infer<typeof auditEntry>;

export const auditFilter = {
  entity: z.enum(['person', 'organisation', 'post', 'assignment', 'transition', 'organisationEvent']).optional(),
  entityId: uuid.optional(),
  actor: z.string().min(1).max(200).optional(),
  operation: z.string().min(1).max(100).optional().meta({ description: 'e.g. person.update' }),
  from: instant.optional().meta({ description: 'Recorded at or after this moment' }),
  to: instant.optional().meta({ description: 'Recorded before this moment' }),
};

export const auditQuery = z.strictObject({ ...auditFilter, limit: pageQuery.limit, cursor: pageQuery.cursor });

export const exportQuery = z.strictObject({
  ...auditFilter,
  format: z.enum(['jsonl', 'csv'], { error: 'must be jsonl or csv' }).default('jsonl'),
});

export const verifyQuery = z.strictObject({
  headSeq: z.coerce.number().int().min(1).optional().meta({ description: 'The seq of an exported head' }),
  headHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits')
    .optional()
    .meta({ description: 'The hash of an exported head: the entry at headSeq must still have it' }),
});

export const chainHead = z
  .object({ seq: z.number().int(), hash: z.string(), recordedAt: z.string() })
  .meta({ id: 'AuditHead' });

export const verification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
    firstBreak: z
      .object({ seq: z.number().int(), id: uuid, problem: z.enum(['payload', 'link', 'hash']), detail: z.string() })
      .nullable()
      .meta({ description: 'The first entry that does not verify' }),
    exportedHead: z
      .object({ seq: z.number().int(), hash: z.string(), matches: z.boolean() })
      .nullable()
      .meta({ description: 'Whether the chain still holds the exported head that was passed in' }),
  })
  .meta({ id: 'AuditVerification' });
