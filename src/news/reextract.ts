/**
 * `cyberkg reextract`: the current extractor over the article store (the text kept on each :Article), replacing
 * the claims older extractor versions wrote. What a person decided stays: a current claim whose extractor is
 * `manual` or whose reviewStatus is accepted or rejected is carried into the new version unchanged, and the
 * extractor's own fact for the same subject–predicate–object is dropped in its favour (a rejected claim is not
 * brought back by the machine). The new version loads through the FactLoader like any reload (old claims are
 * superseded, kept for history). `--dry-run` computes the same differences and writes nothing.
 */
import type { Driver } from "neo4j-driver";
import { EXTRACTOR_NAME, EXTRACTOR_VERSION, extractDocument, type RegistryLike } from "../extractor/index.ts";
import { timeBoxed, type ExtractSettings } from "../cli/extract.ts";
import type { FactLoader } from "../loader/FactLoader.ts";
import { hashOf, unitFromDocument, type UnitEntity, type UnitFact } from "../loader/load-unit.ts";
import { resolveEntities, type NameLookup } from "../loader/resolve-entities.ts";
import { validateDocument } from "../loader/validate.ts";
import { edgeKey } from "../model/claim-rules.ts";
import type { Certainty, EntityType, Predicate, ReviewStatus } from "../model/vocabulary.ts";
import { EXTRACTED_BY } from "./ingest.ts";

export interface ReextractOptions {
    all?: boolean;
    /** Only articles read by an extractor version older than this one (default: older than the current one). */
    olderThan?: string;
    dryRun?: boolean;
    /** Restrict to these article ids. */
    ids?: string[];
}

export interface FactChange {
    key: string;
    certainty?: Certainty;
    from?: Certainty;
}

export interface ArticleChanges {
    id: string;
    title: string;
    readBy: string;
    added: FactChange[];
    removed: FactChange[];
    changed: FactChange[];
    kept: number;
    status?: string;
    error?: string;
}

interface StoredClaim {
    subject: { id: string; type: EntityType; name: string };
    object: { id: string; type: EntityType; name: string };
    claimedBy: { id: string; type: EntityType; name: string } | null;
    predicate: Predicate;
    certainty: Certainty;
    extractor: string;
    extractorVersion: string | null;
    reviewStatus: ReviewStatus | null;
    evidence: string | null;
    evidenceStart: number | null;
    evidenceEnd: number | null;
    validFrom: string | null;
    validTo: string | null;
    confidence: number | null;
}

/** "0.10.1" > "0.9.3": numeric, part by part. */
export function compareVersions(a: string, b: string): number {
    const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
    const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}

const CANDIDATES = `
MATCH (a:Article)
WHERE a.text IS NOT NULL AND a.retractedAt IS NULL AND ($ids IS NULL OR a.id IN $ids)
WITH a, CASE WHEN a.extractedBy IS NOT NULL THEN split(a.extractedBy, '@')[1] END AS byVersion
CALL (a) {
  OPTIONAL MATCH (a)<-[:FROM]-(c:Claim)
  WHERE c.supersededAt IS NULL AND c.extractor = $extractor AND c.extractorVersion IS NOT NULL
  RETURN collect(DISTINCT c.extractorVersion) AS claimVersions
}
RETURN a.id AS id, a.title AS title, byVersion, claimVersions ORDER BY a.id`;

const SOURCE = `
MATCH (a:Article {id: $id})
RETURN a {.id, .title, .url, .canonicalUrl, .publisher, .author, .publishedAt, .fetchedAt, .text, .language} AS article,
       COLLECT {
         MATCH (a)<-[:FROM]-(c:Claim)-[:SUBJECT]->(s:Entity) WHERE c.supersededAt IS NULL AND c.retractedAt IS NULL
         MATCH (c)-[:OBJECT]->(o:Entity)
         OPTIONAL MATCH (c)-[:CLAIMED_BY]->(cb:Entity)
         RETURN {subject: s {.id, .type, .name}, object: o {.id, .type, .name}, claimedBy: CASE WHEN cb IS NULL THEN null ELSE cb {.id, .type, .name} END,
                 predicate: c.predicate, certainty: c.certainty, extractor: c.extractor, extractorVersion: c.extractorVersion,
                 reviewStatus: c.reviewStatus, evidence: c.evidence, evidenceStart: c.evidenceStart, evidenceEnd: c.evidenceEnd,
                 validFrom: c.validFrom, validTo: c.validTo, confidence: c.confidence}
       } AS claims`;

/** Whether a person decided this claim (it survives re-extraction). */
export function isKept(c: { extractor: string; reviewStatus: ReviewStatus | null }): boolean {
    return c.extractor === "manual" || c.reviewStatus === "accepted" || c.reviewStatus === "rejected";
}

export interface ReextractDeps {
    driver: Driver;
    database: string;
    loader: FactLoader;
    registry: RegistryLike & NameLookup;
    extract: ExtractSettings;
}

/** The articles to re-read, with the version that read them ("?" when unknown). */
export async function selectArticles(driver: Driver, database: string, options: ReextractOptions): Promise<{ id: string; title: string; readBy: string }[]> {
    const { records } = await driver.executeQuery(CANDIDATES, { ids: options.ids ?? null, extractor: EXTRACTOR_NAME }, { database, routing: "READ" });
    const limit = options.olderThan ?? EXTRACTOR_VERSION;
    const out: { id: string; title: string; readBy: string }[] = [];
    for (const r of records) {
        const versions = [r.get("byVersion") as string | null, ...(r.get("claimVersions") as string[])].filter((v): v is string => Boolean(v));
        const newest = versions.sort(compareVersions).at(-1);
        if (options.all || (newest !== undefined && compareVersions(newest, limit) < 0)) out.push({ id: r.get("id"), title: r.get("title"), readBy: newest ? `${EXTRACTOR_NAME}@${newest}` : "(no extractor)" });
    }
    return out;
}

export async function reextract(deps: ReextractDeps, options: ReextractOptions, onArticle: (c: ArticleChanges) => void = () => {}): Promise<ArticleChanges[]> {
    const selected = await selectArticles(deps.driver, deps.database, options);
    const results: ArticleChanges[] = [];
    for (const sel of selected) {
        let changes: ArticleChanges;
        try {
            changes = await reextractOne(deps, sel, options.dryRun ?? false);
        } catch (error) {
            if (!(error instanceof Error) || (error as { code?: string }).code === "NEO4J_UNAVAILABLE" || error.name === "NlpUnavailableError") throw error;
            changes = { ...sel, added: [], removed: [], changed: [], kept: 0, error: error.message };
        }
        results.push(changes);
        onArticle(changes);
    }
    return results;
}

async function reextractOne(deps: ReextractDeps, sel: { id: string; title: string; readBy: string }, dryRun: boolean): Promise<ArticleChanges> {
    const { records } = await deps.driver.executeQuery(SOURCE, { id: sel.id }, { database: deps.database, routing: "READ" });
    const a = records[0]!.get("article") as Record<string, string | null> & { text: string; title: string };
    const claims = records[0]!.get("claims") as StoredClaim[];
    const kept = claims.filter((c) => isKept(c));
    const old = claims.filter((c) => !isKept(c));

    const input = { text: a.text, title: a.title, ...(a.url ? { url: a.url } : {}), ...(a.publishedAt ? { publishedAt: a.publishedAt } : {}), ...(a.publisher ? { sourceName: a.publisher } : {}) };
    const raw = await timeBoxed(sel.id, deps.extract.timeoutMs, (signal) => extractDocument(input, deps.registry, deps.extract.nlp, { signal }));
    const doc = validateDocument(
        {
            ...raw,
            article: {
                ...raw.article,
                id: sel.id,
                ...(a.publishedAt ? { publishedAt: a.publishedAt } : {}),
                ...(a.canonicalUrl ? { canonicalUrl: a.canonicalUrl } : {}),
                ...(a.author ? { author: a.author } : {}),
                ...(a.fetchedAt ? { fetchedAt: a.fetchedAt } : {}),
                ...(a.language ? { language: a.language } : {}),
            },
        },
        sel.id,
    );
    const unit = unitFromDocument(doc, sel.id);
    unit.source.extractedBy = EXTRACTED_BY;
    // The document's local ids get a prefix, so that they never meet the canonical ids of the kept claims below.
    const local = (id: string) => `new:${id}`;
    unit.entities = unit.entities.map((e) => ({ ...e, localId: local(e.localId) }));
    unit.facts = unit.facts.map((f) => ({ ...f, subject: local(f.subject), object: local(f.object), ...(f.claimedBy ? { claimedBy: local(f.claimedBy) } : {}) }));

    // The new facts in canonical ids (resolved as the load would, read-only), to compare and to yield to kept claims.
    const session = deps.driver.session({ database: deps.database, defaultAccessMode: "READ" });
    let resolved: Map<string, { id: string }>;
    try {
        resolved = await session.executeRead((tx) => resolveEntities(tx, unit.entities, deps.registry));
    } finally {
        await session.close();
    }
    const keyOf = (f: UnitFact) => edgeKey(resolved.get(f.subject)!.id, f.predicate, resolved.get(f.object)!.id);
    const keptKeys = new Set(kept.map((c) => edgeKey(c.subject.id, c.predicate, c.object.id)));
    unit.facts = unit.facts.filter((f) => !keptKeys.has(keyOf(f)) && resolved.get(f.subject)!.id !== resolved.get(f.object)!.id);

    const before = new Map(old.map((c) => [edgeKey(c.subject.id, c.predicate, c.object.id), c.certainty]));
    const after = new Map<string, Certainty>();
    for (const f of unit.facts) after.set(keyOf(f), f.certainty);
    const added = [...after].filter(([k]) => !before.has(k)).map(([key, certainty]) => ({ key, certainty }));
    const removed = [...before].filter(([k]) => !after.has(k)).map(([key, certainty]) => ({ key, certainty }));
    const changed = [...after].filter(([k, c]) => before.has(k) && before.get(k) !== c).map(([key, certainty]) => ({ key, certainty, from: before.get(key)! }));

    // The kept claims travel with the new version as they are (canonical entities, no resolution).
    const entities = new Map<string, UnitEntity>(unit.entities.map((e) => [e.localId, e]));
    const canonical = (e: { id: string; type: EntityType; name: string }) => {
        if (!entities.has(e.id)) entities.set(e.id, { localId: e.id, type: e.type, name: e.name, aliases: [], canonical: true, attributes: {} });
        return e.id;
    };
    for (const c of kept) {
        unit.facts.push({
            subject: canonical(c.subject),
            predicate: c.predicate,
            object: canonical(c.object),
            certainty: c.certainty,
            ...(c.claimedBy ? { claimedBy: canonical(c.claimedBy) } : {}),
            ...(c.validFrom ? { validFrom: c.validFrom } : {}),
            ...(c.validTo ? { validTo: c.validTo } : {}),
            ...(c.evidence ? { evidence: { text: c.evidence, ...(c.evidenceStart !== null && c.evidenceEnd !== null ? { start: c.evidenceStart, end: c.evidenceEnd } : {}) } } : {}),
            extractor: { name: c.extractor, ...(c.extractorVersion ? { version: c.extractorVersion } : {}) },
            confidence: c.confidence ?? 1,
            reviewStatus: c.reviewStatus ?? "unreviewed",
        });
    }
    unit.entities = [...entities.values()];
    unit.contentHash = hashOf({ doc, kept: unit.facts });

    const result: ArticleChanges = { ...sel, added, removed, changed, kept: kept.length };
    if (dryRun || (added.length === 0 && removed.length === 0 && changed.length === 0 && sel.readBy === EXTRACTED_BY)) return result;
    const r = await deps.loader.load(unit);
    return { ...result, status: r.status };
}

export function formatChanges(c: ArticleChanges): string {
    if (c.error) return `${c.id} "${c.title}": failed: ${c.error}`;
    const head = `${c.id} "${c.title}" (${c.readBy} → ${EXTRACTED_BY}): ${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed certainty, ${c.kept} reviewed or manual kept`;
    const lines = [head, ...c.added.map((f) => `  + ${f.key} (${f.certainty})`), ...c.removed.map((f) => `  - ${f.key} (${f.certainty})`), ...c.changed.map((f) => `  ~ ${f.key}: ${f.from} → ${f.certainty}`)];
    return lines.join("\n");
}
