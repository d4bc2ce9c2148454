/**
 * `cyberkg import-stix`: STIX 2.0/2.1 bundles into the graph through the one write path (LoadUnit →
 * FactLoader), one unit — one source `stix:<bundle id>` (label StixBundle), one transaction — per bundle.
 *
 * All the bundles of one call are read first (a bad file stops the import before anything is written) and
 * mapped together, so references between them resolve (ATT&CK's revoked-by relationships point into another
 * file). References to objects of an earlier import resolve through the STIX ids recorded on the MENTIONS
 * relationships of StixBundle sources (`m.stixIds`). Then:
 *   1. every bundle loads as a unit (idempotent: the content hash is that of the mapped bundle, so the same
 *      bundle again is "unchanged" whatever happened to the graph since);
 *   2. revoked-by pairs become merges (`mergeEntities`: the revoked group into its replacement), or nothing when
 *      both already are one node;
 *   3. disputed identities (one name claimed by two groups, an alias naming another entity) become
 *      POSSIBLY_SAME_AS edges with the bundle as source.
 */
import type { Driver } from "neo4j-driver";
import type { FactLoader, UnitResult } from "../loader/FactLoader.ts";
import { dayOf, hashOf, type LoadUnit, type UnitEntity, type UnitFact } from "../loader/load-unit.ts";
import { markPossiblySame, mergeEntities } from "../loader/merge.ts";
import { chunks } from "../collections.ts";
import type { EntityType } from "../model/vocabulary.ts";
import type { Registry } from "../registry/Registry.ts";
import { bundleTitle, readBundle, type StixBundle } from "./bundle.ts";
import { planImport, type EntityCandidate, type MapStats, type StixPlan } from "./map.ts";
import { resolveCandidates, type Resolution } from "./resolve.ts";

/** Changes when the mapping changes, so bundles imported under an older mapping are re-imported. */
export const STIX_MAPPING_VERSION = "stix-import@1";

export interface StixImportSummary {
    files: number;
    loaded: number;
    replaced: number;
    unchanged: number;
    entitiesNew: number;
    entitiesMatched: number;
    newEntityIds: string[];
    facts: number;
    claims: number;
    merges: number;
    alreadyOne: number;
    possiblySame: number;
    stats: MapStats;
    results: UnitResult[];
    /** Milliseconds. */
    elapsed: number;
}

export interface StixImportOptions {
    onBundle?: (file: string, result: UnitResult) => void;
}

export function stixSourceId(bundle: StixBundle): string {
    return `stix:${bundle.id}`;
}

export async function importStix(
    driver: Driver,
    database: string,
    loader: FactLoader,
    registry: Registry,
    files: string[],
    options: StixImportOptions = {},
): Promise<StixImportSummary> {
    const started = Date.now();
    return importBundles(driver, database, loader, registry, files.map(readBundle), options, started);
}

/** importStix for bundles already read (`readBundle`), e.g. checked before connecting to Neo4j. */
export async function importBundles(
    driver: Driver,
    database: string,
    loader: FactLoader,
    registry: Registry,
    bundles: StixBundle[],
    options: StixImportOptions = {},
    started = Date.now(),
): Promise<StixImportSummary> {
    const files = bundles.map((b) => b.file);
    let plan = planImport(bundles, registry);
    if (plan.external.size > 0) {
        const known = await knownFromGraph(driver, database, [...plan.external]);
        if (known.size > 0) plan = planImport(bundles, registry, known);
    }
    const session = driver.session({ database, defaultAccessMode: "READ" });
    let resolution: Resolution;
    try {
        resolution = await session.executeRead((tx) => resolveCandidates(tx, [...plan.entities.values()], plan.revoked, registry));
    } finally {
        await session.close();
    }

    const summary: StixImportSummary = {
        files: files.length, loaded: 0, replaced: 0, unchanged: 0, entitiesNew: 0, entitiesMatched: 0, newEntityIds: [],
        facts: 0, claims: 0, merges: 0, alreadyOne: 0, possiblySame: 0, stats: plan.stats, results: [], elapsed: 0,
    };
    for (let i = 0; i < bundles.length; i++) {
        const { unit, stixIds } = unitFor(plan, i, resolution, registry);
        // The STIX ids ride on the source's MENTIONS, written in the same transaction as the rest of the bundle.
        for (const entity of unit.entities) entity.stixIds = stixIds.get(entity.localId)?.sort();
        const result = await loader.load(unit);
        summary.results.push(result);
        summary[result.status === "unchanged" ? "unchanged" : result.status]++;
        if (result.status !== "unchanged") {
            summary.entitiesNew += result.entitiesNew.length;
            summary.newEntityIds.push(...result.entitiesNew);
            summary.entitiesMatched += result.entitiesMatched;
            summary.facts += result.facts;
            summary.claims += result.claims;
        }
        options.onBundle?.(bundles[i]!.file, result);
    }

    // revoked-by → merges
    for (const pair of plan.revoked) {
        const survivor = resolution.ids.get(pair.by);
        const merged = resolution.ids.get(pair.revoked);
        if (!survivor || !merged) continue;
        if (survivor === merged) {
            summary.alreadyOne++;
            continue;
        }
        const state = await nodeState(driver, database, merged, survivor);
        if (state === "merged-into-survivor") summary.alreadyOne++;
        else if (state === "entity" && !(registry.get(survivor) && registry.get(merged))) {
            await mergeEntities(driver, database, survivor, merged, { by: "import-stix", reason: `revoked-by in ${pair.bundle}` });
            summary.merges++;
        } else if (state === "entity" || state === "other-type") {
            // both are in our registry as different actors (or the types differ): record, do not override
            resolution.possiblySame.push({ stixId: pair.revoked, a: survivor, b: merged, bundle: pair.bundle, confidence: 0.9, reason: "revoked-by: the source says they are the same group" });
        }
    }

    // disputed identity → POSSIBLY_SAME_AS
    const pairs = dedupePairs(
        resolution.possiblySame.map((p) => ({ a: p.a, b: p.b, source: stixSourceId(bundles[p.bundle]!), confidence: p.confidence, reason: p.reason })),
    );
    if (pairs.length > 0) {
        const write = driver.session({ database });
        try {
            await write.executeWrite(async (tx) => {
                for (const batch of chunks(pairs, 500)) await markPossiblySame(tx, batch);
            });
        } finally {
            await write.close();
        }
    }
    summary.possiblySame = pairs.length;
    summary.elapsed = Date.now() - started;
    return summary;
}

function dedupePairs<T extends { a: string; b: string; source: string; confidence: number }>(pairs: T[]): T[] {
    const seen = new Map<string, T>();
    for (const p of pairs) {
        const key = [p.a, p.b].sort().join("|") + "|" + p.source;
        const prev = seen.get(key);
        if (!prev || prev.confidence < p.confidence) seen.set(key, p);
    }
    return [...seen.values()];
}

/** Entities of earlier imports, by the STIX ids their bundles used (following merges to the survivor). */
async function knownFromGraph(driver: Driver, database: string, refs: string[]): Promise<Map<string, EntityCandidate>> {
    const { records } = await driver.executeQuery(
        `UNWIND $refs AS ref
         MATCH (:StixBundle)-[m:MENTIONS]->(e) WHERE ref IN m.stixIds
         OPTIONAL MATCH (e)-[:MERGED_INTO*1..5]->(s:Entity)
         WITH ref, coalesce(s, e) AS t WHERE t:Entity
         WITH ref, collect(DISTINCT t)[0] AS t
         RETURN ref, t.id AS id, t.type AS type, t.name AS name`,
        { refs },
        { database, routing: "READ" },
    );
    const known = new Map<string, EntityCandidate>();
    for (const r of records) {
        const ref = r.get("ref") as string;
        known.set(ref, { stixId: ref, stixType: ref.slice(0, ref.indexOf("--")), type: r.get("type") as EntityType, name: r.get("name") as string, aliases: [], attributes: {}, fixedId: r.get("id") as string, bundles: [], revoked: false });
    }
    return known;
}

async function nodeState(driver: Driver, database: string, id: string, survivor: string): Promise<"entity" | "merged-into-survivor" | "other-type" | "missing"> {
    const { records } = await driver.executeQuery(
        `OPTIONAL MATCH (b {id: $id}) WHERE b:Entity OR b:Merged
         OPTIONAL MATCH (a:Entity {id: $survivor})
         OPTIONAL MATCH p = (b)-[:MERGED_INTO*1..5]->(a)
         RETURN b IS NOT NULL AS exists, b:Entity AS entity, p IS NOT NULL AS mergedIn, b.type = a.type AS sameType`,
        { id, survivor },
        { database, routing: "READ" },
    );
    const r = records[0];
    if (!r || !r.get("exists")) return "missing";
    if (r.get("mergedIn")) return "merged-into-survivor";
    if (!r.get("entity")) return "missing";
    return r.get("sameType") ? "entity" : "other-type";
}

/** "[Axiom](https://attack.mitre.org/groups/G0001) is … (Citation: Novetta-Axiom)" → "Axiom is …". */
export function plainDescription(text: string | undefined): string | undefined {
    if (!text) return undefined;
    const plain = text
        .replace(/\(Citation:[^)]*\)/g, "")
        .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
        .replace(/[ \t]+/g, " ")
        .trim();
    return plain ? plain.slice(0, 2000) : undefined;
}

/** The load unit of bundle `index`: its own objects with all their names, and what its facts refer to by name. */
function unitFor(plan: StixPlan, index: number, resolution: Resolution, registry: Registry): { unit: LoadUnit; stixIds: Map<string, string[]> } {
    const bundle = plan.bundles[index]!;
    const facts = plan.facts.filter((f) => f.bundle === index);
    const referenced = new Set(facts.flatMap((f) => [f.subject, f.object]));
    const rows = new Map<string, UnitEntity>();
    const stixIds = new Map<string, string[]>();
    const planned: unknown[] = [];
    const candidates = [...plan.entities.values(), ...[...referenced].filter((id) => !plan.entities.has(id)).flatMap((id) => plan.known.get(id) ?? [])];
    for (const full of candidates) {
        const own = full.bundles.includes(index);
        if (!own && !referenced.has(full.stixId)) continue;
        const id = resolution.ids.get(full.stixId) ?? full.fixedId;
        if (!id) continue;
        const names = own ? [full.name, ...full.aliases] : [full.name];
        planned.push({ stixId: full.stixId, type: full.type, names, attributes: full.attributes });
        stixIds.set(id, [...(stixIds.get(id) ?? []), full.stixId]);
        const row = rows.get(id);
        if (row) {
            row.aliases = [...new Set([...row.aliases, ...names])].filter((n) => n !== row.name);
            continue;
        }
        const attributes = registry.get(id) ? {} : { ...full.attributes, description: plainDescription(full.attributes.description) };
        rows.set(id, { localId: id, canonical: true, type: full.type, name: names[0]!, aliases: names.slice(1), attributes: own ? attributes : {} });
    }
    const unitFacts: UnitFact[] = [];
    for (const f of facts) {
        const subject = resolution.ids.get(f.subject) ?? plan.known.get(f.subject)?.fixedId;
        const object = resolution.ids.get(f.object) ?? plan.known.get(f.object)?.fixedId;
        if (!subject || !object || !rows.has(subject) || !rows.has(object)) continue;
        unitFacts.push({
            subject,
            predicate: f.predicate,
            object,
            certainty: "asserted",
            ...(f.validFrom ? { validFrom: f.validFrom } : {}),
            ...(f.validTo ? { validTo: f.validTo } : {}),
            evidence: { text: f.evidence },
            extractor: { name: "stix-import", version: STIX_MAPPING_VERSION },
            confidence: f.confidence,
            reviewStatus: "unreviewed",
        });
    }
    const source = sourceOf(bundle);
    const contentHash = hashOf({ v: STIX_MAPPING_VERSION, source, entities: planned, facts });
    return { unit: { origin: bundle.file, source, entities: [...rows.values()], facts: unitFacts, contentHash }, stixIds };
}

function sourceOf(bundle: StixBundle): LoadUnit["source"] {
    const objects = bundle.objects;
    const latest = objects.map((o) => o.modified ?? o.created ?? "").filter(Boolean).sort().pop();
    const collection = objects.find((o) => o.type === "x-mitre-collection");
    const creators = new Map<string, number>();
    for (const o of objects) if (typeof o.created_by_ref === "string") creators.set(o.created_by_ref, (creators.get(o.created_by_ref) ?? 0) + 1);
    const creatorRef = [...creators].sort((a, b) => b[1] - a[1])[0]?.[0];
    const creator = objects.find((o) => o.id === creatorRef && typeof o.name === "string")?.name;
    const specs = [...new Set(objects.filter((o) => o.type !== "marking-definition").map((o) => o.spec_version))].sort();
    const version = typeof collection?.x_mitre_version === "string" ? `${collection.name ?? "collection"} ${collection.x_mitre_version}` : `STIX ${specs.join("+") || "2.1"}`;
    return {
        id: stixSourceId(bundle),
        label: "StixBundle",
        title: bundleTitle(bundle.file),
        ...(creator ? { publisher: creator } : {}),
        ...(latest ? { publishedAt: dayOf(latest) } : {}),
        version,
    };
}
