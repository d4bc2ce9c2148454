/**
 * Outage behaviour (issue 12), against a Neo4j of this test's own (throwaway home, free ports) — the run's shared
 * server is never touched. /health stays 200 throughout; /ready is 200 while Neo4j answers, 503 while it is down
 * (killed, or stopped gracefully at the end), 200 again when it is back, without restarting the service. Neo4j is SIGKILLed under a steady query load: every request inside the outage is answered
 * NEO4J_UNAVAILABLE with HTTP 503 at once (not after 30 s, never QUERY_TIMEOUT), /ready is 503; a load running
 * through the outage waits (saying so once), resumes after the restart and rejects nothing; after recovery the API
 * answers a burst of concurrent requests with no pool exhaustion. Last, `cyberkg load` that starts its own Neo4j
 * exits when done and leaves no Neo4j behind.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT } from "../../src/config.ts";
import type { RunningServer } from "../../src/api/server.ts";
import { LocalNeo4j, freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { FactLoader } from "../../src/loader/FactLoader.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { DEFAULT_RETRY } from "../../src/loader/retry.ts";
import { Registry } from "../../src/registry/Registry.ts";
import { editorToken, graphql } from "./api-client.ts";
import { neo4jProcessesOf, startOutageStack, throwawayHome, timedQuery } from "../helpers/outage.ts";

const JARS = path.join(REPO_ROOT, ".neo4j");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Neo4j outage", () => {
    const home = throwawayHome();
    let runtime: LocalNeo4j;
    let driver: Driver;
    let server: RunningServer;
    let pid: number;

    before(async () => {
        // a leading "-" (as one generated password in 64 has): neo4j-admin must not read it as an option
        ({ runtime, driver, server } = await startOutageStack(home, { password: "-outage-test-password", startTimeoutMs: 180_000 }));
        pid = runtime.runningPid()!;
    });
    after(async () => {
        await server?.close();
        await driver?.close();
        await runtime?.stop();
        fs.rmSync(home, { recursive: true, force: true });
    });

    // /ready follows Neo4j (formerly its own file with its own Neo4j; one server here saves a start and a restart).
    const base = () => server.url.replace(/\/graphql$/, "");
    const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
        const start = Date.now();
        while (Date.now() - start < timeoutMs) {
            if (await check()) return;
            await sleep(250);
        }
        throw new Error(`${what}: not within ${timeoutMs} ms`);
    };

    it("answers /health and /ready with 200 while Neo4j is up", async () => {
        assert.equal((await fetch(`${base()}/health`)).status, 200);
        assert.equal((await fetch(`${base()}/ready`)).status, 200);
    });

    it("answers NEO4J_UNAVAILABLE (503) at once while Neo4j is down, waits in the loader, and recovers by itself", async () => {
        assert.equal((await timedQuery(server.url)).ok, true);
        const readyUrl = server.url.replace(/\/graphql$/, "/ready");
        assert.equal((await fetch(readyUrl)).status, 200);

        process.kill(pid, "SIGKILL");
        while (neo4jProcessesOf(home).length) await sleep(50);

        // 5 requests per second for 6 s, not waiting for each other.
        const inOutage: Promise<Awaited<ReturnType<typeof timedQuery>>>[] = [];
        for (let i = 0; i < 30; i++) {
            inOutage.push(timedQuery(server.url));
            await sleep(200);
        }
        const outage = await Promise.all(inOutage);
        const ready = await fetch(readyUrl);
        const write = await graphql(
            server.url,
            `mutation Ingest($document: JSON!) { ingestFacts(document: $document) { status } }`,
            { document: { article: { id: "article:outage-api", title: "During the outage" }, entities: [{ id: "a", type: "ThreatActor", name: "Outage Actor" }, { id: "s", type: "Sector", name: "Energy" }], facts: [{ subject: "a", predicate: "TARGETED", object: "s" }] } },
            { authorization: `Bearer ${await editorToken()}` },
        );

        // A load running through the outage: it must wait, not reject.
        const events: string[] = [];
        const docs = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-outage-docs-"));
        for (let i = 0; i < 5; i++) {
            fs.writeFileSync(
                path.join(docs, `doc-${i}.json`),
                JSON.stringify({ article: { id: `article:outage-${i}`, title: `Outage ${i}` }, entities: [{ id: "a", type: "ThreatActor", name: `Outage Group ${i}` }, { id: "s", type: "Sector", name: "Energy" }], facts: [{ subject: "a", predicate: "TARGETED", object: "s" }] }),
            );
        }
        const loader = new FactLoader(driver, "neo4j", Registry.load(), { ...DEFAULT_RETRY, maxWaitMs: 240_000, onWait: (e) => events.push(e.state) });
        const loading = loadFiles([docs], loader);
        await sleep(3000);
        await runtime.start();
        pid = runtime.runningPid()!;
        const summary = await loading;

        const report = { maxMs: Math.round(Math.max(...outage.map((r) => r.ms))), codes: [...new Set(outage.map((r) => `${r.status} ${r.code}`))] };
        process.stderr.write(`[outage] ${outage.length} requests in the outage: ${JSON.stringify(report)}; loader events ${events.join(",")}\n`);
        for (const r of outage) {
            assert.equal(r.status, 503, JSON.stringify(r));
            assert.equal(r.code, "NEO4J_UNAVAILABLE", JSON.stringify(r));
            assert.ok(r.ms < 5000, `an outage answer took ${r.ms} ms`); // a bound on hanging, not a speed target
        }
        assert.equal(ready.status, 503);
        assert.equal(write.status, 503, JSON.stringify(write));
        assert.equal(write.errors?.[0]?.extensions?.code, "NEO4J_UNAVAILABLE");

        assert.deepEqual(events, ["waiting", "resumed"]);
        assert.equal(summary.rejected, 0, JSON.stringify(summary.errors));
        assert.equal(summary.loaded, 5);

        // Recovered by itself: the next requests succeed, and a burst of 60 concurrent ones exhausts nothing.
        let recovered = false;
        for (let i = 0; i < 50 && !recovered; i++) {
            recovered = (await timedQuery(server.url)).ok;
            if (!recovered) await sleep(200);
        }
        assert.ok(recovered, "the API did not recover");
        const burst = await Promise.all(Array.from({ length: 60 }, () => timedQuery(server.url)));
        assert.deepEqual([...new Set(burst.map((r) => `${r.status} ${r.ok}`))], ["200 true"]);
        assert.equal((await fetch(readyUrl)).status, 200, "/ready is 200 again once Neo4j is back, without restarting the service");
    });

    it("turns /ready to 503 when Neo4j stops (gracefully), while /health stays 200", async () => {
        await runtime.stop();
        await until("/ready 503", async () => (await fetch(`${base()}/ready`)).status === 503, 15_000);
        assert.equal((await fetch(`${base()}/health`)).status, 200);
        const body = (await (await fetch(`${base()}/ready`)).json()) as { status: string };
        assert.equal(body.status, "unavailable");
        const query = await graphql(server.url, `{ threatActors(limit: 1) { name } }`);
        assert.equal(query.errors?.[0]?.extensions?.code, "NEO4J_UNAVAILABLE");
    });
});

describe("cyberkg load with its own Neo4j", () => {
    it("exits when done and stops the Neo4j it started", async () => {
        const home = throwawayHome();
        for (const d of ["lib", "plugins"]) fs.symlinkSync(path.join(JARS, d), path.join(home, d));
        fs.copyFileSync(path.join(JARS, ".fetched"), path.join(home, ".fetched"));
        const env: NodeJS.ProcessEnv = { ...process.env, NEO4J_HOME: home, NEO4J_BOLT_PORT: String(await freePort()), NEO4J_HTTP_PORT: String(await freePort()), NEO4J_HEAP: "512m", NEO4J_PAGECACHE: "128m" };
        delete env.NEO4J_URI;
        delete env.NEO4J_PASSWORD;
        const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "cyberkg.js"), "load", path.join(REPO_ROOT, "data", "articles")], { env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        let deadline: NodeJS.Timeout | undefined;
        child.stdout.on("data", (d: Buffer) => (output += d));
        child.stderr.on("data", (d: Buffer) => (output += d));
        try {
            // the time box is cleared in `finally`: a pending 280 s timer would keep this test file alive after it passed
            const code = await Promise.race([new Promise<number | null>((resolve) => child.once("exit", resolve)), new Promise<"still running">((resolve) => (deadline = setTimeout(() => resolve("still running"), 280_000)))]);
            assert.equal(code, 0, output);
            assert.match(output, /Articles: 4 loaded/);
            assert.deepEqual(neo4jProcessesOf(home), [], "the Neo4j it started is still running");
        } finally {
            clearTimeout(deadline);
            if (child.exitCode === null) child.kill("SIGKILL");
            for (const p of neo4jProcessesOf(home)) process.kill(p, "SIGKILL");
            fs.rmSync(home, { recursive: true, force: true });
        }
    });
});
