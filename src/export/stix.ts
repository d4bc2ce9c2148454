/**
 * `cyberkg export --format stix`: the graph (or the subgraph around named entities) as one STIX 2.1 bundle that
 * passes OASIS's validator (`stix2_validator`).
 *
 *   ThreatActor  → threat-actor (name, aliases, description)
 *   Organization → identity, identity_class "organization"      Person → identity, identity_class "individual"
 *   Sector       → identity, identity_class "class" (+ `sectors` when it is in STIX's industry-sector vocabulary)
 *   State        → location with its ISO `country` code (an identity named after it when it has no code)
 *   edges        → relationship objects: TARGETED "targets", AFFILIATED_WITH "attributed-to" (to a person or a group
 *                  our own "affiliated-with": src/stix/ids.ts), BASED_IN "located-at",
 *                  MEMBER_OF "attributed-to" from the group to the person (STIX's direction), COMPROMISED "compromises",
 *                  SANCTIONED "sanctions", CHARGED "charges", FRONT_FOR "front-for", PART_OF "part-of";
 *                  POSSIBLY_SAME_AS "related-to" (with the reason)
 * Ids are UUIDv5 of our canonical ids (the same entity always gets the same STIX id; the validator notes that
 * they are not v4, which STIX recommends but does not require), every object is `created_by_ref` the cyberkg
 * identity, every entity carries its canonical id as an external reference (`source_name: "cyberkg"`), and each
 * relationship lists the sources of its live claims (articles with their URL, STIX bundles, the registry) as
 * external references, and carries its provenance as custom properties (src/stix/provenance.ts):
 * `x_cyberkg_support`, `x_cyberkg_certainty` and `x_cyberkg_claims` (each live claim with its original source,
 * certainty, claimant, evidence sentence and offsets, dates). `import-stix` reads all of this back.
 */
import type { Driver } from "neo4j-driver";
import type { ExportFile, ExportFormat } from "./formats.ts";
import { readGraph, type ReadGraphOptions } from "./read-graph.ts";
import { propertyValue, type ExportGraph, type ExportNode } from "./types.ts";
import { CYBERKG_IDENTITY_ID, relationshipTypeOf, stixIdFor, uuidv5 } from "../stix/ids.ts";
import { CERTAINTY_PROPERTY, CLAIMS_PROPERTY, SOURCE_FIELDS, SUPPORT_PROPERTY, type ExportedClaim } from "../stix/provenance.ts";
import { SOURCE_LABELS } from "../loader/load-unit.ts";
import { normalizeName } from "../model/normalize.ts";
import { PREDICATES, type Predicate } from "../model/vocabulary.ts";
import { edgeKey } from "../model/claim-rules.ts";

const EPOCH = "2024-01-01T00:00:00.000Z";

/** STIX 2.1 industry-sector-ov, by the normalised names our sectors use. */
const INDUSTRY_SECTORS: Record<string, string> = {
    agriculture: "agriculture", aerospace: "aerospace", automotive: "automotive", chemical: "chemical", commercial: "commercial",
    communications: "communications", construction: "construction", defence: "defense", defense: "defense", education: "education",
    energy: "energy", entertainment: "entertainment", financialservices: "financial-services", finance: "financial-services",
    financial: "financial-services", government: "government", healthcare: "healthcare", health: "healthcare",
    hospitalityleisure: "hospitality-leisure", infrastructure: "infrastructure", criticalinfrastructure: "infrastructure",
    insurance: "insurance", manufacturing: "manufacturing", mining: "mining", nonprofit: "non-profit", pharmaceuticals: "pharmaceuticals",
    retail: "retail", technology: "technology", informationtechnology: "technology", telecommunications: "telecommunications",
    transportation: "transportation", utilities: "utilities", water: "water", nuclear: "nuclear", dams: "dams",
};

type StixOut = Record<string, unknown> & { type: string; id: string };

/** STIX timestamps: RFC 3339 UTC with milliseconds. Neo4j datetimes may carry nanoseconds or a zone. */
function timestamp(value: unknown): string | undefined {
    if (typeof value !== "string" || !value) return undefined;
    const ms = Date.parse(value.replace(/(\.\d{3})\d+/, "$1").replace(/\[.*\]$/, ""));
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function str(node: ExportNode, name: string): string | undefined {
    const v = propertyValue(node.properties, name);
    return typeof v === "string" && v.trim() ? v : undefined;
}

function strings(node: ExportNode, name: string): string[] {
    const v = propertyValue(node.properties, name);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.trim().length > 0) : [];
}

const ENTITY_LABELS = ["ThreatActor", "Organization", "Person", "Sector", "State"] as const;

export function renderStixBundle(graph: ExportGraph): { type: "bundle"; id: string; objects: StixOut[] } {
    const creator: StixOut = {
        type: "identity",
        spec_version: "2.1",
        id: CYBERKG_IDENTITY_ID,
        created: EPOCH,
        modified: EPOCH,
        name: "cyberkg",
        description: "Knowledge graph of state cyber operations and sanctions: facts from news with provenance",
        identity_class: "system",
    };
    const objects: StixOut[] = [creator];
    const byKey = new Map<string, { node: ExportNode; stixId: string; created: string }>();
    for (const node of graph.nodes) {
        if (!node.labels.includes("Entity")) continue;
        const label = ENTITY_LABELS.find((l) => node.labels.includes(l));
        const id = str(node, "id");
        const name = str(node, "name");
        if (!label || !id || !name) continue;
        const created = timestamp(str(node, "createdAt")) ?? EPOCH;
        const common = { spec_version: "2.1", created, modified: created, created_by_ref: creator.id, name, external_references: [{ source_name: "cyberkg", external_id: id }] };
        const description = str(node, "description");
        let object: StixOut;
        if (label === "ThreatActor") {
            const aliases = strings(node, "aliases").filter((a) => a !== name);
            object = { type: "threat-actor", id: stixIdFor("threat-actor", id), ...common, ...(description ? { description } : {}), ...(aliases.length ? { aliases } : {}) };
        } else if (label === "State" && /^[A-Z]{2}$/.test(str(node, "code") ?? "")) {
            object = { type: "location", id: stixIdFor("location", id), ...common, country: str(node, "code") };
        } else {
            const identityClass = label === "Person" ? "individual" : label === "Sector" ? "class" : "organization";
            const sector = label === "Sector" ? INDUSTRY_SECTORS[normalizeName(name)] : undefined;
            object = {
                type: "identity",
                id: stixIdFor("identity", id),
                ...common,
                ...(description ? { description } : {}),
                identity_class: identityClass,
                ...(sector ? { sectors: [sector] } : {}),
                ...(label === "Person" && str(node, "role") ? { roles: [str(node, "role")] } : {}),
            };
        }
        objects.push(object);
        byKey.set(node.key, { node, stixId: object.id, created });
    }

    // the live claims of each edge, with their sources and claimants (present unless the export is --entities-only)
    const nodeByKey = new Map(graph.nodes.map((n) => [n.key, n]));
    const claimEnds = new Map<string, { s?: string; o?: string; sources: string[]; claimant?: string }>();
    for (const r of graph.relationships) {
        if (r.type !== "SUBJECT" && r.type !== "OBJECT" && r.type !== "FROM" && r.type !== "CLAIMED_BY") continue;
        const c = claimEnds.get(r.start) ?? { sources: [] };
        if (r.type === "SUBJECT") c.s = r.end;
        else if (r.type === "OBJECT") c.o = r.end;
        else if (r.type === "CLAIMED_BY") c.claimant = r.end;
        else c.sources.push(r.end);
        claimEnds.set(r.start, c);
    }
    const sourcesOf = new Map<string, { sources: Set<string>; loadedAt: string[]; claims: ExportedClaim[] }>();
    for (const [claimKey, c] of [...claimEnds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const claim = nodeByKey.get(claimKey);
        if (!claim || !c.s || !c.o || propertyValue(claim.properties, "live") !== true) continue;
        const key = edgeKey(c.s, str(claim, "predicate") ?? "", c.o);
        const entry = sourcesOf.get(key) ?? { sources: new Set<string>(), loadedAt: [], claims: [] };
        c.sources.forEach((s) => entry.sources.add(s));
        const loaded = timestamp(str(claim, "loadedAt"));
        if (loaded) entry.loadedAt.push(loaded);
        const exported = exportedClaimOf(claim, nodeByKey.get(c.sources[0] ?? ""), c.claimant ? byKey.get(c.claimant)?.stixId : undefined);
        if (exported) entry.claims.push(exported);
        sourcesOf.set(key, entry);
    }

    for (const r of graph.relationships) {
        const s = byKey.get(r.start);
        const o = byKey.get(r.end);
        if (!s || !o) continue;
        const isPredicate = (PREDICATES as readonly string[]).includes(r.type);
        if (!isPredicate && r.type !== "POSSIBLY_SAME_AS") continue;
        const mapping = isPredicate ? relationshipTypeOf(r.type as Predicate, ENTITY_LABELS.find((l) => o.node.labels.includes(l))) : { type: "related-to" };
        const [from, to] = mapping.reverse ? [o, s] : [s, o];
        const evidence = sourcesOf.get(edgeKey(r.start, r.type, r.end));
        const baseline = [s.created, o.created].sort().pop()!;
        const created = evidence?.loadedAt.length ? [...evidence.loadedAt].sort()[0]! : baseline;
        const modified = [created, ...(evidence?.loadedAt ?? [])].sort().pop()!;
        const confidence = propertyValue(r.properties, "confidence");
        const refs = [...(evidence?.sources ?? [])].sort().flatMap((k) => externalReference(nodeByKey.get(k)));
        const support = propertyValue(r.properties, "support");
        const certainty = propertyValue(r.properties, "certainty");
        const reason = propertyValue(r.properties, "reason");
        const source = propertyValue(r.properties, "source");
        const description = isPredicate
            ? `${str(s.node, "name")} ${r.type} ${str(o.node, "name")}${typeof support === "number" ? ` (support ${support}${typeof certainty === "string" ? `, ${certainty}` : ""})` : ""}`
            : `possibly the same entity${typeof reason === "string" ? `: ${reason}` : ""}${typeof source === "string" ? ` (source ${source})` : ""}`;
        objects.push({
            type: "relationship",
            spec_version: "2.1",
            id: stixIdFor("relationship", edgeKey(str(s.node, "id") ?? "", r.type, str(o.node, "id") ?? "")),
            created,
            modified: modified < created ? created : modified,
            created_by_ref: creator.id,
            relationship_type: mapping.type,
            description,
            source_ref: from.stixId,
            target_ref: to.stixId,
            ...(typeof confidence === "number" && confidence >= 0 && confidence <= 1 ? { confidence: Math.round(confidence * 100) } : {}),
            ...(refs.length ? { external_references: refs } : {}),
            ...(isPredicate && typeof support === "number" ? { [SUPPORT_PROPERTY]: support } : {}),
            ...(isPredicate && typeof certainty === "string" ? { [CERTAINTY_PROPERTY]: certainty } : {}),
            ...(evidence?.claims.length ? { [CLAIMS_PROPERTY]: evidence.claims } : {}),
        });
    }
    const ids = objects.map((o) => o.id).sort();
    return { type: "bundle", id: `bundle--${uuidv5(`bundle|${ids.join(",")}`)}`, objects };
}

/** A live claim as the export carries it (src/stix/provenance.ts); undefined when its source is not in the export. */
function exportedClaimOf(claim: ExportNode, source: ExportNode | undefined, claimantRef: string | undefined): ExportedClaim | undefined {
    const id = source && str(source, "id");
    const kind = source && SOURCE_LABELS.find((l) => source.labels.includes(l));
    if (!source || !id || !kind) return undefined;
    const exportedSource: Record<string, unknown> = { id, kind, title: str(source, "title") ?? id };
    for (const [ours, theirs] of Object.entries(SOURCE_FIELDS)) {
        if (ours === "title") continue;
        const value = propertyValue(source.properties, ours);
        if (typeof value === "string" && value.trim()) exportedSource[theirs] = value;
        else if (Array.isArray(value) && value.length > 0) exportedSource[theirs] = value.filter((v) => typeof v === "string" && v.trim());
    }
    const sourceRecorded = timestamp(str(source, "loadedAt"));
    if (sourceRecorded) exportedSource.recorded_at = sourceRecorded;
    const number = (name: string) => {
        const v = propertyValue(claim.properties, name);
        return typeof v === "number" ? v : undefined;
    };
    const out: Record<string, unknown> = {
        source: exportedSource,
        certainty: str(claim, "certainty"),
        claimant_ref: claimantRef,
        evidence: str(claim, "evidence"),
        evidence_start: number("evidenceStart"),
        evidence_end: number("evidenceEnd"),
        valid_from: str(claim, "validFrom"),
        valid_to: str(claim, "validTo"),
        confidence: number("confidence") ?? 1,
        review_status: str(claim, "reviewStatus"),
        extractor: str(claim, "extractor") ?? "unknown",
        extractor_version: str(claim, "extractorVersion"),
        // recorded time travels too: the import gives the claim this load time back (README "Provenance round-trips")
        recorded_at: timestamp(str(claim, "loadedAt")),
    };
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as ExportedClaim;
}

function externalReference(source: ExportNode | undefined): Record<string, string>[] {
    if (!source) return [];
    const id = str(source, "id");
    const title = str(source, "title");
    const url = str(source, "url");
    const name = source.labels.includes("Article") ? (str(source, "publisher") ?? title ?? "article") : source.labels.includes("StixBundle") ? "stix-bundle" : source.labels.includes("Registry") ? "cyberkg-registry" : "source";
    const ref: Record<string, string> = { source_name: name };
    if (title || str(source, "version")) ref.description = [title, str(source, "publishedAt"), str(source, "version")].filter(Boolean).join(", ");
    if (url) ref.url = url;
    if (id) ref.external_id = id;
    return [ref];
}

export const stixFormat: ExportFormat = {
    name: "stix",
    description: "STIX 2.1 bundle (threat-actor, identity, location, relationship), valid for OASIS stix2-validator",
    layout: "file",
    defaultOut: "cyberkg-stix.json",
    render(graph: ExportGraph): ExportFile[] {
        return [{ name: "cyberkg-stix.json", content: JSON.stringify(renderStixBundle(graph), null, 2) + "\n" }];
    },
};

/** The graph (or the subgraph around `around` to `depth`) as a STIX 2.1 bundle object. */
export async function exportStix(driver: Driver, database: string, options: ReadGraphOptions = {}): Promise<ReturnType<typeof renderStixBundle>> {
    return renderStixBundle(await readGraph(driver, database, { ...options, entitiesOnly: false }));
}
