/**
 * Writes load units into Neo4j, each all of it or none of it, parameterised and batched `UNWIND … MERGE`,
 * idempotent (a unit whose content hash is already loaded is "unchanged"). `load` writes one unit in one
 * transaction; `loadBatch` writes many new sources per transaction (group commit, batch-write.ts) and falls back to
 * one by one when a batch fails, so a bad unit is rejected alone. Also retracts sources. The typed edges and aliases
 * are derived state (see rebuild.ts).
 */
import type { Driver, ManagedTransaction } from "neo4j-driver";
import { CyberkgError, LoadError, Neo4jUnavailableError, NotFoundError } from "../errors.ts";
import ms from "ms";
import { isNeo4jUnavailable, isTerminatedAtTimeout, isTransactionMemoryLimit, isTransactionTimeout, isTransientNeo4jError } from "../neo4j/driver-settings.ts";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.ts";
import { END_LIFE, edgeKey } from "../model/claim-rules.ts";
import { chunks } from "../collections.ts";
import { addAliases, rebuildEdges, refreshEntities, type Triple } from "./rebuild.ts";
import { resolveEntities, type NameLookup } from "./resolve-entities.ts";
import { SOURCE_LABELS, type LoadUnit } from "./load-unit.ts";
import { UPSERT_ENTITIES, writeNewSources } from "./batch-write.ts";
import { claimRows, compact, mergeRows } from "./unit-rows.ts";
import { stablePlan } from "./stable-plan.ts";

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
SET src = $source.props, src.id = $source.id, src.contentHash = $hash, src.inputHash = $inputHash, src.loadedAt = datetime(coalesce($recordedAt, $loadedAt)), src.revision = $revision
SET src:$($source.label)
SET src.urls = CASE WHEN oldUrls IS NULL THEN src.urls ELSE coalesce(src.urls, []) + [u IN oldUrls WHERE NOT u IN coalesce(src.urls, [])] END,
    src.copies = copies, src.copyKeys = copyKeys`;

const CREATE_CLAIMS = `
UNWIND $rows AS row
MATCH (src:Source {id: $sourceId})
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
CREATE (c:Claim)
SET c = row.props, c.loadedAt = datetime(coalesce(row.recordedAt, $loadedAt)), c.live = row.counts,
    c.liveFrom = CASE WHEN row.counts THEN datetime(coalesce(row.recordedAt, $loadedAt)) END
CREATE (c)-[:SUBJECT]->(s)
CREATE (c)-[:OBJECT]->(o)
CREATE (c)-[:FROM]->(src)
WITH c, row
OPTIONAL MATCH (cb:Entity {id: row.claimedBy})
FOREACH (_ IN CASE WHEN cb IS NULL THEN [] ELSE [1] END | CREATE (c)-[:CLAIMED_BY]->(cb))`;

const UNCHANGED_INPUTS = stablePlan(`
UNWIND $hashes AS hash
MATCH (src:Source {inputHash: hash})
WHERE src.retractedAt IS NULL
RETURN hash, src.id AS id`);

/** Who withdraws a source and why (kept on the source and on each claim it retracts). */
export interface RetractOptions {
    /** delete the claims instead of keeping them (the only delete) */
    purge?: boolean;
    /** the token subject (API) or the CLI user */
    by?: string;
    reason?: string;
}

/** The outcome of one unit of a batch: its result, the error that rejected it, or undefined when not attempted (stopAtFirstError). */
export type BatchOutcome = UnitResult | CyberkgError | undefined;

/** Counters of the group commit (bench:load reports them). */
export interface BatchStats {
    /** write transactions of several units that committed */
    groupCommits: number;
    /** units written by those */
    groupedUnits: number;
    /** units written alone (reloads of changed sources, batches that failed, single units) */
    singleUnits: number;
    /** group transactions retried after a transient error that was not an outage (deadlock, lock wait ended), at most GROUP_RETRIES per batch */
    retries: number;
    /** batches that failed (a bad unit, or still transient after GROUP_RETRIES retries) and were loaded one by one */
    fallbacks: number;
    /** documents loadFiles found unchanged by their input hash (unchangedInputs), neither validated nor written */
    unchangedByInput: number;
}

export { DEFAULT_BATCH_SIZE } from "./batch-size.ts";
/** Attempts of a group transaction after a transient error that is not an outage, before loading the batch one by one. */
export const GROUP_RETRIES = 3;

/** A transient failure of a group transaction that is not an outage (deadlock, terminated lock wait). */
class GroupTransient extends Error {}

export class FactLoader {
    readonly stats: BatchStats = { groupCommits: 0, groupedUnits: 0, singleUnits: 0, retries: 0, fallbacks: 0, unchangedByInput: 0 };

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
     * `timeoutMs` is the transaction's own timeout (it replaces the server's `db.transaction.timeout`, 60 s in the
     * local runtime); a transaction stopped by a timeout or by Neo4j's transaction memory limit is never retried and
     * fails with a LoadError that says which limit, that nothing was written and how to raise it (`limitHint`).
     */
    async transaction<T>(
        origin: string,
        work: (tx: ManagedTransaction, write: (unit: LoadUnit) => Promise<UnitResult>) => Promise<T>,
        { timeoutMs, limitHint }: { timeoutMs?: number; limitHint?: { timeout?: string; memory?: string } } = {},
    ): Promise<T> {
        return withRetry(origin, this.retry, async () => {
            const session = this.driver.session({ database: this.database });
            let startedAt = Date.now();
            try {
                return await session.executeWrite(
                    (tx) => {
                        startedAt = Date.now();
                        return work(tx, async (unit) => {
                            try {
                                return await this.write(tx, unit);
                            } catch (error) {
                                if (error instanceof LoadError || isTransientNeo4jError(error) || isTransactionTimeout(error) || isTransactionMemoryLimit(error)) throw error;
                                throw new LoadError(unit.origin, `not loaded, nothing written (${(error as Error).message})`, { cause: error });
                            }
                        });
                    },
                    timeoutMs === undefined ? undefined : { timeout: timeoutMs },
                );
            } catch (error) {
                if (isTransactionTimeout(error) || isTerminatedAtTimeout(error, Date.now() - startedAt, timeoutMs)) {
                    const limit = timeoutMs === undefined ? "the database's transaction timeout (db.transaction.timeout)" : `its transaction timeout of ${ms(timeoutMs)}`;
                    throw new LoadError(origin, `not loaded, nothing written: the transaction did not finish within ${limit}${limitHint?.timeout ? `; ${limitHint.timeout}` : ""}`, { cause: error });
                }
                if (isTransactionMemoryLimit(error)) {
                    const detail = (error as Error).message.split("\n")[0];
                    throw new LoadError(origin, `not loaded, nothing written: the transaction needs more memory than Neo4j allows one (${detail})${limitHint?.memory ? `; ${limitHint.memory}` : ""}`, { cause: error });
                }
                if (error instanceof CyberkgError || isTransientNeo4jError(error)) throw error;
                throw new LoadError(origin, `not loaded, nothing written (${(error as Error).message})`, { cause: error });
            } finally {
                await session.close().catch(() => {});
            }
        });
    }

    /**
     * Loads units in order: every unit whose source the graph does not have yet goes into one write transaction with
     * the others (`writeNewSources`), a reload of a known source alone (`load`), an unchanged one writes nothing.
     * If the group transaction fails, its units are loaded one by one, so exactly the bad one is rejected (with its
     * own error) and the rest are written. Transient errors (deadlocks) retry the group at most GROUP_RETRIES times,
     * counted in `stats.retries`; an outage is waited out as in `load`.
     */
    async loadBatch(units: LoadUnit[], { stopAtFirstError = false } = {}): Promise<BatchOutcome[]> {
        const outcomes: BatchOutcome[] = new Array(units.length).fill(undefined);
        if (units.length === 0) return outcomes;
        const states = await withRetry("batch", this.retry, () => this.sourceStates(units.map((u) => u.source.id)));
        let failed = false;
        const single = async (i: number) => {
            if (failed) return;
            this.stats.singleUnits++;
            try {
                outcomes[i] = await this.load(units[i]!);
            } catch (error) {
                if (!(error instanceof CyberkgError) || error instanceof Neo4jUnavailableError) throw error;
                outcomes[i] = error;
                failed = stopAtFirstError;
            }
        };
        let group: number[] = [];
        const flush = async () => {
            const members = group;
            group = [];
            if (failed || members.length === 0) return;
            if (members.length === 1) return single(members[0]!);
            const written = await this.writeGroup(members.map((i) => units[i]!));
            if (written) {
                members.forEach((i, k) => (outcomes[i] = written[k]));
                return;
            }
            for (const i of members) await single(i);
        };
        const seen = new Set<string>();
        for (let i = 0; i < units.length; i++) {
            const unit = units[i]!;
            const state = states.get(unit.source.id);
            const repeated = seen.has(unit.source.id);
            seen.add(unit.source.id);
            if (!repeated && state && state.hash === unit.contentHash && !state.retracted) {
                outcomes[i] = { origin: unit.origin, sourceId: unit.source.id, status: "unchanged", entitiesNew: [], entitiesMatched: 0, facts: unit.facts.length, claims: 0 };
            } else if (repeated || state || !SOURCE_LABELS.includes(unit.source.label)) {
                // In order: what the group so far writes comes first, then this unit alone.
                await flush();
                await single(i);
            } else {
                group.push(i);
            }
            if (failed) break;
        }
        await flush();
        return outcomes;
    }

    /**
     * The group transaction; undefined when it failed for a reason other than an outage (then: one by one). An outage
     * is waited out (withRetry); a transient error of the transaction itself (deadlock, lock wait ended) is retried
     * here, at most GROUP_RETRIES times with a short backoff, and counted.
     */
    private async writeGroup(units: LoadUnit[]): Promise<UnitResult[] | undefined> {
        for (let attempt = 0; ; attempt++) {
            try {
                const results = await withRetry(`a batch of ${units.length} documents`, this.retry, async () => {
                    const session = this.driver.session({ database: this.database });
                    try {
                        return await session.executeWrite((tx) => writeNewSources(tx, units, this.registry));
                    } catch (error) {
                        // Not an outage: retried below (bounded), not waited for.
                        if (isTransientNeo4jError(error) && !isNeo4jUnavailable(error)) throw new GroupTransient((error as Error).message, { cause: error });
                        throw error;
                    } finally {
                        await session.close().catch(() => {});
                    }
                });
                this.stats.groupCommits++;
                this.stats.groupedUnits += units.length;
                return results;
            } catch (error) {
                // Neo4j still down after the wait: not the documents' fault, stop.
                if (error instanceof Neo4jUnavailableError || isNeo4jUnavailable(error)) throw error;
                if (error instanceof GroupTransient && attempt < GROUP_RETRIES) {
                    this.stats.retries++;
                    await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt * (1 + Math.random())));
                    continue;
                }
                this.stats.fallbacks++;
                return undefined;
            }
        }
    }

    /**
     * The current, not retracted sources whose input hash (input-hash.ts) is one of these: input hash → source id.
     * One index seek per hash; loadFiles reports such a document unchanged without validating it.
     */
    async unchangedInputs(hashes: string[]): Promise<Map<string, string>> {
        const found = new Map<string, string>();
        if (hashes.length === 0) return found;
        return withRetry("batch", this.retry, async () => {
            const session = this.driver.session({ database: this.database, defaultAccessMode: "READ" });
            try {
                for (const batch of chunks([...new Set(hashes)], 1000)) {
                    const { records } = await session.run(UNCHANGED_INPUTS, { hashes: batch });
                    for (const r of records) found.set(r.get("hash") as string, r.get("id") as string);
                }
            } finally {
                await session.close().catch(() => {});
            }
            return found;
        });
    }

    private async sourceStates(ids: string[]): Promise<Map<string, { hash: string | null; retracted: boolean }>> {
        const states = new Map<string, { hash: string | null; retracted: boolean }>();
        const session = this.driver.session({ database: this.database, defaultAccessMode: "READ" });
        try {
            for (const batch of chunks([...new Set(ids)], 1000)) {
                const { records } = await session.run("UNWIND $ids AS id MATCH (src:Source {id: id}) RETURN src.id AS id, src.contentHash AS hash, src.retractedAt IS NOT NULL AS retracted", { ids: batch });
                for (const r of records) states.set(r.get("id") as string, { hash: r.get("hash") as string | null, retracted: r.get("retracted") as boolean });
            }
        } finally {
            await session.close().catch(() => {});
        }
        return states;
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
        // Resolution first, while the transaction has written nothing: measured here, a full-text query in a transaction
        // that had already deleted relationships missed an entity committed just before (a duplicate entity followed).
        const resolved = await resolveEntities(tx, unit.entities, this.registry);
        if (previous) await tx.run(CLEAR_MENTIONS, { sourceId });

        const loadedAt = new Date().toISOString();
        const { id: _id, label, ...props } = unit.source;
        if (!SOURCE_LABELS.includes(label)) throw new LoadError(unit.origin, `unknown source kind ${label}`);
        await tx.run(UPSERT_SOURCE, { source: { id: sourceId, label, props: compact(props) }, hash: unit.contentHash, inputHash: unit.inputHash ?? null, loadedAt, recordedAt: previous ? null : (unit.recordedAt ?? null), revision });

        const entityRows = mergeRows([...resolved.values()]);
        const existing = await tx.run("UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN collect(e.id) AS ids", { ids: entityRows.map((r) => r.id) });
        const existingIds = new Set(existing.records[0]?.get("ids") as string[]);
        for (const batch of chunks(entityRows, 500)) await tx.run(UPSERT_ENTITIES, { rows: batch.map((r) => ({ ...r, sourceId })), loadedAt });

        // Claims the new version states unchanged keep their node, id and load time; the others are superseded.
        // A recorded time other than now (a source restored from our own export) holds for a first version only: a
        // later version is recorded now, after the claims it supersedes.
        const claims = claimRows(unit, resolved, revision).map((c) => (previous ? { ...c, recordedAt: null } : c));
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

