/**
 * `cyberkg import-stix`: STIX 2.0/2.1 bundles into the graph through the one write path (LoadUnit →
 * FactLoader): one unit — one source `stix:<bundle id>` (label StixBundle) — per bundle, and the whole call in
 * ONE write transaction (entity resolution, every bundle, merges, POSSIBLY_SAME_AS): a bundle that fails while
 * being written leaves nothing of the call behind. That transaction has its own timeout (`timeoutMs`; the CLI's
 * `--timeout`, default 30m) instead of the server's 60 s; past it, or past Neo4j's transaction memory limit, the
 * call fails with a message naming the limit and how to raise it, and nothing is written.
 *
 * All the bundles of one call are read first (a bad file stops the import before anything is written) and
 * mapped together, so references between them resolve (ATT&CK's revoked-by relationships point into another
 * file). References to objects of an earlier import resolve through the STIX ids recorded on the MENTIONS
 * relationships of StixBundle sources (`m.stixIds`). Then:
 *   1. every bundle loads as a unit (idempotent: the content hash is that of the mapped bundle, so the same
 *      bundle again is "unchanged" whatever happened to the graph since);
 *   2. our own exports (created by the cyberkg identity, src/stix/ids.ts) give their claims back to their
 *      original sources (`x_cyberkg_claims`, src/stix/provenance.ts): each source the database does not hold
 *      yet becomes a unit of its own with its claims, so support counts the same sources as where the export
 *      came from; a source already held is skipped (never counted twice), and the bundle itself lends no support;
 *   3. revoked-by pairs become merges (the revoked group into its replacement), or nothing when both already
 *      are one node;
 *   4. disputed identities (one name claimed by two groups, an alias naming another entity) become
 *      POSSIBLY_SAME_AS edges with the bundle as source.
 */
import type { ManagedTransaction } from "neo4j-driver";
import type { FactLoader, UnitResult } from "../loader/FactLoader.ts";
import { dayOf, hashOf, type LoadUnit, type UnitEntity, type UnitFact } from "../loader/load-unit.ts";
import { markPossiblySame, mergeInTransaction } from "../loader/merge.ts";
import { chunks } from "../collections.ts";
import type { EntityType } from "../model/vocabulary.ts";
import type { Registry } from "../registry/Registry.ts";
import { bundleTitle, readBundle, type StixBundle } from "./bundle.ts";
import { isOwnExport, planImport, type EntityCandidate, type MapStats, type PlannedFact, type StixPlan } from "./map.ts";
import { resolveCandidates, type Resolution } from "./resolve.ts";
import { SOURCE_FIELDS, type ExportedClaim } from "./provenance.ts";

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
    /** Our own exports: original sources restored with their claims, and those already in the database (not counted again). */
    sourcesRestored: number;
    sourcesAlreadyLoaded: number;
    stats: MapStats;
    results: UnitResult[];
    /** Milliseconds. */
    elapsed: number;
}

export interface StixImportOptions {
    onBundle?: (file: string, result: UnitResult) => void;
    /**
     * Timeout of the call's one transaction (the CLI: `--timeout`, STIX_IMPORT_TIMEOUT, default 30m); unset, the
     * server's db.transaction.timeout (60 s in the local runtime). Past it nothing of the call is written.
     */
    timeoutMs?: number;
}

/** What to do when the one transaction hits a limit (the CLI's flags; named in the error). */
const LIMIT_HINT = {
    timeout: "raise it with --timeout (or STIX_IMPORT_TIMEOUT), e.g. --timeout 2h",
    memory: "give Neo4j a larger heap (NEO4J_HEAP, or the server's dbms.memory.transaction.total.max), or import the bundle in several calls (references to objects of an earlier call resolve)",
};

export function stixSourceId(bundle: StixBundle): string {
    return `stix:${bundle.id}`;
}

export async function importStix(
    loader: FactLoader,
    registry: Registry,
    files: string[],
    options: StixImportOptions = {},
): Promise<StixImportSummary> {
    const started = Date.now();
    return importBundles(loader, registry, files.map(readBundle), options, started);
}

/** importStix for bundles already read (`readBundle`), e.g. checked before connecting to Neo4j. */
export async function importBundles(
    loader: FactLoader,
    registry: Registry,
    bundles: StixBundle[],
    options: StixImportOptions = {},
    started = Date.now(),
): Promise<StixImportSummary> {
    const files = bundles.map((b) => b.file);
    let plan = planImport(bundles, registry); // a bad bundle fails here, before anything is written
    // One write transaction for the whole call: resolution, every bundle, merges, POSSIBLY_SAME_AS — all or nothing.
    const summary = await loader.transaction(files.join(", "), async (tx, write) => {
        if (plan.external.size > 0) {
            const known = await knownFromGraph(tx, [...plan.external]);
            if (known.size > 0) plan = planImport(bundles, registry, known);
        }
        const resolution = await resolveCandidates(tx, [...plan.entities.values()], plan.revoked, registry);
        const summary: StixImportSummary = {
            files: files.length, loaded: 0, replaced: 0, unchanged: 0, entitiesNew: 0, entitiesMatched: 0, newEntityIds: [],
            facts: 0, claims: 0, merges: 0, alreadyOne: 0, possiblySame: 0, sourcesRestored: 0, sourcesAlreadyLoaded: 0,
            stats: plan.stats, results: [], elapsed: 0,
        };
        const count = (result: UnitResult) => {
            if (result.status === "unchanged") return;
            summary.entitiesNew += result.entitiesNew.length;
            summary.newEntityIds.push(...result.entitiesNew);
            summary.entitiesMatched += result.entitiesMatched;
            summary.facts += result.facts;
            summary.claims += result.claims;
        };
        for (let i = 0; i < bundles.length; i++) {
            const { unit, stixIds } = unitFor(plan, i, resolution, registry);
            // The STIX ids ride on the source's MENTIONS, written in the same transaction as the rest of the bundle.
            for (const entity of unit.entities) entity.stixIds = stixIds.get(entity.localId)?.sort();
            const result = await write(unit);
            summary.results.push(result);
            summary[result.status === "unchanged" ? "unchanged" : result.status]++;
            count(result);
            // Our own export: the original sources of its claims, those this database does not hold yet.
            const restored = restoredUnits(plan, i, resolution);
            const held = await heldSources(tx, restored.map((u) => u.source.id));
            summary.sourcesAlreadyLoaded += held.size;
            for (const unit of restored) {
                if (held.has(unit.source.id)) continue;
                count(await write(unit));
                summary.sourcesRestored++;
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
            const state = await nodeState(tx, merged, survivor);
            if (state === "merged-into-survivor") summary.alreadyOne++;
            else if (state === "entity" && !(registry.get(survivor) && registry.get(merged))) {
                await mergeInTransaction(tx, survivor, merged, { by: "import-stix", reason: `revoked-by in ${pair.bundle}` });
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
        for (const batch of chunks(pairs, 500)) await markPossiblySame(tx, batch);
        summary.possiblySame = pairs.length;
        return summary;
    }, { timeoutMs: options.timeoutMs, limitHint: LIMIT_HINT });
    summary.elapsed = Date.now() - started;
    return summary;
}

/** Which of these source ids the database already holds (loaded, or retracted: either way never counted again). */
async function heldSources(tx: ManagedTransaction, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { records } = await tx.run("UNWIND $ids AS id MATCH (s:Source {id: id}) RETURN collect(s.id) AS ids", { ids });
    return new Set(records[0]?.get("ids") as string[]);
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
async function knownFromGraph(tx: ManagedTransaction, refs: string[]): Promise<Map<string, EntityCandidate>> {
    const { records } = await tx.run(
        `UNWIND $refs AS ref
         MATCH (:StixBundle)-[m:MENTIONS]->(e) WHERE ref IN m.stixIds
         OPTIONAL MATCH (e)-[:MERGED_INTO*1..5]->(s:Entity)
         WITH ref, coalesce(s, e) AS t WHERE t:Entity
         WITH ref, collect(DISTINCT t)[0] AS t
         RETURN ref, t.id AS id, t.type AS type, t.name AS name`,
        { refs },
    );
    const known = new Map<string, EntityCandidate>();
    for (const r of records) {
        const ref = r.get("ref") as string;
        known.set(ref, { stixId: ref, stixType: ref.slice(0, ref.indexOf("--")), type: r.get("type") as EntityType, name: r.get("name") as string, aliases: [], attributes: {}, fixedId: r.get("id") as string, bundles: [], revoked: false });
    }
    return known;
}

async function nodeState(tx: ManagedTransaction, id: string, survivor: string): Promise<"entity" | "merged-into-survivor" | "other-type" | "missing"> {
    const { records } = await tx.run(
        `OPTIONAL MATCH (b {id: $id}) WHERE b:Entity OR b:Merged
         OPTIONAL MATCH (a:Entity {id: $survivor})
         OPTIONAL MATCH p = (b)-[:MERGED_INTO*1..5]->(a)
         RETURN b IS NOT NULL AS exists, b:Entity AS entity, p IS NOT NULL AS mergedIn, b.type = a.type AS sameType`,
        { id, survivor },
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
        if (f.claims) continue; // our own export's claims go back to their original sources (restoredUnits)
        const subject = resolution.ids.get(f.subject) ?? plan.known.get(f.subject)?.fixedId;
        const object = resolution.ids.get(f.object) ?? plan.known.get(f.object)?.fixedId;
        if (!subject || !object || !rows.has(subject) || !rows.has(object)) continue;
        unitFacts.push({
            subject,
            predicate: f.predicate,
            object,
            certainty: f.certainty ?? "asserted",
            ...(f.validFrom ? { validFrom: f.validFrom } : {}),
            ...(f.validTo ? { validTo: f.validTo } : {}),
            evidence: { text: f.evidence },
            extractor: { name: "stix-import", version: STIX_MAPPING_VERSION },
            confidence: f.confidence,
            reviewStatus: "unreviewed",
        });
    }
    const own = isOwnExport(bundle);
    const source = { ...sourceOf(bundle), ...(own ? { cyberkgExport: true } : {}) };
    const contentHash = hashOf({ v: STIX_MAPPING_VERSION, source, entities: planned, facts });
    // Our own export is no source of its own: what it states without claims lends no support.
    const unit: LoadUnit = { origin: bundle.file, source, entities: [...rows.values()], facts: unitFacts, contentHash, ...(own ? { lendsSupport: false } : {}) };
    return { unit, stixIds };
}

/**
 * The original sources of the claims our own export carries (bundle `index`), one load unit each: the source as
 * it was (id, kind, title, url, dates) and its claims with their certainty, claimant, evidence and dates, on the
 * entities this import resolved. The caller writes only those the database does not hold yet.
 */
function restoredUnits(plan: StixPlan, index: number, resolution: Resolution): LoadUnit[] {
    const bundle = plan.bundles[index]!;
    const bySource = new Map<string, { source: ExportedClaim["source"]; entities: Map<string, UnitEntity>; facts: UnitFact[] }>();
    const entityRow = (stixId: string): UnitEntity | undefined => {
        const c = plan.entities.get(stixId) ?? plan.known.get(stixId);
        const id = resolution.ids.get(stixId) ?? c?.fixedId;
        return c && id ? { localId: id, canonical: true, type: c.type, name: c.name, aliases: [], attributes: {} } : undefined;
    };
    for (const f of plan.facts) {
        if (f.bundle !== index || !f.claims) continue;
        const subject = entityRow(f.subject);
        const object = entityRow(f.object);
        if (!subject || !object) continue;
        for (const claim of f.claims) {
            const group = bySource.get(claim.source.id) ?? { source: claim.source, entities: new Map<string, UnitEntity>(), facts: [] };
            bySource.set(claim.source.id, group);
            const claimant = claim.claimant_ref ? entityRow(claim.claimant_ref) : undefined;
            for (const e of [subject, object, claimant]) if (e) group.entities.set(e.localId, e);
            group.facts.push(factOf(f, subject.localId, object.localId, claim, claimant?.localId));
        }
    }
    return [...bySource.values()].map(({ source, entities, facts }) => {
        const unitSource = sourceFromExport(source);
        const rows = [...entities.values()];
        return {
            origin: `${bundle.file} (source ${source.id})`,
            source: unitSource,
            entities: rows,
            facts,
            ...(source.recorded_at ? { recordedAt: source.recorded_at } : {}),
            contentHash: hashOf({ v: STIX_MAPPING_VERSION, source: unitSource, entities: rows, facts }),
        };
    });
}

function factOf(f: PlannedFact, subject: string, object: string, claim: ExportedClaim, claimedBy: string | undefined): UnitFact {
    return {
        subject,
        predicate: f.predicate,
        object,
        certainty: claim.certainty,
        ...(claimedBy ? { claimedBy } : {}),
        ...(claim.valid_from ? { validFrom: claim.valid_from } : {}),
        ...(claim.valid_to ? { validTo: claim.valid_to } : {}),
        ...(claim.evidence ? { evidence: { text: claim.evidence, start: claim.evidence_start, end: claim.evidence_end } } : {}),
        extractor: { name: claim.extractor, ...(claim.extractor_version ? { version: claim.extractor_version } : {}) },
        confidence: claim.confidence,
        reviewStatus: claim.review_status ?? "unreviewed",
        ...(claim.recorded_at ? { recordedAt: claim.recorded_at } : {}),
    };
}

function sourceFromExport(source: ExportedClaim["source"]): LoadUnit["source"] {
    const out: Record<string, unknown> = { id: source.id, label: source.kind };
    for (const [ours, theirs] of Object.entries(SOURCE_FIELDS)) {
        const value = source[theirs];
        if (value !== undefined) out[ours] = value;
    }
    return out as unknown as LoadUnit["source"];
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
