/**
 * STIX → cyberkg, before any entity resolution: which STIX objects become which entities, and which
 * relationships become which facts. Pure (no database): `resolve.ts` then gives every entity a canonical id
 * and `import.ts` turns the plan into one LoadUnit per bundle.
 *
 * Objects:
 *   intrusion-set                    → ThreatActor (name + aliases; the ATT&CK id G#### is kept as an alias)
 *   threat-actor                     → ThreatActor, or Organization when its roles are sponsor/director
 *                                      (e.g. "Communist Party of China" in apt1.json)
 *   identity  individual             → Person
 *             class                  → Sector (its name; its `sectors` as aliases)
 *             system                 → nothing
 *             anything else          → State when its name is a country, else Organization
 *             (identities that only sign the bundle, as `created_by_ref`, are not entities)
 *   location                         → State (via `country`, else a name that is a country); other locations are not mapped
 *   campaign                         → no entity of its own: its targets become TARGETED claims of the groups it is
 *                                      attributed to. A campaign with targets but no attribution becomes a ThreatActor
 *                                      (so the targeting is not lost).
 * Relationships:
 *   targets                          → TARGETED
 *   attributed-to  X → org/state     → X AFFILIATED_WITH org/state
 *                  X → individual    → person MEMBER_OF X (the person behind a group or persona)
 *                  campaign → group  → lifts the campaign's targets to the group (see above)
 *   located-at     X → location      → X BASED_IN state
 *   revoked-by     set → set         → a merge of the revoked group into its replacement (after loading)
 *   compromises, sanctions, charges, front-for, part-of, affiliated-with → COMPROMISED, SANCTIONED, CHARGED, FRONT_FOR,
 *                                      PART_OF, AFFILIATED_WITH
 *                                      (what `export --format stix` writes for them)
 * Anything else (uses, indicates, …) is not in the vocabulary and is counted as skipped. A relationship whose
 * end is not in any bundle of the run (and not known from an earlier import) is a dangling reference: skipped
 * and counted, never a crash. Revoked relationships and deprecated (`x_mitre_deprecated`) objects are skipped.
 */
import { PARTIAL_DATE } from "../model/facts-document.ts";
import { CERTAINTIES, PREDICATE_RULES, type Certainty, type EntityType, type OrganizationKind, type Predicate } from "../model/vocabulary.ts";
import type { Registry } from "../registry/Registry.ts";
import { StixError, attackIdOf, stringList, typeOfId, type StixBundle, type StixObject } from "./bundle.ts";
import { CUSTOM_TYPES, CYBERKG_IDENTITY_ID, STANDARD_TYPES } from "./ids.ts";
import { CERTAINTY_PROPERTY, CLAIMS_PROPERTY, readExportedClaims, type ExportedClaim } from "./provenance.ts";

export interface EntityCandidate {
    stixId: string;
    stixType: string;
    type: EntityType;
    name: string;
    /** Other names (aliases, ATT&CK id), in the object's order, without the name itself. */
    aliases: string[];
    attackId?: string;
    attributes: { code?: string; kind?: OrganizationKind; role?: string; description?: string };
    /** A canonical id fixed by the mapping (countries from the registry): no resolution needed. */
    fixedId?: string;
    /** Indexes of the bundles that contain the object. */
    bundles: number[];
    revoked: boolean;
}

export interface PlannedFact {
    bundle: number;
    subject: string;
    predicate: Predicate;
    object: string;
    evidence: string;
    confidence: number;
    validFrom?: string;
    validTo?: string;
    /** A relationship of our own export: the claims behind the edge, with their original sources (provenance.ts). */
    claims?: ExportedClaim[];
    /** A relationship of our own export without claims (--entities-only): the edge's certainty. */
    certainty?: Certainty;
}

export interface RevokedPair {
    bundle: number;
    revoked: string;
    by: string;
}

export interface MapStats {
    objects: number;
    invalidObjects: number;
    byType: Record<string, number>;
    deprecated: number;
    revokedWithoutReplacement: number;
    danglingRefs: number;
    /** Relationships whose type (or whose ends' types) the vocabulary has no predicate for, by relationship type. */
    unmapped: Record<string, number>;
    typeRule: number;
    liftedFromCampaigns: number;
}

export interface StixPlan {
    bundles: StixBundle[];
    entities: Map<string, EntityCandidate>;
    facts: PlannedFact[];
    revoked: RevokedPair[];
    /** STIX ids referenced by relationships but not in any bundle: the importer may find them in the graph. */
    external: Set<string>;
    /** Entities of earlier imports that relationships of this run refer to (by STIX id). */
    known: Map<string, EntityCandidate>;
    stats: MapStats;
}

const ACTOR_OBJECTS = new Set(["intrusion-set", "threat-actor"]);

/** Two objects with the same id in several bundles: the newest `modified` wins. */
function newer(a: StixObject, b: StixObject): StixObject {
    return (b.modified ?? "") > (a.modified ?? "") ? b : a;
}

export function planImport(bundles: StixBundle[], registry: Registry, known: Map<string, EntityCandidate> = new Map()): StixPlan {
    const stats: MapStats = { objects: 0, invalidObjects: 0, byType: {}, deprecated: 0, revokedWithoutReplacement: 0, danglingRefs: 0, unmapped: {}, typeRule: 0, liftedFromCampaigns: 0 };
    const objects = new Map<string, StixObject>();
    const inBundles = new Map<string, number[]>();
    bundles.forEach((b, i) => {
        stats.invalidObjects += b.invalidObjects;
        for (const o of b.objects) {
            stats.objects++;
            stats.byType[o.type] = (stats.byType[o.type] ?? 0) + 1;
            const prev = objects.get(o.id);
            objects.set(o.id, prev ? newer(prev, o) : o);
            const list = inBundles.get(o.id) ?? [];
            if (!list.includes(i)) list.push(i);
            inBundles.set(o.id, list);
        }
    });
    const relationships = [...objects.values()].filter((o) => o.type === "relationship" && !o.revoked && !o.x_mitre_deprecated);
    const external = new Set<string>();
    const refOk = (ref: unknown): ref is string => {
        if (typeof ref !== "string") return false;
        if (objects.has(ref)) return true;
        external.add(ref);
        return known.has(ref);
    };

    // revoked-by: which revoked groups have a replacement
    const revoked: RevokedPair[] = [];
    const replacedBy = new Map<string, string>();
    for (const r of relationships) {
        if (r.relationship_type !== "revoked-by") continue;
        const bundle = inBundles.get(r.id)![0]!;
        if (!refOk(r.source_ref) || !refOk(r.target_ref)) {
            stats.danglingRefs++;
            continue;
        }
        const s = r.source_ref as string, t = r.target_ref as string;
        if (typeOfId(s) !== typeOfId(t) || !ACTOR_OBJECTS.has(typeOfId(s))) {
            count(stats.unmapped, "revoked-by");
            continue;
        }
        replacedBy.set(s, t);
        revoked.push({ bundle, revoked: s, by: t });
    }

    const entities = new Map<string, EntityCandidate>();
    const candidate = (o: StixObject): EntityCandidate | undefined => {
        const existing = entities.get(o.id);
        if (existing) return existing;
        const c = toCandidate(o, inBundles.get(o.id) ?? [], registry);
        if (c) entities.set(o.id, c);
        return c;
    };
    for (const o of objects.values()) {
        if (!ACTOR_OBJECTS.has(o.type)) continue;
        if (o.x_mitre_deprecated) {
            stats.deprecated++;
            continue;
        }
        if (o.revoked && !replacedBy.has(o.id)) {
            stats.revokedWithoutReplacement++;
            continue;
        }
        candidate(o);
    }
    // identities and locations: victims, sponsors, places; not those that only say who wrote the bundle
    const creators = new Set([...objects.values()].map((o) => o.created_by_ref).filter((r): r is string => typeof r === "string"));
    for (const o of objects.values()) {
        if ((o.type !== "identity" && o.type !== "location") || o.revoked || o.x_mitre_deprecated) continue;
        if (creators.has(o.id) || o.identity_class === "system") continue;
        candidate(o);
    }
    /** The candidate for a relationship end: from this run's objects, else from an earlier import (graph). */
    const endOf = (ref: string): EntityCandidate | undefined => {
        const o = objects.get(ref);
        if (!o) return known.get(ref);
        if (o.x_mitre_deprecated || (o.revoked && !replacedBy.has(o.id))) return undefined;
        return candidate(o);
    };

    // campaigns: who they are attributed to
    const campaignActors = new Map<string, string[]>();
    for (const r of relationships) {
        if (r.relationship_type !== "attributed-to" || typeof r.source_ref !== "string" || typeOfId(r.source_ref) !== "campaign") continue;
        if (!refOk(r.source_ref) || !refOk(r.target_ref)) continue; // counted below
        const actor = endOf(r.target_ref as string);
        if (actor && (actor.type === "ThreatActor" || actor.type === "Organization")) {
            const list = campaignActors.get(r.source_ref) ?? [];
            list.push(actor.stixId);
            campaignActors.set(r.source_ref, list);
        }
    }

    const facts: PlannedFact[] = [];
    const add = (bundle: number, r: StixObject, s: EntityCandidate, predicate: Predicate, o: EntityCandidate, extra: Partial<PlannedFact> = {}) => {
        const rule = PREDICATE_RULES[predicate];
        if (!rule.subject.includes(s.type) || !rule.object.includes(o.type)) {
            stats.typeRule++;
            return;
        }
        facts.push({
            bundle,
            subject: s.stixId,
            predicate,
            object: o.stixId,
            evidence: evidenceOf(r, s, o),
            confidence: confidenceOf(r),
            ...dates(r.start_time, r.stop_time),
            ...ownClaims(bundles[bundle]!, r),
            ...extra,
        });
    };
    for (const r of relationships) {
        const type = String(r.relationship_type ?? "");
        if (type === "revoked-by") continue;
        const bundle = inBundles.get(r.id)![0]!;
        if (![...STANDARD_TYPES, ...Object.keys(CUSTOM_TYPES)].includes(type)) {
            count(stats.unmapped, type);
            continue;
        }
        if (!refOk(r.source_ref) || !refOk(r.target_ref)) {
            stats.danglingRefs++;
            continue;
        }
        const sourceRef = r.source_ref as string;
        const targetRef = r.target_ref as string;
        if (type === "attributed-to" && typeOfId(sourceRef) === "campaign") continue; // used for lifting
        if (type === "targets" && typeOfId(sourceRef) === "campaign") {
            const campaign = objects.get(sourceRef);
            const victim = endOf(targetRef);
            if (!campaign || !victim) {
                count(stats.unmapped, type);
                continue;
            }
            const actors = campaignActors.get(sourceRef) ?? [];
            const campaignDates = dates(campaign.first_seen, campaign.last_seen);
            if (actors.length === 0) {
                const asActor = campaignAsActor(campaign, inBundles.get(campaign.id) ?? []);
                entities.set(asActor.stixId, asActor);
                add(bundle, r, asActor, "TARGETED", victim, campaignDates);
                continue;
            }
            for (const actorId of actors) {
                const actor = entities.get(actorId) ?? known.get(actorId)!;
                stats.liftedFromCampaigns++;
                add(bundle, r, actor, "TARGETED", victim, {
                    ...campaignDates,
                    ...dates(r.start_time, r.stop_time),
                    evidence: `${evidenceOf(r, { name: campaign.name ?? sourceRef }, victim)} (campaign '${campaign.name ?? sourceRef}' is attributed to ${actor.name})`,
                });
            }
            continue;
        }
        const s = endOf(sourceRef);
        const o = endOf(targetRef);
        if (!s || !o) {
            count(stats.unmapped, type);
            continue;
        }
        const extra = CUSTOM_TYPES[type];
        if (extra) add(bundle, r, s, extra, o);
        else if (type === "targets") add(bundle, r, s, "TARGETED", o);
        else if (type === "located-at") add(bundle, r, s, "BASED_IN", o);
        else if (o.type === "Person" && (s.type === "ThreatActor" || s.type === "Organization")) add(bundle, r, o, "MEMBER_OF", s);
        else if (o.type === "State" || o.type === "Organization") add(bundle, r, s, "AFFILIATED_WITH", o);
        else count(stats.unmapped, `attributed-to ${s.type}→${o.type}`);
    }
    return { bundles, entities, facts, revoked, external, known, stats };
}

/** Whether a bundle is one of our own exports: it holds the cyberkg system identity its objects are created by. */
export function isOwnExport(bundle: StixBundle): boolean {
    return bundle.objects.some((o) => o.id === CYBERKG_IDENTITY_ID && o.identity_class === "system");
}

/** The claims a relationship of our own export carries (checked: a bad one names the file, the relationship and the field). */
function ownClaims(bundle: StixBundle, r: StixObject): { claims?: ExportedClaim[]; certainty?: Certainty } {
    if (r.created_by_ref !== CYBERKG_IDENTITY_ID) return {};
    if (r[CLAIMS_PROPERTY] === undefined) {
        // an --entities-only export: no claims, but the edge's certainty
        const certainty = r[CERTAINTY_PROPERTY];
        return (CERTAINTIES as readonly unknown[]).includes(certainty) ? { certainty: certainty as Certainty } : {};
    }
    try {
        return { claims: readExportedClaims(r[CLAIMS_PROPERTY], `relationship ${r.id}`) };
    } catch (error) {
        throw new StixError(bundle.file, (error as Error).message, { cause: error });
    }
}

function count(map: Record<string, number>, key: string): void {
    map[key] = (map[key] ?? 0) + 1;
}

function toCandidate(o: StixObject, bundles: number[], registry: Registry): EntityCandidate | undefined {
    const name = typeof o.name === "string" && o.name.trim() ? o.name.trim() : undefined;
    const base = { stixId: o.id, stixType: o.type, bundles, revoked: o.revoked === true };
    const description = typeof o.description === "string" && o.description.trim() ? o.description.trim().slice(0, 2000) : undefined;
    switch (o.type) {
        case "intrusion-set":
        case "threat-actor": {
            if (!name) return undefined;
            const attackId = attackIdOf(o);
            const aliases = otherNames(name, [...stringList(o.aliases), ...(attackId ? [attackId] : [])]);
            const roles = stringList(o.roles);
            const sponsor = o.type === "threat-actor" && roles.length > 0 && roles.every((r) => r === "sponsor" || r === "director");
            if (sponsor) return { ...base, type: "Organization", name, aliases, attributes: { kind: o.resource_level === "government" ? "government" : "other", description } };
            return { ...base, type: "ThreatActor", name, aliases, ...(attackId ? { attackId } : {}), attributes: { description } };
        }
        case "identity": {
            if (!name) return undefined;
            const cls = typeof o.identity_class === "string" ? o.identity_class : "unknown";
            const sectors = stringList(o.sectors);
            if (cls === "individual") return { ...base, type: "Person", name, aliases: [], attributes: { description } };
            if (cls === "class") {
                return { ...base, type: "Sector", name, aliases: otherNames(name, sectors.map(sectorName)), attributes: {} };
            }
            const state = single(registry.lookup(name, "State"));
            if (state) return { ...base, type: "State", name: state.name, aliases: [name], fixedId: state.id, attributes: { code: state.code } };
            const kind: OrganizationKind = sectors.some((s) => s.startsWith("government")) ? "government" : "other";
            return { ...base, type: "Organization", name, aliases: [], attributes: { kind, description } };
        }
        case "location": {
            const code = typeof o.country === "string" ? o.country.trim().toUpperCase() : undefined;
            const state = (code && /^[A-Z]{2}$/.test(code) ? registry.state(code) : undefined) ?? (name ? single(registry.lookup(name, "State")) : undefined);
            if (!state) return undefined;
            return { ...base, type: "State", name: state.name, aliases: name && name !== state.name ? [name] : [], fixedId: state.id, attributes: { code: state.code } };
        }
        default:
            return undefined;
    }
}

function campaignAsActor(c: StixObject, bundles: number[]): EntityCandidate {
    const name = typeof c.name === "string" && c.name.trim() ? c.name.trim() : c.id;
    const attackId = attackIdOf(c);
    return {
        stixId: c.id,
        stixType: "campaign",
        type: "ThreatActor",
        name,
        aliases: otherNames(name, [...stringList(c.aliases), ...(attackId ? [attackId] : [])]),
        ...(attackId ? { attackId } : {}),
        attributes: { description: `STIX campaign with no attributed group${typeof c.description === "string" && c.description ? `: ${c.description.slice(0, 1900)}` : ""}` },
        bundles,
        revoked: false,
    };
}

/** "financial-services" → "financial services"; odd strings ("sector_1-|-sector_2-|-chemical-sector") keep their last part. */
export function sectorName(label: string): string {
    const parts = label.split("-|-").map((p) => p.trim()).filter(Boolean);
    const last = parts[parts.length - 1] ?? label;
    return last.replace(/[-_]+/g, " ").replace(/\bsector\b/i, "").trim() || label;
}

function single<T>(list: T[]): T | undefined {
    return list.length === 1 ? list[0] : undefined;
}

/** Aliases without the name itself and without repeats (exact repeats only: case variants are data). */
function otherNames(name: string, names: string[]): string[] {
    const seen = new Set([name]);
    return names.filter((n) => (seen.has(n) ? false : (seen.add(n), true)));
}

function evidenceOf(r: StixObject, s: { name: string }, o: { name: string }): string {
    const description = typeof r.description === "string" ? r.description.trim() : "";
    if (description) return description.slice(0, 2000);
    return `STIX ${r.id}: ${s.name} ${String(r.relationship_type)} ${o.name}`;
}

/** STIX confidence is 0–100 (absent: not stated; we take the bundle at its word). */
function confidenceOf(r: StixObject): number {
    return typeof r.confidence === "number" && r.confidence >= 0 && r.confidence <= 100 ? r.confidence / 100 : 1;
}

function dates(from: unknown, to: unknown): { validFrom?: string; validTo?: string } {
    const day = (v: unknown) => (typeof v === "string" && PARTIAL_DATE.test(v.slice(0, 10)) ? v.slice(0, 10) : undefined);
    const validFrom = day(from);
    let validTo = day(to);
    if (validFrom && validTo && validTo < validFrom) validTo = undefined;
    return { ...(validFrom ? { validFrom } : {}), ...(validTo ? { validTo } : {}) };
}
