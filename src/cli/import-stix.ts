/** `cyberkg import-stix <bundle.json...>`: STIX 2.0/2.1 bundles into the graph (see src/stix/import.ts). */
import type { Command } from "commander";
import type { StixImportSummary } from "../stix/import.ts";
import ms from "ms";
import { DEFAULT_STIX_IMPORT_TIMEOUT, loadConfig } from "../config.ts";
import { openGraph } from "./context.ts";

export function registerImportStix(program: Command): void {
    program
        .command("import-stix")
        .description("Import STIX 2.0/2.1 bundles: groups, victims, locations, campaigns; targets, attributed-to, located-at, revoked-by")
        .argument("<bundles...>", "STIX bundle files (JSON); give related bundles in one call so references between them resolve")
        .addHelpText(
            "after",
            "\nExample (MITRE ATT&CK groups, with revoked groups and campaigns):\n  npx cyberkg import-stix attack/intrusion-sets.json attack/intrusion-sets-revoked-deprecated.json \\\n      attack/campaigns-attributed-to.json attack/identity-and-marking.json\n",
        )
        .option("--timeout <duration>", `timeout of the call's one transaction, e.g. 90s, 30m, 2h (env STIX_IMPORT_TIMEOUT; default ${DEFAULT_STIX_IMPORT_TIMEOUT}); past it nothing is written`)
        .action(async (files: string[], options: { timeout?: string }) => {
            const started = Date.now();
            const overrides = { STIX_IMPORT_TIMEOUT: options.timeout };
            const timeoutMs = loadConfig(overrides).stix.importTimeoutMs; // a bad --timeout fails before anything else
            const [{ default: cliProgress }, { readBundle }, { importBundles }] = await Promise.all([import("cli-progress"), import("../stix/bundle.ts"), import("../stix/import.ts")]);
            const bundles = files.map(readBundle); // a bad file fails here, before connecting or writing
            const graph = await openGraph(overrides);
            const objects = bundles.reduce((n, b) => n + b.objects.length, 0);
            process.stderr.write(`Importing ${objects} objects of ${bundles.length} bundle${bundles.length === 1 ? "" : "s"} in one transaction (timeout ${ms(timeoutMs)}): all of it or nothing\n`);
            const bar = process.stderr.isTTY
                ? new cliProgress.SingleBar({ format: "Importing {bar} {value}/{total} bundles | {doc}", stream: process.stderr }, cliProgress.Presets.shades_classic)
                : undefined;
            try {
                bar?.start(files.length, 0, { doc: "" });
                const summary = await importBundles(graph.loader, graph.registry, bundles, {
                    timeoutMs,
                    onBundle: (file, result) => {
                        if (bar) bar.increment(1, { doc: file });
                        else process.stderr.write(`${result.status}: ${file} (${result.claims} claims)\n`);
                    },
                }, started);
                bar?.stop();
                process.stdout.write(formatStixSummary(summary) + "\n");
                if (summary.newEntityIds.length > 0) process.stdout.write(`New entities: ${summary.newEntityIds.join(", ")}\n`);
            } finally {
                bar?.stop();
                await graph.close();
            }
        });
}

export function formatStixSummary(s: StixImportSummary): string {
    const st = s.stats;
    const unmapped = Object.entries(st.unmapped)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
    return [
        `Bundles: ${s.loaded} loaded, ${s.replaced} replaced, ${s.unchanged} unchanged (${st.objects} objects${st.invalidObjects ? `, ${st.invalidObjects} invalid skipped` : ""}) in ${(s.elapsed / 1000).toFixed(1)}s`,
        `Entities: ${s.entitiesNew} new, ${s.entitiesMatched} matched existing`,
        `Facts: ${s.facts}; claims written: ${s.claims}${st.liftedFromCampaigns ? ` (${st.liftedFromCampaigns} campaign targets credited to their groups)` : ""}`,
        ...(s.sourcesRestored || s.sourcesAlreadyLoaded ? [`Our own export: ${s.sourcesRestored} original sources restored with their claims, ${s.sourcesAlreadyLoaded} already in this database (not counted again)`] : []),
        `Identity: ${s.merges} revoked groups merged into their replacement, ${s.alreadyOne} already one node; ${s.possiblySame} POSSIBLY_SAME_AS (disputed aliases)`,
        `Skipped: ${st.danglingRefs} dangling references, ${st.deprecated} deprecated, ${st.revokedWithoutReplacement} revoked without replacement, ${st.typeRule} against the type rules${unmapped ? `; not in the vocabulary: ${unmapped}` : ""}`,
    ].join("\n");
}
