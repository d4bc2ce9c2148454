/**
 * Memory of one huge STIX import (issue 10: the whole import is ONE write transaction), a benchmark, not a test:
 *   npm run bench:stix -- [--actors 5000] [--targets 5000] [--relationships 50000] [--heap 1g] [--pagecache 256m]
 * Generates a foreign STIX 2.1 bundle (intrusion-sets with aliases, organisation identities, `targets` and
 * `attributed-to` relationships; by default about the size of MITRE ATT&CK enterprise, whose ~20k relationships
 * are mostly `uses`, which cyberkg skips), starts a throwaway local Neo4j with the registry, and runs `importStix`
 * in this process while sampling every 250 ms: the import transaction's `estimatedUsedHeapMemory` (SHOW
 * TRANSACTIONS), Neo4j's RSS and JVM old generation (jstat), and this process's RSS and V8 heap. Reports the peaks,
 * the elapsed time and Neo4j's transaction limits. The transaction's timeout is `import-stix`'s (`--timeout`, default 30m). JSON in bench/results/stix-import-<time>.json.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_STIX_IMPORT_TIMEOUT, REPO_ROOT, loadConfig } from "../src/config.ts";
import { FactLoader } from "../src/loader/FactLoader.ts";
import { unitFromRegistry } from "../src/loader/registry-unit.ts";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { Registry } from "../src/registry/Registry.ts";
import { importStix } from "../src/stix/import.ts";
import { syntheticBundle } from "./synthetic-stix.ts";
import { machine, startThrowaway } from "./throwaway-neo4j.ts";

const count = (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
    return n;
};
const opts = new Command()
    .option("--actors <n>", "intrusion-sets", count, 5000)
    .option("--targets <n>", "organisation identities", count, 5000)
    .option("--relationships <n>", "targets + attributed-to relationships", count, 50_000)
    .option("--heap <size>", "Neo4j heap", "1g")
    .option("--pagecache <size>", "Neo4j page cache", "256m")
    .option("--timeout <duration>", "the import transaction's timeout, as `import-stix --timeout`", DEFAULT_STIX_IMPORT_TIMEOUT)
    .parse()
    .opts<{ actors: number; targets: number; relationships: number; heap: string; pagecache: string; timeout: string }>();
const timeoutMs = loadConfig({ STIX_IMPORT_TIMEOUT: opts.timeout }).stix.importTimeoutMs;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-bench-stix-"));
const file = path.join(tmp, "huge-bundle.json");
const bundle = syntheticBundle(opts);
const objects = bundle.objects;
fs.writeFileSync(file, JSON.stringify(bundle));
const bundleMb = Math.round(fs.statSync(file).size / 1024 / 1024);
process.stderr.write(`[bench:stix] bundle: ${objects.length} objects, ${bundleMb} MB\n`);

function rssMb(pid: number | undefined): number | undefined {
    if (!pid) return undefined;
    try {
        return Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024);
    } catch {
        return undefined;
    }
}
function oldGenMb(pid: number | undefined): number | undefined {
    if (!pid) return undefined;
    const run = spawnSync("jstat", ["-gc", String(pid)], { encoding: "utf8", timeout: 5000 });
    const [head, values] = (run.stdout ?? "").trim().split("\n").map((l) => l.trim().split(/\s+/));
    const ou = head && values ? Number(values[head.indexOf("OU")]) : NaN;
    return Number.isFinite(ou) ? Math.round(ou / 1024) : undefined;
}

const report: Record<string, unknown> = { benchmark: "stix-import", at: new Date().toISOString(), machine: machine(), options: opts, bundle: { objects: objects.length, megabytes: bundleMb } };
const neo4j = await startThrowaway({ heap: opts.heap, pagecache: opts.pagecache });
try {
    await applySchema(neo4j.driver, "neo4j");
    const registry = Registry.load();
    const loader = new FactLoader(neo4j.driver, "neo4j", registry);
    await loader.load(unitFromRegistry(registry));
    const limits = await neo4j.driver.executeQuery("SHOW SETTINGS YIELD name, value WHERE name STARTS WITH 'db.memory.transaction' OR name STARTS WITH 'dbms.memory.transaction' OR name = 'db.transaction.timeout' RETURN name, value", {}, { database: "system" }).then(
        (r) => Object.fromEntries(r.records.map((x) => [x.get("name"), x.get("value")])),
        (e: Error) => ({ error: e.message }),
    );
    report.neo4jTransactionLimits = limits;

    const peaks = { txHeapMb: 0, neo4jRssMb: 0, neo4jOldGenMb: 0, importerRssMb: 0, importerHeapMb: 0, samples: 0, txSamples: 0 };
    const neo4jPid = neo4j.runtime.runningPid();
    const baseline = { neo4jRssMb: rssMb(neo4jPid), neo4jOldGenMb: oldGenMb(neo4jPid), importerRssMb: Math.round(process.memoryUsage().rss / 1048576) };
    let sampling = true;
    const sampler = (async () => {
        while (sampling) {
            try {
                const { records } = await neo4j.driver.executeQuery(
                    "SHOW TRANSACTIONS YIELD currentQuery, estimatedUsedHeapMemory WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN max(estimatedUsedHeapMemory) AS heap",
                    {},
                    { database: "neo4j" },
                );
                const heap = records[0]?.get("heap") as number | null;
                if (heap) {
                    peaks.txSamples++;
                    peaks.txHeapMb = Math.max(peaks.txHeapMb, Math.round(heap / 1048576));
                }
            } catch {
                /* a busy server: next sample */
            }
            peaks.neo4jRssMb = Math.max(peaks.neo4jRssMb, rssMb(neo4jPid) ?? 0);
            peaks.neo4jOldGenMb = Math.max(peaks.neo4jOldGenMb, oldGenMb(neo4jPid) ?? 0);
            const m = process.memoryUsage();
            peaks.importerRssMb = Math.max(peaks.importerRssMb, Math.round(m.rss / 1048576));
            peaks.importerHeapMb = Math.max(peaks.importerHeapMb, Math.round(m.heapUsed / 1048576));
            peaks.samples++;
            await new Promise((r) => setTimeout(r, 250));
        }
    })();
    const started = Date.now();
    let summary;
    try {
        summary = await importStix(loader, registry, [file], { timeoutMs });
    } catch (e) {
        report.error = (e as Error).message;
    }
    const elapsedS = (Date.now() - started) / 1000;
    sampling = false;
    await sampler;
    const { records } = await neo4j.driver.executeQuery("MATCH (c:Claim) RETURN count(c) AS claims", {}, { database: "neo4j" });
    report.result = {
        elapsedS: Math.round(elapsedS),
        entitiesNew: summary?.entitiesNew,
        facts: summary?.facts,
        claimsInGraph: records[0]!.get("claims"),
        baseline,
        peaks,
    };
} finally {
    await neo4j.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
}
fs.mkdirSync(path.join(REPO_ROOT, "bench", "results"), { recursive: true });
const out = path.join(REPO_ROOT, "bench", "results", `stix-import-${String(report.at).replace(/[:.]/g, "-")}.json`);
fs.writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
process.stdout.write(`${JSON.stringify({ bundle: report.bundle, limits: report.neo4jTransactionLimits, result: report.result, error: report.error }, null, 2)}\nmachine: ${JSON.stringify(report.machine)}\n(${out})\n`);
