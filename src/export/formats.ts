/**
 * The export formats, by name. A format turns an ExportGraph into one file (`layout: "file"`, written to
 * `--out`) or several (`layout: "directory"`, written into `--out`). To add one (e.g. `stix`): write
 * `src/export/stix.ts` exporting an `ExportFormat`, and add it to BUILT_IN below; `cyberkg export --format`
 * lists and validates names from here.
 */
import { NotFoundError } from "../errors.ts";
import { csv } from "./csv.ts";
import { cypherScript } from "./cypher-script.ts";
import { gexf } from "./gexf.ts";
import { graphml } from "./graphml.ts";
import { stixFormat } from "./stix.ts";
import { ftmFormat } from "./ftm.ts";
import type { ExportGraph } from "./types.ts";

export interface ExportFile {
    /** File name (relative to the output directory for directory formats). */
    name: string;
    content: string;
}

export interface ExportFormat {
    name: string;
    /** One line for `cyberkg export --help`. */
    description: string;
    layout: "file" | "directory";
    /** Default `--out`. */
    defaultOut: string;
    render(graph: ExportGraph): ExportFile[];
}

const BUILT_IN: ExportFormat[] = [graphml, gexf, csv, cypherScript, stixFormat, ftmFormat];

const formats = new Map<string, ExportFormat>();
for (const format of BUILT_IN) registerFormat(format);

export function registerFormat(format: ExportFormat): void {
    if (formats.has(format.name)) throw new Error(`Export format '${format.name}' is registered twice`);
    formats.set(format.name, format);
}

export function formatNames(): string[] {
    return [...formats.keys()];
}

export function getFormat(name: string): ExportFormat {
    const format = formats.get(name.toLowerCase());
    if (!format) throw new NotFoundError(`Unknown export format '${name}': use one of ${formatNames().join(", ")}`);
    return format;
}
