import type { AssignmentInput } from '../routes/v1/assignments/schemas.js';
import type { OrganisationInput } from '../routes/v1/organisations/schemas.js';
import type { PersonInput } from '../routes/v1/people/schemas.js';
import type { PostInput } from '../routes/v1/posts/schemas.js';
import type { TransitionInput } from '../routes/v1/transitions/schemas.js';
import type { OrganisationEventInput } from '../routes/v1/organisations/event-schemas.js';

/**
 * The demo data set (DESIGN.md §1): the press note of the Regionalagentur Westfälisches Ruhrgebiet
 * of 04.07.2016 about the meeting of 22 June 2016 in the Dortmund town hall. Ids are fixed so that
 * the README's tour and the tests can name them. What the press note does not say (founding
 * dates of the ministries, the department above the two Referate) is public record or marked as
 * an assumption in `note`.
 */
export const PRESS_NOTE =
  'Pressemitteilung der Regionalagentur Westfälisches Ruhrgebiet vom 04.07.2016: Sitzung des Facharbeitskreises am 22.06.2016 im Dortmunder Rathaus';

const org = (n: number) => `0a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const person = (n: number) => `0b000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const post = (n: number) => `0c000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const assignment = (n: number) => `0d000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_IDS = {
  mais: org(1),
  maisDepartmentLabour: org(2),
  referatBeruflicheBildung: org(3),
  referatBeruflicheIntegration: org(4),
  maisDepartmentIntegration: org(5),
  regionalagentur: org(6),
  facharbeitskreis: org(7),
  gib: org(8),
  mags: org(9),
  mkffi: org(10),
  juttaReiter: person(1),
  ingridSchleimer: person(2),
  marionSiebert: person(3),
  katjaStraede: person(4),
  chairFacharbeitskreis: post(1),
  coordinationRegionalagenturen: post(2),
  reiterChair: assignment(1),
  schleimerGroupLead: assignment(2),
  siebertReferat: assignment(3),
  straedeRegionalagentur: assignment(4),
  straedeMove: '0e000000-0000-4000-8000-000000000001',
  maisRestructuring: '0f000000-0000-4000-8000-000000000001',
} as const;

const I = DEMO_IDS;

export const demoOrganisations: Array<{ id: string; input: OrganisationInput }> = [
  {
    id: I.mais,
    input: {
      name: 'Ministerium für Arbeit, Integration und Soziales des Landes Nordrhein-Westfalen',
      abbreviation: 'MAIS',
      classification: 'ministry',
      location: 'Düsseldorf',
      foundingDate: '2010-07-15',
      identifiers: [{ scheme: 'rolebook-demo', identifier: 'mais' }],
    },
  },
  {
    id: I.mags,
    input: {
      name: 'Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen',
      abbreviation: 'MAGS',
      classification: 'ministry',
      location: 'Düsseldorf',
      foundingDate: '2017-06-30',
    },
  },
  {
    id: I.mkffi,
    input: {
      name: 'Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen',
      abbreviation: 'MKFFI',
      classification: 'ministry',
      location: 'Düsseldorf',
      foundingDate: '2017-06-30',
    },
  },
  {
    id: I.maisDepartmentLabour,
    input: {
      name: 'Abteilung Arbeit und Qualifizierung',
      classification: 'department',
      location: 'Düsseldorf',
      parents: [{ organisationId: I.mais, startDate: '2010-07-15' }],
      otherNames: [],
    },
  },
  {
    id: I.referatBeruflicheBildung,
    input: {
      name: 'Referat Berufliche Bildung, Beschäftigungssicherung und Berufliche Integration',
      classification: 'unit',
      location: 'Düsseldorf',
      parents: [{ organisationId: I.maisDepartmentLabour, startDate: '2010-07-15' }],
    },
  },
  {
    id: I.referatBeruflicheIntegration,
    input: {
      name: 'Referat Berufliche Integration und Teilhabe',
      classification: 'unit',
      location: 'Düsseldorf',
      parents: [{ organisationId: I.maisDepartmentLabour, startDate: '2010-07-15' }],
    },
  },
  {
    id: I.maisDepartmentIntegration,
    input: {
      name: 'Abteilung Integration',
      classification: 'department',
      location: 'Düsseldorf',
      parents: [{ organisationId: I.mais, startDate: '2010-07-15' }],
    },
  },
  {
    id: I.regionalagentur,
    input: {
      name: 'Regionalagentur Westfälisches Ruhrgebiet',
      classification: 'agency',
      location: 'Dortmund',
      identifiers: [{ scheme: 'rolebook-demo', identifier: 'regionalagentur-westfaelisches-ruhrgebiet' }],
    },
  },
  {
    id: I.facharbeitskreis,
    input: {
      name: 'Facharbeitskreis Westfälisches Ruhrgebiet',
      classification: 'committee',
      location: 'Dortmund',
      parents: [{ organisationId: I.regionalagentur }],
    },
  },
  {
    id: I.gib,
    input: {
      name: 'Gesellschaft für innovative Beschäftigungsförderung mbH',
      abbreviation: 'G.I.B.',
      classification: 'company',
      location: 'Bottrop',
      identifiers: [{ scheme: 'rolebook-demo', identifier: 'gib' }],
    },
  },
];

export const demoPosts: Array<{ id: string; input: PostInput }> = [
  {
    id: I.chairFacharbeitskreis,
    input: { organisationId: I.facharbeitskreis, label: 'Vorsitz des Facharbeitskreises', maxHolders: 1 },
  },
  {
    id: I.coordinationRegionalagenturen,
    input: { organisationId: I.gib, label: 'Koordination der Regionalagenturen in NRW', maxHolders: 1 },
  },
];

export const demoPeople: Array<{ id: string; input: PersonInput }> = [
  { id: I.juttaReiter, input: { givenName: 'Jutta', familyName: 'Reiter' } },
  { id: I.ingridSchleimer, input: { givenName: 'Ingrid', familyName: 'Schleimer' } },
  { id: I.marionSiebert, input: { givenName: 'Marion', familyName: 'Siebert' } },
  {
    id: I.katjaStraede,
    input: {
      givenName: 'Katja',
      familyName: 'Sträde',
      contactDetails: [
        { type: 'address', value: 'Im Blankenfeld 4, 46238 Bottrop', label: 'Dienstanschrift G.I.B.', visibility: 'public' },
      ],
    },
  },
];

export const demoAssignments: Array<{ id: string; input: AssignmentInput }> = [
  {
    id: I.reiterChair,
    input: {
      personId: I.juttaReiter,
      organisationId: I.facharbeitskreis,
      postId: I.chairFacharbeitskreis,
      role: 'Vorsitzende',
      source: PRESS_NOTE,
      note: 'Chaired the meeting of 22 June 2016; start and end are not in the press note.',
    },
  },
  {
    id: I.schleimerGroupLead,
    input: {
      personId: I.ingridSchleimer,
      organisationId: I.referatBeruflicheBildung,
      role: 'Gruppenleiterin',
      source: PRESS_NOTE,
    },
  },
  {
    id: I.siebertReferat,
    input: {
      personId: I.marionSiebert,
      organisationId: I.referatBeruflicheIntegration,
      role: 'Referentin',
      source: PRESS_NOTE,
    },
  },
  {
    id: I.straedeRegionalagentur,
    input: {
      personId: I.katjaStraede,
      organisationId: I.regionalagentur,
      role: 'Mitarbeiterin',
      source: PRESS_NOTE,
    },
  },
];

/** Katja Sträde's move to the G.I.B.: one dated, atomic transition. */
export const demoTransitions: Array<{ id: string; input: TransitionInput }> = [
  {
    id: I.straedeMove,
    input: {
      date: '2016-07-01',
      end: [{ assignmentId: I.straedeRegionalagentur }],
      start: [
        {
          personId: I.katjaStraede,
          organisationId: I.gib,
          postId: I.coordinationRegionalagenturen,
          role: 'Koordinatorin der Regionalagenturen in NRW',
        },
      ],
      reason: 'Katja Sträde left the Regionalagentur at the close of the meeting of 22 June 2016 to coordinate the Regionalagenturen in NRW at the G.I.B. in Bottrop.',
      source: PRESS_NOTE,
    },
  },
];

/**
 * The 2017 restructuring: with the new state government of 30 June 2017 the MAIS became the MAGS,
 * and its integration department went to the new MKFFI.
 */
export const demoOrganisationEvents: Array<{ id: string; organisationId: string; input: OrganisationEventInput }> = [
  {
    id: I.maisRestructuring,
    organisationId: I.mais,
    input: {
      type: 'split',
      date: '2017-06-30',
      resultingIds: [I.mags, I.mkffi],
      moves: [
        { organisationId: I.maisDepartmentLabour, parentId: I.mags },
        { organisationId: I.maisDepartmentIntegration, parentId: I.mkffi },
      ],
      note: 'Neuordnung der Ressorts der Landesregierung Nordrhein-Westfalen zum 30.06.2017',
      reason: 'Demo data: the MAIS was restructured into the MAGS; integration moved to the MKFFI.',
    },
  },
];
