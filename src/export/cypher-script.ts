/**
 * A replayable Cypher script: cyberkg's schema, then the nodes and relationships in batches of UNWIND rows,
 * with every property value written as a typed Cypher literal (integers stay integers, dates stay dates).
 * Replayed into an empty database (`cypher-shell -f cyberkg.cypher`, or statement by statement) it recreates
 * the same graph, and exporting that graph again gives the same script.
 *
 * Nodes are matched to their relationships through a temporary label and key (`:CyberkgExport {_exportKey}`),
 * removed at the end, so the script does not depend on any node having an `id`.
 *
 * This writes a script FILE, not a query we run: values are embedded as escaped literals (`stringLiteral`,
 * `valueLiteral`) because a replayable script has no parameters, and every label, type and key goes through
 * `label()`/`key()`, which backtick-quote it.
 */
import fs from "node:fs";
import path from "node:path";
import { CYPHER_DIR, readCypherStatements } from "../neo4j/cypher-files.ts";
import { chunks, groupBy } from "../collections.ts";
import type { ExportFormat } from "./formats.ts";
import { describeScope } from "./gexf.ts";
import type { ExportGraph, Property, Scalar, ScalarType } from "./types.ts";

const BATCH = 200;
const TEMP_LABEL = "CyberkgExport";
const TEMP_KEY = "_exportKey";

export const cypherScript: ExportFormat = {
    name: "cypher",
    description: "a Cypher script that recreates the graph in an empty database (cypher-shell -f)",
    layout: "file",
    defaultOut: "cyberkg.cypher",
    render: (graph) => [{ name: "cyberkg.cypher", content: renderCypherScript(graph) }],
};

export function renderCypherScript(graph: ExportGraph): string {
    const out: string[] = [
        `// ${describeScope(graph)}`,
        "// Replay into an EMPTY database: cypher-shell -u neo4j -p <password> -f cyberkg.cypher",
        "// Each statement ends with ';' at the end of a line and runs in its own transaction.",
        "",
        "// Schema (cypher/schema.cypher)",
    ];
    if (fs.existsSync(path.join(CYPHER_DIR, "schema.cypher"))) {
        for (const statement of readCypherStatements("schema.cypher")) out.push(`${statement};`);
    }
    out.push(`CREATE INDEX cyberkg_export_key IF NOT EXISTS FOR (n:${TEMP_LABEL}) ON (n.${TEMP_KEY});`, "CALL db.awaitIndexes(300);", "");

    const nodeGroups = groupBy(graph.nodes, (n) => n.labels.join(":"));
    for (const [labels, nodes] of nodeGroups) {
        const labelText = [TEMP_LABEL, ...(labels ? labels.split(":") : [])].map(label).join(":");
        for (const batch of chunks(nodes, BATCH)) {
            out.push("UNWIND [");
            out.push(batch.map((n) => `  {k: ${stringLiteral(n.key)}, p: ${mapLiteral(n.properties)}}`).join(",\n"));
            out.push(`] AS row`, `CREATE (n:${labelText} {${TEMP_KEY}: row.k})`, "SET n += row.p;", "");
        }
    }
    for (const [type, rels] of groupBy(graph.relationships, (r) => r.type)) {
        for (const batch of chunks(rels, BATCH)) {
            out.push("UNWIND [");
            out.push(batch.map((r) => `  {s: ${stringLiteral(r.start)}, e: ${stringLiteral(r.end)}, p: ${mapLiteral(r.properties)}}`).join(",\n"));
            out.push(
                "] AS row",
                `MATCH (a:${TEMP_LABEL} {${TEMP_KEY}: row.s})`,
                `MATCH (b:${TEMP_LABEL} {${TEMP_KEY}: row.e})`,
                `CREATE (a)-[r:${label(type)}]->(b)`,
                "SET r += row.p;",
                "",
            );
        }
    }
    out.push(`MATCH (n:${TEMP_LABEL})`, `REMOVE n:${TEMP_LABEL}, n.${TEMP_KEY};`, "DROP INDEX cyberkg_export_key IF EXISTS;", "");
    return out.join("\n");
}

function mapLiteral(properties: Property[]): string {
    return `{${properties.map((p) => `${key(p.name)}: ${valueLiteral(p.value, p.type.base)}`).join(", ")}}`;
}

function valueLiteral(value: Scalar | Scalar[], base: ScalarType): string {
    if (Array.isArray(value)) return `[${value.map((v) => scalarLiteral(v, base)).join(", ")}]`;
    return scalarLiteral(value, base);
}

function scalarLiteral(value: Scalar, base: ScalarType): string {
    switch (base) {
        case "string":
        case "nothing":
            return stringLiteral(String(value));
        case "integer":
            return String(value);
        case "float": {
            const n = value as number;
            if (Number.isNaN(n)) return "0.0 / 0.0";
            if (!Number.isFinite(n)) return n > 0 ? "1.0 / 0.0" : "-1.0 / 0.0";
            return Number.isInteger(n) ? n.toFixed(1) : String(n);
        }
        case "boolean":
            return value ? "true" : "false";
        case "point":
            return `point(${String(value)})`;
        default:
            return `${base}(${stringLiteral(String(value))})`;
    }
}

export function stringLiteral(text: string): string {
    return `'${text
        .replace(/\\/g, "\\\\")
        .replace(/'/g, "\\'")
        .replace(/\n/g, "\\n")
        .replace(/\r/g, "\\r")
        .replace(/\t/g, "\\t")}'`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function key(name: string): string {
    return IDENTIFIER.test(name) ? name : `\`${name.replace(/`/g, "``")}\``;
}

function label(name: string): string {
    return `\`${name.replace(/`/g, "``")}\``;
}
