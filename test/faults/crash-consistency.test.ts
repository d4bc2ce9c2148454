/**
 * Crash consistency (issue 12), `npm run test:faults`: a synthetic corpus is loaded by the real CLI
 * (`cyberkg load`, its own process) into a throwaway local Neo4j on free ports while
 *   - the loader itself is SIGKILLed FAULTS_LOADER_KILLS times (then simply run again), and
 *   - Neo4j is SIGKILLed FAULTS_NEO4J_KILLS times at random points of a load and restarted (the loader waits).
 * After every kill each article is wholly present (all its claims) or wholly absent; the interrupted load
 * finishes with nothing rejected; and the graph's canonical checksum equals that of a clean load of the same corpus
 * into an empty database. Counts: FAULTS_DOCS (default 300, loaded FAULTS_BATCH = 10 per transaction), FAULTS_NEO4J_KILLS (3), FAULTS_LOADER_KILLS (2);
 * the full run is FAULTS_NEO4J_KILLS=10 FAULTS_LOADER_KILLS=3 FAULTS_DOCS=2000.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT } from "../../src/config.ts";
import { createDriver } from "../../src/neo4j/connection.ts";
import { applySchema } from "../../src/neo4j/cypher-files.ts";
import { graphChecksum } from "../../src/neo4j/graph-checksum.ts";
import { LocalNeo4j, freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { FactLoader } from "../../src/loader/FactLoader.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { unitFromRegistry } from "../../src/loader/registry-unit.ts";
import { Registry } from "../../src/registry/Registry.ts";

const DOCS = Number(process.env.FAULTS_DOCS ?? 300);
/** Documents per write transaction: small, so the kills land between and inside many group commits (the default 100 commits a small corpus in three). */
const BATCH = Number(process.env.FAULTS_BATCH ?? 10);
const NEO4J_KILLS = Number(process.env.FAULTS_NEO4J_KILLS ?? 3);
const LOADER_KILLS = Number(process.env.FAULTS_LOADER_KILLS ?? 2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const random = (min: number, max: number) => min + Math.random() * (max - min);

/** A deterministic corpus (shared entities across articles, so edges gather support from many) and its fact counts. */
function writeCorpus(file: string): Map<string, number> {
    const actors = ["APT31", "APT28", "Lazarus Group", "Sandworm", "Volt Typhoon", "APT10"];
    const states = ["China", "Russia", "Iran", "North Korea", "United States", "United Kingdom"];
    const sectors = ["Energy", "Defence", "Telecommunications", "Healthcare", "Water"];
    const expected = new Map<string, number>();
    const lines: string[] = [];
    for (let d = 0; d < DOCS; d++) {
        const entities = [
            { id: "a", type: "ThreatActor", name: actors[d % actors.length], aliases: [] },
            { id: "s", type: "Sector", name: sectors[d % sectors.length], aliases: [] },
            { id: "t", type: "State", name: states[d % states.length], aliases: [] },
            { id: "p", type: "Person", name: `Fault Person ${d % 97}`, aliases: [] },
            { id: "o", type: "Organization", kind: "other", name: `Fault Organization ${d % 61}`, aliases: [] },
        ];
        const facts = [
            { subject: "a", predicate: "TARGETED", object: "s", certainty: d % 3 ? "asserted" : "alleged" },
            { subject: "t", predicate: "SANCTIONED", object: "p" },
            { subject: "p", predicate: "MEMBER_OF", object: "a" },
            { subject: "a", predicate: "COMPROMISED", object: "o" },
            { subject: "t", predicate: "SANCTIONED", object: "o" },
        ];
        const id = `article:fault-${d}`;
        expected.set(id, facts.length);
        lines.push(JSON.stringify({ article: { id, title: `Fault article ${d}`, publishedAt: `20${10 + (d % 15)}-0${1 + (d % 9)}-1${d % 10}` }, entities, facts }));
    }
    fs.writeFileSync(file, lines.join("\n") + "\n");
    return expected;
}

/** Articles present, each checked: all of its claims or (absent) none. */
async function checkAllOrNothing(driver: Driver, expected: Map<string, number>): Promise<number> {
    const { records } = await driver.executeQuery("MATCH (a:Article) WHERE a.id STARTS WITH 'article:fault-' OPTIONAL MATCH (a)<-[:FROM]-(c:Claim) RETURN a.id AS id, count(c) AS claims", {}, { database: "neo4j" });
    for (const r of records) assert.equal(r.get("claims"), expected.get(r.get("id")), `article ${r.get("id")} is partial`);
    const orphans = await driver.executeQuery("MATCH (c:Claim) WHERE NOT (c)-[:FROM]->(:Source) RETURN count(c) AS n", {}, { database: "neo4j" });
    assert.equal(orphans.records[0]!.get("n"), 0, "claims without a source");
    return records.length;
}

describe("crash consistency", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-faults-neo4j-"));
    const corpus = path.join(home, "corpus.jsonl");
    let runtime: LocalNeo4j;
    let driver: Driver;
    let expected: Map<string, number>;
    const figures = { neo4jKills: 0, loaderKills: 0, partialArticles: 0, checks: 0 };

    before(async () => {
        expected = writeCorpus(corpus);
        runtime = new LocalNeo4j({ home, jarsHome: path.join(REPO_ROOT, ".neo4j"), boltPort: await freePort(), httpPort: await freePort(), heap: "512m", pagecache: "128m", startTimeoutMs: 180_000, password: "faults-test-password" });
        await runtime.start();
        driver = createDriver({ uri: runtime.boltUri, user: "neo4j", password: runtime.password(), database: "neo4j" });
    });
    after(async () => {
        await driver?.close();
        await runtime?.stop();
        fs.rmSync(home, { recursive: true, force: true });
        process.stderr.write(`[faults] ${JSON.stringify(figures)}\n`);
    });

    const articles = async () => (await driver.executeQuery("MATCH (a:Article) RETURN count(a) AS n", {}, { database: "neo4j" })).records[0]!.get("n") as number;
    const load = (): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "src/cli/index.ts"), "load", "--batch-size", String(BATCH), corpus], {
            env: { ...process.env, NEO4J_URI: runtime.boltUri, NEO4J_USER: "neo4j", NEO4J_PASSWORD: runtime.password(), LOG_LEVEL: "error" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout!.on("data", (d: Buffer) => (output += d));
        child.stderr!.on("data", (d: Buffer) => (output += d));
        return { child, done: new Promise((resolve) => child.once("exit", (code) => resolve({ code, output }))) };
    };
    /** Until at least `n` more articles are in (or the load ended). */
    const progress = async (n: number, ended: () => boolean) => {
        const start = await articles();
        while (!ended() && (await articles()) < Math.min(DOCS, start + n)) await sleep(100);
    };

    it(`survives ${LOADER_KILLS} loader kills and ${NEO4J_KILLS} Neo4j kills with every article whole, and ends equal to a clean load`, async () => {
        for (let k = 0; k < LOADER_KILLS; k++) {
            const run = load();
            let ended = false;
            void run.done.then(() => (ended = true));
            await progress(Math.round(random(5, DOCS / (LOADER_KILLS + 2))), () => ended);
            run.child.kill("SIGKILL");
            await run.done;
            figures.loaderKills++;
            await checkAllOrNothing(driver, expected);
            figures.checks++;
        }
        const run = load();
        let ended = false;
        void run.done.then(() => (ended = true));
        for (let k = 0; k < NEO4J_KILLS && !ended; k++) {
            await progress(Math.round(random(3, DOCS / (NEO4J_KILLS + 4))), () => ended);
            if (ended) break;
            process.kill(runtime.runningPid()!, "SIGKILL");
            figures.neo4jKills++;
            await sleep(random(200, 1500));
            await runtime.start();
            await checkAllOrNothing(driver, expected);
            figures.checks++;
        }
        const { code, output } = await run.done;
        assert.equal(code, 0, output);
        assert.match(output, /0 rejected/, output);
        assert.equal(await checkAllOrNothing(driver, expected), DOCS);
        assert.ok(figures.neo4jKills >= Math.min(1, NEO4J_KILLS), `only ${figures.neo4jKills} Neo4j kills happened: raise FAULTS_DOCS`);
        const crashed = await graphChecksum(driver, "neo4j");

        // The same corpus, loaded cleanly into an emptied database.
        const session = driver.session({ database: "neo4j" });
        await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS");
        await session.close();
        await applySchema(driver, "neo4j");
        const registry = Registry.load();
        const loader = new FactLoader(driver, "neo4j", registry);
        await loader.load(unitFromRegistry(registry));
        const summary = await loadFiles([corpus], loader);
        assert.equal(summary.loaded, DOCS);
        const clean = await graphChecksum(driver, "neo4j");
        process.stderr.write(`[faults] checksum after faults ${crashed.hash.slice(0, 16)} (${crashed.nodes} nodes, ${crashed.relationships} relationships); clean ${clean.hash.slice(0, 16)}\n`);
        assert.deepEqual(crashed, clean);
    });
});
