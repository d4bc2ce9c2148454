/**
 * The graph's vocabulary: node types, predicates and which types each predicate may connect.
 * One list, used by validation (facts documents), the loader (edge types come only from here,
 * never from user input) and the docs (README, cypher/MODEL.md).
 */

export const ENTITY_TYPES = ["ThreatActor", "State", "Organization", "Person", "Sector"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Node labels of the graph: the entity types plus Article (a source of claims). */
export const NODE_TYPES = [...ENTITY_TYPES, "Article"] as const;

export const PREDICATES = [
    "TARGETED",
    "COMPROMISED",
    "SANCTIONED",
    "CHARGED",
    "AFFILIATED_WITH",
    "MEMBER_OF",
    "FRONT_FOR",
    "PART_OF",
    "BASED_IN",
] as const;
export type Predicate = (typeof PREDICATES)[number];

const ANY: readonly EntityType[] = ENTITY_TYPES;
const ACTORS: readonly EntityType[] = ["ThreatActor", "Person", "Organization", "State"];

/** Type rules: allowed subject and object types per predicate. */
export const PREDICATE_RULES: Record<Predicate, { subject: readonly EntityType[]; object: readonly EntityType[] }> = {
    TARGETED: { subject: ACTORS, object: ANY },
    COMPROMISED: { subject: ACTORS, object: ANY },
    SANCTIONED: { subject: ["State", "Organization"], object: ["Person", "Organization", "ThreatActor"] },
    CHARGED: { subject: ["State", "Organization"], object: ["Person"] },
    // a tie to a state or a body, and between people and groups: OFAC's "Linked To:" between two individuals or an
    // individual and a group (Yakubets → Evil Corp) is an association an analyst follows as an edge
    AFFILIATED_WITH: { subject: ["ThreatActor", "Person", "Organization"], object: ["State", "Organization", "Person", "ThreatActor"] },
    MEMBER_OF: { subject: ["Person"], object: ["ThreatActor", "Organization"] },
    FRONT_FOR: { subject: ["Organization"], object: ["ThreatActor"] },
    PART_OF: { subject: ["Organization"], object: ["Organization", "State"] },
    BASED_IN: { subject: ["Organization", "ThreatActor", "Person"], object: ["State"] },
};

/**
 * The type rules the news extractor works with: the graph's, except that an AFFILIATED_WITH it reads from text has a
 * state or an organisation as its object, as before Person and ThreatActor objects were allowed for official
 * lists. Prose about people and groups ("founded by", "commands the unit", "linked the gang to LockBit") is not
 * the tie OFAC's `Linked To:` states: on the dev split the wider rule added 14 wrong AFFILIATED_WITH facts and no
 * right one (scripts/eval-extract.ts at 792ddf2: AFFILIATED_WITH precision 0.827 → 0.705, overall F1 0.766 → 0.761).
 */
export const EXTRACTION_RULES: Record<Predicate, { subject: readonly EntityType[]; object: readonly EntityType[] }> = {
    ...PREDICATE_RULES,
    AFFILIATED_WITH: { subject: PREDICATE_RULES.AFFILIATED_WITH.subject, object: ["State", "Organization"] },
};

/** Describes a predicate's rule for error messages: "SANCTIONED: State|Organization → Person|Organization|ThreatActor". */
export function describeRule(predicate: Predicate): string {
    const rule = PREDICATE_RULES[predicate];
    return `${predicate}: ${rule.subject.join("|")} → ${rule.object.join("|")}`;
}

export const CERTAINTIES = ["asserted", "likely", "alleged", "denied"] as const;
export type Certainty = (typeof CERTAINTIES)[number];

/**
 * Rank used for an edge's "strongest certainty" over its live claims: asserted > likely > alleged > denied.
 * A denied claim still documents that someone spoke about the edge, so it is kept, but it never outranks support.
 */
export const CERTAINTY_RANK: Record<Certainty, number> = { asserted: 3, likely: 2, alleged: 1, denied: 0 };

export const REVIEW_STATUSES = ["unreviewed", "accepted", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const ORGANIZATION_KINDS = ["company", "government", "security-vendor", "media", "other"] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/** Canonical id prefix per entity type: ids look like `actor:apt31`, `state:gb`, `org:ncsc-gb`. */
export const ID_PREFIX: Record<EntityType, string> = {
    ThreatActor: "actor",
    State: "state",
    Organization: "org",
    Person: "person",
    Sector: "sector",
};
