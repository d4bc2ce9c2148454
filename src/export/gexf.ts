/**
 * GEXF 1.3 for Gephi: nodes with a label and attributes, directed edges with `label` (the type) and `weight`
 * (the edge's support).
 * @see https://gexf.net/schema.html
 */
import { columnsOf, escapeXml, valueText, xmlAttributeType, type Column } from "./columns.ts";
import type { ExportFormat } from "./formats.ts";
import { displayLabel, propertyValue, type ExportGraph, type Property } from "./types.ts";

export const gexf: ExportFormat = {
    name: "gexf",
    description: "GEXF 1.3 (Gephi)",
    layout: "file",
    defaultOut: "cyberkg.gexf",
    render: (graph) => [{ name: "cyberkg.gexf", content: renderGexf(graph) }],
};

export function renderGexf(graph: ExportGraph): string {
    const nodeColumns: Column[] = [{ name: "labels", type: { base: "string", list: false } }, ...columnsOf(graph.nodes).filter((c) => c.name !== "labels")];
    const edgeColumns: Column[] = [{ name: "type", type: { base: "string", list: false } }, ...columnsOf(graph.relationships).filter((c) => c.name !== "type")];
    const out: string[] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">',
        "  <meta>",
        "    <creator>cyberkg</creator>",
        `    <description>${escapeXml(describeScope(graph))}</description>`,
        "  </meta>",
        '  <graph defaultedgetype="directed" mode="static">',
        '    <attributes class="node">',
        ...nodeColumns.map((c, i) => `      <attribute id="${i}" title="${escapeXml(c.name)}" type="${xmlAttributeType(c)}"/>`),
        "    </attributes>",
        '    <attributes class="edge">',
        ...edgeColumns.map((c, i) => `      <attribute id="${i}" title="${escapeXml(c.name)}" type="${xmlAttributeType(c)}"/>`),
        "    </attributes>",
        "    <nodes>",
    ];
    for (const node of graph.nodes) {
        const values = [{ name: "labels", type: { base: "string", list: false }, value: node.labels.map((l) => `:${l}`).join("") } as Property, ...node.properties];
        out.push(`      <node id="${escapeXml(node.key)}" label="${escapeXml(displayLabel(node))}">`);
        out.push(...attvalues(values, nodeColumns), "      </node>");
    }
    out.push("    </nodes>", "    <edges>");
    for (const rel of graph.relationships) {
        const support = propertyValue(rel.properties, "support");
        const values = [{ name: "type", type: { base: "string", list: false }, value: rel.type } as Property, ...rel.properties];
        out.push(
            `      <edge id="${escapeXml(rel.key)}" source="${escapeXml(rel.start)}" target="${escapeXml(rel.end)}" label="${escapeXml(rel.type)}" weight="${typeof support === "number" ? support.toFixed(1) : "1.0"}">`,
        );
        out.push(...attvalues(values, edgeColumns), "      </edge>");
    }
    out.push("    </edges>", "  </graph>", "</gexf>", "");
    return out.join("\n");
}

function attvalues(properties: Property[], columns: Column[]): string[] {
    const index = new Map(columns.map((c, i) => [c.name, i]));
    const lines = properties
        .filter((p) => index.has(p.name))
        .map((p) => `          <attvalue for="${index.get(p.name)}" value="${escapeXml(valueText(p.value, p.type))}"/>`);
    return ["        <attvalues>", ...lines, "        </attvalues>"];
}

export function describeScope(graph: ExportGraph): string {
    const { around, depth, entitiesOnly } = graph.scope;
    const what = around.length > 0 ? `subgraph within ${depth} hop(s) of ${around.join(", ")}` : "whole graph";
    return `cyberkg ${what}${entitiesOnly ? " (entities and their edges only)" : ""}: ${graph.nodes.length} nodes, ${graph.relationships.length} relationships`;
}
