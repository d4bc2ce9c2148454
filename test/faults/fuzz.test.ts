/**
 * The fuzz suite (issue 12), `npm run test:faults`: FUZZ_INPUTS generated hostile inputs (default 10,000; CI runs
 * fewer) through each channel — `cyberkg load`, `ingestFacts` over HTTP, `cyberkg extract` (real CoreNLP at NLP_URL)
 * and `cyberkg import-stix` — against a throwaway real Neo4j that holds the registry and a seed corpus.
 * The generator (test/faults/fuzz/generate.ts) is deterministic by FUZZ_SEED; each channel runs in its own process
 * (fuzz/run-channel.ts) and every input is time-boxed by a watchdog here (FUZZ_TIMEBOX_MS, default 60 s: a hang, even
 * in synchronous code, is killed and reported with its index). Checked per input there: a clean rejection (our
 * error, naming the input, nothing written) or a whole, literal write; checked here: nothing a stored input did
 * touched what was in the graph before (checksum of the seed graph unchanged), and every input got an answer.
 * FUZZ_CHANNELS=load,stix limits the channels.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { after, before, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT } from "../../src/config.ts";
import { createDriver } from "../../src/neo4j/connection.ts";
import { applySchema } from "../../src/neo4j/cypher-files.ts";
import { graphChecksum, graphElements, type GraphElements } from "../../src/neo4j/graph-checksum.ts";
import { LocalNeo4j, freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { FactLoader } from "../../src/loader/FactLoader.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { unitFromRegistry } from "../../src/loader/registry-unit.ts";
import { Registry } from "../../src/registry/Registry.ts";
import { CHANNELS, type Channel } from "./fuzz/generate.ts";

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 10_000);
const SEED = process.env.FUZZ_SEED ?? "cyberkg";
const TIMEBOX_MS = Number(process.env.FUZZ_TIMEBOX_MS ?? 60_000);
const RUN = (process.env.FUZZ_CHANNELS?.split(",") as Channel[] | undefined) ?? [...CHANNELS];

interface ChannelFigures {
    inputs: number;
    rejected: number;
    stored: number;
    timeboxed: number;
    violations: { i: number; kind: string; violation: string }[];
    slowestMs: number;
    byKind: Record<string, number>;
    /** Total milliseconds per kind (where the time goes). */
    msByKind: Record<string, number>;
    seconds: number;
}

/** Runs one channel's process; resolves with its figures, killing it when an input overruns the time box. */
function runChannel(channel: Channel, env: NodeJS.ProcessEnv, dir: string): Promise<ChannelFigures> {
    const figures: ChannelFigures = { inputs: 0, rejected: 0, stored: 0, timeboxed: 0, violations: [], slowestMs: 0, byKind: {}, msByKind: {}, seconds: 0 };
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "test/faults/fuzz/run-channel.ts"), channel], {
        env: { ...env, FUZZ_SEED: SEED, FUZZ_INPUTS: String(INPUTS), FUZZ_DIR: dir, LOG_LEVEL: "error", NODE_ENV: "production" },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d).slice(-4000)));
    let current: { i: number; kind: string } | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
            figures.violations.push({ i: current?.i ?? -1, kind: current?.kind ?? "?", violation: `hang: no answer within ${TIMEBOX_MS} ms (killed)` });
            child.kill("SIGKILL");
        }, TIMEBOX_MS);
    };
    arm();
    readline.createInterface({ input: child.stdout! }).on("line", (text) => {
        let line: { start?: number; i?: number; kind: string; outcome?: string; ms?: number; violation?: string };
        try {
            line = JSON.parse(text);
        } catch {
            return; // not ours
        }
        arm();
        if (line.start !== undefined) {
            current = { i: line.start, kind: line.kind };
            return;
        }
        if (line.i === undefined) return;
        figures.inputs++;
        const kind = line.kind.split(":")[0]!;
        figures.byKind[kind] = (figures.byKind[kind] ?? 0) + 1;
        figures.msByKind[kind] = (figures.msByKind[kind] ?? 0) + (line.ms ?? 0);
        figures.slowestMs = Math.max(figures.slowestMs, line.ms ?? 0);
        if (line.outcome === "rejected") figures.rejected++;
        if (line.outcome === "stored") figures.stored++;
        if (line.outcome === "timeboxed") figures.timeboxed++;
        if (line.violation) figures.violations.push({ i: line.i, kind: line.kind, violation: line.violation });
        if (figures.inputs % 1000 === 0) process.stderr.write(`[fuzz] ${channel}: ${figures.inputs}/${INPUTS}\n`);
    });
    return new Promise((resolve) =>
        child.once("exit", (code, signal) => {
            clearTimeout(watchdog);
            figures.seconds = Math.round((Date.now() - started) / 1000);
            if (code !== 0 && signal !== "SIGKILL") figures.violations.push({ i: current?.i ?? -1, kind: current?.kind ?? "?", violation: `the channel process died (exit ${code ?? signal}): ${stderr.slice(-1500)}` });
            resolve(figures);
        }),
    );
}

describe(`fuzz: ${INPUTS} hostile inputs per channel (seed ${SEED})`, () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-fuzz-neo4j-"));
    let runtime: LocalNeo4j;
    let driver: Driver;
    let seeded: GraphElements;
    let seedChecksum: Awaited<ReturnType<typeof graphChecksum>>;
    const all: Record<string, ChannelFigures> = {};

    before(async () => {
        runtime = new LocalNeo4j({ home, jarsHome: path.join(REPO_ROOT, ".neo4j"), boltPort: await freePort(), httpPort: await freePort(), heap: "512m", pagecache: "128m", startTimeoutMs: 180_000, password: "fuzz-test-password" });
        await runtime.start();
        driver = createDriver({ uri: runtime.boltUri, user: "neo4j", password: runtime.password(), database: "neo4j" });
        await applySchema(driver, "neo4j");
        const registry = Registry.load();
        const loader = new FactLoader(driver, "neo4j", registry);
        await loader.load(unitFromRegistry(registry));
        const summary = await loadFiles([path.join(REPO_ROOT, "data/articles")], loader);
        assert.ok(summary.loaded > 0, "the seed corpus (data/articles) loaded nothing");
        seeded = await graphElements(driver, "neo4j");
        seedChecksum = await graphChecksum(driver, "neo4j", seeded);
    });
    after(async () => {
        await driver?.close();
        await runtime?.stop();
        fs.rmSync(home, { recursive: true, force: true });
        process.stderr.write(`[fuzz] ${JSON.stringify(all)}\n`);
    });

    for (const channel of RUN) {
        it(`${channel}: every input rejected cleanly or stored whole, none crashes or hangs, the rest of the graph unchanged`, async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cyberkg-fuzz-${channel}-`));
            try {
                const env = { ...process.env, NEO4J_URI: runtime.boltUri, NEO4J_USER: "neo4j", NEO4J_PASSWORD: runtime.password() };
                const figures = await runChannel(channel, env, dir);
                all[channel] = figures;
                const { violations, ...summary } = figures;
                process.stderr.write(`[fuzz] ${channel}: ${JSON.stringify(summary)}\n`);
                assert.deepEqual(violations.slice(0, 20), [], `${violations.length} violations (FUZZ_SEED=${SEED}; regenerate an input with generate("${channel}", seed, i))`);
                assert.equal(figures.inputs, INPUTS, "not every input got an answer");
                assert.ok(figures.rejected > 0 && (channel === "extract" || figures.stored > 0), `a one-sided run: ${JSON.stringify(summary)}`);
                assert.deepEqual(await graphChecksum(driver, "neo4j", seeded), seedChecksum, "the fuzz inputs changed what was in the graph before them");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }
});
