import type { Schemas } from '../shared/api-types.js';
import { covers, formatSpan, today } from '../shared/dates.js';
import { RolebookElement } from './base.js';
import { get } from './client.js';
import { h } from './dom.js';
import { hasText } from './i18n.js';

type TimelineItem = Schemas['PersonTimeline']['items'][number];
type Contact = Schemas['Person']['contactDetails'][number];

/**
 * `<rolebook-person person="ID">`: a contact card with the name, the current roles (role, post,
 * organisation) and the contact details the directory publishes. Two requests that run together:
 * GET /v1/people/{id} and GET /v1/people/{id}/timeline.
 */
export class RolebookPerson extends RolebookElement {
  static observedAttributes = ['person', 'api', 'key', 'heading-level'];

  protected async load(): Promise<Node> {
    const id = this.required('person');
    const [person, timeline] = await Promise.all([
      get(this.api, '/v1/people/{id}', { path: { id } }, this.key),
      get(this.api, '/v1/people/{id}/timeline', { path: { id } }, this.key),
    ]);
    const day = today();
    let roles = timeline.items.filter((item) => covers(item.assignment, day));
    const former = roles.length === 0 && timeline.items.length > 0;
    if (former) roles = timeline.items.slice(-1);
    return h(
      'article',
      { part: 'card', class: 'card' },
      this.heading(0, { part: 'name' }, person.name),
      roles.length ? roles.map((item) => this.roleBlock(item, former)) : h('p', { part: 'empty', class: 'empty' }, this.t('noRole')),
      person.contactDetails.length ? h('dl', { part: 'contacts' }, person.contactDetails.map((c) => this.contact(c))) : null,
    );
  }

  private roleBlock(item: TimelineItem, former: boolean): HTMLElement {
    const { assignment, organisation, post } = item;
    const title = [assignment.role, post && post.label !== assignment.role ? post.label : null].filter(Boolean).join(' · ');
    const org = organisation.abbreviation ? `${organisation.name} (${organisation.abbreviation})` : organisation.name;
    const span = formatSpan(assignment, this.language);
    return h(
      'div',
      { part: 'role-block' },
      title ? h('p', { part: 'title', class: 'role' }, title) : null,
      h('p', { part: 'organisation' }, org, organisation.parent ? h('span', { class: 'meta' }, ` — ${organisation.parent.name}`) : null),
      former && span ? h('p', { part: 'meta', class: 'meta' }, `${this.t('formerly')}: ${span}`) : null,
    );
  }

  private contact(contact: Contact): Node[] {
    const label = contact.label ?? (hasText(contact.type) ? this.t(contact.type) : contact.type);
    const href =
      contact.type === 'email'
        ? `mailto:${contact.value}`
        : contact.type === 'phone' || contact.type === 'mobile'
          ? `tel:${contact.value.replace(/[^\d+]/g, '')}`
          : contact.type === 'url' && /^https?:\/\//i.test(contact.value)
            ? contact.value
            : null;
    return [
      h('dt', { part: 'contact-label' }, label),
      h('dd', { part: 'contact-value' }, href ? h('a', { href, part: 'link' }, contact.value) : contact.value),
    ];
  }
}
