/**
 * Where the loader's wall time goes: a corpus loaded through `loadFiles` (the `cyberkg load` code path) into a
 * throwaway Neo4j, with every statement timed (summed per statement text) and every write transaction's work and
 * commit timed. Then the unchanged reload.
 *   npx tsx bench/time-load.ts [--documents 800] [--seed 1]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { REPO_ROOT } from "../src/config.ts";
import { FactLoader } from "../src/loader/FactLoader.ts";
import { loadFiles } from "../src/loader/load-files.ts";
import { unitFromDocument } from "../src/loader/load-unit.ts";
import { validateDocument } from "../src/loader/validate.ts";
import { unitFromRegistry } from "../src/loader/registry-unit.ts";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { Registry } from "../src/registry/Registry.ts";
import { startThrowaway } from "./throwaway-neo4j.ts";

const opts = new Command("time-load").option("--documents <n>", "documents", Number, 800).option("--seed <n>", "corpus seed", Number, 1).option("--batch-size <n>", "documents per write transaction", Number).parse().opts<{ documents: number; seed: number; batchSize?: number }>();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-time-load-"));
const corpus = path.join(tmp, "corpus.jsonl");
const gen = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "bench", "gen-corpus.ts"), "--documents", String(opts.documents), "--seed", String(opts.seed), "--out", corpus], { stdio: ["ignore", "inherit", "inherit"] });
if (gen.status !== 0) throw new Error("gen:corpus failed");
const lines = fs.readFileSync(corpus, "utf8").trim().split("\n");
const facts = lines.reduce((n, l) => n + JSON.parse(l).facts.length, 0);
// The last version of each document: what the graph holds after the load, so reloading it writes nothing.
const latest = new Map<string, string>();
lines.forEach((l, i) => latest.set(unitFromDocument(validateDocument(JSON.parse(l), `line ${i + 1}`), "").source.id, l));
const unchangedCorpus = path.join(tmp, "corpus-latest.jsonl");
fs.writeFileSync(unchangedCorpus, [...latest.values()].join("\n") + "\n");
const unchangedFacts = [...latest.values()].reduce((n, l) => n + JSON.parse(l).facts.length, 0);

const statements = new Map<string, { n: number; ms: number }>();
let inWork = 0;
let txTotal = 0;
const server = await startThrowaway({ heap: "1g", pagecache: "512m" });
try {
    await applySchema(server.driver, "neo4j");
    const registry = Registry.load();
    const loader = new FactLoader(server.driver, "neo4j", registry);
    await loader.load(unitFromRegistry(registry));
    // Session.executeWrite, from here on: the work (each statement) and the whole call (work + commit) timed.
    const session0 = server.driver.session();
    const proto = Object.getPrototypeOf(session0);
    await session0.close();
    const original = proto.executeWrite;
    proto.executeWrite = async function (work: (tx: unknown) => Promise<unknown>, config?: unknown) {
        const started = performance.now();
        try {
            return await original.call(this, async (tx: { run: (q: string, p: unknown) => Promise<unknown> }) => {
                const w = performance.now();
                const timed = {
                    run: async (q: string, p: unknown) => {
                        const t = performance.now();
                        try {
                            return await tx.run(q, p);
                        } finally {
                            const key = q.replace(/^CYPHER [^\n]*\n/, "").trim().replace(/\s+/g, " ").slice(0, 80);
                            const s = statements.get(key) ?? { n: 0, ms: 0 };
                            s.n++;
                            s.ms += performance.now() - t;
                            statements.set(key, s);
                        }
                    },
                };
                try {
                    return await work(timed);
                } finally {
                    inWork += performance.now() - w;
                }
            }, config);
        } finally {
            txTotal += performance.now() - started;
        }
    };
    statements.clear();
    inWork = txTotal = 0;
    const cpu0 = process.cpuUsage();
    let t = performance.now();
    const s = await loadFiles([corpus], loader, { batchSize: opts.batchSize });
    const wall = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(`first load: ${s.loaded} loaded ${s.replaced} replaced, ${facts} facts in ${wall.toFixed(1)} s = ${Math.round(facts / wall)} facts/s; node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; write tx ${(txTotal / 1000).toFixed(1)} s (work ${(inWork / 1000).toFixed(1)} s, commit+retry ${((txTotal - inWork) / 1000).toFixed(1)} s); stats ${JSON.stringify(loader.stats)}\n`);
    for (const [k, v] of [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) process.stdout.write(`${(v.ms / 1000).toFixed(2).padStart(7)} s ${String(v.n).padStart(5)}x  ${k}\n`);
    t = performance.now();
    const again = await loadFiles([corpus], loader, { batchSize: opts.batchSize });
    const rw = (performance.now() - t) / 1000;
    process.stdout.write(`same corpus again: ${again.unchanged} unchanged, ${again.replaced} earlier versions written again, in ${rw.toFixed(1)} s = ${Math.round(facts / rw)} facts/s; load ${os.loadavg()[0]!.toFixed(1)}\n`);
    t = performance.now();
    const none = await loadFiles([unchangedCorpus], loader, { batchSize: opts.batchSize });
    const nw = (performance.now() - t) / 1000;
    process.stdout.write(`unchanged corpus: ${none.unchanged} of ${latest.size} unchanged in ${nw.toFixed(2)} s = ${Math.round(unchangedFacts / nw)} facts/s\n`);
    const debug = fs.readFileSync(path.join(server.home, "logs", "debug.log"), "utf8");
    process.stdout.write(`debug.log: ${(debug.match(/Discarded stale/g) ?? []).length} stale plans discarded\n`);
    for (const l of debug.split("\n").filter((l) => /Discarded stale/.test(l)).slice(0, 5)) process.stdout.write(l.slice(0, 300) + "\n");
} finally {
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
}
