/** Reads the graph (or a subgraph) and renders it in one format: what `cyberkg export` and the tests call. */
import type { Driver } from "neo4j-driver";
import { getFormat, type ExportFile } from "./formats.ts";
import { readGraph, type ReadGraphOptions } from "./read-graph.ts";
import type { ExportGraph } from "./types.ts";

export async function exportGraph(
    driver: Driver,
    database: string,
    format: string,
    options: ReadGraphOptions = {},
): Promise<{ graph: ExportGraph; files: ExportFile[] }> {
    const f = getFormat(format);
    const graph = await readGraph(driver, database, options);
    return { graph, files: f.render(graph) };
}
