/**
 * STIX import and export against a real Neo4j, with the real public data in ../shared/data (read in place,
 * never copied): MITRE ATT&CK groups (STIX 2.0 objects without spec_version, revoked-by, shared aliases) after
 * the demo articles, OASIS STIX 2.1 examples (duplicate relationships, dangling references), idempotence,
 * bad bundles, OASIS's validator on our export (python `stix2-validator`, pinned in test/requirements.txt and
 * installed into .venv/test by this test when missing),
 * and export → import round trips.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT } from "../../src/config.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { PREDICATES } from "../../src/model/vocabulary.ts";
import { StixError } from "../../src/stix/bundle.ts";
import { exportStix } from "../../src/stix/export.ts";
import { importStix, type StixImportSummary } from "../../src/stix/import.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { sharedPath } from "../helpers/shared.ts";

const SHARED = sharedPath("data");
const ATTACK = ["intrusion-sets.json", "intrusion-sets-revoked-deprecated.json", "campaigns-attributed-to.json", "identity-and-marking.json"].map((f) => path.join(SHARED, "attack", f));
const EXAMPLES = path.join(SHARED, "stix-examples");
const CAMPAIGNS = path.join(EXAMPLES, "defining-campaigns-threat-actors-intrusion-sets.json");
const APT1 = path.join(EXAMPLES, "apt1.json");
const MESSY = path.join(EXAMPLES, "campaign-v-actors.json");
const DEMO = path.join(REPO_ROOT, "data", "articles");

after(closeTestDriver);

async function query<T = Record<string, unknown>>(driver: Driver, cypher: string, params = {}): Promise<T[]> {
    const { records } = await driver.executeQuery(cypher, params, { database: DATABASE });
    return records.map((r) => r.toObject() as T);
}

async function importFiles(files: string[]): Promise<{ driver: Driver; summary: StixImportSummary }> {
    const g = await freshGraph();
    await loadFiles([DEMO], g.loader);
    const summary = await importStix(g.driver, DATABASE, g.loader, g.registry, files);
    return { driver: g.driver, summary };
}

/** Actors (current graph) carrying a name, by normalised name. */
async function actorsNamed(driver: Driver, norm: string): Promise<{ id: string; name: string; aliases: string[] }[]> {
    return query(driver, "MATCH (a:ThreatActor) WHERE $n IN a.normNames RETURN a.id AS id, a.name AS name, a.aliases AS aliases ORDER BY id", { n: norm });
}

async function possiblySame(driver: Driver, a: string, b: string): Promise<{ source: string; confidence: number }[]> {
    return query(
        driver,
        `MATCH (x:ThreatActor {name: $a})-[r:POSSIBLY_SAME_AS]-(y:ThreatActor {name: $b}) RETURN r.source AS source, r.confidence AS confidence`,
        { a, b },
    );
}

/** Entities as type:name, and edges as triples of those, for round-trip comparisons. */
async function namesAndTriples(driver: Driver): Promise<{ entities: string[]; edges: string[] }> {
    const entities = await query<{ k: string }>(driver, "MATCH (e:Entity) RETURN e.type + ':' + e.name AS k");
    const edges = await query<{ k: string }>(
        driver,
        "MATCH (s:Entity)-[r]->(o:Entity) WHERE type(r) IN $types RETURN s.type + ':' + s.name + ' -' + type(r) + '-> ' + o.type + ':' + o.name AS k",
        { types: [...PREDICATES] },
    );
    return { entities: [...new Set(entities.map((r) => r.k))].sort(), edges: edges.map((r) => r.k).sort() };
}

/**
 * OASIS's stix2-validator (pinned in test/requirements.txt): on PATH, importable by python3, or else installed
 * once by this test into .venv/test (git-ignored) with pip, so `npm test` needs no manual Python step.
 */
const VENV = path.join(REPO_ROOT, ".venv", "test");
const VALIDATE = "import sys; from stix2validator.scripts.stix2_validator import main; sys.argv[0]='stix2_validator'; sys.exit(main())";
let python: string | undefined;
function validatorPython(): string {
    if (python) return python;
    const venvPython = path.join(VENV, "bin", "python");
    for (const candidate of [venvPython, "python3"]) {
        if (spawnSync(candidate, ["-c", "import stix2validator"], { encoding: "utf8" }).status === 0) return (python = candidate);
    }
    const requirements = path.join(REPO_ROOT, "test", "requirements.txt");
    const steps: [string, string[]][] = [
        ["python3", ["-m", "venv", VENV]],
        [venvPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements]],
    ];
    for (const [command, args] of steps) {
        const run = spawnSync(command, args, { encoding: "utf8", timeout: 300_000 });
        if (run.status !== 0) {
            throw new Error(`stix2-validator is not installed and installing it into ${VENV} failed (${command} ${args.join(" ")}: ${(run.stderr || run.error?.message || "").trim().split("\n").pop()}): run pip install -r test/requirements.txt`);
        }
    }
    return (python = venvPython);
}

function validate(file: string): { ok: boolean; output: string } {
    const run = spawnSync(validatorPython(), ["-c", VALIDATE, "--version", "2.1", file], { encoding: "utf8" });
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
    if (run.error) throw new Error(`stix2-validator could not run: ${run.error.message}`);
    return { ok: run.status === 0 && /STIX JSON: Valid/.test(output), output };
}

function tmpFile(name: string, content: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-stix-"));
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
}

describe("import-stix: MITRE ATT&CK after the demo articles", () => {
    it("leaves APT31 as ONE node carrying ATT&CK's aliases (ATT&CK files it as ZIRCONIUM)", async () => {
        const { driver, summary } = await importFiles(ATTACK);
        assert.equal(summary.loaded, 4);
        assert.equal(summary.stats.objects, 272);
        for (const name of ["apt31", "zirconium", "violettyphoon", "g0128"]) {
            const actors = await actorsNamed(driver, name);
            assert.deepEqual(actors.map((a) => a.id), ["actor:apt31"], `'${name}' names exactly one actor`);
        }
        const [apt31] = await actorsNamed(driver, "apt31");
        assert.equal(apt31!.name, "APT31");
        for (const alias of ["ZIRCONIUM", "Violet Typhoon", "G0128"]) assert.ok(apt31!.aliases.includes(alias), `APT31 has alias ${alias}`);
        // the demo articles' claims (the sanctions and the indictment articles) and the ATT&CK mention sit on the same node
        const [sources] = await query<{ articles: number; bundles: number }>(
            driver,
            `MATCH (a:ThreatActor {id: 'actor:apt31'})
             RETURN COUNT { (:Article)-[:MENTIONS]->(a) } AS articles, COUNT { (:StixBundle)-[:MENTIONS]->(a) } AS bundles`,
        );
        assert.deepEqual(sources, { articles: 2, bundles: 1 });
        const [apt29] = await actorsNamed(driver, "midnightblizzard");
        assert.equal(apt29!.id, "actor:apt29");
        assert.ok(apt29!.aliases.includes("NOBELIUM") && apt29!.aliases.includes("Cozy Bear"));
    });

    it("turns revoked-by into merges: APT34 and OilRig are one current node, Stolen Pencil is merged into Kimsuky", async () => {
        const { driver, summary } = await importFiles(ATTACK);
        assert.equal(summary.merges + summary.alreadyOne, 6, "six revoked-by relationships");
        for (const name of ["apt34", "oilrig", "g0057", "g0049"]) {
            assert.deepEqual((await actorsNamed(driver, name)).map((a) => a.id), ["actor:apt34"], `'${name}' → the one current node`);
        }
        const merged = await query<{ m: string; into: string }>(driver, "MATCH (m:Merged)-[:MERGED_INTO]->(a:Entity) RETURN m.name AS m, a.name AS into ORDER BY m");
        assert.ok(merged.some((r) => r.m === "Stolen Pencil" && r.into === "Kimsuky"), JSON.stringify(merged));
        assert.ok(merged.some((r) => r.m === "MONSOON"), JSON.stringify(merged));
        assert.deepEqual((await actorsNamed(driver, "stolenpencil")).map((a) => a.id), ["actor:kimsuky"]);
        // deprecated groups are not imported
        assert.equal(summary.stats.deprecated, 9);
        assert.equal((await actorsNamed(driver, "nightdragon")).length, 0);
    });

    it("links groups that claim the same alias (Thrip, UAC-0056) by POSSIBLY_SAME_AS, never merges them", async () => {
        const { driver } = await importFiles(ATTACK);
        for (const [a, b] of [["Lotus Blossom", "Thrip"], ["Ember Bear", "Saint Bear"]] as const) {
            const edges = await possiblySame(driver, a, b);
            assert.equal(edges.length, 1, `${a} ~ ${b}`);
            assert.match(edges[0]!.source, /^stix:bundle--/);
            assert.equal(edges[0]!.confidence, 0.5);
        }
        assert.deepEqual((await actorsNamed(driver, "thrip")).map((a) => a.name), ["Lotus Blossom", "Thrip"]);
        assert.deepEqual((await actorsNamed(driver, "uac0056")).map((a) => a.name), ["Ember Bear", "Saint Bear"]);
        assert.equal((await query(driver, "MATCH (m:Merged) WHERE m.name IN ['Thrip', 'Lotus Blossom', 'Ember Bear', 'Saint Bear'] RETURN m")).length, 0);
    });

    it("is idempotent: the same bundles again change nothing", async () => {
        const files = [...ATTACK, CAMPAIGNS, APT1, MESSY];
        const g = await freshGraph();
        await loadFiles([DEMO], g.loader);
        await importStix(g.driver, DATABASE, g.loader, g.registry, files);
        const before = await graphCounts(g.driver);
        const second = await importStix(g.driver, DATABASE, g.loader, g.registry, files);
        assert.equal(second.unchanged, 7);
        assert.equal(second.merges, 0);
        assert.deepEqual(await graphCounts(g.driver), before);
    });
});

describe("import-stix: OASIS STIX 2.1 examples", () => {
    it("maps targets and attributed-to; the duplicate 'Operation Raisin Bran targets' relationship is one edge", async () => {
        const { driver, summary } = await importFiles([CAMPAIGNS]);
        assert.ok(summary.stats.liftedFromCampaigns >= 3);
        const edges = await query<{ s: string; p: string; o: string; claims: number; support: number }>(
            driver,
            `MATCH (s:Entity)-[r]->(o:Entity) WHERE type(r) IN ['TARGETED', 'AFFILIATED_WITH']
               AND o.name IN ['Branistan Peoples Party', 'Franistan Intelligence', 'Fake BPP (Branistan Peoples Party)']
             RETURN s.name AS s, type(r) AS p, o.name AS o, r.claimCount AS claims, r.support AS support ORDER BY s, p, o`,
        );
        assert.deepEqual(edges, [
            { s: "APT BPP", p: "AFFILIATED_WITH", o: "Fake BPP (Branistan Peoples Party)", claims: 1, support: 1 },
            { s: "APT BPP", p: "TARGETED", o: "Branistan Peoples Party", claims: 1, support: 1 },
            { s: "Fake BPP (Branistan Peoples Party)", p: "AFFILIATED_WITH", o: "Franistan Intelligence", claims: 1, support: 1 },
            { s: "Fake BPP (Branistan Peoples Party)", p: "TARGETED", o: "Branistan Peoples Party", claims: 1, support: 1 },
        ]);
        const [evidence] = await query<{ n: number }>(
            driver,
            `MATCH (:ThreatActor {name: 'APT BPP'})<-[:SUBJECT]-(c:Claim {predicate: 'TARGETED'})-[:FROM]->(src:StixBundle)
             RETURN c.evidenceCount AS n`,
        );
        assert.equal(evidence!.n, 4, "the direct relationship and the campaigns' (Bran Flakes, Raisin Bran twice) pool into one claim");
        const [src] = await query<{ title: string; id: string }>(driver, "MATCH (s:StixBundle) RETURN s.title AS title, s.id AS id");
        assert.deepEqual(src, { title: "defining-campaigns-threat-actors-intrusion-sets.json", id: "stix:bundle--97b40f76-c1b8-4407-b050-ff177f3d67ed" });
    });

    it("keeps DOTA and SuperHard (identical alias lists in apt1.json) apart, linked by POSSIBLY_SAME_AS", async () => {
        const { driver } = await importFiles([APT1]);
        assert.deepEqual((await actorsNamed(driver, "rodney")).map((a) => a.name), ["DOTA", "SuperHard"]);
        assert.equal((await possiblySame(driver, "DOTA", "SuperHard")).length, 1);
        const [apt1] = await actorsNamed(driver, "commentcrew");
        assert.equal(apt1!.id, "actor:apt1");
        const members = await query<{ p: string }>(driver, "MATCH (p:Person)-[:MEMBER_OF]->(:ThreatActor {name: 'Ugly Gorilla'}) RETURN p.name AS p ORDER BY p");
        assert.deepEqual(members.map((m) => m.p), ["JackWang", "Wang Dong"]);
    });

    it("skips campaign-v-actors.json's dangling references with a count, and loads the rest", async () => {
        const { driver, summary } = await importFiles([MESSY]);
        assert.equal(summary.loaded, 1);
        assert.equal(summary.stats.danglingRefs, 3);
        const based = await query(driver, "MATCH (o:Organization {name: 'ACME CORP'})-[:BASED_IN]->(s:State) RETURN s.id AS state");
        assert.deepEqual(based, [{ state: "state:us" }]);
        const targeted = await query(driver, "MATCH (a:ThreatActor)<-[:SUBJECT]-(:Claim {predicate: 'TARGETED'})-[:OBJECT]->(v), (a)-[:TARGETED]->(v) WHERE EXISTS { (:StixBundle)-[:MENTIONS]->(a) } RETURN a.name AS a, v.name AS v");
        assert.deepEqual(targeted, [{ a: "People behind the intrusion", v: "Victim Targeting: Customer PII and Financial Data" }]);
    });

    it("rejects a file that is not JSON or not a bundle, naming the file, and writes nothing", async () => {
        const g = await freshGraph();
        const before = await graphCounts(g.driver);
        const notJson = tmpFile("broken.json", "{ not json");
        const notBundle = tmpFile("report.json", JSON.stringify({ type: "report", id: "report--4b1b5d8e-4d3a-4f6e-9d0a-1f2e3d4c5b6a" }));
        for (const bad of [notJson, notBundle]) {
            await assert.rejects(importStix(g.driver, DATABASE, g.loader, g.registry, [CAMPAIGNS, bad]), (e: unknown) => e instanceof StixError && e.message.startsWith(bad));
        }
        assert.deepEqual(await graphCounts(g.driver), before);
    });
});

describe("export --format stix", () => {
    it("writes a bundle that OASIS's stix2-validator accepts", async () => {
        const { driver } = await importFiles([...ATTACK, CAMPAIGNS, APT1, MESSY]);
        const bundle = await exportStix(driver, DATABASE);
        assert.ok(bundle.objects.length > 300);
        const file = tmpFile("cyberkg.json", JSON.stringify(bundle, null, 2));
        const result = validate(file);
        assert.ok(result.ok, result.output.slice(0, 4000));
        // deterministic: the same graph exports the same bytes
        assert.equal(JSON.stringify(await exportStix(driver, DATABASE)), JSON.stringify(bundle));
        // a subgraph around APT31
        const around = await exportStix(driver, DATABASE, { around: ["ZIRCONIUM"], depth: 1 });
        const names = around.objects.filter((o) => o.type === "threat-actor").map((o) => o.name);
        assert.ok(names.includes("APT31"));
        assert.ok(around.objects.length < bundle.objects.length);
        assert.ok(validate(tmpFile("around.json", JSON.stringify(around))).ok);
        const withSource = around.objects.find((o) => o.type === "relationship" && JSON.stringify(o.external_references ?? []).includes("Silicon Republic"));
        assert.ok(withSource, "relationships cite their source articles");
    });

    it("round-trips: export → import into an empty graph gives the same entities and edges", async () => {
        const { driver } = await importFiles([CAMPAIGNS, APT1, MESSY]);
        const original = await namesAndTriples(driver);
        const file = tmpFile("roundtrip.json", JSON.stringify(await exportStix(driver, DATABASE)));
        const g = await freshGraph({ registry: false });
        const summary = await importStix(g.driver, DATABASE, g.loader, g.registry, [file]);
        assert.equal(summary.stats.danglingRefs, 0);
        const copy = await namesAndTriples(g.driver);
        assert.deepEqual(copy.entities, original.entities);
        assert.deepEqual(copy.edges, original.edges);
    });
});
