/**
 * /ready follows Neo4j: 200 while it answers, 503 once it is stopped, 200 again when it is back — without
 * restarting the service. Uses its own throwaway local Neo4j (not the run's shared one) so it can stop it.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import neo4j, { type Driver } from "neo4j-driver";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { applySchema } from "../../src/neo4j/cypher-files.ts";
import { LocalNeo4j, freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { graphql } from "./api-client.ts";

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < timeoutMs) {
        if (await check()) return Date.now() - start;
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what}: not within ${timeoutMs} ms`);
}

describe("/ready tracks Neo4j availability", () => {
    let runtime: LocalNeo4j;
    let driver: Driver;
    let server: RunningServer;
    let home: string;
    let base: string;
    const ready = async () => (await fetch(`${base}/ready`)).status;

    before(async () => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-ready-neo4j-"));
        runtime = new LocalNeo4j({
            home,
            jarsHome: path.join(REPO_ROOT, ".neo4j"),
            boltPort: await freePort(),
            httpPort: await freePort(),
            heap: "512m",
            pagecache: "64m",
            startTimeoutMs: 180_000,
            password: "cyberkg-ready-password",
        });
        await runtime.start();
        driver = neo4j.driver(runtime.boltUri, neo4j.auth.basic("neo4j", runtime.password()), { disableLosslessIntegers: true, connectionTimeout: 2000 });
        await applySchema(driver, "neo4j");
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test" }), driver, "neo4j");
        base = server.url.replace(/\/graphql$/, "");
    });
    after(async () => {
        await server?.close();
        await driver?.close();
        await runtime?.stop();
        if (home) fs.rmSync(home, { recursive: true, force: true });
    });

    it("answers /health and /ready with 200 while Neo4j is up", async () => {
        assert.equal((await fetch(`${base}/health`)).status, 200);
        assert.equal(await ready(), 200);
    });

    it("turns /ready to 503 when Neo4j stops, while /health stays 200", async () => {
        await runtime.stop();
        await until("/ready 503", async () => (await ready()) === 503, 15_000);
        assert.equal((await fetch(`${base}/health`)).status, 200);
        const body = (await (await fetch(`${base}/ready`)).json()) as { status: string };
        assert.equal(body.status, "unavailable");
        const query = await graphql(server.url, `{ threatActors(limit: 1) { name } }`);
        assert.equal(query.errors?.[0]?.extensions?.code, "NEO4J_UNAVAILABLE");
    });

    it("turns /ready back to 200 when Neo4j is back, without restarting the service", async () => {
        await runtime.start();
        await until("/ready 200", async () => (await ready()) === 200, 60_000);
        const query = await graphql(server.url, `{ threatActors(limit: 1) { name } }`);
        assert.equal(query.errors, undefined);
    });
});
