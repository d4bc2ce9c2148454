/**
 * A canonical checksum of a graph: every node (labels, properties) and relationship (type, endpoints' content,
 * properties), independent of internal ids and of the order things were written in. Properties that only say *when*
 * something was written (load, merge, fetch and liveness clock times) are left out, so two loads of the same data
 * at different times agree. Used by the fault and fuzz tests (crash/fuzz left the graph as a clean load would) and by
 * `cyberkg backup` / `restore` (the restored graph is the one that was backed up).
 */
import { createHash } from "node:crypto";
import type { Driver } from "neo4j-driver";

/** Write-time properties: when, not what. */
export const VOLATILE_PROPERTIES: ReadonlySet<string> = new Set(["loadedAt", "createdAt", "mergedAt", "withdrawnAt", "retractedAt", "liveFrom", "liveUntil", "supersededAt", "fetchedAt"]);

export interface GraphChecksum {
    hash: string;
    nodes: number;
    relationships: number;
}

/** The elements a checksum can be restricted to ("everything that was there before"). */
export interface GraphElements {
    nodes: ReadonlySet<string>;
    relationships: ReadonlySet<string>;
}

function canon(props: Record<string, unknown>): string {
    return JSON.stringify(
        Object.keys(props)
            .filter((k) => !VOLATILE_PROPERTIES.has(k))
            .sort()
            .map((k) => [k, Array.isArray(props[k]) ? [...(props[k] as unknown[])].map(String).sort() : String(props[k])]),
    );
}

/** The element ids of every node and relationship now in the graph. */
export async function graphElements(driver: Driver, database: string): Promise<GraphElements> {
    const nodes = await driver.executeQuery("MATCH (n) RETURN elementId(n) AS id", {}, { database });
    const rels = await driver.executeQuery("MATCH ()-[r]->() RETURN elementId(r) AS id", {}, { database });
    return { nodes: new Set(nodes.records.map((r) => r.get("id") as string)), relationships: new Set(rels.records.map((r) => r.get("id") as string)) };
}

/**
 * The checksum of the whole graph, or (`only`) of just those elements: an element of `only` that is gone, or whose
 * properties changed, changes the checksum; elements added since are not counted.
 */
export async function graphChecksum(driver: Driver, database: string, only?: GraphElements): Promise<GraphChecksum> {
    const nodes = await driver.executeQuery("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props", {}, { database });
    const key = new Map<string, string>();
    const lines: string[] = [];
    for (const r of nodes.records) {
        const id = r.get("id") as string;
        const line = createHash("sha256").update(`${[...(r.get("labels") as string[])].sort().join(":")}${canon(r.get("props"))}`).digest("hex");
        key.set(id, line);
        if (!only || only.nodes.has(id)) lines.push(line);
    }
    const rels = await driver.executeQuery("MATCH (a)-[r]->(b) RETURN elementId(r) AS id, elementId(a) AS a, type(r) AS type, properties(r) AS props, elementId(b) AS b", {}, { database });
    let relationships = 0;
    for (const r of rels.records) {
        if (only && !only.relationships.has(r.get("id"))) continue;
        relationships++;
        lines.push(`${key.get(r.get("a"))}-${r.get("type")}${canon(r.get("props"))}->${key.get(r.get("b"))}`);
    }
    lines.sort();
    const nodeCount = only ? [...key.keys()].filter((id) => only.nodes.has(id)).length : key.size;
    // The counts go into the hash: a vanished element changes it even when its line equalled another's.
    return { hash: createHash("sha256").update(`${nodeCount}/${relationships}\n${lines.join("\n")}`).digest("hex"), nodes: nodeCount, relationships };
}
