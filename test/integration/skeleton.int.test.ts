/**
 * The walking skeleton, end to end against a real Neo4j: demo facts → loader → graph → generated GraphQL,
 * the README's queries, reload idempotence, and a malformed file rejected with nothing written.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { readmeBlocks } from "../helpers/readme.ts";

const DEMO = path.join(REPO_ROOT, "data", "articles");
const BAD = path.join(REPO_ROOT, "test", "fixtures", "invalid", "bad-predicate.json");

describe("walking skeleton: article facts → Neo4j → GraphQL", () => {
    let server: RunningServer;
    let graph: Awaited<ReturnType<typeof freshGraph>>;

    before(async () => {
        graph = await freshGraph();
        const summary = await loadFiles([DEMO], graph.loader);
        assert.equal(summary.rejected, 0, JSON.stringify(summary.errors));
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test" }), graph.driver, DATABASE);
    });
    after(async () => {
        await server?.close();
        await closeTestDriver();
    });

    it("answers the issue's GraphQL query with APT31's targets", async () => {
        const body = await graphql(server.url, `{ threatActors(where: { name: { eq: "APT31" } }) { name targeted { name } } }`);
        const actors = body.data.threatActors as { name: string; targeted: { name: string }[] }[];
        assert.equal(actors.length, 1);
        const targets = actors[0]!.targeted.map((t) => t.name).sort();
        assert.deepEqual(targets, ["Defence", "Energy", "Information Technology", "UK politicians", "US politicians"]);
    });

    it("runs the README's GraphQL example and gets the documented answer", async () => {
        const block = readmeBlocks("graphql").find((b) => b.includes("targeted"));
        assert.ok(block, "README has a GraphQL example");
        const body = await graphql(server.url, block);
        assert.equal(body.errors, undefined);
        assert.ok(JSON.stringify(body.data).includes("UK politicians"));
    });

    it("runs the README's Cypher example and finds who sanctioned the front company", async () => {
        const block = readmeBlocks("cypher")[0];
        assert.ok(block, "README has a Cypher example");
        const { records } = await graph.driver.executeQuery(block, {}, { database: DATABASE });
        const rows = records.map((r) => r.toObject());
        const sanctioners = rows.map((r) => r.state as string).sort();
        assert.deepEqual([...new Set(sanctioners)], ["United Kingdom", "United States"]);
    });

    it("keeps node and relationship counts unchanged when the same data is loaded again", async () => {
        const first = await graphCounts(graph.driver);
        const summary = await loadFiles([DEMO], graph.loader);
        assert.equal(summary.unchanged, fs.readdirSync(DEMO).filter((f) => f.endsWith(".json")).length);
        assert.equal(summary.loaded + summary.replaced, 0);
        assert.deepEqual(await graphCounts(graph.driver), first);
    });

    it("rejects a malformed file naming the file and field, and writes nothing of it", async () => {
        const before = await graphCounts(graph.driver);
        const summary = await loadFiles([BAD], graph.loader);
        assert.equal(summary.rejected, 1);
        const message = summary.errors[0]!.message;
        assert.match(message, /bad-predicate\.json/);
        assert.match(message, /facts\[1\]\.predicate/);
        assert.match(message, /'HACKED' is not one of/);
        assert.deepEqual(await graphCounts(graph.driver), before);
        const { records } = await graph.driver.executeQuery("MATCH (e:Entity {name: 'Test Actor Alpha'}) RETURN count(e) AS n", {}, { database: DATABASE });
        assert.equal(records[0]!.get("n"), 0);
    });

    it("serves /health and /ready", async () => {
        const base = server.url.replace(/\/graphql$/, "");
        assert.equal((await fetch(`${base}/health`)).status, 200);
        assert.equal((await fetch(`${base}/ready`)).status, 200);
    });
});

async function graphql(url: string, query: string, variables?: Record<string, unknown>) {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as { data: Record<string, unknown>; errors?: unknown[] };
}
