/**
 * Writes load units into Neo4j: one transaction per unit (all of it or none of it), parameterised and
 * batched `UNWIND … MERGE`, idempotent (a unit whose content hash is already loaded is "unchanged").
 * Also retracts sources. The typed edges and aliases are derived state (see rebuild.ts).
 */
import { createHash } from "node:crypto";
import type { Driver, ManagedTransaction } from "neo4j-driver";
import { CyberkgError, LoadError, NotFoundError } from "../errors.ts";
import { isTransientNeo4jError } from "../neo4j/driver-settings.ts";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.ts";
import { CERTAINTY_RANK } from "../model/vocabulary.ts";
import { END_LIFE, countsWhenLoaded, edgeKey } from "../model/claim-rules.ts";
import { normalizeName } from "../model/normalize.ts";
import { chunks } from "../collections.ts";
import { addAliases, rebuildEdges, refreshEntities, type Triple } from "./rebuild.ts";
import { resolveEntities, type NameLookup, type ResolvedEntity } from "./resolve-entities.ts";
import { SOURCE_LABELS, hashOf, type LoadUnit } from "./load-unit.ts";
import type { ReviewStatus } from "../model/vocabulary.ts";

export interface UnitResult {
    origin: string;
    sourceId: string;
    status: "loaded" | "replaced" | "unchanged";
    entitiesNew: string[];
    entitiesMatched: number;
    facts: number;
    claims: number;
}

// Two independent collections (no claims × mentions cross product for large sources). `triples` are those of the
// source's current version (claims not superseded), the ones a new version may supersede.
const PREVIOUS = `
MATCH (src:Source {id: $sourceId})
RETURN src.contentHash AS hash, src.retractedAt IS NOT NULL AS retracted, coalesce(src.revision, 1) AS revision,
       COLLECT { MATCH (s:Entity)<-[:SUBJECT]-(c:Claim)-[:FROM]->(src) WHERE c.supersededAt IS NULL MATCH (c)-[:OBJECT]->(o:Entity)
                 RETURN DISTINCT {s: s.id, p: c.predicate, o: o.id} } AS triples,
       COLLECT { MATCH (src)-[:MENTIONS]->(m) RETURN DISTINCT m.id } AS mentioned`;

/** The claims of the source's current version that still count: a new version keeps those it states unchanged. */
const CURRENT_CLAIMS = `
MATCH (src:Source {id: $sourceId})<-[:FROM]-(c:Claim)
WHERE c.supersededAt IS NULL AND c.retractedAt IS NULL
RETURN c.id AS id, c.fingerprint AS fingerprint`;

/** A changed version of a source: its claims that the new version does not state unchanged stop counting, and stay. */
const SUPERSEDE_CLAIMS = `
UNWIND $ids AS id
MATCH (c:Claim {id: id})
SET c.supersededAt = datetime($now)
${END_LIFE}`;

const CLEAR_MENTIONS = `
MATCH (src:Source {id: $sourceId})-[m:MENTIONS]->()
DELETE m`;

/** `--purge`: the one way to delete claims (every version of the source's claims). */
const PURGE_SOURCE = `
MATCH (src:Source {id: $sourceId})
OPTIONAL MATCH (src)<-[:FROM]-(c:Claim)
DETACH DELETE c
WITH DISTINCT src
OPTIONAL MATCH (src)-[m:MENTIONS]->()
DELETE m`;

// Copies of an article found later (src/news/duplicates.ts) stay recorded across reloads: urls, copies, copyKeys.
const UPSERT_SOURCE = `
MERGE (src:Source {id: $source.id})
WITH src, src.urls AS oldUrls, src.copies AS copies, src.copyKeys AS copyKeys
SET src = $source.props, src.id = $source.id, src.contentHash = $hash, src.loadedAt = datetime($loadedAt), src.revision = $revision
SET src:$($source.label)
SET src.urls = CASE WHEN oldUrls IS NULL THEN src.urls ELSE coalesce(src.urls, []) + [u IN oldUrls WHERE NOT u IN coalesce(src.urls, [])] END,
    src.copies = copies, src.copyKeys = copyKeys`;

const UPSERT_ENTITIES = `
UNWIND $rows AS row
OPTIONAL MATCH (w:Withdrawn {id: row.id})
CALL (w, row) {
  WITH * WHERE w IS NOT NULL
  REMOVE w:Withdrawn
  SET w:Entity, w:$(row.type)
}
WITH row
MERGE (e:Entity {id: row.id})
  ON CREATE SET e.name = row.name, e.type = row.type, e.createdAt = datetime($loadedAt),
                e.aliases = [], e.normNames = [row.norm], e.aliasText = ''
SET e:$(row.type), e += row.attributes
WITH e, row
MATCH (src:Source {id: $sourceId})
MERGE (src)-[m:MENTIONS]->(e)
SET m.names = row.names, m.stixIds = row.stixIds`;

const CREATE_CLAIMS = `
UNWIND $rows AS row
MATCH (src:Source {id: $sourceId})
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
CREATE (c:Claim)
SET c = row.props, c.loadedAt = datetime($loadedAt), c.live = row.counts,
    c.liveFrom = CASE WHEN row.counts THEN datetime($loadedAt) END
CREATE (c)-[:SUBJECT]->(s)
CREATE (c)-[:OBJECT]->(o)
CREATE (c)-[:FROM]->(src)
WITH c, row
OPTIONAL MATCH (cb:Entity {id: row.claimedBy})
FOREACH (_ IN CASE WHEN cb IS NULL THEN [] ELSE [1] END | CREATE (c)-[:CLAIMED_BY]->(cb))`;

/** Who withdraws a source and why (kept on the source and on each claim it retracts). */
export interface RetractOptions {
    /** delete the claims instead of keeping them (the only delete) */
    purge?: boolean;
    /** the token subject (API) or the CLI user */
    by?: string;
    reason?: string;
}

export class FactLoader {
    constructor(
        private readonly driver: Driver,
        private readonly database: string,
        private readonly registry?: NameLookup,
        /** While Neo4j is unreachable: wait and retry (retry.ts), never report the document as bad. */
        private readonly retry: RetryPolicy = DEFAULT_RETRY,
    ) {}

    /**
     * Loads one unit in one write transaction. Any failure rolls the whole unit back. An outage is waited out
     * (then Neo4jUnavailableError, which is not the document's fault); any other failure is the document's (LoadError).
     */
    async load(unit: LoadUnit): Promise<UnitResult> {
        return this.transaction(unit.origin, (_tx, write) => write(unit));
    }

    /**
     * Several units, and whatever else `work` writes with `tx`, in ONE write transaction: all of it or nothing
     * (`import-stix` writes every bundle, merge and POSSIBLY_SAME_AS of a call this way). An outage is waited out
     * as for `load`; any other failure names the unit being written (or `origin`) and says nothing was written.
     * `work` may run again when Neo4j retries the transaction, so it must build its result from scratch.
     */
    async transaction<T>(origin: string, work: (tx: ManagedTransaction, write: (unit: LoadUnit) => Promise<UnitResult>) => Promise<T>): Promise<T> {
        return withRetry(origin, this.retry, async () => {
            const session = this.driver.session({ database: this.database });
            try {
                return await session.executeWrite((tx) =>
                    work(tx, async (unit) => {
                        try {
                            return await this.write(tx, unit);
                        } catch (error) {
                            if (error instanceof LoadError || isTransientNeo4jError(error)) throw error;
                            throw new LoadError(unit.origin, `not loaded, nothing written (${(error as Error).message})`, { cause: error });
                        }
                    }),
                );
            } catch (error) {
                if (error instanceof CyberkgError || isTransientNeo4jError(error)) throw error;
                throw new LoadError(origin, `not loaded, nothing written (${(error as Error).message})`, { cause: error });
            } finally {
                await session.close().catch(() => {});
            }
        });
    }

    private async write(tx: ManagedTransaction, unit: LoadUnit): Promise<UnitResult> {
        const sourceId = unit.source.id;
        const previous = (await tx.run(PREVIOUS, { sourceId })).records[0];
        const base = { origin: unit.origin, sourceId, entitiesNew: [] as string[], entitiesMatched: 0, facts: unit.facts.length, claims: 0 };
        if (previous && previous.get("hash") === unit.contentHash && !previous.get("retracted")) {
            return { ...base, status: "unchanged" };
        }
        const oldTriples = previous ? (previous.get("triples") as Triple[]) : [];
        const oldMentioned = previous ? (previous.get("mentioned") as string[]) : [];
        // A new version of a known source is revision n+1: its new claims get ids of their own, the old ones stay.
        const revision = previous ? Number(previous.get("revision")) + 1 : 1;
        const current = previous ? (await tx.run(CURRENT_CLAIMS, { sourceId })).records.map((r) => ({ id: r.get("id") as string, fingerprint: r.get("fingerprint") as string | null })) : [];
        if (previous) await tx.run(CLEAR_MENTIONS, { sourceId });

        const resolved = await resolveEntities(tx, unit.entities, this.registry);
        const loadedAt = new Date().toISOString();
        const { id: _id, label, ...props } = unit.source;
        if (!SOURCE_LABELS.includes(label)) throw new LoadError(unit.origin, `unknown source kind ${label}`);
        await tx.run(UPSERT_SOURCE, { source: { id: sourceId, label, props: compact(props) }, hash: unit.contentHash, loadedAt, revision });

        const entityRows = mergeRows([...resolved.values()]);
        const existing = await tx.run("UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN collect(e.id) AS ids", { ids: entityRows.map((r) => r.id) });
        const existingIds = new Set(existing.records[0]?.get("ids") as string[]);
        for (const batch of chunks(entityRows, 500)) await tx.run(UPSERT_ENTITIES, { rows: batch, sourceId, loadedAt });

        // Claims the new version states unchanged keep their node, id and load time; the others are superseded.
        const claims = claimRows(unit, resolved, revision);
        const kept = new Set(current.filter((c) => c.fingerprint !== null).map((c) => c.fingerprint));
        const fresh = claims.filter((c) => !kept.has(c.props.fingerprint));
        const stated = new Set(claims.map((c) => c.props.fingerprint));
        const superseded = current.filter((c) => c.fingerprint === null || !stated.has(c.fingerprint)).map((c) => c.id);
        for (const batch of chunks(superseded, 500)) await tx.run(SUPERSEDE_CLAIMS, { ids: batch, now: loadedAt });
        for (const batch of chunks(fresh, 500)) await tx.run(CREATE_CLAIMS, { rows: batch, sourceId, loadedAt });

        const triples = [...oldTriples, ...claims.map((c) => ({ s: c.subject, p: c.props.predicate, o: c.object }))];
        // Edges first: refreshEntities may withdraw an entity (drop its :Entity label), after which its edges could not be found.
        await rebuildEdges(tx, triples);
        if (previous) await refreshEntities(tx, [...oldMentioned, ...entityRows.map((r) => r.id)]);
        else await addAliases(tx, entityRows);
        return {
            ...base,
            status: previous ? "replaced" : "loaded",
            entitiesNew: entityRows.filter((r) => !existingIds.has(r.id)).map((r) => r.id),
            entitiesMatched: entityRows.filter((r) => existingIds.has(r.id)).length,
            claims: claims.length,
        };
    }

    /**
     * Withdraws a source: its claims get `retractedAt` (kept for audit) or are deleted with `purge`; edges and
     * entities that no live claim or mention supports leave the current graph.
     */
    async retract(sourceId: string, { purge = false, by, reason }: RetractOptions = {}): Promise<{ claims: number; edgesAffected: number }> {
        const audit = { by: by ?? null, reason: reason ?? null };
        return withRetry(`retract ${sourceId}`, this.retry, () => this.retractOnce(sourceId, purge, audit));
    }

    private async retractOnce(sourceId: string, purge: boolean, audit: { by: string | null; reason: string | null }): Promise<{ claims: number; edgesAffected: number }> {
        const session = this.driver.session({ database: this.database });
        try {
            return await session.executeWrite(async (tx) => {
                const previous = (await tx.run(PREVIOUS, { sourceId })).records[0];
                if (!previous) throw new NotFoundError(`No article or source with id '${sourceId}' is loaded`);
                const triples = previous.get("triples") as Triple[];
                const mentioned = previous.get("mentioned") as string[];
                const now = new Date().toISOString();
                if (purge) {
                    await tx.run(PURGE_SOURCE, { sourceId });
                    await tx.run("MATCH (src:Source {id: $sourceId}) SET src.retractedAt = datetime($now), src.purged = true, src.retractedBy = $by, src.retractReason = $reason", { sourceId, now, ...audit });
                } else {
                    await tx.run(
                        `MATCH (src:Source {id: $sourceId})
                         SET src.retractedAt = coalesce(src.retractedAt, datetime($now)),
                             src.retractedBy = coalesce(src.retractedBy, $by), src.retractReason = coalesce(src.retractReason, $reason)
                         WITH src
                         OPTIONAL MATCH (src)<-[:FROM]-(c:Claim) WHERE c.retractedAt IS NULL AND c.supersededAt IS NULL
                         SET c.retractedAt = datetime($now), c.retractedBy = $by, c.retractReason = $reason
                         ${END_LIFE}`,
                        { sourceId, now, ...audit },
                    );
                }
                await rebuildEdges(tx, triples);
                await refreshEntities(tx, mentioned);
                return { claims: triples.length, edgesAffected: new Set(triples.map((t) => edgeKey(t.s, t.p, t.o))).size };
            });
        } finally {
            await session.close();
        }
    }
}

/** Several local entities can resolve to one canonical entity: their names are pooled. */
function mergeRows(resolved: ResolvedEntity[]) {
    const rows = new Map<string, { id: string; type: string; name: string; norm: string; names: string[]; stixIds: string[] | null; attributes: Record<string, string> }>();
    for (const r of resolved) {
        const row = rows.get(r.id) ?? { id: r.id, type: r.type, name: r.name, norm: normalizeName(r.name), names: [], stixIds: null, attributes: {} };
        row.names = [...new Set([...row.names, ...r.names])];
        if (r.stixIds) row.stixIds = [...new Set([...(row.stixIds ?? []), ...r.stixIds])].sort();
        Object.assign(row.attributes, compact(r.attributes));
        rows.set(r.id, row);
    }
    return [...rows.values()];
}

/** One claim per (source, subject, predicate, object): repeated facts in a unit pool into the strongest one. */
function claimRows(unit: LoadUnit, resolved: Map<string, ResolvedEntity>, revision: number) {
    const rows = new Map<string, { subject: string; object: string; claimedBy: string | null; props: Record<string, unknown> & { predicate: string } }>();
    for (const fact of unit.facts) {
        const subject = resolved.get(fact.subject)?.id;
        const object = resolved.get(fact.object)?.id;
        if (!subject || !object) throw new LoadError(unit.origin, `fact ${fact.subject} ${fact.predicate} ${fact.object}: unknown entity`);
        if (subject === object) continue; // two names of one entity: "X is part of X" says nothing
        // Revision 1 keeps the ids claims always had; a later version's claims are new nodes with ids of their own.
        const idKey = `${unit.source.id}|${subject}|${fact.predicate}|${object}` + (revision > 1 ? `|r${revision}` : "");
        const id = "claim:" + createHash("sha256").update(idKey).digest("hex").slice(0, 24);
        const previous = rows.get(id);
        if (previous && (previous.props.certaintyRank as number) >= CERTAINTY_RANK[fact.certainty]) {
            previous.props.evidenceCount = (previous.props.evidenceCount as number) + 1;
            continue;
        }
        rows.set(id, {
            subject,
            object,
            claimedBy: fact.claimedBy ? (resolved.get(fact.claimedBy)?.id ?? null) : null,
            props: compact({
                id,
                predicate: fact.predicate,
                // The entity the source named (a merged one's id while merged: unmerge moves the claim back to it).
                subjectId: resolved.get(fact.subject)?.namedId ?? subject,
                objectId: resolved.get(fact.object)?.namedId ?? object,
                sourceId: unit.source.id,
                certainty: fact.certainty,
                certaintyRank: CERTAINTY_RANK[fact.certainty],
                claimedById: fact.claimedBy ? resolved.get(fact.claimedBy)?.id : undefined,
                validFrom: fact.validFrom,
                validTo: fact.validTo,
                reportedAt: unit.source.publishedAt,
                evidence: fact.evidence?.text,
                evidenceStart: fact.evidence?.start,
                evidenceEnd: fact.evidence?.end,
                extractor: fact.extractor.name,
                extractorVersion: fact.extractor.version,
                confidence: fact.confidence,
                reviewStatus: fact.reviewStatus,
                evidenceCount: (previous?.props.evidenceCount as number | undefined ?? 0) + 1,
            }) as Record<string, unknown> & { predicate: string },
        });
    }
    return [...rows.values()].map((row) => {
        const { id: _id, ...content } = row.props;
        // What makes two versions of a claim the same claim: everything it says, whatever its id.
        const fingerprint = hashOf([row.claimedBy, Object.entries(content).sort(([a], [b]) => a.localeCompare(b))]);
        return {
            ...row,
            counts: countsWhenLoaded(row.props.reviewStatus as ReviewStatus | undefined),
            props: { ...row.props, fingerprint, edgeKey: edgeKey(row.subject, row.props.predicate, row.object), ...supportOf(unit) },
        };
    });
}

/**
 * The support rule's input: an independent source lends its id; the registry (our own reference knowledge) and
 * our own exports imported again (`lendsSupport: false`) lend none.
 */
function supportOf(unit: LoadUnit): { supportSource?: string } {
    return unit.source.label === "Registry" || unit.lendsSupport === false ? {} : { supportSource: unit.source.id };
}

function compact<T extends object>(value: T): Record<string, NonNullable<T[keyof T]>> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Record<string, NonNullable<T[keyof T]>>;
}
