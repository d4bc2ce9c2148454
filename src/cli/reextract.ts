/**
 * `cyberkg reextract [--all | --older-than <version>] [--dry-run] [--id <article id>...]`: the current extractor
 * over the stored article texts (src/news/reextract.ts); prints what changed per article and a total.
 */
import type { Command } from "commander";
import { CyberkgError, ErrorCode } from "../errors.ts";

export function registerReextract(program: Command): void {
    program
        .command("reextract")
        .description("Re-run the current extractor over stored article texts, replacing the claims of older extractor versions (reviewed and manual facts are kept)")
        .option("--all", "every stored article with text, whatever extractor read it")
        .option("--older-than <version>", "articles read by an extractor version older than this (default: the current version)")
        .option("--id <id...>", "only these article ids")
        .option("--dry-run", "print the differences, write nothing")
        .action(async (options: { all?: boolean; olderThan?: string; id?: string[]; dryRun?: boolean }) => {
            if (options.all && options.olderThan) throw new CyberkgError(ErrorCode.EXTRACTION, "--all and --older-than exclude each other: choose one");
            if (options.olderThan && !/^\d+(\.\d+)*$/.test(options.olderThan)) throw new CyberkgError(ErrorCode.EXTRACTION, `--older-than: '${options.olderThan}' is not a version such as 0.2.0`);
            const [{ openGraph }, { extractSettings }, { reextract, formatChanges, selectArticles }] = await Promise.all([import("./context.ts"), import("./extract.ts"), import("../news/reextract.ts")]);
            const graph = await openGraph();
            try {
                const selection = { all: options.all, olderThan: options.olderThan, dryRun: options.dryRun, ...(options.id ? { ids: options.id } : {}) };
                const selected = await selectArticles(graph.driver, graph.conn.database, selection);
                const settings = await extractSettings(selected.map((s) => s.id));
                let added = 0, removed = 0, changed = 0, kept = 0, failed = 0, n = 0;
                await reextract({ driver: graph.driver, database: graph.conn.database, loader: graph.loader, registry: graph.registry, extract: settings }, selection, (c) => {
                    n++;
                    if (c.error) failed++;
                    added += c.added.length;
                    removed += c.removed.length;
                    changed += c.changed.length;
                    kept += c.kept;
                    process.stdout.write(formatChanges(c) + "\n");
                });
                process.stdout.write(`${options.dryRun ? "Dry run, nothing written: would re-extract" : "Re-extracted"} ${n - failed} article(s): ${added} facts added, ${removed} removed, ${changed} changed certainty; ${kept} reviewed or manual facts kept${failed ? `; ${failed} failed` : ""}\n`);
                if (failed > 0) process.exitCode = 2;
            } finally {
                await graph.close();
            }
        });
}
