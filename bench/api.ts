/**
 * API benchmark: the README's GraphQL operations against the same questions as hand-written Cypher.
 *   npm run bench:api -- [--facts 10000] [--seconds 5] [--concurrency 1,16,64] [--mixed] [--heap 1g] [--pagecache 512m]
 * Builds a throwaway local Neo4j with the registry, the demo articles and a generated corpus (`gen:corpus`) of
 * --facts facts, starts `cyberkg start --no-data` on it in a child process (the API as users run it), then per
 * operation: PROFILE database hits of the generated Cypher vs the hand-written one; at each concurrency,
 * autocannon against /graphql and the hand-written Cypher through neo4j-driver (from this process):
 * p50, p99, requests/s, errors, and the ratio GraphQL/Cypher. `--mixed`: the lookup again while a second corpus loads.
 * Prints a table; JSON to bench/results/api-<time>.json.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { Command, InvalidArgumentError } from "commander";
import type { Driver } from "neo4j-driver";
import { buildSchema } from "../src/api/schema.ts";
import { REPO_ROOT, loadConfig } from "../src/config.ts";
import { FactLoader } from "../src/loader/FactLoader.ts";
import { loadFiles } from "../src/loader/load-files.ts";
import { unitFromRegistry } from "../src/loader/registry-unit.ts";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { freePort } from "../src/neo4j/runtime/LocalNeo4j.ts";
import { Registry } from "../src/registry/Registry.ts";
import { questions, type Question } from "./api-questions.ts";
import { generatedCypher, profileAll, profileCypher } from "./profile.ts";
import { machine, startThrowaway } from "./throwaway-neo4j.ts";

const positive = (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
    return n;
};
const opts = new Command("bench:api")
    .option("--facts <n>", "facts in the generated corpus (besides the demo articles)", positive, 10_000)
    .option("--seed <n>", "corpus seed", positive, 1)
    .option("--seconds <n>", "seconds per operation and concurrency", positive, 5)
    .option("--concurrency <list>", "concurrency levels", (v) => v.split(",").map((c) => positive(c)), [1, 16, 64])
    .option("--only <names>", "only the operations whose short name contains one of these (comma-separated)")
    .option("--mixed", "also: the lookup at concurrency 16 while a second corpus loads")
    .option("--heap <size>", "Neo4j heap", "1g")
    .option("--pagecache <size>", "Neo4j page cache", "512m")
    .parse()
    .opts<{ facts: number; seed: number; seconds: number; concurrency: number[]; only?: string; mixed?: boolean; heap: string; pagecache: string }>();

const DATABASE = "neo4j";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-bench-api-"));

function generate(facts: number, seed: number): string {
    const file = path.join(tmp, `corpus-${seed}.jsonl`);
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "bench", "gen-corpus.ts"), "--documents", String(Math.ceil(facts / 12.5)), "--seed", String(seed), "--out", file], { stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) throw new Error("gen:corpus failed");
    return file;
}

async function startApi(uri: string, password: string): Promise<{ url: string; child: ChildProcess }> {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "src", "cli", "index.ts"), "start", "--no-data", "--port", String(port)], {
        env: { ...process.env, NEO4J_URI: uri, NEO4J_USER: "neo4j", NEO4J_PASSWORD: password, LOG_LEVEL: "warn", NODE_ENV: "production", JWT_SECRET: "", JWKS_URL: "" },
        stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes("cyberkg is running")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`cyberkg start exited with ${code}: ${out}`)));
    });
    return { url: `http://127.0.0.1:${port}/graphql`, child };
}

interface Load {
    p50: number;
    p99: number;
    rps: number;
    errors: number;
    requests: number;
}

async function loadGraphql(url: string, query: string, connections: number, seconds: number): Promise<Load> {
    let graphqlErrors = 0;
    const result = await autocannon({
        url,
        method: "POST",
        connections,
        duration: seconds,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
        // A GraphQL error comes back as HTTP 200 with "errors": count those too.
        requests: [{ onResponse: (_status: number, body: string) => void (body.includes('"errors"') && graphqlErrors++) }],
    } as autocannon.Options);
    return { p50: result.latency.p50, p99: result.latency.p99, rps: Math.round(result.requests.total / seconds), errors: result.errors + result.non2xx + result.timeouts + graphqlErrors, requests: result.requests.total };
}

async function loadCypher(driver: Driver, q: Question, connections: number, seconds: number): Promise<Load> {
    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
        Array.from({ length: connections }, async () => {
            while (performance.now() < deadline) {
                const started = performance.now();
                try {
                    await driver.executeQuery(q.cypher, q.params, { database: DATABASE, routing: "READ" });
                    latencies.push(performance.now() - started);
                } catch {
                    errors++;
                }
            }
        }),
    );
    latencies.sort((a, b) => a - b);
    const at = (p: number) => +(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN).toFixed(1);
    return { p50: at(0.5), p99: at(0.99), rps: Math.round(latencies.length / seconds), errors, requests: latencies.length };
}

const server = await startThrowaway({ heap: opts.heap, pagecache: opts.pagecache });
let api: { url: string; child: ChildProcess } | undefined;
const report: Record<string, unknown> = { benchmark: "api", at: new Date().toISOString(), machine: machine(), options: opts };
try {
    await applySchema(server.driver, DATABASE);
    const registry = Registry.load();
    const loader = new FactLoader(server.driver, DATABASE, registry);
    await loader.load(unitFromRegistry(registry));
    const demo = await loadFiles([path.join(REPO_ROOT, "data", "articles")], loader);
    const corpus = generate(opts.facts, opts.seed);
    let started = performance.now();
    const loaded = await loadFiles([corpus], loader);
    process.stderr.write(`[bench] graph: demo (${demo.facts} facts) + corpus (${loaded.facts} facts) loaded in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    const counts = (await server.driver.executeQuery("CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } CALL () { MATCH (c:Claim) RETURN count(c) AS claims } RETURN nodes, rels, claims", {}, { database: DATABASE })).records[0]!.toObject();
    report.graph = { demoFacts: demo.facts, corpusFacts: loaded.facts, ...counts };

    api = await startApi(server.runtime.boltUri, server.runtime.password());
    const config = loadConfig({ NODE_ENV: "production" });
    const { schema } = await buildSchema(server.driver, DATABASE, { ...config, server: { ...config.server, jwtSecret: undefined, jwksUrl: undefined } });
    const only = opts.only?.split(",");
    const selected = questions().filter((q) => !only || only.some((o) => q.name.includes(o)));
    const rows: Record<string, unknown>[] = [];
    const file = path.join(REPO_ROOT, "bench", "results", `api-${String(report.at).replace(/[:.]/g, "-")}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    report.operations = rows;
    for (const q of selected) {
        fs.writeFileSync(file, JSON.stringify(report, null, 2) + "\n"); // what is measured so far survives a crash
        try {
            const statements = await generatedCypher(schema, server.driver, DATABASE, q.graphql);
            // `search` is our own resolver: the library generates nothing; it runs the hand-written Cypher.
            const generated = statements.length > 0 ? await profileAll(server.driver, DATABASE, statements) : await profileCypher(server.driver, DATABASE, q.cypher, q.params);
            const hand = await profileCypher(server.driver, DATABASE, q.cypher, q.params);
            const row: Record<string, unknown> = { name: q.name, title: q.title, dbHits: { generated: generated.dbHits, handWritten: hand.dbHits, ratio: +(generated.dbHits / Math.max(1, hand.dbHits)).toFixed(2), generatedScans: generated.scans, handWrittenScans: hand.scans, generatedStatements: statements.length } };
            for (const c of opts.concurrency) {
                const g = await loadGraphql(api.url, q.graphql, c, opts.seconds);
                const h = await loadCypher(server.driver, q, c, opts.seconds);
                row[`c${c}`] = { graphql: g, cypher: h, p50Ratio: +(g.p50 / Math.max(0.1, h.p50)).toFixed(2) };
                process.stderr.write(`[bench] ${q.name} c=${c}: graphql p50 ${g.p50} p99 ${g.p99} ${g.rps}/s err ${g.errors}; cypher p50 ${h.p50} p99 ${h.p99} ${h.rps}/s err ${h.errors}\n`);
            }
            rows.push(row);
        } catch (error) {
            // One operation failing (a bad hand-written query, a crash) is reported, and the others still run.
            rows.push({ name: q.name, title: q.title, error: (error as Error).message });
            process.stderr.write(`[bench] ${q.name}: FAILED ${(error as Error).message}\n`);
        }
    }

    if (opts.mixed) {
        const lookup = selected.find((q) => q.name.startsWith("lookup")) ?? questions()[0]!;
        const second = generate(opts.facts, opts.seed + 1);
        started = performance.now();
        const loading = loadFiles([second], loader);
        const during: Load[] = [];
        let done = false;
        void loading.finally(() => (done = true));
        while (!done) during.push(await loadGraphql(api.url, lookup.graphql, 16, Math.min(opts.seconds, 5)));
        const summary = await loading;
        const seconds = (performance.now() - started) / 1000;
        report.mixed = { operation: lookup.name, concurrency: 16, loadFacts: summary.facts, loadFactsPerSecond: Math.round(summary.facts / seconds), windows: during, worstP99: Math.max(...during.map((d) => d.p99)), errors: during.reduce((n, d) => n + d.errors, 0) };
    }
} finally {
    api?.child.kill("SIGTERM");
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
}

const file = path.join(REPO_ROOT, "bench", "results", `api-${String(report.at).replace(/[:.]/g, "-")}.json`);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
const lines = [`graph: ${JSON.stringify(report.graph)}; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`];
lines.push(`${"operation".padEnd(18)} ${"dbHits gen/hand".padEnd(22)} ${opts.concurrency.map((c) => `c=${c}: p50 gql/cy (ratio) p99 gql/cy rps gql/cy err`.padEnd(58)).join(" ")}`);
for (const row of report.operations as Record<string, any>[]) {
    if (row.error) {
        lines.push(`${String(row.name).padEnd(18)} FAILED: ${row.error}`);
        continue;
    }
    const cells = opts.concurrency.map((c) => {
        const r = row[`c${c}`];
        return `${r.graphql.p50}/${r.cypher.p50} ms (${r.p50Ratio}×) ${r.graphql.p99}/${r.cypher.p99} ms ${r.graphql.rps}/${r.cypher.rps} ${r.graphql.errors + r.cypher.errors}`.padEnd(58);
    });
    lines.push(`${String(row.name).padEnd(18)} ${`${row.dbHits.generated}/${row.dbHits.handWritten} (${row.dbHits.ratio}×)`.padEnd(22)} ${cells.join(" ")}`);
}
if (report.mixed) lines.push(`mixed: ${JSON.stringify({ ...(report.mixed as object), windows: undefined })}`);
lines.push(`results: ${path.relative(REPO_ROOT, file)}`);
process.stdout.write(lines.join("\n") + "\n");
process.exit(0);
