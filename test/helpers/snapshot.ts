/**
 * A snapshot of the current graph that does not depend on load order: entities are keyed by their type and
 * the sorted set of all their names (display name + aliases), because the display name and id of an entity
 * first met outside the registry are those of its first mention. Edges are keyed by those entity keys.
 */
import type { Driver } from "neo4j-driver";
import { DATABASE } from "./graph.ts";

export async function currentGraph(driver: Driver): Promise<{ entities: string[]; edges: string[]; liveClaims: number }> {
    const entities = await driver.executeQuery(
        "MATCH (e:Entity) RETURN e.id AS id, e.type AS type, [e.name] + e.aliases AS names",
        {},
        { database: DATABASE },
    );
    const keyOf = new Map<string, string>();
    for (const r of entities.records) {
        keyOf.set(r.get("id"), `${r.get("type")}:${[...new Set(r.get("names") as string[])].sort().join("|")}`);
    }
    const edges = await driver.executeQuery(
        `MATCH (s:Entity)-[r]->(o:Entity)
         RETURN s.id AS s, type(r) AS p, o.id AS o, r.support AS support, r.claimCount AS claims,
                r.certainty AS certainty, r.firstReported AS first, r.lastReported AS last`,
        {},
        { database: DATABASE },
    );
    const claims = await driver.executeQuery("MATCH (c:Claim) WHERE c.live RETURN count(c) AS n", {}, { database: DATABASE });
    return {
        entities: [...keyOf.values()].sort(),
        edges: edges.records
            .map((r) => `${keyOf.get(r.get("s"))} -${r.get("p")}{support:${r.get("support")},claims:${r.get("claims")},${r.get("certainty")},${r.get("first")}..${r.get("last")}}-> ${keyOf.get(r.get("o"))}`)
            .sort(),
        liveClaims: claims.records[0]!.get("n") as number,
    };
}
