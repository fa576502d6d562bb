import { html, nothing, type TemplateResult } from 'lit-html';
import type { Schemas } from '../../shared/api-types.js';
import { api, unwrap } from '../api.js';
import { LoadingPage, messageOf, refresh } from '../app.js';
import { justBefore, moment, orgName } from '../format.js';
import { t, type TextKey } from '../i18n.js';
import { href } from '../router.js';

type Entry = Schemas['AuditEntry'];
type Change = Entry['changes'][number];

export type AuditEntity = 'person' | 'organisation' | 'assignment' | 'post';

const ENTITY_LABEL: Record<string, TextKey> = {
  person: 'entityPerson',
  organisation: 'entityOrganisation',
  post: 'entityPost',
  assignment: 'entityAssignment',
  transition: 'entityTransition',
  organisationEvent: 'entityOrganisationEvent',
};
const ACTION_LABEL: Record<string, TextKey> = { create: 'actionCreate', update: 'actionUpdate', delete: 'actionDelete', read: 'actionRead' };

/** Fields every record has that say nothing about the change itself. */
const QUIET = new Set(['updatedAt', 'createdAt', 'id', 'sysPeriod']);

function show(value: unknown): string {
  if (value === null || value === undefined) return t('none');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The fields a change touched: all given ones for a create, the differing ones for an update. */
function diff(change: Change): Array<[string, unknown, unknown]> {
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !QUIET.has(k));
  return keys
    .map((k): [string, unknown, unknown] => [k, before[k], after[k]])
    .filter(([, b, a]) => JSON.stringify(b ?? null) !== JSON.stringify(a ?? null));
}

interface Trail {
  title: string;
  /** The page that shows the record, for the "state at that moment" links. */
  page: string | null;
  ids: Set<string>;
  entries: Entry[];
}

/**
 * The audit trail of a record for auditors: every entry that changed it (for a person also their
 * assignments), newest first, with the fields before and after, and links to the record as the
 * directory stood just before and just after each change (asOf).
 */
export class AuditPage extends LoadingPage<Trail> {
  private verification: string | null = null;

  constructor(
    private readonly entity: AuditEntity,
    private readonly id: string,
  ) {
    super();
  }

  title(): string {
    return t('auditTitle', this.data?.title ?? '');
  }

  private async entriesOf(entityId: string): Promise<Entry[]> {
    const entries: Entry[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const answer = unwrap(await api.GET('/v1/audit', { params: { query: { entityId, limit: 500, cursor } } }));
      entries.push(...answer.items);
      if (!answer.nextCursor) break;
      cursor = answer.nextCursor;
    }
    return entries;
  }

  protected async load(): Promise<Trail> {
    const ids = new Set([this.id]);
    let title: string;
    let page: string;
    if (this.entity === 'person') {
      const timeline = unwrap(await api.GET('/v1/people/{id}/timeline', { params: { path: { id: this.id } } }));
      title = timeline.person.name;
      page = `/person/${this.id}`;
      for (const item of timeline.items) ids.add(item.assignment.id);
    } else if (this.entity === 'organisation') {
      const org = unwrap(await api.GET('/v1/organisations/{id}', { params: { path: { id: this.id } } }));
      title = orgName(org);
      page = `/organisation/${this.id}`;
    } else if (this.entity === 'assignment') {
      const a = unwrap(await api.GET('/v1/assignments/{id}', { params: { path: { id: this.id } } }));
      title = `${t('entityAssignment')} ${a.role ?? ''}`.trim();
      page = `/person/${a.personId}`;
    } else {
      const post = unwrap(await api.GET('/v1/posts/{id}', { params: { path: { id: this.id } } }));
      title = post.label;
      page = `/organisation/${post.organisationId}`;
    }
    const lists = await Promise.all([...ids].map((id) => this.entriesOf(id)));
    const bySeq = new Map<number, Entry>();
    for (const entry of lists.flat()) bySeq.set(entry.seq, entry);
    return { title, page, ids, entries: [...bySeq.values()].sort((a, b) => b.seq - a.seq) };
  }

  private async verify(): Promise<void> {
    try {
      const result = unwrap(await api.GET('/v1/audit/verify', {}));
      this.verification = result.ok
        ? t('auditVerified', result.checked)
        : t('auditBroken', result.firstBreak?.seq ?? '?', result.firstBreak?.detail ?? '');
    } catch (error) {
      this.verification = messageOf(error);
    }
    refresh();
  }

  private change(change: Change): TemplateResult {
    const rows = diff(change);
    return html`<div class="change">
      <p><strong>${t(ENTITY_LABEL[change.entity] ?? 'entityPerson')}</strong> ${t(ACTION_LABEL[change.action] ?? 'actionUpdate')}
        <span class="muted small">${change.entityId}</span></p>
      ${rows.length
        ? html`<table class="diff">
            <thead><tr><th scope="col">${t('auditField')}</th><th scope="col">${t('auditBefore')}</th><th scope="col">${t('auditAfter')}</th></tr></thead>
            <tbody>
              ${rows.map(([key, before, after]) => html`<tr><th scope="row">${key}</th><td>${show(before)}</td><td>${show(after)}</td></tr>`)}
            </tbody>
          </table>`
        : nothing}
    </div>`;
  }

  /**
   * A moment just before the change took effect. The records' versions start at the writing
   * transaction's start, which is also what the changed records' `updatedAt` (or `createdAt`)
   * says; the entry's `recordedAt` is taken at its end, so a moment just before it may already
   * show the change.
   */
  private before(entry: Entry): string {
    const candidates = entry.changes
      .map((c) => (c.after ?? null) as { updatedAt?: unknown; createdAt?: unknown } | null)
      .map((after) => after?.updatedAt ?? after?.createdAt)
      .filter((value): value is string => typeof value === 'string')
      .map(justBefore)
      .filter((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value))
      .sort();
    return candidates[0] ?? justBefore(entry.recordedAt);
  }

  private entry(entry: Entry, trail: Trail): TemplateResult {
    const relevant = entry.changes.filter((c) => trail.ids.has(c.entityId) || c.entity === 'transition');
    const shown = relevant.length ? relevant : entry.changes.slice(0, 3);
    const others = entry.changes.length - shown.length;
    return html`<article class="audit-entry" aria-labelledby="entry-${entry.seq}">
      <h2 id="entry-${entry.seq}"><span class="badge">${t('auditEntry', entry.seq)}</span> ${moment(entry.recordedAt)}</h2>
      <dl class="facts">
        <dt>${t('auditOperation')}</dt><dd><code>${entry.operation}</code></dd>
        <dt>${t('auditActor')}</dt><dd>${entry.actor}</dd>
        ${entry.reason ? html`<dt>${t('auditReason')}</dt><dd>${entry.reason}</dd>` : nothing}
      </dl>
      ${shown.map((c) => this.change(c))}
      ${others > 0 ? html`<p class="muted small">${t('auditMore', others)}</p>` : nothing}
      ${trail.page
        ? html`<p class="row-actions">
            <a href=${href(trail.page, { asOf: this.before(entry) })}>${t('auditShowBefore')}</a>
            <a href=${href(trail.page, { asOf: entry.recordedAt })}>${t('auditShowAfter')}</a>
          </p>`
        : nothing}
    </article>`;
  }

  protected content(trail: Trail): TemplateResult {
    return html`<h1 tabindex="-1">${t('auditTitle', trail.title)}</h1>
      <p class="intro">${t('auditIntro')}</p>
      <p class="page-actions">
        ${trail.page ? html`<a class="button secondary" href=${href(trail.page)}>← ${trail.title}</a>` : nothing}
        <button type="button" class="secondary" @click=${() => void this.verify()}>${t('auditVerify')}</button>
      </p>
      ${this.verification ? html`<p class="alert info" role="status">${this.verification}</p>` : nothing}
      ${trail.entries.length ? trail.entries.map((e) => this.entry(e, trail)) : html`<p>${t('auditEmpty')}</p>`}`;
  }
}
