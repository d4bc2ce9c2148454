/**
 * The loader against a real Neo4j: order independence, idempotence, support counts across articles,
 * aliases across articles and the registry, all-or-nothing rejection of bad documents, JSONL/YAML,
 * dry-run and strict modes, and retraction restoring the graph.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { REPO_ROOT } from "../../src/config.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { LoadError } from "../../src/errors.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { currentGraph } from "../helpers/snapshot.ts";
import { canonicalLines, dumpGraph, replayRegistrySnapshot } from "../helpers/registry-snapshot.ts";
import { unitFromRegistry } from "../../src/loader/registry-unit.ts";

const FIX = path.join(REPO_ROOT, "test", "fixtures", "loader");
const A = path.join(FIX, "article-a.json");
const B = path.join(FIX, "article-b.json");

after(closeTestDriver);

async function query<T = Record<string, unknown>>(driver: import("neo4j-driver").Driver, cypher: string, params = {}): Promise<T[]> {
    const { records } = await driver.executeQuery(cypher, params, { database: DATABASE });
    return records.map((r) => r.toObject() as T);
}

describe("loader", () => {
    it("gives the same graph whether A or B is loaded first", async () => {
        let g = await freshGraph();
        await loadFiles([A], g.loader);
        await loadFiles([B], g.loader);
        const ab = await currentGraph(g.driver);
        g = await freshGraph();
        await loadFiles([B], g.loader);
        await loadFiles([A], g.loader);
        const ba = await currentGraph(g.driver);
        assert.deepEqual(ba, ab);
    });

    it("changes nothing when the same article is loaded twice", async () => {
        const g = await freshGraph();
        await loadFiles([A, B], g.loader);
        const before = await graphCounts(g.driver);
        const snapshot = await currentGraph(g.driver);
        const again = await loadFiles([A, B], g.loader);
        assert.equal(again.unchanged, 2);
        assert.deepEqual(await graphCounts(g.driver), before);
        assert.deepEqual(await currentGraph(g.driver), snapshot);
    });

    it("adds a claim and raises support when a second article states the same fact, never a second edge", async () => {
        const g = await freshGraph();
        await loadFiles([A, B], g.loader);
        const rows = await query<{ edges: number; support: number; claims: number; certainty: string; first: string; last: string }>(
            g.driver,
            `MATCH (a:ThreatActor {id: 'actor:apt31'})-[r:TARGETED]->(t:Organization)
             RETURN count(r) AS edges, max(r.support) AS support, max(r.claimCount) AS claims, max(r.certainty) AS certainty,
                    max(r.firstReported) AS first, max(r.lastReported) AS last`,
        );
        assert.deepEqual(rows[0], { edges: 1, support: 2, claims: 2, certainty: "asserted", first: "2024-03-25", last: "2024-04-02" });
        const evidence = await query(
            g.driver,
            `MATCH (a:ThreatActor {id: 'actor:apt31'})-[r:TARGETED]->(t)
             MATCH (a)<-[:SUBJECT]-(c:Claim {predicate: type(r)})-[:OBJECT]->(t)
             MATCH (c)-[:FROM]->(src:Article)
             RETURN src.id AS article, c.certainty AS certainty ORDER BY article`,
        );
        assert.deepEqual(evidence, [
            { article: "test:article-a", certainty: "likely" },
            { article: "test:article-b", certainty: "asserted" },
        ]);
    });

    it("resolves aliases across articles and the registry to one node, which gains the new aliases", async () => {
        const g = await freshGraph();
        await loadFiles([A, B], g.loader);
        const actors = await query<{ id: string; aliases: string[] }>(
            g.driver,
            "MATCH (a:ThreatActor) WHERE a.id = 'actor:apt31' OR 'zirconium' IN a.normNames RETURN a.id AS id, a.aliases AS aliases",
        );
        assert.equal(actors.length, 1);
        assert.equal(actors[0]!.id, "actor:apt31");
        assert.ok(actors[0]!.aliases.includes("Zirconium"));
        const usa = await query<{ id: string }>(g.driver, "MATCH (s:State)-[:SANCTIONED]->(:Organization) RETURN DISTINCT s.id AS id ORDER BY id");
        assert.deepEqual(usa.map((r) => r.id), ["state:gb", "state:us"]);
        const fpg = await query<{ n: number; aliases: string[] }>(g.driver, "MATCH (o:Organization) WHERE 'fpg' IN o.normNames RETURN count(o) AS n, collect(o.aliases)[0] AS aliases");
        assert.equal(fpg[0]!.n, 1);
        const company = await query<{ n: number }>(g.driver, "MATCH (o:Organization) WHERE 'wuhanxrz' IN o.normNames RETURN count(o) AS n");
        assert.equal(company[0]!.n, 1);
    });

    const broken: Record<string, [(doc: any) => void, RegExp]> = {
        "a predicate outside the vocabulary": [(d) => (d.facts[1].predicate = "HACKED"), /facts\[1\]\.predicate: 'HACKED' is not one of/],
        "a broken type rule": [(d) => (d.facts[0].subject = "ni"), /facts\[0\]\.subject: fact ni SANCTIONED front: subject is a Person, but the rule is SANCTIONED/],
        "a dangling entity id": [(d) => (d.facts[2].object = "apt41"), /facts\[2\]\.object: .*no entity with id 'apt41'/],
        "a bad date": [(d) => (d.facts[3].validFrom = "spring 2021"), /facts\[3\]\.validFrom: must be a date/],
        "a wrong JSON type": [(d) => (d.entities[0].aliases = "APT-31"), /entities\[0\]\.aliases: expected array, got string/],
    };
    for (const [what, [change, message]] of Object.entries(broken)) {
        it(`rejects a document with ${what}, naming file, JSON path and reason, and writes nothing`, async () => {
            const g = await freshGraph();
            const before = await graphCounts(g.driver);
            const doc = JSON.parse(fs.readFileSync(A, "utf8"));
            change(doc);
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-")), "broken.json");
            fs.writeFileSync(file, JSON.stringify(doc));
            const summary = await loadFiles([file], g.loader);
            assert.equal(summary.rejected, 1);
            assert.match(summary.errors[0]!.message, /broken\.json: /);
            assert.match(summary.errors[0]!.message, message);
            assert.deepEqual(await graphCounts(g.driver), before);
        });
    }

    it("rolls back everything of a unit when Neo4j fails half-way through it", async () => {
        const g = await freshGraph();
        const before = await graphCounts(g.driver);
        const { unitFromDocument } = await import("../../src/loader/load-unit.ts");
        const { validateDocument } = await import("../../src/loader/validate.ts");
        const unit = unitFromDocument(validateDocument(JSON.parse(fs.readFileSync(A, "utf8")), A), A);
        (unit.facts[3] as { predicate: string }).predicate = "NOT_A_PREDICATE"; // passes no validation: fails at edge rebuild, after entities and claims were written
        await assert.rejects(g.loader.load(unit), (error: Error) => error instanceof LoadError && /nothing written/.test(error.message));
        assert.deepEqual(await graphCounts(g.driver), before);
    });

    it("loads JSONL line by line and YAML multi-documents, rejecting only the bad line", async () => {
        const g = await freshGraph();
        const summary = await loadFiles([path.join(FIX, "batch.jsonl"), path.join(FIX, "docs.yaml")], g.loader);
        assert.equal(summary.loaded, 4);
        assert.equal(summary.rejected, 1);
        assert.match(summary.errors[0]!.message, /batch\.jsonl:2: facts\[0\]\.object: .*no entity with id 'ghost'/);
        const rows = await query<{ n: number }>(g.driver, "MATCH (:ThreatActor {id: 'actor:volt-typhoon'})-[r:TARGETED]->(:Sector) RETURN count(r) AS n");
        assert.equal(rows[0]!.n, 2);
        const person = await query<{ aliases: string[] }>(g.driver, "MATCH (p:Person {name: 'Fixture Person Alpha'}) RETURN p.aliases AS aliases");
        assert.deepEqual(person[0]!.aliases, ["Alpha"]);
    });

    it("stops at the first bad document with --strict, and writes nothing with --dry-run", async () => {
        const g = await freshGraph();
        const before = await graphCounts(g.driver);
        const dry = await loadFiles([path.join(FIX, "batch.jsonl")], g.loader, { dryRun: true });
        assert.equal(dry.loaded, 2);
        assert.equal(dry.rejected, 1);
        assert.deepEqual(await graphCounts(g.driver), before);
        const strict = await loadFiles([path.join(FIX, "batch.jsonl"), A], g.loader, { strict: true });
        assert.equal(strict.loaded, 1);
        assert.equal(strict.rejected, 1);
        const a = await query<{ n: number }>(g.driver, "MATCH (s:Source {id: 'test:article-a'}) RETURN count(s) AS n");
        assert.equal(a[0]!.n, 0, "nothing after the bad document is loaded");
    });

    it("restores the current graph as it was before an article when it is retracted", async () => {
        const g = await freshGraph();
        await loadFiles([A], g.loader);
        const before = await currentGraph(g.driver);
        await loadFiles([B], g.loader);
        assert.notDeepEqual(await currentGraph(g.driver), before);
        await g.loader.retract("test:article-b");
        assert.deepEqual(await currentGraph(g.driver), before);
        const audit = await query<{ n: number }>(g.driver, "MATCH (c:Claim {sourceId: 'test:article-b'}) WHERE c.retractedAt IS NOT NULL RETURN count(c) AS n");
        assert.equal(audit[0]!.n, 3, "retracted claims are kept for audit");
        await g.loader.retract("test:article-b", { purge: true });
        const purged = await query<{ n: number }>(g.driver, "MATCH (c:Claim {sourceId: 'test:article-b'}) RETURN count(c) AS n");
        assert.equal(purged[0]!.n, 0);
        assert.deepEqual(await currentGraph(g.driver), before);
    });

    it("says which id is unknown when retracting something never loaded", async () => {
        const g = await freshGraph();
        await assert.rejects(g.loader.retract("article:nope"), /No article or source with id 'article:nope'/);
    });
});

describe("merge and unmerge", () => {
    it("merges two entities explicitly and restores both exactly with unmerge", async () => {
        const { mergeEntities, unmergeEntity } = await import("../../src/loader/merge.ts");
        const g = await freshGraph();
        await loadFiles([A, B], g.loader);
        // Two organisations the resolver kept apart: merge the parliamentarians group into the company (same type).
        const ids = await query<{ fpg: string; company: string }>(
            g.driver,
            "MATCH (f:Organization) WHERE 'fpg' IN f.normNames MATCH (c:Organization) WHERE 'wuhanxrz' IN c.normNames RETURN f.id AS fpg, c.id AS company",
        );
        const { fpg, company } = ids[0]!;
        const before = await currentGraph(g.driver);
        const merged = await mergeEntities(g.driver, DATABASE, company, fpg);
        assert.ok(merged.claimsMoved >= 2);
        const after = await query<{ n: number; aliases: string[] }>(g.driver, "MATCH (c:Entity {id: $company}) RETURN size([(c)<-[:TARGETED]-() | 1]) AS n, c.aliases AS aliases", { company });
        assert.equal(after[0]!.n, 1, "the survivor carries the merged entity's edges");
        assert.ok(after[0]!.aliases.includes("FPG"));
        const gone = await query<{ n: number }>(g.driver, "MATCH (e:Entity {id: $fpg}) RETURN count(e) AS n", { fpg });
        assert.equal(gone[0]!.n, 0);
        // A later document naming the merged entity resolves to the survivor.
        await unmergeEntity(g.driver, DATABASE, fpg);
        assert.deepEqual(await currentGraph(g.driver), before);
    });
});

describe("the README's facts-document example", () => {
    it("loads into the edge and claim the README describes", async () => {
        const { readmeBlocks } = await import("../helpers/readme.ts");
        const block = readmeBlocks("json").find((b) => b.includes('"$schema": "./facts.schema.json"'));
        assert.ok(block);
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-")), "readme-example.json");
        fs.writeFileSync(file, block);
        const g = await freshGraph();
        const summary = await loadFiles([file], g.loader);
        assert.equal(summary.loaded, 1, JSON.stringify(summary.errors));
        const rows = await query(
            g.driver,
            `MATCH (:ThreatActor {name: 'APT31'})-[r:TARGETED]->(t {name: 'UK politicians'})
             MATCH (c:Claim {edgeKey: 'actor:apt31|TARGETED|' + t.id})-[:CLAIMED_BY]->(who)
             RETURN r.support AS support, r.certainty AS certainty, c.evidence AS evidence, who.name AS claimant,
                    c.validFrom AS validFrom, c.reportedAt AS reportedAt, c.loadedAt IS NOT NULL AS recorded`,
        );
        assert.deepEqual(rows, [
            { support: 1, certainty: "alleged", evidence: "The NCSC said APT31 allegedly targeted UK politicians in 2021.", claimant: "National Cyber Security Centre", validFrom: "2021", reportedAt: "2024-03-25", recorded: true },
        ]);
    });
});

describe("retraction of an article that introduced an entity", () => {
    it("removes the withdrawn entity's edges too, and brings them back when the article is loaded again", async () => {
        const g = await freshGraph();
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-")), "only-source.json");
        fs.writeFileSync(file, JSON.stringify({
            article: { id: "test:only-source", title: "The only article about Fixture Actor Omega", publishedAt: "2024-01-02" },
            entities: [
                { id: "x", type: "ThreatActor", name: "Fixture Actor Omega", aliases: [] },
                { id: "e", type: "Sector", name: "Energy", aliases: [] },
            ],
            facts: [{ subject: "x", predicate: "TARGETED", object: "e" }],
        }));
        await loadFiles([file], g.loader);
        await g.loader.retract("test:only-source");
        const left = await query<{ n: number }>(g.driver, "MATCH (w:Withdrawn)-[r]-(:Entity) WHERE type(r) IN ['TARGETED'] RETURN count(r) AS n");
        assert.equal(left[0]!.n, 0, "a withdrawn entity keeps no typed edge");
        const withdrawn = await query<{ n: number }>(g.driver, "MATCH (w:Withdrawn {name: 'Fixture Actor Omega'}) RETURN count(w) AS n");
        assert.equal(withdrawn[0]!.n, 1, "kept for audit, out of the current graph");
        // Loading it again (a corrected version) restores entity and edge.
        const doc = JSON.parse(fs.readFileSync(file, "utf8"));
        doc.article.title += " (corrected)";
        fs.writeFileSync(file, JSON.stringify(doc));
        await loadFiles([file], g.loader);
        const back = await query<{ support: number }>(g.driver, "MATCH (:ThreatActor {name: 'Fixture Actor Omega'})-[r:TARGETED]->(:Sector) RETURN r.support AS support");
        assert.deepEqual(back, [{ support: 1 }]);
    });
});

describe("the registry graph tests start from", () => {
    it("is, when freshGraph() replays the run's recording of it, the graph the loader writes for the registry, with this load's timestamps", async () => {
        await freshGraph(); // loads the registry through the loader and records it, unless this run already has
        await freshGraph({ registry: false });
        const replayedAt = Date.now();
        assert.equal(await replayRegistrySnapshot(DATABASE), true, "freshGraph() recorded the registry graph for the run");
        const replayed = await dumpGraph(DATABASE);
        const g = await freshGraph({ registry: false });
        await g.loader.load(unitFromRegistry(g.registry));
        const loaded = await dumpGraph(DATABASE);
        assert.ok(loaded.nodes.length > 100 && loaded.relationships.length > 100, `the registry graph: ${loaded.nodes.length} nodes, ${loaded.relationships.length} relationships`);
        assert.deepEqual(canonicalLines(replayed), canonicalLines(loaded));
        // The load times were replayed as the time of the replay (dumpGraph marks every DateTime equal to the registry source's loadedAt).
        await freshGraph({ registry: false });
        await replayRegistrySnapshot(DATABASE);
        const [row] = await query<{ t: { toString(): string } }>(g.driver, "MATCH (s:Source {id: 'registry:cyberkg'}) RETURN s.loadedAt AS t");
        assert.ok(Date.parse(row!.t.toString()) >= replayedAt, `registry loadedAt ${row!.t.toString()} is the replay's time`);
    });
});
