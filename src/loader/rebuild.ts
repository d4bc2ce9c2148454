/**
 * Derived state, recomputed from claims: the typed edges (one per subject–predicate–object, with support,
 * first/last reported, strongest certainty) and each entity's aliases (the names its live sources used).
 * Loading, retracting, merging and unmerging all change claims or mentions and then call these, so the
 * current graph is always a function of the live claims, whatever the order of operations.
 */
import { stablePlan } from "./stable-plan.ts";
import type { ManagedTransaction } from "neo4j-driver";
import { chunks } from "../collections.ts";
import { normalizeName } from "../model/normalize.ts";
import { PREDICATES } from "../model/vocabulary.ts";
import { certaintyOfRank, edgeKey, liveNow } from "../model/claim-rules.ts";

export interface Triple {
    s: string;
    p: string;
    o: string;
}

/**
 * Recomputes the edge of each triple from its live claims (claim-rules.ts): MERGE it with the
 * aggregates, or delete it when no live claim is left. Claims are found by their indexed `edgeKey`, never by
 * expanding the subject's claims, so a hub like China (thousands of claims) costs no more than a leaf. The edge
 * keeps its key (`r.key`), so readers find its claims with `MATCH (c:Claim {edgeKey: r.key})` and never rebuild
 * the key. The type is written as a literal, one branch per predicate of the vocabulary (the caller checks t.p is
 * one): a relationship pattern with a dynamic type `$(t.p)` between two bound nodes is planned as a scan of every
 * relationship when the statement is first planned on an empty or small graph (a fresh database), and that plan stays
 * cached until a replan, while a literal type is always planned as an Expand(Into) of the two nodes.
 */
const UNION_ALL = "\n    UNION ALL\n";
const REBUILD_EDGES = stablePlan(`
UNWIND $triples AS t
MATCH (s:Entity {id: t.s})
MATCH (o:Entity {id: t.o})
OPTIONAL MATCH (c:Claim {edgeKey: t.key})
  WHERE ${liveNow("c")}
WITH s, o, t,
     count(DISTINCT c) AS claims,
     count(DISTINCT c.supportSource) AS support,
     min(c.reportedAt) AS firstReported,
     max(c.reportedAt) AS lastReported,
     max(c.certaintyRank) AS rank,
     max(c.confidence) AS confidence
CALL (s, o, t, claims) {
  WITH * WHERE claims = 0
  CALL (s, o, t) {
${PREDICATES.map((p) => `    WITH * WHERE t.p = '${p}' MATCH (s)-[old:${p}]->(o) RETURN old`).join(UNION_ALL)}
  }
  DELETE old
}
CALL (s, o, t, claims, support, firstReported, lastReported, rank, confidence) {
  WITH * WHERE claims > 0
  CALL (s, o, t) {
${PREDICATES.map((p) => `    WITH * WHERE t.p = '${p}' MERGE (s)-[r:${p}]->(o) RETURN r`).join(UNION_ALL)}
  }
  SET r.key = t.key,
      r.support = support,
      r.claimCount = claims,
      r.firstReported = firstReported,
      r.lastReported = lastReported,
      r.certainty = ${certaintyOfRank("rank")},
      r.confidence = confidence
}`);

export async function rebuildEdges(tx: ManagedTransaction, triples: Triple[]): Promise<void> {
    const unique = dedupe(triples, (t) => edgeKey(t.s, t.p, t.o));
    for (const t of unique) {
        if (!(PREDICATES as readonly string[]).includes(t.p)) throw new Error(`not a predicate of the vocabulary: ${t.p}`);
    }
    // In key order, so concurrent writers lock the edges of hubs in one order.
    const keyed = unique.map((t) => ({ ...t, key: edgeKey(t.s, t.p, t.o) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const batch of chunks(keyed, 500)) await tx.run(REBUILD_EDGES, { triples: batch });
}

const READ_MENTIONS = `
UNWIND $ids AS id
CALL (id) {
  MATCH (e:Entity {id: id}) RETURN e
  UNION
  MATCH (e:Withdrawn {id: id}) RETURN e
}
// Mentions of the entity and of entities merged into it, read from the entity's side (never all mentions).
WITH e, COLLECT {
  CALL (e) {
    MATCH (src:Source)-[m:MENTIONS]->(e) RETURN src, m
    UNION
    MATCH (src:Source)-[m:MENTIONS]->(:Merged)-[:MERGED_INTO]->(e) RETURN src, m
  }
  WITH src, m WHERE src.retractedAt IS NULL
  RETURN m.names
} AS nameLists
RETURN e.id AS id, e.type AS type, e.name AS name, e:Withdrawn AS withdrawn, nameLists`;

const WRITE_ENTITY = `
UNWIND $rows AS row
CALL (row) {
  MATCH (e:Entity {id: row.id}) RETURN e
  UNION
  MATCH (e:Withdrawn {id: row.id}) RETURN e
}
SET e.aliases = row.aliases, e.aliasText = row.aliasText, e.normNames = row.normNames
WITH e, row
CALL (e, row) {
  WITH * WHERE row.live AND e:Withdrawn
  REMOVE e:Withdrawn
  SET e:Entity, e:$(row.type)
  REMOVE e.withdrawnAt
}
CALL (e, row) {
  WITH * WHERE NOT row.live AND e:Entity
  REMOVE e:Entity, e:$(row.type)
  SET e:Withdrawn, e.withdrawnAt = datetime()
}`;

/**
 * Recomputes aliases (every name a live source used, but the display name) and whether the entity is
 * in the current graph: an entity no live source mentions is withdrawn (kept for audit, not shown).
 */
export async function refreshEntities(tx: ManagedTransaction, ids: string[]): Promise<void> {
    for (const batch of chunks([...new Set(ids)], 500)) {
        const result = await tx.run(READ_MENTIONS, { ids: batch });
        const rows = result.records.map((r) => {
            const name = r.get("name") as string;
            const lists = (r.get("nameLists") as string[][]).filter((l) => Array.isArray(l));
            const aliases = [...new Set(lists.flat())].filter((n) => n !== name).sort((a, b) => a.localeCompare(b));
            return {
                id: r.get("id") as string,
                type: r.get("type") as string,
                live: lists.length > 0,
                aliases,
                aliasText: aliases.join(" | "),
                normNames: [...new Set([name, ...aliases].map(normalizeName))],
            };
        });
        if (rows.length > 0) await tx.run(WRITE_ENTITY, { rows });
    }
}

const READ_NAMES = `
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
RETURN e.id AS id, e.name AS name, e.aliases AS aliases, row.names AS names`;

/**
 * The cheap path for a source loaded for the first time: aliases only grow, so the new names are added to
 * the entity's aliases without reading every mention (which grows with the corpus for hubs like China).
 */
export async function addAliases(tx: ManagedTransaction, rows: { id: string; names: string[] }[]): Promise<void> {
    for (const batch of chunks(rows, 500)) {
        const result = await tx.run(READ_NAMES, { rows: batch });
        const updates = result.records
            .map((r) => {
                const name = r.get("name") as string;
                const current = (r.get("aliases") as string[] | null) ?? [];
                const aliases = [...new Set([...current, ...(r.get("names") as string[])])].filter((n) => n !== name).sort((a, b) => a.localeCompare(b));
                if (aliases.length === current.length) return undefined;
                return { id: r.get("id") as string, type: "", live: true, aliases, aliasText: aliases.join(" | "), normNames: [...new Set([name, ...aliases].map(normalizeName))] };
            })
            .filter((u) => u !== undefined);
        if (updates.length > 0) await tx.run("UNWIND $rows AS row MATCH (e:Entity {id: row.id}) SET e.aliases = row.aliases, e.aliasText = row.aliasText, e.normNames = row.normNames", { rows: updates });
    }
}


function dedupe<T>(items: T[], key: (t: T) => string): T[] {
    const seen = new Map<string, T>();
    for (const item of items) seen.set(key(item), item);
    return [...seen.values()];
}
