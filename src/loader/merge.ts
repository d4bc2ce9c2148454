/**
 * Explicit, reversible identity decisions.
 * - `mergeEntities(A, B)`: B's claims move to A; B becomes (:Merged)-[:MERGED_INTO]->(A), so later documents
 *   naming B resolve to A, and A's aliases include the names sources used for B (refreshEntities reads the
 *   mentions of merged nodes too). Claims keep `subjectId`/`objectId` (the id they were loaded under), which is
 *   what `unmergeEntity(B)` uses to move them back; B's mentions never move, so nothing else needs undoing.
 * - `markPossiblySame(A, B, source, confidence)`: disputed identity stays data, a POSSIBLY_SAME_AS edge.
 */
import type { Driver, ManagedTransaction } from "neo4j-driver";
import { NotFoundError, CyberkgError, ErrorCode } from "../errors.ts";
import { rebuildEdges, refreshEntities, type Triple } from "./rebuild.ts";
import { edgeKey } from "../model/claim-rules.ts";
import { chunks } from "../collections.ts";

const CLAIM_TRIPLES = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})<-[:SUBJECT|OBJECT]-(c:Claim)
MATCH (s:Entity)<-[:SUBJECT]-(c)-[:OBJECT]->(o:Entity)
RETURN DISTINCT s.id AS s, c.predicate AS p, o.id AS o`;

const CLAIM_ENDS = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})<-[:SUBJECT|OBJECT]-(c:Claim)
MATCH (s:Entity)<-[:SUBJECT]-(c)-[:OBJECT]->(o:Entity)
RETURN DISTINCT c.id AS id, s.id AS s, c.predicate AS p, o.id AS o, c.edgeKey AS key`;

/** Claims that moved between entities get the edge key (claim-rules.ts) of the entities they now point at. */
async function setEdgeKeys(tx: ManagedTransaction, ids: string[]): Promise<void> {
    const result = await tx.run(CLAIM_ENDS, { ids });
    const rows = result.records
        .map((r) => ({ id: r.get("id") as string, key: edgeKey(r.get("s"), r.get("p"), r.get("o")), old: r.get("key") as string }))
        .filter((r) => r.key !== r.old);
    for (const batch of chunks(rows, 500)) await tx.run("UNWIND $rows AS row MATCH (c:Claim {id: row.id}) SET c.edgeKey = row.key", { rows: batch });
}

async function triplesAround(tx: ManagedTransaction, ids: string[]): Promise<Triple[]> {
    const result = await tx.run(CLAIM_TRIPLES, { ids });
    return result.records.map((r) => ({ s: r.get("s"), p: r.get("p"), o: r.get("o") }));
}

/** Who made an identity decision and why: kept on MERGED_INTO and in the entity's merge history (:IdentityDecision). */
export interface DecisionAudit {
    by?: string;
    reason?: string;
}

const RECORD_DECISION = `
CREATE (d:IdentityDecision {action: $action, survivorId: $a, mergedId: $b, at: datetime($now), by: $by, reason: $reason})
WITH d
MATCH (e) WHERE e.id IN [$a, $b] AND (e:Entity OR e:Merged OR e:Withdrawn)
CREATE (d)-[:ABOUT]->(e)`;

export async function mergeEntities(driver: Driver, database: string, survivorId: string, mergedId: string, audit: DecisionAudit = {}): Promise<{ claimsMoved: number }> {
    const session = driver.session({ database });
    try {
        return await session.executeWrite((tx) => mergeInTransaction(tx, survivorId, mergedId, audit));
    } finally {
        await session.close();
    }
}

/** mergeEntities inside the caller's write transaction (import-stix merges revoked groups in its one transaction). */
export async function mergeInTransaction(tx: ManagedTransaction, survivorId: string, mergedId: string, audit: DecisionAudit = {}): Promise<{ claimsMoved: number }> {
    if (survivorId === mergedId) throw new CyberkgError(ErrorCode.LOAD, `Cannot merge ${survivorId} into itself`);
    const found = await tx.run("MATCH (a:Entity {id: $a}) OPTIONAL MATCH (b:Entity {id: $b}) RETURN a.type AS at, b.type AS bt", { a: survivorId, b: mergedId });
    const row = found.records[0];
    if (!row) throw new NotFoundError(`No entity with id '${survivorId}' in the current graph`);
    if (row.get("bt") === null) throw new NotFoundError(`No entity with id '${mergedId}' in the current graph (already merged?)`);
    if (row.get("at") !== row.get("bt")) throw new CyberkgError(ErrorCode.LOAD, `Cannot merge a ${row.get("bt")} (${mergedId}) into a ${row.get("at")} (${survivorId})`);
    const before = await triplesAround(tx, [mergedId]);
    const now = new Date().toISOString();
    const moved = await tx.run(
        `MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
         OPTIONAL MATCH (b)-[r]-(:Entity) WHERE type(r) <> 'POSSIBLY_SAME_AS'
         DELETE r
         WITH DISTINCT a, b
         CALL (a, b) {
           MATCH (b)<-[r:SUBJECT]-(c:Claim) DELETE r CREATE (c)-[:SUBJECT]->(a) RETURN count(c) AS subjects
         }
         CALL (a, b) {
           MATCH (b)<-[r:OBJECT]-(c:Claim) DELETE r CREATE (c)-[:OBJECT]->(a) RETURN count(c) AS objects
         }
         CALL (a, b) {
           MATCH (b)<-[r:CLAIMED_BY]-(c:Claim) DELETE r CREATE (c)-[:CLAIMED_BY {via: b.id}]->(a) RETURN count(c) AS claimants
         }
         REMOVE b:Entity, b:$(b.type)
         SET b:Merged, b.mergedAt = datetime($now)
         CREATE (b)-[:MERGED_INTO {at: datetime($now), by: $by, reason: $reason}]->(a)
         RETURN subjects + objects AS moved`,
        { a: survivorId, b: mergedId, now, by: audit.by ?? null, reason: audit.reason ?? null },
    );
    await tx.run(RECORD_DECISION, { action: "merge", a: survivorId, b: mergedId, now, by: audit.by ?? null, reason: audit.reason ?? null });
    await setEdgeKeys(tx, [survivorId]);
    const triples = await triplesAround(tx, [survivorId]);
    await refreshEntities(tx, [survivorId]);
    await rebuildEdges(tx, [...before.map((t) => ({ s: t.s === mergedId ? survivorId : t.s, p: t.p, o: t.o === mergedId ? survivorId : t.o })), ...triples]);
    return { claimsMoved: moved.records[0]?.get("moved") ?? 0 };
}

export async function unmergeEntity(driver: Driver, database: string, mergedId: string, audit: DecisionAudit = {}): Promise<{ claimsMoved: number; survivorId: string }> {
    const session = driver.session({ database });
    try {
        return await session.executeWrite(async (tx) => {
            const found = await tx.run("MATCH (b:Merged {id: $b})-[m:MERGED_INTO]->(a:Entity) RETURN a.id AS a, b.type AS type", { b: mergedId });
            const row = found.records[0];
            if (!row) throw new NotFoundError(`'${mergedId}' is not a merged entity`);
            const survivorId = row.get("a") as string;
            const before = await triplesAround(tx, [survivorId]);
            const moved = await tx.run(
                `MATCH (b:Merged {id: $b})-[mi:MERGED_INTO]->(a:Entity {id: $a})
                 DELETE mi
                 REMOVE b:Merged, b.mergedAt
                 SET b:Entity, b:$(b.type)
                 WITH a, b
                 CALL (a, b) {
                   MATCH (a)<-[r:SUBJECT]-(c:Claim {subjectId: b.id}) DELETE r CREATE (c)-[:SUBJECT]->(b) RETURN count(c) AS subjects
                 }
                 CALL (a, b) {
                   MATCH (a)<-[r:OBJECT]-(c:Claim {objectId: b.id}) DELETE r CREATE (c)-[:OBJECT]->(b) RETURN count(c) AS objects
                 }
                 CALL (a, b) {
                   MATCH (a)<-[r:CLAIMED_BY {via: b.id}]-(c:Claim) DELETE r CREATE (c)-[:CLAIMED_BY]->(b) RETURN count(c) AS claimants
                 }
                 RETURN subjects + objects AS moved`,
                { a: survivorId, b: mergedId },
            );
            await tx.run(RECORD_DECISION, { action: "unmerge", a: survivorId, b: mergedId, now: new Date().toISOString(), by: audit.by ?? null, reason: audit.reason ?? null });
            await setEdgeKeys(tx, [survivorId, mergedId]);
            const after = await triplesAround(tx, [survivorId, mergedId]);
            await refreshEntities(tx, [survivorId, mergedId]);
            await rebuildEdges(tx, [...before, ...after]);
            return { claimsMoved: moved.records[0]?.get("moved") ?? 0, survivorId };
        });
    } finally {
        await session.close();
    }
}

/** Records that two entities may be the same (conflicting alias lists); one edge per ordered pair and source. */
export async function markPossiblySame(
    tx: ManagedTransaction,
    pairs: { a: string; b: string; source: string; confidence: number; reason: string }[],
): Promise<void> {
    await tx.run(
        `UNWIND $pairs AS p
         MATCH (a:Entity {id: p.a}), (b:Entity {id: p.b})
         MERGE (a)-[r:POSSIBLY_SAME_AS {source: p.source}]->(b)
         SET r.confidence = p.confidence, r.reason = p.reason`,
        { pairs: pairs.map((p) => (p.a < p.b ? p : { ...p, a: p.b, b: p.a })) },
    );
}
