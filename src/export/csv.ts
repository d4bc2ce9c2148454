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
        const header = [":ID", ":LABEL", ...columns.map(headerOf)];
        const rows = nodes.map((n) => [n.key, n.labels.join(";"), ...cells(n.properties, columns)]);
        const name = `nodes-${safe(group)}.csv`;
        nodeFiles.push(name);
        files.push({ name, content: toCsv([header, ...rows]) });
    }
    const relFiles: string[] = [];
    for (const [type, rels] of groupBy(graph.relationships, (r) => r.type)) {
        const columns = columnsOf(rels);
        const header = [":START_ID", ":END_ID", ":TYPE", ...columns.map(headerOf)];
        const rows = rels.map((r) => [r.start, r.end, r.type, ...cells(r.properties, columns)]);
        const name = `relationships-${safe(type)}.csv`;
        relFiles.push(name);
        files.push({ name, content: toCsv([header, ...rows]) });
    }
    files.push({
        name: "import.sh",
        content: [
            "#!/usr/bin/env sh",
            "# Imports these files into an EMPTY database with neo4j-admin (Neo4j 5), then applies cyberkg's schema on next start.",
            "# Usage: stop Neo4j, then  sh import.sh [database]   (default: neo4j)",
            'cd "$(dirname "$0")"',
            "neo4j-admin database import full \"${1:-neo4j}\" --overwrite-destination \\",
            `  --array-delimiter='${ARRAY_DELIMITER}' --multiline-fields=true \\`,
            ...nodeFiles.map((f) => `  --nodes=${f} \\`),
            ...relFiles.map((f) => `  --relationships=${f} \\`),
            "  --verbose",
            "",
        ].join("\n"),
    });
    return files;
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

function cells(properties: Property[], columns: Column[]): string[] {
    const byName = new Map(properties.map((p) => [p.name, p]));
    return columns.map((c) => {
        const p = byName.get(c.name);
        if (!p) return "";
        if (c.type === "mixed") return Array.isArray(p.value) ? JSON.stringify(p.value) : String(p.value);
        if (Array.isArray(p.value)) return p.value.map((v) => scalarText(v, p.type.base)).join(ARRAY_DELIMITER);
        return scalarText(p.value, p.type.base);
    });
}

function scalarText(value: Scalar, base: ScalarType): string {
    if (base === "float" && typeof value === "number" && Number.isInteger(value)) return value.toFixed(1);
    return String(value);
}

function toCsv(rows: string[][]): string {
    return rows.map((row) => row.map(quote).join(",")).join("\n") + "\n";
}

function quote(cell: string): string {
    return /[",\n\r]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function safe(name: string): string {
    return name.replace(/[^A-Za-z0-9_-]/g, "_");
}
