/**
 * Loader benchmark: the same generated corpus (`gen:corpus`) loaded three ways into a throwaway local Neo4j:
 *   (a) ours: `loadFiles` + FactLoader, the code path of `cyberkg load` (then the same corpus again, and the
 *       unchanged corpus: the last version of each document);
 *   (b) naive: one transaction per fact, plain MERGE, on a sample of the facts, scaled to the corpus;
 *   (c) the limit: `neo4j-admin database import full` of the graph (a) built, from our `export --format csv`,
 *       with the local runtime's jars, into a second home (the import alone is timed, as neo4j-admin reports it).
 *   npm run bench:load -- [--facts 10000] [--seed 1] [--naive-sample 1000] [--runs 1] [--heap 1g] [--pagecache 512m]
 * Prints a table and writes JSON to bench/results/load-<time>.json. With --runs N each figure is the median.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { REPO_ROOT } from "../src/config.ts";
import { exportGraph } from "../src/export/export-graph.ts";
import { FactLoader } from "../src/loader/FactLoader.ts";
import { loadFiles } from "../src/loader/load-files.ts";
import { unitFromDocument } from "../src/loader/load-unit.ts";
import { validateDocument } from "../src/loader/validate.ts";
import { DEFAULT_BATCH_SIZE } from "../src/loader/batch-size.ts";
import { unitFromRegistry } from "../src/loader/registry-unit.ts";
import type { FactsDocumentInput } from "../src/model/facts-document.ts";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { Registry } from "../src/registry/Registry.ts";
import { naiveFacts, naiveLoad } from "./naive-load.ts";
import { machine, median, runtimeAt, startThrowaway, wipe } from "./throwaway-neo4j.ts";

const positive = (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
    return n;
};
const size = (value: string) => {
    if (!/^\d+[mg]$/i.test(value)) throw new InvalidArgumentError("must look like 512m or 2g");
    return value;
};
const opts = new Command("bench:load")
    .option("--facts <n>", "facts in the corpus (documents = facts / 12.5)", positive, 10_000)
    .option("--seed <n>", "corpus seed", positive, 1)
    .option("--naive-sample <n>", "facts loaded by the naive baseline (then scaled)", positive, 1_000)
    .option("--runs <n>", "runs of each way (median reported)", positive, 1)
    .option("--heap <size>", "Neo4j heap", size, "1g")
    .option("--pagecache <size>", "Neo4j page cache", size, "512m")
    .option("--batch-size <n>", "documents per write transaction for (a) (cyberkg load --batch-size)", positive, DEFAULT_BATCH_SIZE)
    .option("--skip-import", "skip (c), the neo4j-admin import")
    .parse()
    .opts<{ batchSize: number; facts: number; seed: number; naiveSample: number; runs: number; heap: string; pagecache: string; skipImport?: boolean }>();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-bench-load-"));
const corpus = path.join(tmp, "corpus.jsonl");
const documents = Math.ceil(opts.facts / 12.5);
const gen = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "bench", "gen-corpus.ts"), "--documents", String(documents), "--seed", String(opts.seed), "--out", corpus], { encoding: "utf8", stdio: ["ignore", "inherit", "inherit"] });
if (gen.status !== 0) throw new Error("gen:corpus failed");
const lines = fs.readFileSync(corpus, "utf8").trim().split("\n");
const facts = lines.reduce((n, l) => n + (JSON.parse(l) as FactsDocumentInput).facts.length, 0);
process.stderr.write(`[bench] corpus: ${documents} documents, ${facts} facts (${corpus})\n`);
// The corpus as the graph holds it after (a): the last version of each document. Reloading it changes nothing,
// while reloading the corpus itself writes its changed documents' earlier versions again (two new revisions each).
const latest = new Map<string, string>();
lines.forEach((l, i) => latest.set(unitFromDocument(validateDocument(JSON.parse(l), `line ${i + 1}`), "").source.id, l));
const unchangedCorpus = path.join(tmp, "corpus-latest.jsonl");
fs.writeFileSync(unchangedCorpus, [...latest.values()].join("\n") + "\n");
const unchangedFacts = [...latest.values()].reduce((n, l) => n + (JSON.parse(l) as FactsDocumentInput).facts.length, 0);

const memory = { heap: opts.heap, pagecache: opts.pagecache };
const server = await startThrowaway(memory);
const registry = Registry.load();
const results = { ours: [] as Record<string, number>[], naive: [] as Record<string, number>[], import: [] as Record<string, number>[] };
const perSecond = (n: number, seconds: number) => Math.round(n / seconds);

async function fresh(): Promise<FactLoader> {
    await wipe(server.driver);
    await applySchema(server.driver, "neo4j");
    const loader = new FactLoader(server.driver, "neo4j", registry);
    await loader.load(unitFromRegistry(registry));
    return loader;
}

try {
    for (let run = 0; run < opts.runs; run++) {
        // (a) ours, then the unchanged reload.
        const loader = await fresh();
        let peak = process.memoryUsage().rss;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
        let started = performance.now();
        let done = 0;
        const progress = setInterval(() => process.stderr.write(`[bench] ours: ${done}/${lines.length} documents, ${perSecond(done, (performance.now() - started) / 1000)}/s\n`), 15_000);
        const summary = await loadFiles([corpus], loader, { batchSize: opts.batchSize, onDocument: () => done++ });
        const batches = { ...loader.stats };
        clearInterval(progress);
        const seconds = (performance.now() - started) / 1000;
        clearInterval(sampler);
        if (summary.rejected > 0) throw new Error(`ours rejected ${summary.rejected}: ${JSON.stringify(summary.errors.slice(0, 3))}`);
        started = performance.now();
        const again = await loadFiles([corpus], loader, { batchSize: opts.batchSize });
        const reloadSeconds = (performance.now() - started) / 1000;
        started = performance.now();
        const none = await loadFiles([unchangedCorpus], loader, { batchSize: opts.batchSize });
        const unchangedSeconds = (performance.now() - started) / 1000;
        if (none.unchanged !== latest.size) throw new Error(`reload of the unchanged corpus: ${JSON.stringify({ ...none, newEntityIds: undefined })}`);
        const ours = {
            seconds: +seconds.toFixed(1),
            factsPerSecond: perSecond(facts, seconds),
            claimsPerSecond: perSecond(summary.claims, seconds),
            documentsPerSecond: perSecond(lines.length, seconds),
            claims: summary.claims,
            peakRssMiB: Math.round(peak / 2 ** 20),
            reloadSeconds: +reloadSeconds.toFixed(1),
            reloadUnchanged: again.unchanged,
            reloadFactsPerSecond: perSecond(facts, reloadSeconds),
            reloadRewritten: again.replaced + again.loaded,
            // The last version of each document again: nothing to write.
            unchangedDocuments: none.unchanged,
            unchangedSeconds: +unchangedSeconds.toFixed(2),
            unchangedFactsPerSecond: perSecond(unchangedFacts, unchangedSeconds),
            // Group commit: transactions of several documents, documents written alone, transient retries, batches loaded one by one.
            batchSize: opts.batchSize,
            groupCommits: batches.groupCommits,
            groupedDocuments: batches.groupedUnits,
            singleDocuments: batches.singleUnits,
            retries: batches.retries,
            fallbacks: batches.fallbacks,
            // The 1-minute load average when (a) ended: other processes share the machine.
            loadAverage: +os.loadavg()[0]!.toFixed(1),
        };
        results.ours.push(ours);
        process.stderr.write(`[bench] run ${run + 1} ours: ${JSON.stringify(ours)}\n`);

        // (c) the export of what (a) built, imported by neo4j-admin into a second, stopped home.
        if (!opts.skipImport) {
            const csvDir = path.join(tmp, `csv-${run}`);
            fs.mkdirSync(csvDir);
            for (const f of (await exportGraph(server.driver, "neo4j", "csv")).files) fs.writeFileSync(path.join(csvDir, f.name), f.content);
            const importHome = path.join(tmp, `import-home-${run}`);
            (await runtimeAt(importHome, memory)).writeConfig();
            const timeFile = path.join(tmp, `import-${run}.time`);
            const hasTime = fs.existsSync("/usr/bin/time");
            const command = hasTime ? ["/usr/bin/time", "-f", "%e %M", "-o", timeFile, "sh", path.join(csvDir, "import.sh")] : ["sh", path.join(csvDir, "import.sh")];
            started = performance.now();
            const run2 = spawnSync(command[0]!, command.slice(1), {
                encoding: "utf8",
                env: { ...process.env, NEO4J_HOME: importHome, NEO4J_CONF: path.join(importHome, "conf"), NEO4J_LIB: path.join(REPO_ROOT, ".neo4j", "lib") },
                maxBuffer: 64 * 2 ** 20,
            });
            const wall = (performance.now() - started) / 1000;
            if (run2.status !== 0) throw new Error(`import.sh failed: ${run2.stderr.slice(-2000)}`);
            // neo4j-admin prints "IMPORT DONE in 12s 345ms."; the JVM start is in the wall time.
            const done = /IMPORT DONE in (?:(\d+)m )?(?:(\d+)s )?(\d+)ms/.exec(run2.stdout);
            const importSeconds = done ? Number(done[1] ?? 0) * 60 + Number(done[2] ?? 0) + Number(done[3]) / 1000 : wall;
            const maxRssKiB = hasTime ? Number(fs.readFileSync(timeFile, "utf8").trim().split(/\s+/).pop()) : NaN;
            const imported = {
                seconds: +importSeconds.toFixed(1),
                wallSeconds: +wall.toFixed(1),
                factsPerSecond: perSecond(facts, importSeconds),
                claimsPerSecond: perSecond(summary.claims, importSeconds),
                peakRssMiB: Math.round(maxRssKiB / 1024),
                loadAverage: +os.loadavg()[0]!.toFixed(1),
            };
            results.import.push(imported);
            process.stderr.write(`[bench] run ${run + 1} neo4j-admin import: ${JSON.stringify(imported)}\n`);
            fs.rmSync(importHome, { recursive: true, force: true });
            fs.rmSync(csvDir, { recursive: true, force: true });
        }

        // (b) naive, on a sample.
        await fresh();
        const sample = naiveFacts(lines.map((l) => JSON.parse(l) as FactsDocumentInput), opts.naiveSample);
        started = performance.now();
        await naiveLoad(server.driver, sample);
        const naiveSeconds = (performance.now() - started) / 1000;
        const naive = { sampleFacts: sample.length, sampleSeconds: +naiveSeconds.toFixed(1), factsPerSecond: perSecond(sample.length, naiveSeconds), scaledSeconds: Math.round((naiveSeconds * facts) / sample.length), loadAverage: +os.loadavg()[0]!.toFixed(1) };
        results.naive.push(naive);
        process.stderr.write(`[bench] run ${run + 1} naive: ${JSON.stringify(naive)}\n`);
    }
} finally {
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
}

const med = (rows: Record<string, number>[]) => (rows.length === 0 ? undefined : Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, median(rows.map((r) => r[k]!))])));
const ours = med(results.ours)!;
const naive = med(results.naive)!;
const imported = med(results.import);
const report = {
    benchmark: "load",
    at: new Date().toISOString(),
    machine: machine(),
    options: opts,
    corpus: { documents: lines.length, facts, seed: opts.seed },
    runs: results,
    median: { ours, naive, import: imported },
    ratios: {
        oursOverNaive: +(ours.factsPerSecond! / naive.factsPerSecond!).toFixed(1),
        importOverOurs: imported ? +(imported.factsPerSecond! / ours.factsPerSecond!).toFixed(1) : undefined,
    },
};
fs.mkdirSync(path.join(REPO_ROOT, "bench", "results"), { recursive: true });
const file = path.join(REPO_ROOT, "bench", "results", `load-${report.at.replace(/[:.]/g, "-")}.json`);
fs.writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
const row = (name: string, r: Record<string, number> | undefined, extra = "") =>
    r ? `${name.padEnd(22)} ${String(r.factsPerSecond).padStart(8)} facts/s ${String(r.claimsPerSecond ?? "").padStart(8)} claims/s ${String(r.seconds ?? r.scaledSeconds).padStart(7)} s ${r.peakRssMiB === undefined ? "" : `${r.peakRssMiB} MiB peak RSS`} ${r.loadAverage === undefined ? "" : `(load ${r.loadAverage})`} ${extra}\n` : "";
process.stdout.write(
    `corpus: ${lines.length} documents, ${facts} facts; median of ${opts.runs} run(s); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs\n` +
        row("ours (cyberkg load)", ours, `(batch ${ours.batchSize}: ${ours.groupCommits} group commits of ${ours.groupedDocuments} documents, ${ours.singleDocuments} alone, ${ours.retries} retries, ${ours.fallbacks} fallbacks)`) +
        row("ours, same corpus again", { factsPerSecond: ours.reloadFactsPerSecond!, seconds: ours.reloadSeconds! }, `(${ours.reloadUnchanged} unchanged, ${ours.reloadRewritten} earlier versions written again)`) +
        row("ours, unchanged corpus", { factsPerSecond: ours.unchangedFactsPerSecond!, seconds: ours.unchangedSeconds! }, `(the last version of each document: ${ours.unchangedDocuments} unchanged)`) +
        row(`naive (${naive.sampleFacts} sampled)`, naive, `(scaled to the corpus: ${naive.scaledSeconds} s)`) +
        row("neo4j-admin import", imported, imported ? `(wall with JVM start: ${imported.wallSeconds} s)` : "") +
        `ours / naive: ${report.ratios.oursOverNaive}×   neo4j-admin / ours: ${report.ratios.importOverOurs ?? "-"}×\n` +
        `results: ${path.relative(REPO_ROOT, file)}\n`,
);
