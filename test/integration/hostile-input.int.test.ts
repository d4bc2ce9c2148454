/**
 * Hostile input through `load` and `ingestFacts` (issue 12): each is refused before any write with the field and
 * the reason — never HTTP 500, never a partial write, never a silently replaced character.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { TEST_JWT_SECRET, editorToken, graphql } from "./api-client.ts";

const INGEST = `mutation Ingest($document: JSON!) { ingestFacts(document: $document) { sourceId status claims } }`;
const doc = (name: string, id = "article:hostile") => ({
    article: { id, title: "Hostile input", publishedAt: "2024-06-01" },
    entities: [
        { id: "a", type: "ThreatActor", name, aliases: [] },
        { id: "s", type: "Sector", name: "Energy", aliases: [] },
    ],
    facts: [{ subject: "a", predicate: "TARGETED", object: "s" }],
});

describe("hostile input", () => {
    let server: RunningServer;
    let graph: Awaited<ReturnType<typeof freshGraph>>;
    let auth: Record<string, string>;

    before(async () => {
        graph = await freshGraph();
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production", JWT_SECRET: TEST_JWT_SECRET }), graph.driver, DATABASE);
        auth = { authorization: `Bearer ${await editorToken()}` };
    });
    after(async () => {
        await server?.close();
        await closeTestDriver();
    });

    it("ingestFacts(document: null) and other non-documents are a 4xx-style error, not HTTP 500", async () => {
        const before = await graphCounts(graph.driver);
        for (const document of [null, [], "text", 42, {}]) {
            const result = await graphql(server.url, INGEST, { document }, auth);
            assert.ok(result.status < 500, `${JSON.stringify(document)} → HTTP ${result.status} ${JSON.stringify(result)}`);
            assert.ok(["BAD_USER_INPUT", "FACTS_INVALID"].includes(String(result.errors?.[0]?.extensions?.code)), JSON.stringify(result));
            assert.doesNotMatch(result.errors![0]!.message, /Internal server error/);
        }
        const literal = await graphql(server.url, `mutation { ingestFacts(document: null) { status } }`, undefined, auth);
        assert.ok(literal.status < 500 && literal.errors?.length, JSON.stringify(literal));
        assert.deepEqual(await graphCounts(graph.driver), before);
    });

    it("refuses an 8 KB entity name, a lone surrogate and a NUL through ingestFacts with the field", async () => {
        const before = await graphCounts(graph.driver);
        const cases: [string, RegExp][] = [
            ["A".repeat(8192), /entities\[0\]\.name: is longer than 300 characters/],
            ["APT\uD83D99", /entities\[0\]\.name: contains a lone UTF-16 surrogate/],
            ["APT\u000099", /entities\[0\]\.name: contains the control character U\+0000/],
        ];
        for (const [name, message] of cases) {
            const result = await graphql(server.url, INGEST, { document: doc(name) }, auth);
            assert.equal(result.errors?.[0]?.extensions?.code, "FACTS_INVALID", JSON.stringify(result).slice(0, 300));
            assert.match(result.errors![0]!.message, message);
        }
        assert.deepEqual(await graphCounts(graph.driver), before);
    });

    it("cyberkg load rejects them with the file and field, loads the good document beside them, and stores names literally", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-hostile-"));
        fs.writeFileSync(path.join(dir, "a-long-name.json"), JSON.stringify(doc("A".repeat(8192), "article:hostile-long")));
        fs.writeFileSync(path.join(dir, "b-surrogate.json"), JSON.stringify(doc("APT\uD83D99", "article:hostile-surrogate")));
        const huge = { ...doc("Huge Actor", "article:hostile-huge"), facts: Array.from({ length: 100_000 }, () => ({ subject: "a", predicate: "TARGETED", object: "s" })) };
        fs.writeFileSync(path.join(dir, "c-huge.json"), JSON.stringify(huge));
        const literal = "Ünïcode 🙂 <script>alert(1)</script> ' OR 1=1 //";
        fs.writeFileSync(path.join(dir, "d-good.json"), JSON.stringify(doc(literal, "article:hostile-good")));
        const start = performance.now();
        const summary = await loadFiles([dir], graph.loader);
        const ms = performance.now() - start;
        assert.equal(summary.rejected, 3, JSON.stringify(summary.errors));
        assert.equal(summary.loaded, 1);
        assert.match(summary.errors[0]!.message, /a-long-name\.json: entities\[0\]\.name: is longer than 300 characters/);
        assert.match(summary.errors[1]!.message, /b-surrogate\.json: entities\[0\]\.name: contains a lone UTF-16 surrogate/);
        assert.match(summary.errors[2]!.message, /c-huge\.json: facts: 100000 facts is more than the limit of 5000/);
        assert.ok(ms < 30_000, `took ${ms} ms`); // not minutes at Neo4j's memory limit
        const { records } = await graph.driver.executeQuery("MATCH (e:Entity) WHERE e.name STARTS WITH 'Ünï' OR e.name STARTS WITH 'AAAA' OR e.name CONTAINS '\uFFFD' OR e.name STARTS WITH 'Huge' RETURN e.name AS name", {}, { database: DATABASE });
        assert.deepEqual(records.map((r) => r.get("name")), [literal]);
    });

    it("resolves a Cyrillic look-alike of APT31 to APT31, never a twin that renders the same", async () => {
        const lookalike = {
            article: { id: "article:hostile-lookalike", title: "Look-alike" },
            entities: [
                { id: "a", type: "ThreatActor", name: "\u0410\u0420\u042231", aliases: [] }, // Cyrillic А Р Т + 31
                { id: "s", type: "Sector", name: "Energy", aliases: [] },
            ],
            facts: [{ subject: "a", predicate: "TARGETED", object: "s" }],
        };
        const result = await graphql(server.url, INGEST, { document: lookalike }, auth);
        assert.equal(result.data?.ingestFacts.status, "loaded", JSON.stringify(result));
        const { records } = await graph.driver.executeQuery(
            "MATCH (c:Claim)-[:FROM]->(:Article {id: 'article:hostile-lookalike'}) MATCH (c)-[:SUBJECT]->(e) RETURN e.id AS id",
            {},
            { database: DATABASE },
        );
        assert.deepEqual(records.map((r) => r.get("id")), ["actor:apt31"]);
        const twins = await graph.driver.executeQuery("MATCH (e:ThreatActor) WHERE e.name = $name RETURN count(e) AS n", { name: "\u0410\u0420\u042231" }, { database: DATABASE });
        assert.equal(twins.records[0]!.get("n"), 0);
    });
});
