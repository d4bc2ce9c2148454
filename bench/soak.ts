/**
 * The soak (issue 12), a benchmark, not a test:
 *   npm run bench:soak -- [--minutes 10] [--connections 32] [--facts 10000] [--sample 10] [--heap 1g] [--pagecache 512m]
 * A throwaway local Neo4j with the registry, the demo articles and a generated corpus; `cyberkg start` in a child
 * process; then for `--minutes`: autocannon at `--connections` cycling through the README's GraphQL queries (mixed),
 * while `cyberkg load` runs beside it on fresh generated corpora, one after another. Every `--sample` seconds: the API
 * process's RSS, Neo4j's RSS, the open Bolt connections (established TCP connections to Neo4j's Bolt port, from
 * /proc/net/tcp: Community has no dbms.listConnections), Neo4j's JVM heap (jstat: old generation used, committed)
 * and store size, and the bytes the API wrote to its terminal; the API's heap after a forced full GC every sample
 * (bench/soak-probe.ts, preloaded with --expose-gc; `--heap-snapshots` also writes V8 heap snapshots). Reported:
 * requests, HTTP status counts (5xx must be 0), GraphQL errors, p50/p99, slopes (MB/min, least squares after
 * `--warmup` minutes) of RSS and of heap after GC, connection count min/max/last, terminal bytes, facts loaded
 * beside. JSON in bench/results/soak-<time>.json.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { Command, InvalidArgumentError } from "commander";
import { REPO_ROOT } from "../src/config.ts";
import { FactLoader } from "../src/loader/FactLoader.ts";
import { loadFiles } from "../src/loader/load-files.ts";
import { unitFromRegistry } from "../src/loader/registry-unit.ts";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { freePort } from "../src/neo4j/runtime/LocalNeo4j.ts";
import { Registry } from "../src/registry/Registry.ts";
import { questions } from "./api-questions.ts";
import { machine, startThrowaway } from "./throwaway-neo4j.ts";

const positive = (v: string) => {
    const n = Number(v);
    if (!(n > 0)) throw new InvalidArgumentError("must be a positive number");
    return n;
};
const opts = new Command()
    .option("--minutes <n>", "how long", positive, 10)
    .option("--connections <n>", "autocannon connections", positive, 32)
    .option("--facts <n>", "facts in the generated corpus loaded before the soak", positive, 10_000)
    .option("--load-facts <n>", "facts per corpus loaded beside the soak (one after another)", positive, 10_000)
    .option("--sample <seconds>", "seconds between samples", positive, 10)
    .option("--heap <size>", "Neo4j heap", "1g")
    .option("--pagecache <size>", "Neo4j page cache", "512m")
    .option("--warmup <minutes>", "minutes left out of the slopes", positive, 1)
    .option("--heap-snapshots", "write V8 heap snapshots of the API after the warm-up and at the end (bench/results/)")
    .parse()
    .opts<{ minutes: number; connections: number; facts: number; loadFacts: number; sample: number; heap: string; pagecache: string; warmup: number; heapSnapshots?: boolean }>();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-soak-"));
const cli = path.join(REPO_ROOT, "src", "cli", "index.ts");

function corpus(facts: number, seed: number): string {
    const file = path.join(tmp, `corpus-${seed}.jsonl`);
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "bench", "gen-corpus.ts"), "--documents", String(Math.ceil(facts / 12.5)), "--seed", String(seed), "--out", file], { stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) throw new Error("gen:corpus failed");
    return file;
}

/** The RSS of a process in MB (from /proc). */
function rssMb(pid: number | undefined): number | undefined {
    if (!pid) return undefined;
    try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
        return Math.round(kb / 1024);
    } catch {
        return undefined;
    }
}

/** Established TCP connections to a local port (IPv4 and IPv6), from /proc/net/tcp*: state 01 = ESTABLISHED. */
function establishedTo(port: number): number | undefined {
    const hex = port.toString(16).toUpperCase().padStart(4, "0");
    let n = 0;
    try {
        for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
            if (!fs.existsSync(table)) continue;
            for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
                const [, local, , state] = line.trim().split(/\s+/);
                if (local?.endsWith(`:${hex}`) && state === "01") n++;
            }
        }
        return n;
    } catch {
        return undefined;
    }
}

/** The JVM heap of a process in MB (jstat -gc): old generation used, and the whole heap committed. */
function jvmHeap(pid: number | undefined): { oldUsedMb: number; committedMb: number } | undefined {
    if (!pid) return undefined;
    const run = spawnSync("jstat", ["-gc", String(pid)], { encoding: "utf8", timeout: 10_000 });
    const [head, values] = (run.stdout ?? "").trim().split("\n").map((l) => l.trim().split(/\s+/));
    if (run.status !== 0 || !head || !values) return undefined;
    const v = (name: string) => Number(values[head.indexOf(name)] ?? NaN);
    const kbToMb = (kb: number) => Math.round(kb / 1024);
    const out = { oldUsedMb: kbToMb(v("OU")), committedMb: kbToMb(v("S0C") + v("S1C") + v("EC") + v("OC")) };
    return Number.isFinite(out.oldUsedMb) && Number.isFinite(out.committedMb) ? out : undefined;
}

/** Bytes under a directory (the Neo4j store: what the page cache can hold at most). */
function duMb(dir: string): number | undefined {
    const run = spawnSync("du", ["-sm", dir], { encoding: "utf8" });
    return run.status === 0 ? Number(run.stdout.split(/\s/)[0]) : undefined;
}

/** Least-squares slope of y over x (per unit of x). */
function slope(points: [number, number][]): number {
    const n = points.length;
    if (n < 2) return 0;
    const mx = points.reduce((s, p) => s + p[0], 0) / n;
    const my = points.reduce((s, p) => s + p[1], 0) / n;
    const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
    const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
    return den === 0 ? 0 : num / den;
}

const report: Record<string, unknown> = { benchmark: "soak", at: new Date().toISOString(), machine: machine(), options: opts };
const neo4j = await startThrowaway({ heap: opts.heap, pagecache: opts.pagecache });
let api: ChildProcess | undefined;
let loader: ChildProcess | undefined;
let stopping = false;
try {
    await applySchema(neo4j.driver, "neo4j");
    const registry = Registry.load();
    const factLoader = new FactLoader(neo4j.driver, "neo4j", registry);
    // Setup, not measured: a cold Neo4j on a loaded machine can miss the 60 s transaction timeout once (it happened
    // twice at load 24 with the registry); each load is idempotent, so try again.
    const setup = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
        for (let attempt = 1; ; attempt++) {
            try {
                return await work();
            } catch (e) {
                if (attempt >= 3) throw e;
                process.stderr.write(`[soak] setup: ${what} failed (${(e as Error).message.slice(0, 120)}); again\n`);
            }
        }
    };
    await setup("registry", () => factLoader.load(unitFromRegistry(registry)));
    await setup("demo articles", () => loadFiles([path.join(REPO_ROOT, "data", "articles")], factLoader));
    const initialCorpus = corpus(opts.facts, 1);
    const initial = await setup("corpus", () => loadFiles([initialCorpus], factLoader));
    process.stderr.write(`[soak] graph: ${initial.facts} corpus facts loaded\n`);
    const beside = [2, 3, 4, 5, 6].map((seed) => corpus(opts.loadFacts, seed));

    // The API, as an analyst runs it.
    const port = await freePort();
    const env = { ...process.env, NEO4J_URI: neo4j.runtime.boltUri, NEO4J_USER: "neo4j", NEO4J_PASSWORD: neo4j.runtime.password(), NODE_ENV: "production", JWT_SECRET: "", JWKS_URL: "" };
    delete (env as Record<string, string | undefined>).LOG_LEVEL; // the default level: what the terminal shows
    const results = path.join(REPO_ROOT, "bench", "results");
    fs.mkdirSync(results, { recursive: true });
    const probeFile = path.join(tmp, "api-memory.jsonl");
    const warmupS = opts.warmup * 60;
    const probeEnv = {
        SOAK_PROBE_FILE: probeFile,
        SOAK_PROBE_SECONDS: String(opts.sample),
        SOAK_HEAP_SNAPSHOTS: opts.heapSnapshots ? "1" : "",
        SOAK_SNAPSHOT_AT: `${warmupS},${Math.max(warmupS + 1, opts.minutes * 60 - 2 * opts.sample)}`,
    };
    api = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "--import", path.join(REPO_ROOT, "bench", "soak-probe.ts"), cli, "start", "--no-data", "--port", String(port)], {
        env: { ...env, ...probeEnv },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const boltPort = Number(new URL(neo4j.runtime.boltUri).port);
    let terminalBytes = 0;
    let ready = false;
    // What the API wrote to its terminal, kept (an error in the soak must be explainable afterwards).
    const apiLog = fs.createWriteStream(path.join(results, `soak-${String(report.at).replace(/[:.]/g, "-")}-api.log`));
    await new Promise<void>((resolve, reject) => {
        let out = "";
        const onData = (chunk: Buffer) => {
            terminalBytes += chunk.length;
            apiLog.write(chunk);
            if (!ready) out += chunk.toString();
            if (!ready && out.includes("cyberkg is running")) {
                ready = true;
                resolve();
            }
        };
        api!.stdout!.on("data", onData);
        api!.stderr!.on("data", onData);
        api!.once("exit", (code) => reject(new Error(`cyberkg start exited with ${code}: ${out}`)));
    });
    const terminalAtStart = terminalBytes;

    // `cyberkg load` beside the queries, corpus after corpus.
    let loadedBeside = 0;
    let loadRuns = 0;
    const loads = (async () => {
        for (let i = 0; !stopping; i++) {
            const file = beside[i % beside.length]!;
            loader = spawn(process.execPath, ["--import", "tsx", cli, "load", file], { env: { ...env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] });
            let out = "";
            loader.stdout!.on("data", (d: Buffer) => (out += d));
            loader.stderr!.on("data", (d: Buffer) => (out += d));
            const code = await new Promise<number | null>((resolve) => loader!.once("exit", resolve));
            if (stopping) break;
            loadRuns++;
            // the summary's "Facts: N; claims written: M" (src/loader/load-files.ts formatSummary)
            const facts = Number(/Facts: (\d+)/.exec(out)?.[1] ?? 0);
            loadedBeside += facts;
            if (code !== 0) process.stderr.write(`[soak] cyberkg load exited ${code}: ${out.slice(-300)}\n`);
        }
    })();

    // Samples.
    type Sample = { t: number; apiRssMb?: number; neo4jRssMb?: number; neo4jOldGenMb?: number; neo4jHeapCommittedMb?: number; storeMb?: number; boltConnections?: number; terminalBytes: number; loadedBeside: number };
    const samples: Sample[] = [];
    const started = Date.now();
    const sample = async () => {
        const neo4jPid = neo4j.runtime.runningPid();
        const heap = jvmHeap(neo4jPid);
        samples.push({
            t: (Date.now() - started) / 1000,
            apiRssMb: rssMb(api?.pid),
            neo4jRssMb: rssMb(neo4jPid),
            neo4jOldGenMb: heap?.oldUsedMb,
            neo4jHeapCommittedMb: heap?.committedMb,
            storeMb: duMb(path.join(neo4j.home, "data")),
            boltConnections: establishedTo(boltPort),
            terminalBytes: terminalBytes - terminalAtStart,
            loadedBeside,
        });
        const last = samples[samples.length - 1]!;
        process.stderr.write(
            `[soak] ${Math.round(last.t)} s: API RSS ${last.apiRssMb} MB, Neo4j RSS ${last.neo4jRssMb} MB (old gen ${last.neo4jOldGenMb}, heap committed ${last.neo4jHeapCommittedMb}, store ${last.storeMb} MB), Bolt connections ${last.boltConnections}, terminal +${last.terminalBytes} B, loaded beside ${loadedBeside} facts\n`,
        );
    };
    await sample();
    const timer = setInterval(() => void sample(), opts.sample * 1000);

    // The load: autocannon cycles through the README queries on each connection.
    const bodies = questions().map((q) => JSON.stringify({ query: q.graphql }));
    const status: Record<string, number> = {};
    let graphqlErrors = 0;
    const errorCodes: Record<string, number> = {};
    const result = await autocannon({
        url: `http://127.0.0.1:${port}/graphql`,
        method: "POST",
        connections: opts.connections,
        duration: Math.round(opts.minutes * 60),
        timeout: 60,
        headers: { "content-type": "application/json" },
        requests: bodies.map((body) => ({
            body,
            onResponse: (code: number, text: string) => {
                status[code] = (status[code] ?? 0) + 1;
                if (text.includes('"errors"')) {
                    graphqlErrors++;
                    const c = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? "?";
                    errorCodes[c] = (errorCodes[c] ?? 0) + 1;
                }
            },
        })),
    } as autocannon.Options);
    clearInterval(timer);
    await sample();
    stopping = true;
    loader?.kill("SIGTERM");
    await loads;

    const steady = samples.filter((s) => s.t >= warmupS);
    const series = (key: "apiRssMb" | "neo4jRssMb" | "neo4jOldGenMb" | "storeMb") => steady.filter((s) => s[key] !== undefined).map((s) => [s.t / 60, s[key]!] as [number, number]);
    const rss = series;
    // The API's memory after a full GC (the probe), and its slope after the warm-up: a leak keeps growing here.
    const apiMemory = fs.existsSync(probeFile) ? fs.readFileSync(probeFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { t: number; rssMb: number; heapUsedMb: number; externalMb: number }) : [];
    const afterWarmup = apiMemory.filter((m) => m.t >= warmupS);
    const heapSlope = +slope(afterWarmup.map((m) => [m.t / 60, m.heapUsedMb] as [number, number])).toFixed(2);
    if (opts.heapSnapshots) for (const f of fs.readdirSync(tmp).filter((f) => f.endsWith(".heapsnapshot"))) fs.copyFileSync(path.join(tmp, f), path.join(results, f));
    const conns = samples.map((s) => s.boltConnections).filter((n): n is number => n !== undefined);
    const fiveXX = Object.entries(status).filter(([c]) => Number(c) >= 500).reduce((n, [, v]) => n + v, 0);
    report.result = {
        requests: result.requests.total,
        requestsPerSecond: Math.round(result.requests.total / (opts.minutes * 60)),
        status,
        fiveXX,
        socketErrors: result.errors,
        timeouts: result.timeouts,
        graphqlErrors,
        errorCodes,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        apiRssMb: { first: samples[0]?.apiRssMb, last: samples[samples.length - 1]?.apiRssMb, max: Math.max(...samples.map((s) => s.apiRssMb ?? 0)), slopeMbPerMin: +slope(rss("apiRssMb")).toFixed(2) },
        apiHeapAfterGcMb: {
            first: apiMemory[0]?.heapUsedMb,
            afterWarmup: afterWarmup[0]?.heapUsedMb,
            last: apiMemory[apiMemory.length - 1]?.heapUsedMb,
            max: Math.max(...apiMemory.map((m) => m.heapUsedMb)),
            slopeMbPerMin: heapSlope,
            externalLastMb: apiMemory[apiMemory.length - 1]?.externalMb,
        },
        neo4jRssMb: { first: samples[0]?.neo4jRssMb, last: samples[samples.length - 1]?.neo4jRssMb, slopeMbPerMin: +slope(rss("neo4jRssMb")).toFixed(2) },
        neo4jOldGenMb: { first: samples[0]?.neo4jOldGenMb, last: samples[samples.length - 1]?.neo4jOldGenMb, max: Math.max(...samples.map((s) => s.neo4jOldGenMb ?? 0)), slopeMbPerMin: +slope(series("neo4jOldGenMb")).toFixed(2) },
        neo4jHeapCommittedMb: { first: samples[0]?.neo4jHeapCommittedMb, last: samples[samples.length - 1]?.neo4jHeapCommittedMb },
        storeMb: { first: samples[0]?.storeMb, last: samples[samples.length - 1]?.storeMb, slopeMbPerMin: +slope(series("storeMb")).toFixed(2) },
        boltConnections: { min: Math.min(...conns), max: Math.max(...conns), last: conns[conns.length - 1] },
        terminalBytesDuringSoak: terminalBytes - terminalAtStart,
        loadBeside: { runs: loadRuns, facts: loadedBeside },
    };
    report.samples = samples;
    report.apiMemory = apiMemory;
} finally {
    stopping = true;
    loader?.kill("SIGTERM");
    api?.kill("SIGTERM");
    await neo4j.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
}
fs.mkdirSync(path.join(REPO_ROOT, "bench", "results"), { recursive: true });
const file = path.join(REPO_ROOT, "bench", "results", `soak-${String(report.at).replace(/[:.]/g, "-")}.json`);
fs.writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
process.stdout.write(`${JSON.stringify(report.result, null, 2)}\nmachine: ${JSON.stringify(report.machine)}\n(${file})\n`);
