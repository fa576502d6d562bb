import { relations } from 'drizzle-orm';
import {
  assignments,
  contactDetails,
  organisationIdentifiers,
  organisationNames,
  organisationParents,
  organisations,
  people,
  personIdentifiers,
  personLinks,
  personNames,
  posts,
} from './schema.js';

export const peopleRelations = relations(people, ({ many }) => ({
  otherNames: many(personNames),
  contactDetails: many(contactDetails),
  identifiers: many(personIdentifiers),
  links: many(personLinks),
  assignments: many(assignments),
}));

export const personNamesRelations = relations(personNames, ({ one }) => ({
  person: one(people, { fields: [personNames.personId], references: [people.id] }),
}));
export const contactDetailsRelations = relations(contactDetails, ({ one }) => ({
  person: one(people, { fields: [contactDetails.personId], references: [people.id] }),
}));
export const personIdentifiersRelations = relations(personIdentifiers, ({ one }) => ({
  person: one(people, { fields: [personIdentifiers.personId], references: [people.id] }),
}));
export const personLinksRelations = relations(personLinks, ({ one }) => ({
  person: one(people, { fields: [personLinks.personId], references: [people.id] }),
}));

export const organisationsRelations = relations(organisations, ({ many }) => ({
  otherNames: many(organisationNames),
  identifiers: many(organisationIdentifiers),
  parents: many(organisationParents, { relationName: 'child' }),
  posts: many(posts),
}));
export const organisationNamesRelations = relations(organisationNames, ({ one }) => ({
  organisation: one(organisations, {
    fields: [organisationNames.organisationId],
    references: [organisations.id],
  }),
}));
export const organisationIdentifiersRelations = relations(organisationIdentifiers, ({ one }) => ({
  organisation: one(organisations, {
    fields: [organisationIdentifiers.organisationId],
    references: [organisations.id],
  }),
}));
export const organisationParentsRelations = relations(organisationParents, ({ one }) => ({
  organisation: one(organisations, {
    fields: [organisationParents.organisationId],
    references: [organisations.id],
    relationName: 'child',
  }),
}));

export const postsRelations = relations(posts, ({ one }) => ({
  organisation: one(organisations, { fields: [posts.organisationId], references: [organisations.id] }),
}));

export const assignmentsRelations = relations(assignments, ({ one }) => ({
  person: one(people, { fields: [assignments.personId], references: [people.id] }),
}));
