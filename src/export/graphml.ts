/**
 * GraphML for Gephi, Cytoscape, yEd and networkx (`nx.read_graphml`). Every property becomes a `<key>`;
 * `labels` holds the node labels, `label` a display name, and edges get `type` and a `weight` (the edge's
 * support, i.e. independent sources; 1 for relationships without one).
 * @see http://graphml.graphdrawing.org/specification.html
 */
import { columnsOf, escapeXml, valueText, xmlAttributeType } from "./columns.ts";
import type { ExportFormat } from "./formats.ts";
import { displayLabel, propertyValue, type ExportGraph, type Property } from "./types.ts";

export const graphml: ExportFormat = {
    name: "graphml",
    description: "GraphML (Gephi, Cytoscape, yEd, networkx)",
    layout: "file",
    defaultOut: "cyberkg.graphml",
    render: (graph) => [{ name: "cyberkg.graphml", content: renderGraphml(graph) }],
};

export function renderGraphml(graph: ExportGraph): string {
    const nodeColumns = columnsOf(graph.nodes);
    const edgeColumns = columnsOf(graph.relationships);
    const out: string[] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        '  <key id="labels" for="node" attr.name="labels" attr.type="string"/>',
        '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
        ...nodeColumns.map((c) => `  <key id="n_${escapeXml(c.name)}" for="node" attr.name="${escapeXml(c.name)}" attr.type="${xmlAttributeType(c)}"/>`),
        '  <key id="type" for="edge" attr.name="type" attr.type="string"/>',
        '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
        ...edgeColumns.map((c) => `  <key id="e_${escapeXml(c.name)}" for="edge" attr.name="${escapeXml(c.name)}" attr.type="${xmlAttributeType(c)}"/>`),
        '  <graph id="cyberkg" edgedefault="directed">',
    ];
    for (const node of graph.nodes) {
        out.push(`    <node id="${escapeXml(node.key)}">`);
        out.push(`      <data key="labels">${escapeXml(node.labels.map((l) => `:${l}`).join(""))}</data>`);
        out.push(`      <data key="label">${escapeXml(displayLabel(node))}</data>`);
        out.push(...dataLines(node.properties, "n_"));
        out.push("    </node>");
    }
    for (const rel of graph.relationships) {
        const support = propertyValue(rel.properties, "support");
        out.push(`    <edge id="${escapeXml(rel.key)}" source="${escapeXml(rel.start)}" target="${escapeXml(rel.end)}">`);
        out.push(`      <data key="type">${escapeXml(rel.type)}</data>`);
        out.push(`      <data key="weight">${typeof support === "number" ? support.toFixed(1) : "1.0"}</data>`);
        out.push(...dataLines(rel.properties, "e_"));
        out.push("    </edge>");
    }
    out.push("  </graph>", "</graphml>", "");
    return out.join("\n");
}

function dataLines(properties: Property[], prefix: string): string[] {
    return properties.map((p) => `      <data key="${prefix}${escapeXml(p.name)}">${escapeXml(valueText(p.value, p.type))}</data>`);
}
