/**
 * CSV in the layout of `neo4j-admin database import` (one file per label combination and per relationship
 * type, typed headers such as `support:long` and `aliases:string[]`), plus `import.sh` with the command.
 * The same files open in Cytoscape, pandas or a spreadsheet.
 * @see https://neo4j.com/docs/operations-manual/5/tools/neo4j-admin/neo4j-admin-import/
 */
import { columnsOf, type Column } from "./columns.ts";
import type { ExportFile, ExportFormat } from "./formats.ts";
import type { ExportGraph, Property, Scalar, ScalarType } from "./types.ts";
import { groupBy } from "../collections.ts";

/** Array elements are joined with this (neo4j-admin `--array-delimiter`). */
export const ARRAY_DELIMITER = "|";

export const csv: ExportFormat = {
    name: "csv",
    description: "CSV for neo4j-admin import (and Cytoscape, pandas, spreadsheets): a directory",
    layout: "directory",
    defaultOut: "cyberkg-csv",
    render: renderCsv,
};

export function renderCsv(graph: ExportGraph): ExportFile[] {
    const files: ExportFile[] = [];
    const nodeGroups = groupBy(graph.nodes, (n) => n.labels.join("_") || "Node");
    const nodeFiles: string[] = [];
    for (const [group, nodes] of nodeGroups) {
        const columns = columnsOf(nodes);
        const marker = nodes.some(hasEmptyList);
        const header = [":ID", ":LABEL", ...columns.map(headerOf), ...(marker ? [EMPTY_LISTS_HEADER] : [])];
        // neo4j-admin splits :LABEL on the array delimiter, like every array column.
        const rows = nodes.map((n) => [n.key, n.labels.join(ARRAY_DELIMITER), ...cells(n.properties, columns), ...(marker ? [emptyLists(n)] : [])]);
        const name = `nodes-${safe(group)}.csv`;
        nodeFiles.push(name);
        files.push({ name, content: toCsv([header, ...rows]) });
    }
    const relFiles: string[] = [];
    for (const [type, rels] of groupBy(graph.relationships, (r) => r.type)) {
        const columns = columnsOf(rels);
        const marker = rels.some(hasEmptyList);
        const header = [":START_ID", ":END_ID", ":TYPE", ...columns.map(headerOf), ...(marker ? [EMPTY_LISTS_HEADER] : [])];
        const rows = rels.map((r) => [r.start, r.end, r.type, ...cells(r.properties, columns), ...(marker ? [emptyLists(r)] : [])]);
        const name = `relationships-${safe(type)}.csv`;
        relFiles.push(name);
        files.push({ name, content: toCsv([header, ...rows]) });
    }
    files.push({ name: "import.sh", content: importScript(nodeFiles, relFiles) });
    files.push({ name: POST_IMPORT, content: POST_IMPORT_CYPHER });
    return files;
}

/**
 * neo4j-admin cannot write an empty list (an empty field means "no property"), but the graph has them (an entity
 * with no aliases has `aliases: []`, which the API's non-null lists rely on). Their property names travel in a
 * marker column, and `post-import.cypher`, run once on the started database, turns them back into empty lists.
 */
const EMPTY_LISTS_PROPERTY = "cyberkgEmptyLists";
const EMPTY_LISTS_HEADER = `${EMPTY_LISTS_PROPERTY}:string[]`;
export const POST_IMPORT = "post-import.cypher";
const POST_IMPORT_CYPHER = [
    "// Run once after import.sh, on the started database (cypher-shell -f post-import.cypher, or paste into Neo4j Browser):",
    "// restores the empty lists neo4j-admin cannot write (see the cyberkgEmptyLists column).",
    `MATCH (n) WHERE n.${EMPTY_LISTS_PROPERTY} IS NOT NULL`,
    `CALL (n) { SET n += apoc.map.fromLists(n.${EMPTY_LISTS_PROPERTY}, [k IN n.${EMPTY_LISTS_PROPERTY} | []]) REMOVE n.${EMPTY_LISTS_PROPERTY} } IN TRANSACTIONS OF 10000 ROWS;`,
    `MATCH ()-[r]->() WHERE r.${EMPTY_LISTS_PROPERTY} IS NOT NULL`,
    `CALL (r) { SET r += apoc.map.fromLists(r.${EMPTY_LISTS_PROPERTY}, [k IN r.${EMPTY_LISTS_PROPERTY} | []]) REMOVE r.${EMPTY_LISTS_PROPERTY} } IN TRANSACTIONS OF 10000 ROWS;`,
    "",
].join("\n");

function hasEmptyList(item: { properties: Property[] }): boolean {
    return item.properties.some((p) => Array.isArray(p.value) && p.value.length === 0);
}

function emptyLists(item: { properties: Property[] }): string | undefined {
    const names = item.properties.filter((p) => Array.isArray(p.value) && p.value.length === 0).map((p) => p.name);
    return names.length > 0 ? names.join(ARRAY_DELIMITER) : undefined;
}

/**
 * The import command: `neo4j-admin` from NEO4J_HOME/bin or the PATH, or the same tool (`org.neo4j.cli.AdminTool`)
 * from the jars in NEO4J_LIB (default NEO4J_HOME/lib) with Java, which is how cyberkg's local runtime (.neo4j/)
 * ships it. NEO4J_CONF picks the neo4j.conf that says where the data directory is.
 */
function importScript(nodeFiles: string[], relFiles: string[]): string {
    return [
        "#!/usr/bin/env sh",
        "# Imports these files into an EMPTY (or to-be-overwritten) database with neo4j-admin (Neo4j 5); cyberkg applies",
        "# its schema (constraints, indexes) on the next start. Then run post-import.cypher once (it restores empty lists).",
        "# Stop Neo4j first, then:",
        "#   sh import.sh [database]                                   (default: neo4j; neo4j-admin on the PATH or in $NEO4J_HOME/bin)",
        "#   NEO4J_HOME=.neo4j NEO4J_CONF=.neo4j/conf sh import.sh     (cyberkg's local runtime: java + the jars in .neo4j/lib)",
        "set -eu",
        'cd "$(dirname "$0")"',
        'lib="${NEO4J_LIB:-${NEO4J_HOME:-}/lib}"',
        'if [ -z "${NEO4J_LIB:-}" ] && [ -n "${NEO4J_HOME:-}" ] && [ -x "$NEO4J_HOME/bin/neo4j-admin" ]; then',
        '  admin() { "$NEO4J_HOME/bin/neo4j-admin" "$@"; }',
        'elif [ -z "${NEO4J_LIB:-}" ] && command -v neo4j-admin >/dev/null 2>&1; then',
        '  admin() { neo4j-admin "$@"; }',
        'elif ls "$lib"/neo4j-import-tool-*.jar >/dev/null 2>&1; then',
        '  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"',
        '  admin() { "$java" -cp "$lib/*" org.neo4j.cli.AdminTool "$@"; }',
        "else",
        '  echo "import.sh: neo4j-admin not found: put it on the PATH, or set NEO4J_HOME (a Neo4j 5 home, or the .neo4j of cyberkg) or NEO4J_LIB (a directory of Neo4j 5 jars)" >&2',
        "  exit 2",
        "fi",
        'admin database import full "${1:-neo4j}" --overwrite-destination=true \\',
        `  --array-delimiter='${ARRAY_DELIMITER}' --multiline-fields=true --ignore-empty-strings=false \\`,
        ...nodeFiles.map((f) => `  --nodes=${f} \\`),
        ...relFiles.map((f) => `  --relationships=${f} \\`),
        "  --verbose",
        'echo "Imported. Start Neo4j, then run post-import.cypher once (cypher-shell -f post-import.cypher)."',
        "",
    ].join("\n");
}

const ADMIN_TYPES: Record<ScalarType, string> = {
    string: "string",
    integer: "long",
    float: "double",
    boolean: "boolean",
    date: "date",
    datetime: "datetime",
    localdatetime: "localdatetime",
    time: "time",
    localtime: "localtime",
    duration: "duration",
    point: "point",
    nothing: "string",
};

function headerOf(column: Column): string {
    if (column.type === "mixed") return `${column.name}:string`;
    return `${column.name}:${ADMIN_TYPES[column.type.base]}${column.type.list ? "[]" : ""}`;
}

function cells(properties: Property[], columns: Column[]): (string | undefined)[] {
    const byName = new Map(properties.map((p) => [p.name, p]));
    return columns.map((c) => {
        const p = byName.get(c.name);
        if (!p) return undefined;
        if (c.type === "mixed") return Array.isArray(p.value) ? JSON.stringify(p.value) : String(p.value);
        if (Array.isArray(p.value)) return p.value.map((v) => scalarText(v, p.type.base)).join(ARRAY_DELIMITER);
        return scalarText(p.value, p.type.base);
    });
}

function scalarText(value: Scalar, base: ScalarType): string {
    if (base === "float" && typeof value === "number" && Number.isInteger(value)) return value.toFixed(1);
    return String(value);
}

function toCsv(rows: (string | undefined)[][]): string {
    return rows.map((row) => row.map(quote).join(",")).join("\n") + "\n";
}

function quote(cell: string | undefined): string {
    if (cell === undefined) return ""; // no property: an empty field (null to neo4j-admin)
    return cell === "" || /[",\n\r]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function safe(name: string): string {
    return name.replace(/[^A-Za-z0-9_-]/g, "_");
}
