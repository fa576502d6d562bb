import type { Schemas } from '../shared/api-types.js';
import { formatDate, formatSpan } from '../shared/dates.js';
import { RolebookElement } from './base.js';
import { get } from './client.js';
import { h } from './dom.js';

type Unit = Schemas['TreeUnit'];
type Holding = Schemas['Holding'];

/**
 * `<rolebook-team organisation="ID" [at="YYYY-MM-DD"] [include-sub-units]>`: an organisation on a
 * day (default today): its posts with their holders (vacant ones marked), then the people without a
 * post; with `include-sub-units` the sub-units below it, each as a section of its own.
 * One request: GET /v1/organisations/{id}/tree?members=true.
 */
export class RolebookTeam extends RolebookElement {
  static observedAttributes = ['organisation', 'at', 'include-sub-units', 'api', 'key', 'heading-level'];

  protected async load(): Promise<Node> {
    const id = this.required('organisation');
    const at = this.getAttribute('at') || undefined;
    // A team page lists everyone: the members without a post too.
    const tree = await get(this.api, '/v1/organisations/{id}/tree', { path: { id }, query: { at, members: 'true' } }, this.key);
    const root = tree.root;
    const lang = this.language;
    const title = root.abbreviation ? `${root.name} (${root.abbreviation})` : root.name;
    const meta = [root.location, this.t('asOf', at ? formatDate(tree.at, lang) : `${this.t('today')}, ${formatDate(tree.at, lang)}`)]
      .filter(Boolean)
      .join(' · ');
    const withSubUnits = this.hasAttribute('include-sub-units');
    return h(
      'section',
      { part: 'card', class: 'card' },
      h('header', { part: 'header' }, this.heading(0, { part: 'title' }, title), h('p', { part: 'meta', class: 'meta' }, meta)),
      tree.existed ? this.unitBody(root, withSubUnits, 1) : h('p', { part: 'empty', class: 'empty' }, this.t('notExisting')),
    );
  }

  private unitBody(unit: Unit, withSubUnits: boolean, depth: number): Node[] {
    const items: HTMLElement[] = [];
    for (const post of unit.posts) {
      const holders = post.holders.length
        ? post.holders.map((holder) => this.person(holder, post.label))
        : [h('span', { part: 'vacant', class: 'vacant' }, this.t('vacant'))];
      items.push(h('li', { part: 'item post-item' }, h('span', { part: 'post', class: 'post' }, post.label), ...holders));
    }
    for (const member of unit.members ?? []) items.push(h('li', { part: 'item' }, this.person(member)));
    const nodes: Node[] = [];
    if (items.length) nodes.push(h('ul', { part: 'list' }, items));
    if (withSubUnits) {
      for (const sub of unit.units) {
        nodes.push(
          h(
            'section',
            { part: 'unit', class: 'unit' },
            this.heading(depth, { part: 'unit-title' }, sub.abbreviation ? `${sub.name} (${sub.abbreviation})` : sub.name),
            ...this.unitBody(sub, true, depth + 1),
          ),
        );
      }
    } else if (unit.units.length) {
      nodes.push(h('p', { part: 'sub-units', class: 'meta' }, `${this.t('subUnits')}: ${unit.units.map((u) => u.abbreviation ?? u.name).join(', ')}`));
    }
    if (!items.length && !(withSubUnits && unit.units.length)) nodes.push(h('p', { part: 'empty', class: 'empty' }, this.t('nobody')));
    return nodes;
  }

  private person(holding: Holding, postLabel?: string): HTMLElement {
    const span = formatSpan(holding, this.language);
    const role = holding.role && holding.role !== postLabel ? holding.role : '';
    return h(
      'span',
      { part: 'person', class: 'person' },
      h('span', { part: 'name', class: 'name' }, holding.person.name),
      role || span ? h('span', { part: 'role', class: 'role' }, ` — ${[role, span].filter(Boolean).join(', ')}`) : null,
      holding.certainty === 'possible' ? h('span', { class: 'possible', title: this.t('uncertain') }, ' (?)') : null,
    );
  }
}
