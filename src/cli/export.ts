/** `cyberkg export`: the graph, or the subgraph around named entities, as GraphML, GEXF, CSV or a Cypher script. */
import { Command, InvalidArgumentError, Option } from "commander";
import { ConfigError } from "../errors.ts";
import { formatNames, getFormat } from "../export/formats.ts";
import { openGraph } from "./context.ts";

interface ExportOptions {
    format: string;
    around?: string[];
    depth: number;
    entitiesOnly?: boolean;
    out?: string;
}

export function registerExport(program: Command): void {
    program
        .command("export")
        .description("Export the graph for Gephi, Cytoscape, neo4j-admin import or replay (whole, or around entities)")
        .addOption(new Option("--format <format>", "output format").choices(formatNames()).makeOptionMandatory())
        .option("--around <names...>", "only the subgraph around these entities (names, aliases or ids)")
        .option("--depth <n>", "hops from the --around entities over typed edges", depthOf, 1)
        .option("--entities-only", "only entities and the edges between them (no claims or sources)")
        .option("--out <path>", "output file (directory for csv); - writes to stdout")
        .addHelpText(
            "after",
            `\nFormats:\n${formatNames().map((n) => `  ${n.padEnd(8)} ${getFormat(n).description}`).join("\n")}\n\nExamples:\n  npx cyberkg export --format graphml --out graph.graphml\n  npx cyberkg export --format gexf --around APT31 --depth 2 --entities-only\n  npx cyberkg export --format cypher --out backup.cypher   # replay: cypher-shell -f backup.cypher\n`,
        )
        .action(async (options: ExportOptions) => {
            const format = getFormat(options.format);
            const out = options.out ?? format.defaultOut;
            if (out === "-" && format.layout === "directory") throw new ConfigError(`--format ${format.name} writes several files: give --out a directory`);
            const [{ exportGraph }, { writeExport }] = await Promise.all([import("../export/export-graph.ts"), import("../export/write-export.ts")]);
            const graph = await openGraph({}, { onProgress: (m) => process.stderr.write(m + "\n") });
            try {
                const { graph: exported, files } = await exportGraph(graph.driver, graph.conn.database, format.name, {
                    around: options.around,
                    depth: options.depth,
                    entitiesOnly: options.entitiesOnly,
                });
                const written = writeExport(format, files, out);
                process.stderr.write(`Exported ${exported.nodes.length} nodes and ${exported.relationships.length} relationships as ${format.name} to ${written.length === 1 ? written[0] : `${out}/ (${written.length} files)`}\n`);
            } finally {
                await graph.close();
            }
        });
}

function depthOf(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 10) throw new InvalidArgumentError("must be a whole number from 0 to 10");
    return n;
}
