/**
 * `cyberkg export --format stix`: the graph (or the subgraph around named entities) as one STIX 2.1 bundle that
 * passes OASIS's validator (`stix2_validator`).
 *
 *   ThreatActor  → threat-actor (name, aliases, description)
 *   Organization → identity, identity_class "organization"      Person → identity, identity_class "individual"
 *   Sector       → identity, identity_class "class" (+ `sectors` when it is in STIX's industry-sector vocabulary)
 *   State        → location with its ISO `country` code (an identity named after it when it has no code)
 *   edges        → relationship objects: TARGETED "targets", AFFILIATED_WITH "attributed-to", BASED_IN "located-at",
 *                  MEMBER_OF "attributed-to" from the group to the person (STIX's direction), COMPROMISED "compromises",
 *                  SANCTIONED "sanctions", CHARGED "charges", FRONT_FOR "front-for", PART_OF "part-of";
 *                  POSSIBLY_SAME_AS "related-to" (with the reason)
 * Ids are UUIDv5 of our canonical ids (the same entity always gets the same STIX id; the validator notes that
 * they are not v4, which STIX recommends but does not require), every object is `created_by_ref` the cyberkg
 * identity, every entity carries its canonical id as an external reference (`source_name: "cyberkg"`), and each
 * relationship lists the sources of its live claims (articles with their URL, STIX bundles, the registry) as
 * external references. `import-stix` reads all of this back.
 */
import { createHash } from "node:crypto";
import type { Driver } from "neo4j-driver";
import type { ExportFile, ExportFormat } from "../export/formats.ts";
import { readGraph, type ReadGraphOptions } from "../export/read-graph.ts";
import { propertyValue, type ExportGraph, type ExportNode } from "../export/types.ts";
import { normalizeName } from "../model/normalize.ts";
import { PREDICATES, type Predicate } from "../model/vocabulary.ts";
import { edgeKey } from "../model/claim-rules.ts";

/** Namespace of our UUIDv5 ids (a fixed random UUID: never change it, or every exported id changes). */
const CYBERKG_NAMESPACE = "1c7a4f3e-6b7d-4f0e-9a51-2f0d6c3b8e94";
const EPOCH = "2024-01-01T00:00:00.000Z";

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
        id: stixIdFor("identity", "cyberkg"),
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

    // the sources of each edge, through its claims (present unless the export is --entities-only)
    const nodeByKey = new Map(graph.nodes.map((n) => [n.key, n]));
    const claimEnds = new Map<string, { s?: string; o?: string; sources: string[]; loadedAt?: string }>();
    for (const r of graph.relationships) {
        if (r.type !== "SUBJECT" && r.type !== "OBJECT" && r.type !== "FROM") continue;
        const c = claimEnds.get(r.start) ?? { sources: [] };
        if (r.type === "SUBJECT") c.s = r.end;
        else if (r.type === "OBJECT") c.o = r.end;
        else c.sources.push(r.end);
        claimEnds.set(r.start, c);
    }
    const sourcesOf = new Map<string, { sources: Set<string>; loadedAt: string[] }>();
    for (const [claimKey, c] of claimEnds) {
        const claim = nodeByKey.get(claimKey);
        if (!claim || !c.s || !c.o || propertyValue(claim.properties, "live") !== true) continue;
        const key = edgeKey(c.s, str(claim, "predicate") ?? "", c.o);
        const entry = sourcesOf.get(key) ?? { sources: new Set<string>(), loadedAt: [] };
        c.sources.forEach((s) => entry.sources.add(s));
        const loaded = timestamp(str(claim, "loadedAt"));
        if (loaded) entry.loadedAt.push(loaded);
        sourcesOf.set(key, entry);
    }

    for (const r of graph.relationships) {
        const s = byKey.get(r.start);
        const o = byKey.get(r.end);
        if (!s || !o) continue;
        const isPredicate = (PREDICATES as readonly string[]).includes(r.type);
        if (!isPredicate && r.type !== "POSSIBLY_SAME_AS") continue;
        const mapping = isPredicate ? RELATIONSHIP_TYPES[r.type as Predicate] : { type: "related-to" };
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
        });
    }
    const ids = objects.map((o) => o.id).sort();
    return { type: "bundle", id: `bundle--${uuidv5(`bundle|${ids.join(",")}`)}`, objects };
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
