/**
 * Reads the whole graph, or the subgraph around named entities, for export.
 *
 * Subgraph around entities E to depth N: the entities reachable from E in at most N hops over the typed edges
 * (either direction); unless `entitiesOnly`, also the claims between two of them, their sources and claimants,
 * and the merged names that point at them. The export then holds every relationship between two exported
 * nodes (the induced subgraph), so edges and their evidence travel together.
 *
 * Property types come from Cypher's `valueType()`, so integers and floats survive a driver configured with
 * `disableLosslessIntegers`.
 */
import type { Driver } from "neo4j-driver";
import { NotFoundError } from "../errors.ts";
import { PREDICATES } from "../model/vocabulary.ts";
import type { ExportGraph, ExportNode, ExportRelationship, Property, PropertyType, Scalar, ScalarType } from "./types.ts";

export interface ReadGraphOptions {
    /** Names, aliases or ids of the entities to export around; empty = the whole graph. */
    around?: string[];
    depth?: number;
    /** Only :Entity nodes and the edges between them (what Gephi and Cytoscape users usually want). */
    entitiesOnly?: boolean;
}

const PROPS = "[k IN keys(x) | {k: k, v: x[k], t: valueType(x[k])}]";

export async function readGraph(driver: Driver, database: string, options: ReadGraphOptions = {}): Promise<ExportGraph> {
    const around = options.around ?? [];
    const depth = options.depth ?? 1;
    const entitiesOnly = options.entitiesOnly ?? false;
    let nodeIds: string[] | undefined; // element ids; undefined = no filter
    if (around.length > 0) {
        const seeds = await resolveEntities(driver, database, around);
        const entities = await expand(driver, database, seeds, depth);
        nodeIds = entitiesOnly ? entities : await withEvidence(driver, database, entities);
    }
    const nodeFilter = nodeIds ? "WHERE elementId(x) IN $ids" : entitiesOnly ? "WHERE x:Entity" : "";
    const nodesResult = await driver.executeQuery(
        `MATCH (x) ${nodeFilter} RETURN elementId(x) AS eid, labels(x) AS labels, ${PROPS} AS props`,
        { ids: nodeIds ?? [] },
        { database },
    );
    const relFilter = nodeIds ? "WHERE elementId(a) IN $ids AND elementId(b) IN $ids" : entitiesOnly ? "WHERE a:Entity AND b:Entity" : "";
    const relsResult = await driver.executeQuery(
        `MATCH (a)-[x]->(b) ${relFilter} RETURN elementId(a) AS start, elementId(b) AS end, type(x) AS type, ${PROPS} AS props`,
        { ids: nodeIds ?? [] },
        { database },
    );

    const rawNodes = nodesResult.records.map((r) => ({
        eid: r.get("eid") as string,
        labels: [...(r.get("labels") as string[])].sort(),
        properties: toProperties(r.get("props") as RawProp[]),
    }));
    rawNodes.sort((a, b) => compare(nodeSortKey(a), nodeSortKey(b)));
    const idCount = new Map<string, number>();
    for (const n of rawNodes) {
        const id = idOf(n.properties);
        if (id !== undefined) idCount.set(id, (idCount.get(id) ?? 0) + 1);
    }
    const keyOf = new Map<string, string>();
    const nodes: ExportNode[] = rawNodes.map((n, i) => {
        const id = idOf(n.properties);
        const key = id !== undefined && idCount.get(id) === 1 && !id.startsWith("_n") ? id : `_n${i}`;
        keyOf.set(n.eid, key);
        return { key, labels: n.labels, properties: n.properties };
    });
    const rels = relsResult.records.map((r) => ({
        type: r.get("type") as string,
        start: keyOf.get(r.get("start") as string)!,
        end: keyOf.get(r.get("end") as string)!,
        properties: toProperties(r.get("props") as RawProp[]),
    }));
    rels.sort((a, b) => compare(`${a.start}\u0000${a.type}\u0000${a.end}\u0000${JSON.stringify(a.properties)}`, `${b.start}\u0000${b.type}\u0000${b.end}\u0000${JSON.stringify(b.properties)}`));
    const relationships: ExportRelationship[] = rels.map((r, i) => ({ key: `r${i}`, ...r }));
    return { nodes, relationships, scope: { around, depth, entitiesOnly } };
}

/** Entity element ids for names, aliases or ids (case-insensitive); an unknown name fails with suggestions. */
export async function resolveEntities(driver: Driver, database: string, names: string[]): Promise<string[]> {
    const { records } = await driver.executeQuery(
        `UNWIND $names AS q
         OPTIONAL MATCH (e:Entity)
           WHERE e.id = q OR toLower(e.name) = toLower(q) OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = toLower(q))
         RETURN q, collect(elementId(e)) AS ids`,
        { names },
        { database },
    );
    const found: string[] = [];
    for (const record of records) {
        const ids = record.get("ids") as string[];
        if (ids.length === 0) {
            const q = record.get("q") as string;
            throw new NotFoundError(`No entity named '${q}'${await suggestions(driver, database, q)}: use a name, an alias or an id such as actor:apt31`);
        }
        found.push(...ids);
    }
    return [...new Set(found)];
}

async function suggestions(driver: Driver, database: string, q: string): Promise<string> {
    try {
        const terms = q.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, " ").trim();
        if (!terms) return "";
        const { records } = await driver.executeQuery(
            "CALL db.index.fulltext.queryNodes('entity_search', $terms) YIELD node RETURN node.name AS name LIMIT 3",
            { terms },
            { database },
        );
        const names = records.map((r) => `'${r.get("name") as string}'`);
        return names.length > 0 ? ` (did you mean ${names.join(", ")}?)` : "";
    } catch {
        return "";
    }
}

/** Breadth-first over the typed edges, `depth` hops, either direction. */
async function expand(driver: Driver, database: string, seeds: string[], depth: number): Promise<string[]> {
    const seen = new Set(seeds);
    let frontier = seeds;
    for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
        const { records } = await driver.executeQuery(
            `MATCH (e:Entity)-[r]-(n:Entity)
             WHERE elementId(e) IN $frontier AND type(r) IN $types
             RETURN collect(DISTINCT elementId(n)) AS next`,
            { frontier, types: [...PREDICATES] },
            { database },
        );
        frontier = (records[0]!.get("next") as string[]).filter((id) => !seen.has(id));
        for (const id of frontier) seen.add(id);
    }
    return [...seen];
}

/** The entities plus the claims between them, those claims' sources and claimants, and merged names. */
async function withEvidence(driver: Driver, database: string, entities: string[]): Promise<string[]> {
    const { records } = await driver.executeQuery(
        `MATCH (s:Entity)<-[:SUBJECT]-(c:Claim)-[:OBJECT]->(o:Entity)
         WHERE elementId(s) IN $ids AND elementId(o) IN $ids
         OPTIONAL MATCH (c)-[:FROM]->(src)
         OPTIONAL MATCH (c)-[:CLAIMED_BY]->(who)
         WITH collect(DISTINCT elementId(c)) AS claims, collect(DISTINCT elementId(src)) AS sources, collect(DISTINCT elementId(who)) AS claimants
         OPTIONAL MATCH (m)-[:MERGED_INTO]->(e:Entity) WHERE elementId(e) IN $ids
         WITH claims, sources, claimants, collect(DISTINCT elementId(m)) AS merged
         RETURN claims + sources + claimants + merged AS ids`,
        { ids: entities },
        { database },
    );
    return [...new Set([...entities, ...(records[0]?.get("ids") as string[] | undefined ?? [])])];
}

interface RawProp {
    k: string;
    v: unknown;
    t: string;
}

const BASE_TYPES: Record<string, ScalarType> = {
    STRING: "string",
    INTEGER: "integer",
    FLOAT: "float",
    BOOLEAN: "boolean",
    DATE: "date",
    "ZONED DATETIME": "datetime",
    "LOCAL DATETIME": "localdatetime",
    "ZONED TIME": "time",
    "LOCAL TIME": "localtime",
    DURATION: "duration",
    POINT: "point",
    NOTHING: "nothing",
};

export function parseValueType(t: string): PropertyType {
    const bare = t.replace(/ NOT NULL$/, "");
    const list = /^LIST<(.+)>$/.exec(bare);
    const inner = (list ? list[1]! : bare).replace(/ NOT NULL$/, "");
    const base = BASE_TYPES[inner];
    if (!base) throw new Error(`Cannot export a property of type ${t}`);
    return { base, list: Boolean(list) };
}

function toProperties(raw: RawProp[]): Property[] {
    return raw
        .map(({ k, v, t }) => {
            const type = parseValueType(t);
            const value = type.list ? (v as unknown[]).map((x) => toScalar(x, type.base)) : toScalar(v, type.base);
            return { name: k, type, value };
        })
        .sort((a, b) => compare(a.name, b.name));
}

function toScalar(v: unknown, base: ScalarType): Scalar {
    if (base === "string" || base === "boolean") return v as Scalar;
    if (base === "integer" || base === "float") return typeof v === "number" ? v : Number(v as { toString(): string });
    if (base === "point") {
        const p = v as { srid: unknown; x: number; y: number; z?: number };
        return `{srid: ${String(p.srid)}, x: ${p.x}, y: ${p.y}${p.z === undefined ? "" : `, z: ${p.z}`}}`;
    }
    return String(v); // temporal and duration values: their ISO 8601 form
}

function idOf(properties: Property[]): string | undefined {
    const id = properties.find((p) => p.name === "id");
    return id && typeof id.value === "string" ? id.value : undefined;
}

function nodeSortKey(n: { labels: string[]; properties: Property[] }): string {
    return `${idOf(n.properties) ?? "\uffff"}\u0000${n.labels.join(":")}\u0000${JSON.stringify(n.properties)}`;
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
