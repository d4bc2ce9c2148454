/** `cyberkg import-sanctions --format ofac-sdn <sdn.csv>`: an official sanctions list into the graph (see src/sanctions/import-ofac.ts). */
import path from "node:path";
import { Option, type Command } from "commander";
import { ConfigError } from "../errors.ts";
import type { SanctionsImportSummary } from "../sanctions/import-ofac.ts";
import { openGraph } from "./context.ts";

interface ImportSanctionsOptions {
    format: string;
    history?: string;
    snapshotDate?: string;
    encoding: "utf-8" | "latin1" | "windows-1252";
}

export function registerImportSanctions(program: Command): void {
    program
        .command("import-sanctions")
        .description("Import an official sanctions list (OFAC's SDN CSV): designations as SANCTIONED claims of the listing authority, with listing history")
        .argument("<file>", "the list file (OFAC's legacy sdn.csv: no header, `-0- ` for empty)")
        .addOption(new Option("--format <format>", "list format").choices(["ofac-sdn"]).makeOptionMandatory())
        .option("--history <file>", "listing history: ent_num,sdn_name,first_seen,last_seen,in_<date>_snapshot (listing and delisting days)")
        .option("--snapshot-date <YYYY-MM-DD>", "the day of the snapshot (default: the date in the file name, else the history's last day)")
        .addOption(new Option("--encoding <encoding>", "text encoding of the file").choices(["utf-8", "latin1", "windows-1252"]).default("utf-8"))
        .addHelpText(
            "after",
            "\nExample (the cyber designations of 2024-05-03 with their listing history):\n  npx cyberkg import-sanctions --format ofac-sdn ../shared/data/ofac/sdn-cyber-2024-05-03.csv \\\n      --history ../shared/data/ofac/cyber-listing-history.csv\n",
        )
        .action(async (file: string, options: ImportSanctionsOptions) => {
            const started = Date.now();
            const [{ default: cliProgress }, { readListingHistory }, { importOfacSdn }] = await Promise.all([import("cli-progress"), import("../sanctions/history.ts"), import("../sanctions/import-ofac.ts")]);
            const history = options.history ? await readListingHistory(options.history) : undefined; // a bad file fails before connecting
            const snapshotDate = options.snapshotDate ?? /\d{4}-\d{2}-\d{2}/.exec(path.basename(file))?.[0] ?? history?.end;
            if (!snapshotDate) throw new ConfigError(`${file}: give --snapshot-date YYYY-MM-DD (the file name has no date and there is no --history)`);
            const graph = await openGraph();
            const bar = process.stderr.isTTY
                ? new cliProgress.SingleBar({ format: "Importing {bar} {value}/{total} entries | {entry}", stream: process.stderr }, cliProgress.Presets.shades_classic)
                : undefined;
            try {
                const summary = await importOfacSdn(graph.driver, graph.conn.database, graph.loader, graph.registry, file, {
                    snapshotDate,
                    history,
                    encoding: options.encoding,
                    onStart: (total) => bar?.start(total, 0, { entry: "" }),
                    onEntry: (_done, _total, entry) => bar?.increment(1, { entry: `${entry.entNum} ${entry.name}` }),
                });
                bar?.stop();
                summary.elapsed = Date.now() - started;
                process.stdout.write(formatSanctionsSummary(summary) + "\n");
                if (summary.bad.length > 0 || summary.historyBad.length > 0) process.exitCode = 2;
            } finally {
                bar?.stop();
                await graph.close();
            }
        });
}

export function formatSanctionsSummary(s: SanctionsImportSummary): string {
    const lines = [
        `${s.file} (snapshot ${s.snapshotDate}): ${s.rows} rows, ${s.entries} entries written in ${(s.elapsed / 1000).toFixed(1)}s — ${s.loaded} loaded, ${s.replaced} replaced, ${s.unchanged} unchanged`,
        `Resolution: ${s.matched} matched (${s.threatActors} on threat actors), ${s.new} new, ${s.ambiguous} ambiguous (own node + POSSIBLY_SAME_AS)`,
        `Designations: ${s.designations} (${s.delisted} delisted${s.historyOnly ? `, ${s.historyOnly} known only from the history` : ""}${s.endedBySnapshot ? `, ${s.endedBySnapshot} ended by this snapshot` : ""}); Linked To: ${s.links} AFFILIATED_WITH${s.linksOutsideVocabulary ? `, ${s.linksOutsideVocabulary} no type rule allows (only in sdnLinkedTo)` : ""}`,
    ];
    for (const a of s.ambiguousEntries) lines.push(`ambiguous: ent_num ${a.entNum} '${a.name}' matches ${a.candidates.join(", ")}`);
    for (const r of s.skipped) lines.push(`skipped: line ${r.line}: ${r.reason}`);
    for (const r of s.bad) lines.push(`bad row: ${s.file}: line ${r.line}: ${r.reason}`);
    for (const r of s.historyBad) lines.push(`bad history row: line ${r.line}: ${r.reason}`);
    return lines.join("\n");
}
