/**
 * A healthy but saturated Neo4j (issue 12; bench:api run 1 had 92 × HTTP 503 at concurrency 64): when every pooled
 * connection is busy, a request waits for one (the driver's acquisition timeout, src/neo4j/driver-settings.ts) and is
 * answered normally — it is not told that Neo4j is unavailable. Only when no connection frees up within the
 * acquisition timeout is the answer HTTP 503 `OVERLOADED` (with Retry-After), never `NEO4J_UNAVAILABLE`, and the API
 * answers again as soon as a connection is free. Real Neo4j; the pool is made tiny so that a few slow queries
 * (apoc.util.sleep) fill it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { createDriver } from "../../src/neo4j/connection.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { TEST_JWT_SECRET } from "./api-client.ts";

const QUERY = `{ threatActors(where: { name: { eq: "APT31" } }) { name } }`;
const conn = () => ({ uri: process.env.NEO4J_URI!, user: process.env.NEO4J_USER ?? "neo4j", password: process.env.NEO4J_PASSWORD ?? "", database: DATABASE });

async function post(url: string): Promise<{ status: number; retryAfter: string | null; body: { data?: { threatActors?: { name: string }[] }; errors?: { message: string; extensions?: { code?: string } }[] } }> {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: QUERY }) });
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as never };
}

/** Holds `n` pooled connections of `driver` for `ms` (each runs a sleeping query), resolving once they all have one. */
async function occupy(driver: Driver, n: number, ms: number): Promise<{ done: Promise<unknown> }> {
    const sessions = Array.from({ length: n }, () => driver.session({ database: DATABASE }));
    const txs = await Promise.all(
        sessions.map(async (s) => {
            const tx = s.beginTransaction();
            await tx.run("RETURN 1"); // the transaction now holds a connection
            return tx;
        }),
    );
    // Wrapped: an async function returning the promise itself would wait for it.
    const done = Promise.all(txs.map(async (tx, i) => {
        await tx.run(`CALL apoc.util.sleep(${Math.round(ms)})`); // an integer literal: the procedure takes INTEGER
        await tx.commit();
        await sessions[i]!.close();
    }));
    return { done };
}

describe("a saturated but healthy Neo4j", () => {
    const servers: RunningServer[] = [];
    const drivers: Driver[] = [];
    const serve = async (pool: { maxConnectionPoolSize: number; connectionAcquisitionTimeout?: number }) => {
        const driver = createDriver(conn(), pool);
        drivers.push(driver);
        const server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production", JWT_SECRET: TEST_JWT_SECRET }), driver, DATABASE);
        servers.push(server);
        return { driver, server };
    };

    before(async () => {
        await freshGraph();
    });
    after(async () => {
        for (const s of servers) await s.close();
        for (const d of drivers) await d.close();
        await closeTestDriver();
    });

    it("queues a request while every pooled connection is busy for longer than 2 s, and answers it", async () => {
        const { driver, server } = await serve({ maxConnectionPoolSize: 2 }); // the default acquisition timeout
        const busy = (await occupy(driver, 2, 3500)).done;
        const started = performance.now();
        const answer = await post(server.url);
        const waited = performance.now() - started;
        await busy;
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body));
        assert.deepEqual(answer.body.data?.threatActors, [{ name: "APT31" }]);
        assert.ok(waited > 2000, `it did not have to wait (${Math.round(waited)} ms): the pool was not full`);
    });

    it("answers 503 OVERLOADED (not NEO4J_UNAVAILABLE) only when no connection frees up within the acquisition timeout, then recovers", async () => {
        const { driver, server } = await serve({ maxConnectionPoolSize: 1, connectionAcquisitionTimeout: 500 });
        const busy = (await occupy(driver, 1, 3000)).done;
        const answer = await post(server.url);
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        assert.equal(answer.body.errors?.[0]?.extensions?.code, "OVERLOADED", JSON.stringify(answer.body));
        assert.match(answer.body.errors![0]!.message, /overloaded.*try again shortly/);
        assert.equal(answer.retryAfter, "5");
        await busy;
        const again = await post(server.url);
        assert.equal(again.status, 200, JSON.stringify(again.body));
        assert.deepEqual(again.body.data?.threatActors, [{ name: "APT31" }]);
    });
});
