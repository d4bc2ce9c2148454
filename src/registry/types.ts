/**
 * Registry types: reference knowledge written by us (countries, state-linked threat actors, agencies,
 * sectors). Registry entities resolve names met in articles to canonical ids; registry facts
 * (PART_OF, AFFILIATED_WITH, BASED_IN) load as claims whose source is the registry itself, with its version.
 */
import type { EntityType, OrganizationKind, Predicate } from "../model/vocabulary.ts";

export interface RegistryEntity {
    /** Canonical id, e.g. "actor:apt31", "state:cn", "org:ncsc-gb", "sector:energy". */
    id: string;
    type: EntityType;
    name: string;
    aliases: string[];
    /** State: ISO 3166-1 alpha-2. */
    code?: string;
    /** State: adjectives/demonyms met in news ("Chinese", "British", "North Korean"). */
    demonyms?: string[];
    /** Organization kind. */
    kind?: OrganizationKind;
    description?: string;
}

export interface RegistryFact {
    subject: string;
    predicate: Predicate;
    object: string;
}
