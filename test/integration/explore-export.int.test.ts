/**
 * `cyberkg export`: every format for the whole graph and for a subgraph, and the Cypher export replayed into an
 * empty database recreates the same graph (same counts, and exporting it again gives the same script).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../../src/config.ts";
import { exportGraph } from "../../src/export/export-graph.ts";
import { readGraph } from "../../src/export/read-graph.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { readCypherStatements } from "../../src/neo4j/cypher-files.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";

const INPUTS = [path.join(REPO_ROOT, "data", "articles")];

describe("cyberkg export", () => {
    let graph: Awaited<ReturnType<typeof freshGraph>>;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-export-"));

    before(async () => {
        graph = await freshGraph();
        const summary = await loadFiles(INPUTS, graph.loader);
        assert.equal(summary.rejected, 0, JSON.stringify(summary.errors));
    });
    after(async () => {
        await closeTestDriver();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("writes the whole graph as GraphML with every node and relationship, weighted by support", async () => {
        const counts = await graphCounts(graph.driver);
        const { files } = await exportGraph(graph.driver, DATABASE, "graphml");
        const xml = files[0]!.content;
        assert.equal(xml.match(/<node id=/g)?.length, counts.nodes);
        assert.equal(xml.match(/<edge id=/g)?.length, counts.relationships);
        assert.match(xml, /<node id="actor:apt31">/);
        assert.match(xml, /<key id="e_support" for="edge" attr.name="support" attr.type="long"\/>/);
        assert.match(xml, /<edge id="r\d+" source="state:gb" target="[^"]+">\s*<data key="type">SANCTIONED<\/data>\s*<data key="weight">1\.0<\/data>/);
    });

    it("writes GEXF and neo4j-admin CSV with typed headers", async () => {
        const counts = await graphCounts(graph.driver);
        const gexf = (await exportGraph(graph.driver, DATABASE, "gexf")).files[0]!.content;
        assert.equal(gexf.match(/<node id=/g)?.length, counts.nodes);
        assert.equal(gexf.match(/<edge id=/g)?.length, counts.relationships);
        const csv = (await exportGraph(graph.driver, DATABASE, "csv")).files;
        const actors = csv.find((f) => f.name === "nodes-Entity_ThreatActor.csv");
        assert.ok(actors, csv.map((f) => f.name).join(", "));
        assert.match(actors.content.split("\n")[0]!, /^:ID,:LABEL,.*aliases:string\[\].*name:string/);
        const targeted = csv.find((f) => f.name === "relationships-TARGETED.csv")!;
        assert.match(targeted.content.split("\n")[0]!, /^:START_ID,:END_ID,:TYPE,.*support:long/);
        // import.sh itself is run (with neo4j-admin) in csv-import.int.test.ts.
        assert.ok(csv.some((f) => f.name === "import.sh") && csv.some((f) => f.name === "post-import.cypher"));
        const dataRows = csv.filter((f) => f.name.startsWith("relationships-")).reduce((n, f) => n + f.content.trim().split("\n").length - 1, 0);
        assert.ok(dataRows <= counts.relationships && dataRows > 0);
    });

    it("exports only the neighbourhood asked for with --around and --depth", async () => {
        const one = await readGraph(graph.driver, DATABASE, { around: ["APT31"], depth: 1, entitiesOnly: true });
        const names = (g: typeof one) => new Set(g.nodes.map((n) => n.properties.find((p) => p.name === "name")?.value));
        assert.ok(names(one).has("Ni Gaobin"));
        assert.ok(names(one).has("Wuhan Xiaoruizhi Science and Technology Company"));
        assert.ok(!names(one).has("United Kingdom"), "the UK is two hops away (it sanctioned APT31's front and members)");
        assert.ok(one.nodes.every((n) => n.labels.includes("Entity")));
        const two = await readGraph(graph.driver, DATABASE, { around: ["actor:apt31"], depth: 2, entitiesOnly: true });
        assert.ok(names(two).has("United Kingdom"));
        assert.ok(two.nodes.length > one.nodes.length);
        const withEvidence = await readGraph(graph.driver, DATABASE, { around: ["APT31"], depth: 1 });
        assert.ok(withEvidence.nodes.some((n) => n.labels.includes("Claim")));
        assert.ok(withEvidence.nodes.some((n) => n.labels.includes("Article")));
    });

    it("names the unknown entity and suggests close ones", async () => {
        await assert.rejects(readGraph(graph.driver, DATABASE, { around: ["APT 31 group"] }), /No entity named 'APT 31 group'.*did you mean/);
    });

    it("replays the Cypher export into an empty database and gets the same graph back", async () => {
        const before = await graphCounts(graph.driver);
        const first = (await exportGraph(graph.driver, DATABASE, "cypher")).files[0]!.content;
        const file = path.join(tmp, "cyberkg.cypher");
        fs.writeFileSync(file, first);

        await freshGraph({ registry: false }); // empty database, schema only
        assert.equal((await graphCounts(graph.driver)).nodes, 0);
        const statements = readCypherStatements(file);
        for (const statement of statements) await graph.driver.executeQuery(statement, {}, { database: DATABASE });

        assert.deepEqual(await graphCounts(graph.driver), before);
        const second = (await exportGraph(graph.driver, DATABASE, "cypher")).files[0]!.content;
        assert.equal(second, first, "exporting the replayed graph gives the same script");
        const { records } = await graph.driver.executeQuery(
            "MATCH (:State {name: 'United Kingdom'})-[r:SANCTIONED]->(o {name: 'Wuhan Xiaoruizhi Science and Technology Company'}) RETURN r.support AS support, r.firstReported AS first, valueType(r.support) AS t",
            {},
            { database: DATABASE },
        );
        assert.equal(records[0]!.get("support"), 1);
        assert.equal(records[0]!.get("t"), "INTEGER NOT NULL");
        const leftovers = await graph.driver.executeQuery("MATCH (n:CyberkgExport) RETURN count(n) AS n", {}, { database: DATABASE });
        assert.equal(leftovers.records[0]!.get("n"), 0);
    });

    it("runs as `cyberkg export --format gexf --around APT31 --out <file>`", () => {
        const out = path.join(tmp, "apt31.gexf");
        const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "cyberkg.js"), "export", "--format", "gexf", "--around", "APT31", "--depth", "1", "--entities-only", "--out", out], {
            encoding: "utf8",
            env: { ...process.env, LOG_LEVEL: "warn" },
            timeout: 120_000,
        });
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stderr, /Exported \d+ nodes and \d+ relationships as gexf/);
        assert.match(fs.readFileSync(out, "utf8"), /label="APT31"/);
    });
});
