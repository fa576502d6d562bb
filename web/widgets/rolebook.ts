/**
 * Rolebook's embeddable widgets: one script, three custom elements.
 *
 *   <script src="https://rolebook.example/widgets/rolebook.js" defer></script>
 *   <rolebook-team organisation="…" at="2016-07-01" include-sub-units></rolebook-team>
 *   <rolebook-person person="…"></rolebook-person>
 *   <rolebook-search link="https://intranet.example/people/{id}"></rolebook-search>
 *
 * Each reads published data only (a widget key in `key` is optional), from the API the script
 * came from unless `api` names another.
 */
import { RolebookPerson } from './person.js';
import { RolebookSearch } from './search.js';
import { RolebookTeam } from './team.js';

const elements: Array<[string, CustomElementConstructor]> = [
  ['rolebook-team', RolebookTeam],
  ['rolebook-person', RolebookPerson],
  ['rolebook-search', RolebookSearch],
];
// A page that includes the script twice keeps the first definitions.
for (const [name, element] of elements) if (!customElements.get(name)) customElements.define(name, element);
