/**
 * Database hits per loader statement (PROFILE), on a graph loaded with the first documents of a generated corpus:
 * the next batch of new documents is written by `writeNewSources` in a transaction that is rolled back, each of its
 * statements PROFILEd (the db hits, time, and the operators with the most hits). The numbers to tune the loader on.
 *   npx tsx bench/profile-load.ts [--documents 800] [--batch 100]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ManagedTransaction } from "neo4j-driver";
import { Command } from "commander";
import { REPO_ROOT } from "../src/config.ts";
import { FactLoader } from "../src/loader/FactLoader.ts";
import { loadFiles } from "../src/loader/load-files.ts";
import { unitFromDocument } from "../src/loader/load-unit.ts";
import { unitFromRegistry } from "../src/loader/registry-unit.ts";
import { validateDocument } from "../src/loader/validate.ts";
import { writeNewSources } from "../src/loader/batch-write.ts";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { Registry } from "../src/registry/Registry.ts";
import { startThrowaway } from "./throwaway-neo4j.ts";

interface Plan { operatorType: string; dbHits: number; rows: number; identifiers?: string[]; arguments?: Record<string, unknown>; children: Plan[] }

const opts = new Command("profile-load").option("--documents <n>", "documents loaded first", Number, 800).option("--batch <n>", "documents profiled", Number, 100).option("--seed <n>", "corpus seed", Number, 1).parse().opts<{ documents: number; batch: number; seed: number }>();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-profile-load-"));
const corpus = path.join(tmp, "corpus.jsonl");
const gen = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "bench", "gen-corpus.ts"), "--documents", String(opts.documents + opts.batch), "--seed", String(opts.seed), "--out", corpus], { stdio: ["ignore", "inherit", "inherit"] });
if (gen.status !== 0) throw new Error("gen:corpus failed");
const lines = fs.readFileSync(corpus, "utf8").trim().split("\n");
const first = path.join(tmp, "first.jsonl");
fs.writeFileSync(first, lines.slice(0, opts.documents).join("\n") + "\n");
const ids = new Set<string>(lines.slice(0, opts.documents).map((l, i) => unitFromDocument(validateDocument(JSON.parse(l), `first-${i}`), "").source.id));
const next = lines.slice(opts.documents).map((l, i) => unitFromDocument(validateDocument(JSON.parse(l), `next-${i}`), `next-${i}`)).filter((u) => !ids.has(u.source.id) && ids.add(u.source.id));

const server = await startThrowaway({ heap: "1g", pagecache: "512m" });
try {
    await applySchema(server.driver, "neo4j");
    const registry = Registry.load();
    const loader = new FactLoader(server.driver, "neo4j", registry);
    await loader.load(unitFromRegistry(registry));
    let t = performance.now();
    const s = await loadFiles([first], loader);
    process.stderr.write(`[profile] loaded ${s.loaded} documents in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    const session = server.driver.session({ database: "neo4j" });
    const tx = await session.beginTransaction();
    const rows: { statement: string; ms: number; dbHits: number; top: string[] }[] = [];
    const profiler = {
        run: async (cypher: string, params: Record<string, unknown>) => {
            const started = performance.now();
            const result = await tx.run(`PROFILE ${cypher}`, params);
            const ms = performance.now() - started;
            const ops: { op: string; hits: number }[] = [];
            let dbHits = 0;
            const walk = (p: Plan) => {
                dbHits += p.dbHits;
                ops.push({ op: `${p.operatorType}${p.arguments?.Details ? ` [${String(p.arguments.Details).slice(0, 90)}]` : ""} rows=${p.rows}`, hits: p.dbHits });
                p.children.forEach(walk);
            };
            walk(result.summary.profile as unknown as Plan);
            rows.push({ statement: cypher.trim().split("\n").slice(0, 3).join(" ").slice(0, 100), ms, dbHits, top: ops.sort((a, b) => b.hits - a.hits).slice(0, 4).map((o) => `${o.hits} ${o.op}`) });
            return result;
        },
    } as unknown as ManagedTransaction;
    t = performance.now();
    await writeNewSources(profiler, next, registry);
    process.stderr.write(`[profile] batch of ${next.length} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    await tx.rollback();
    await session.close();
    let total = 0;
    for (const r of rows) {
        total += r.dbHits;
        process.stdout.write(`${r.dbHits.toString().padStart(9)} hits ${r.ms.toFixed(0).padStart(6)} ms  ${r.statement}\n${r.top.map((x) => `            ${x}`).join("\n")}\n`);
    }
    process.stdout.write(`total ${total} db hits over ${rows.length} statements; load ${os.loadavg()[0]!.toFixed(1)}\n`);
} finally {
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
}
