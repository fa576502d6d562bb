import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * The audit log's hash chain (DESIGN.md §3). Each entry's hash covers its header, the hash of
 * its payload (reason and changes) and the hash of the entry before it, so an edit anywhere
 * breaks every later link. The payload is hashed apart so that an erasure (DSGVO Art. 17) can
 * pseudonymise it and keep the chain verifiable. To recompute one in any language:
 *
 *   payloadHash = hex(sha256(canonical({changes, reason})))
 *   hash        = hex(sha256(canonical({actor, id, operation, payloadHash, prevHash,
 *                                       recordedAt, requestId})))
 *
 * where canonical() is JSON with object keys sorted, no white space, strings escaped as
 * JSON.stringify does (non-ASCII characters as themselves, UTF-8 encoded), and `recordedAt`
 * is written `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds). The first entry's prevHash is
 * 64 zeros.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface EntryHeader {
  id: string;
  recordedAt: string;
  actor: string;
  requestId: string | null;
  operation: string;
}

export interface EntryPayload {
  reason: string | null;
  changes: unknown;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function payloadHashOf(payload: EntryPayload): string {
  return sha256Hex(canonicalJson({ changes: payload.changes, reason: payload.reason }));
}

export function entryHashOf(header: EntryHeader, payloadHash: string, prevHash: string): string {
  return sha256Hex(canonicalJson({ ...header, payloadHash, prevHash }));
}

export interface StoredEntry extends EntryHeader, EntryPayload {
  seq: number;
  payloadHash: string;
  prevHash: string;
  hash: string;
  redacted: boolean;
}

export type Break =
  | { seq: number; id: string; problem: 'payload'; detail: string }
  | { seq: number; id: string; problem: 'link'; detail: string }
  | { seq: number; id: string; problem: 'hash'; detail: string };

/** Checks entries in chain order, carrying the previous hash across calls (for batches). */
export class ChainVerifier {
  checked = 0;
  head: { seq: number; hash: string } | null = null;
  firstBreak: Break | null = null;

  constructor(private previousHash = GENESIS_HASH) {}

  check(entry: StoredEntry): boolean {
    this.checked++;
    const broken = this.find(entry);
    this.previousHash = entry.hash;
    this.head = { seq: entry.seq, hash: entry.hash };
    if (broken && !this.firstBreak) this.firstBreak = broken;
    return !broken;
  }

  private find(entry: StoredEntry): Break | null {
    const at = { seq: entry.seq, id: entry.id };
    // A redacted entry's changes were pseudonymised on purpose; its payload hash stays the original's.
    if (!entry.redacted && payloadHashOf(entry) !== entry.payloadHash) {
      return { ...at, problem: 'payload', detail: 'the reason or the changes do not match their stored hash' };
    }
    if (entry.prevHash !== this.previousHash) {
      return { ...at, problem: 'link', detail: 'prevHash is not the hash of the entry before' };
    }
    const header: EntryHeader = {
      id: entry.id,
      recordedAt: entry.recordedAt,
      actor: entry.actor,
      requestId: entry.requestId,
      operation: entry.operation,
    };
    if (entryHashOf(header, entry.payloadHash, entry.prevHash) !== entry.hash) {
      return { ...at, problem: 'hash', detail: 'the entry does not match its stored hash' };
    }
    return null;
  }
}
