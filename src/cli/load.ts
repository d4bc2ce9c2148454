/** `cyberkg load <files|dirs|->`: validate and load facts documents (JSON, JSONL, YAML). */
import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_BATCH_SIZE } from "../loader/batch-size.ts";
import { openGraph } from "./context.ts";


function batchSize(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError("must be a whole number from 1 to 10000");
    return n;
}

export function registerLoad(program: Command): void {
    program
        .command("load")
        .description("Load facts documents (JSON, JSONL, YAML; files, directories or - for stdin)")
        .argument("<inputs...>", "files or directories; - reads JSON lines from stdin")
        .option("--dry-run", "validate only, write nothing")
        .option("--strict", "stop at the first bad document (default: report it and load the rest)")
        .option("--batch-size <n>", `documents per write transaction (1: one transaction per document; default ${DEFAULT_BATCH_SIZE})`, batchSize, DEFAULT_BATCH_SIZE)
        .action(async (inputs: string[], options: { dryRun?: boolean; strict?: boolean; batchSize: number }) => {
            // Loaded here, not at the top: `cyberkg --help` must not pay for the loader and the driver.
            const [{ default: cliProgress }, { loadFiles, formatSummary }, { expandInputs }] = await Promise.all([
                import("cli-progress"),
                import("../loader/load-files.ts"),
                import("../loader/read-documents.ts"),
            ]);
            const files = expandInputs(inputs);
            const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: "Loading {bar} {value}/{total} files | {doc}", stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
            const graph = options.dryRun ? undefined : await openGraph();
            try {
                bar?.start(files.length, 0, { doc: "" });
                let lastFile = "";
                const summary = await loadFiles(inputs, graph?.loader, {
                    ...options,
                    onDocument: (source, outcome) => {
                        const file = source.replace(/(:\d+|\[\d+\]|#\d+)$/, "");
                        if (file !== lastFile) {
                            lastFile = file;
                            bar?.increment(1, { doc: source });
                        }
                        if (outcome instanceof Error) {
                            if (bar) bar.update({ doc: `rejected ${source}` });
                            process.stderr.write(`${bar ? "\n" : ""}rejected: ${outcome.message}\n`);
                        }
                    },
                });
                bar?.stop();
                process.stdout.write(formatSummary(summary, options.dryRun) + "\n");
                if (summary.newEntityIds.length > 0) {
                    const shown = summary.newEntityIds.slice(0, 25).join(", ");
                    const more = summary.newEntityIds.length > 25 ? ` … and ${summary.newEntityIds.length - 25} more` : "";
                    process.stdout.write(`New entities (not in the registry or the graph before): ${shown}${more}\n`);
                }
                if (summary.rejected > 0) process.exitCode = 2;
            } finally {
                bar?.stop();
                await graph?.close();
            }
        });
}
