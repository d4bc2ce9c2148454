/**
 * What our STIX export and import share (src/export/stix.ts writes, src/stix/ reads; src/stix never imports
 * src/export): our UUIDv5 ids, the cyberkg identity every exported object is created by, and the relationship
 * types our predicates are written as.
 */
import { createHash } from "node:crypto";
import type { EntityType, Predicate } from "../model/vocabulary.ts";

/** Namespace of our UUIDv5 ids (a fixed random UUID: never change it, or every exported id changes). */
const CYBERKG_NAMESPACE = "1c7a4f3e-6b7d-4f0e-9a51-2f0d6c3b8e94";

export function uuidv5(name: string, namespace = CYBERKG_NAMESPACE): string {
    const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
    const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
    const b = Buffer.from(hash.subarray(0, 16));
    b[6] = (b[6]! & 0x0f) | 0x50;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function stixIdFor(type: string, canonicalId: string): string {
    return `${type}--${uuidv5(`${type}|${canonicalId}`)}`;
}

/** The identity (identity_class "system") that creates every object of a cyberkg export: how import recognises our own exports. */
export const CYBERKG_IDENTITY_ID = stixIdFor("identity", "cyberkg");

/** Our predicates as STIX relationship types; `reverse` swaps source and target. */
export const RELATIONSHIP_TYPES: Record<Predicate, { type: string; reverse?: boolean }> = {
    TARGETED: { type: "targets" },
    COMPROMISED: { type: "compromises" },
    SANCTIONED: { type: "sanctions" },
    CHARGED: { type: "charges" },
    AFFILIATED_WITH: { type: "attributed-to" },
    MEMBER_OF: { type: "attributed-to", reverse: true },
    FRONT_FOR: { type: "front-for" },
    PART_OF: { type: "part-of" },
    BASED_IN: { type: "located-at" },
};

/**
 * AFFILIATED_WITH to a person or a group (OFAC's Linked To: between two individuals, or an individual and a group)
 * is written as our own `affiliated-with`, not `attributed-to`: STIX's `attributed-to` to an individual names the
 * person behind a group (read back as MEMBER_OF), and STIX defines no `attributed-to` from an identity to a threat
 * actor or between two threat actors.
 */
export const AFFILIATION_TYPE = "affiliated-with";

/** The STIX relationship type an edge is written as, by its predicate and the type of its object. */
export function relationshipTypeOf(predicate: Predicate, objectType: EntityType | undefined): { type: string; reverse?: boolean } {
    if (predicate === "AFFILIATED_WITH" && (objectType === "Person" || objectType === "ThreatActor")) return { type: AFFILIATION_TYPE };
    return RELATIONSHIP_TYPES[predicate];
}

/** Relationship types of STIX's own vocabulary that the importer maps by the ends' types (targets, attributed-to, located-at). */
export const STANDARD_TYPES = ["targets", "attributed-to", "located-at"] as const;

/** The relationship types our export invents for predicates STIX has no word for, read back one to one. */
export const CUSTOM_TYPES: Record<string, Predicate> = {
    ...Object.fromEntries(
        (Object.entries(RELATIONSHIP_TYPES) as [Predicate, { type: string }][])
            .filter(([, m]) => !(STANDARD_TYPES as readonly string[]).includes(m.type))
            .map(([p, m]) => [m.type, p]),
    ),
    [AFFILIATION_TYPE]: "AFFILIATED_WITH",
};
