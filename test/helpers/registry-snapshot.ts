/**
 * The registry-loaded graph, recorded once per test run and replayed by `freshGraph()`: loading the registry through
 * the FactLoader costs 1–2 s, and ~55 tests start from it. The first `freshGraph()` of a run loads it for real and
 * records every node and relationship (labels, types, properties with their Cypher types) in the run's state
 * directory (CYBERKG_TEST_STATE_DIR, a throwaway directory test/run-integration.ts creates and removes); later ones
 * write the same graph back in a few UNWIND statements. Timestamps of the load (`loadedAt`, `liveFrom`, `createdAt`:
 * every DateTime equal to the registry source's `loadedAt`) are replayed as the time of the replay, as a load then
 * would write them; any other temporal or spatial value is refused, so a model change cannot replay wrongly in
 * silence. `loader.int.test.ts` checks that a replay and a real load give the same graph.
 */
import fs from "node:fs";
import path from "node:path";
import neo4j, { type Driver } from "neo4j-driver";
import { groupBy } from "../../src/collections.ts";
import { REGISTRY_SOURCE_ID } from "../../src/loader/registry-unit.ts";

type Encoded = null | boolean | number | string | Encoded[] | { $int: string } | { $date: string } | { $loadTime: { offset: number; zone: string | null } } | { [key: string]: Encoded };

export interface GraphDump {
    nodes: { key: number; labels: string[]; props: Record<string, Encoded> }[];
    relationships: { start: number; end: number; type: string; props: Record<string, Encoded> }[];
}

const FILE = "registry-graph.json";

let exact: Driver | undefined;

/** A driver that keeps integers as Neo4j integers, so that a replayed integer property stays an INTEGER, not a FLOAT. */
function exactDriver(): Driver {
    exact ??= neo4j.driver(process.env.NEO4J_URI!, neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? ""));
    return exact;
}

export async function closeSnapshotDriver(): Promise<void> {
    await exact?.close();
    exact = undefined;
}

function encode(value: unknown, loadTime: string, where: string): Encoded {
    if (value === null || typeof value === "boolean" || typeof value === "string" || typeof value === "number") return value;
    if (Array.isArray(value)) return value.map((v) => encode(v, loadTime, where));
    if (neo4j.isInt(value)) return { $int: value.toString() };
    if (neo4j.isDate(value)) return { $date: value.toString() };
    if (neo4j.isDateTime(value) && value.toString() === loadTime) return { $loadTime: { offset: Number(value.timeZoneOffsetSeconds ?? 0), zone: value.timeZoneId ?? null } };
    throw new Error(`test/helpers/registry-snapshot.ts cannot replay ${where} = ${String(value)} (${value?.constructor?.name}): teach encode()/decode() this value`);
}

function decode(value: Encoded, now: Date): unknown {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => decode(v, now));
    if ("$int" in value) return neo4j.int(value.$int as string);
    if ("$date" in value) {
        const [y, m, d] = (value.$date as string).split("-").map(Number);
        return new neo4j.types.Date(y!, m!, d!);
    }
    if ("$loadTime" in value) {
        const { offset, zone } = value.$loadTime as { offset: number; zone: string | null };
        if (offset !== 0 || zone !== null) throw new Error(`test/helpers/registry-snapshot.ts: a load time in UTC was expected, not offset ${offset} zone ${zone}`);
        return new neo4j.types.DateTime(now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds() * 1_000_000, 0);
    }
    throw new Error(`test/helpers/registry-snapshot.ts: unknown encoded value ${JSON.stringify(value)}`);
}

/** Every node and relationship of the database, in a stable order, load times marked as such. */
export async function dumpGraph(database: string): Promise<GraphDump> {
    const driver = exactDriver();
    {
        const source = await driver.executeQuery("MATCH (s:Source {id: $id}) RETURN s.loadedAt AS t", { id: REGISTRY_SOURCE_ID }, { database });
        const loadTime = String(source.records[0]?.get("t") ?? "no registry source");
        const nodes = await driver.executeQuery("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props", {}, { database });
        const keys = new Map<string, number>();
        const dump: GraphDump = { nodes: [], relationships: [] };
        for (const r of nodes.records) {
            const labels = [...(r.get("labels") as string[])].sort();
            const props = r.get("props") as Record<string, unknown>;
            keys.set(r.get("id") as string, dump.nodes.length);
            dump.nodes.push({ key: dump.nodes.length, labels, props: encodeProps(props, loadTime, labels.join(":")) });
        }
        const rels = await driver.executeQuery("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, properties(r) AS props", {}, { database });
        for (const r of rels.records) {
            const type = r.get("type") as string;
            dump.relationships.push({ start: keys.get(r.get("a") as string)!, end: keys.get(r.get("b") as string)!, type, props: encodeProps(r.get("props") as Record<string, unknown>, loadTime, type) });
        }
        return dump;
    }
}

function encodeProps(props: Record<string, unknown>, loadTime: string, owner: string): Record<string, Encoded> {
    return Object.fromEntries(
        Object.keys(props)
            .sort()
            .map((k) => [k, encode(props[k], loadTime, `${owner}.${k}`)]),
    );
}

/**
 * The graph as a sorted list of lines, one per node and per relationship (its end nodes written out), for
 * comparing two graphs whatever their element ids.
 */
export function canonicalLines(dump: GraphDump): string[] {
    const node = (key: number) => JSON.stringify([dump.nodes[key]!.labels, dump.nodes[key]!.props]);
    return [...dump.nodes.map((n) => `node ${node(n.key)}`), ...dump.relationships.map((r) => `rel ${node(r.start)} -[${r.type} ${JSON.stringify(r.props)}]-> ${node(r.end)}`)].sort();
}

function snapshotFile(): string | undefined {
    const dir = process.env.CYBERKG_TEST_STATE_DIR;
    return dir ? path.join(dir, FILE) : undefined;
}

/** Records the database (just loaded with the registry) for the rest of the run. */
export async function recordRegistrySnapshot(database: string): Promise<void> {
    const file = snapshotFile();
    if (!file) return;
    const dump = await dumpGraph(database);
    fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(dump));
    fs.renameSync(`${file}.${process.pid}`, file);
}

/** Writes the recorded registry graph into the (empty) database; false when this run has none recorded yet. */
export async function replayRegistrySnapshot(database: string): Promise<boolean> {
    const file = snapshotFile();
    if (!file || !fs.existsSync(file)) return false;
    const dump = JSON.parse(fs.readFileSync(file, "utf8")) as GraphDump;
    const now = new Date();
    const driver = exactDriver();
    const session = driver.session({ database });
    try {
        await session.executeWrite(async (tx) => {
            const ids: string[] = [];
            const byLabels = groupBy(dump.nodes, (n) => n.labels.join("\0"));
            for (const group of byLabels.values()) {
                const rows = group.map((n) => ({ key: n.key, props: decodeProps(n.props, now) }));
                const result = await tx.run("UNWIND $rows AS row CREATE (n) SET n:$($labels), n = row.props RETURN row.key AS key, elementId(n) AS id", { rows, labels: group[0]!.labels });
                for (const r of result.records) ids[neo4j.integer.toNumber(r.get("key"))] = r.get("id") as string;
            }
            for (const group of groupBy(dump.relationships, (r) => r.type).values()) {
                const rows = group.map((r) => ({ a: ids[r.start], b: ids[r.end], props: decodeProps(r.props, now) }));
                await tx.run("UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a MATCH (b) WHERE elementId(b) = row.b CREATE (a)-[r:$($type)]->(b) SET r = row.props", { rows, type: group[0]!.type });
            }
        });
    } finally {
        await session.close();
    }
    return true;
}

function decodeProps(props: Record<string, Encoded>, now: Date): Record<string, unknown> {
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, decode(v, now)]));
}
