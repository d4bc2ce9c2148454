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
import { LoadError } from "../../src/errors.ts";
import { Registry } from "../../src/registry/Registry.ts";
import { StixError } from "../../src/stix/bundle.ts";
import { exportStix, renderStixBundle } from "../../src/export/stix.ts";
import { readGraph } from "../../src/export/read-graph.ts";
import { importStix, type StixImportSummary } from "../../src/stix/import.ts";
import { readListingHistory } from "../../src/sanctions/history.ts";
import { importOfacSdn } from "../../src/sanctions/import-ofac.ts";
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
    const summary = await importStix(g.loader, g.registry, files);
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
        await importStix(g.loader, g.registry, files);
        const before = await graphCounts(g.driver);
        const second = await importStix(g.loader, g.registry, files);
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
            await assert.rejects(importStix(g.loader, g.registry, [CAMPAIGNS, bad]), (e: unknown) => e instanceof StixError && e.message.startsWith(bad));
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
        const summary = await importStix(g.loader, g.registry, [file]);
        assert.equal(summary.stats.danglingRefs, 0);
        const copy = await namesAndTriples(g.driver);
        assert.deepEqual(copy.entities, original.entities);
        assert.deepEqual(copy.edges, original.edges);
    });
});

describe("export --format stix: affiliations between people and groups (OFAC Linked To:)", () => {
    it("writes them as affiliated-with (never attributed-to, which reads back as membership), valid, and reads them back as AFFILIATED_WITH", async () => {
        const g = await freshGraph();
        const sdn = sharedPath("data", "ofac", "sdn-cyber-2024-05-03.csv");
        await importOfacSdn(g.driver, DATABASE, g.loader, g.registry, sdn, { snapshotDate: "2024-05-03", history: await readListingHistory(sharedPath("data", "ofac", "cyber-listing-history.csv")) });
        const bundle = await exportStix(g.driver, DATABASE);
        const nameOf = new Map(bundle.objects.map((o) => [o.id, o.name as string]));
        const typeOf = (from: string, to: string) =>
            bundle.objects.filter((o) => o.type === "relationship" && nameOf.get(o.source_ref as string) === from && nameOf.get(o.target_ref as string) === to).map((o) => o.relationship_type);
        assert.deepEqual(typeOf("Alexander Aleksandrovich Malkevich", "Yevgeniy Viktorovich Prigozhin"), ["affiliated-with"]);
        assert.deepEqual(typeOf("Dmitriy Konstantinovich Smirnov", "Evil Corp"), ["affiliated-with"]);
        assert.deepEqual(typeOf("Yevgeniy Viktorovich Prigozhin", "BERATEX GROUP LIMITED"), ["attributed-to"]);
        const result = validate(tmpFile("sdn.json", JSON.stringify(bundle)));
        assert.ok(result.ok, result.output.slice(0, 4000));
        const original = await namesAndTriples(g.driver);
        const affiliations = (edges: string[]) => edges.filter((e) => / -(AFFILIATED_WITH|MEMBER_OF)-> /.test(e));
        assert.ok(original.edges.includes("Person:Alexander Aleksandrovich Malkevich -AFFILIATED_WITH-> Person:Yevgeniy Viktorovich Prigozhin"));
        const copy = await freshGraph({ registry: false });
        await importStix(copy.loader, copy.registry, [tmpFile("sdn-roundtrip.json", JSON.stringify(bundle))]);
        assert.deepEqual(affiliations((await namesAndTriples(copy.driver)).edges), affiliations(original.edges));
    });
});

/** Every edge with its support, certainty and claim count, and every live claim with its provenance, by canonical ids. */
async function provenance(driver: Driver): Promise<{ edges: Record<string, unknown>[]; claims: Record<string, unknown>[] }> {
    const edges = await query(
        driver,
        `MATCH (s:Entity)-[r]->(o:Entity) WHERE type(r) IN $types
         RETURN s.id AS s, type(r) AS p, o.id AS o, r.support AS support, r.certainty AS certainty, r.claimCount AS claims
         ORDER BY s, p, o`,
        { types: [...PREDICATES] },
    );
    const claims = await query(
        driver,
        `MATCH (s:Entity)<-[:SUBJECT]-(c:Claim)-[:OBJECT]->(o:Entity) WHERE c.live
         MATCH (c)-[:FROM]->(src:Source)
         OPTIONAL MATCH (c)-[:CLAIMED_BY]->(who:Entity)
         RETURN s.id AS s, c.predicate AS p, o.id AS o, src.id AS source, [l IN labels(src) WHERE l <> 'Source'] AS kind,
                src.title AS title, src.url AS url, src.publishedAt AS published, c.supportSource AS supportSource,
                c.certainty AS certainty, who.id AS claimant, c.evidence AS evidence, c.evidenceStart AS start, c.evidenceEnd AS end,
                c.validFrom AS validFrom, c.validTo AS validTo, c.reportedAt AS reportedAt, c.confidence AS confidence,
                c.reviewStatus AS review, c.extractor AS extractor,
                toString(c.loadedAt) AS recorded, toString(c.liveFrom) AS liveFrom, toString(src.loadedAt) AS sourceRecorded
         ORDER BY s, p, o, source`,
    );
    return { edges, claims };
}

/** The demo articles, the registry and a foreign STIX bundle, exported as STIX into a file. */
async function exportedGraph(): Promise<{ driver: Driver; loader: Awaited<ReturnType<typeof freshGraph>>["loader"]; file: string; before: Awaited<ReturnType<typeof provenance>> }> {
    const g = await freshGraph();
    const text = "Officials said APT31 targeted the Fixture Ministry in 2021. The ministry denied it.";
    const withOffsets = tmpFile("offsets.json", JSON.stringify({
        article: { id: "test:offsets", title: "Fixture: a sentence with offsets", publishedAt: "2024-04-02", url: "https://example.test/offsets", publisher: "Fixture Wire", text },
        entities: [
            { id: "apt31", type: "ThreatActor", name: "APT31", aliases: [] },
            { id: "min", type: "Organization", kind: "government", name: "Fixture Ministry", aliases: [] },
        ],
        facts: [{ subject: "apt31", predicate: "TARGETED", object: "min", certainty: "likely", validFrom: "2021", claimedBy: "min", evidence: { text: text.slice(0, 59), start: 0, end: 59 } }],
    }));
    await loadFiles([DEMO, withOffsets], g.loader);
    await importStix(g.loader, g.registry, [CAMPAIGNS]);
    const before = await provenance(g.driver);
    // what makes the comparison worth something: corroborated edges, a registry-only edge, claimants, weaker certainties, offsets
    assert.ok(before.edges.some((e) => (e.support as number) >= 2), "an edge with two sources");
    assert.ok(before.edges.some((e) => e.support === 0), "an edge only the registry states");
    assert.ok(before.claims.some((c) => c.claimant !== null), "a claim with a claimant");
    assert.ok(before.claims.some((c) => c.certainty === "alleged"), "an alleged claim");
    assert.ok(before.claims.some((c) => c.start === 0 && c.end === 59), "evidence offsets");
    assert.ok(before.claims.some((c) => (c.kind as string[]).includes("StixBundle")));
    const file = tmpFile("cyberkg-export.json", JSON.stringify(await exportStix(g.driver, DATABASE)));
    return { driver: g.driver, loader: g.loader, file, before };
}

describe("export --format stix → import-stix keeps provenance", () => {
    it("into an empty database: the same edges with the same support and certainty, the same claims, claimants and evidence", async () => {
        const { file, before } = await exportedGraph();
        const bundle = JSON.parse(fs.readFileSync(file, "utf8")) as { objects: Record<string, unknown>[] };
        const apt31 = bundle.objects.find((o) => o.type === "relationship" && Array.isArray(o.x_cyberkg_claims) && (o.x_cyberkg_support as number) >= 2);
        assert.ok(apt31, "relationships carry x_cyberkg_support and x_cyberkg_claims");
        assert.ok(validate(file).ok, "with the custom properties, still valid STIX 2.1");

        const g = await freshGraph({ registry: false });
        const importedAt = new Date().toISOString();
        const summary = await importStix(g.loader, g.registry, [file]);
        const after = await provenance(g.driver);
        assert.deepEqual(after.edges, before.edges);
        // recorded time included: each restored claim and source keeps the load time it had where it came from
        assert.ok(after.claims.every((c) => (c.recorded as string) < importedAt && c.liveFrom === c.recorded), "recorded before this import");
        assert.deepEqual(after.claims, before.claims);
        assert.equal(summary.sourcesRestored, new Set(before.claims.map((c) => c.source)).size);
        assert.equal(summary.sourcesAlreadyLoaded, 0);
        // the export itself is recorded as a bundle source of no support of its own
        const [own] = await query<{ claims: number; own: boolean }>(g.driver, "MATCH (s:StixBundle {cyberkgExport: true}) RETURN COUNT { (s)<-[:FROM]-(:Claim) } AS claims, s.cyberkgExport AS own");
        assert.deepEqual(own, { claims: 0, own: true });
        // and importing it again changes nothing
        const counts = await graphCounts(g.driver);
        const again = await importStix(g.loader, g.registry, [file]);
        assert.equal(again.sourcesRestored, 0);
        assert.deepEqual(await graphCounts(g.driver), counts);
    });

    it("into the database it came from: adds no support and no claim (its sources are already loaded)", async () => {
        const { driver, loader, file, before } = await exportedGraph();
        const claims = await graphCounts(driver);
        const summary = await importStix(loader, Registry.load(), [file]);
        assert.deepEqual(await provenance(driver), before);
        assert.equal((await graphCounts(driver)).claims, claims.claims);
        assert.equal(summary.sourcesRestored, 0);
        assert.equal(summary.sourcesAlreadyLoaded, new Set(before.claims.map((c) => c.source)).size);
        // an --entities-only export has edges without claims: imported back, it records one claim more per edge
        // (the export's, with the edge's certainty) and lends no support
        const bare = renderStixBundle(await readGraph(driver, DATABASE, { entitiesOnly: true }));
        assert.ok(bare.objects.some((o) => o.type === "relationship" && o.x_cyberkg_claims === undefined));
        await importStix(loader, Registry.load(), [tmpFile("entities-only.json", JSON.stringify(bare))]);
        const edge = (e: Record<string, unknown>) => ({ s: e.s, p: e.p, o: e.o, support: e.support, certainty: e.certainty });
        assert.deepEqual((await provenance(driver)).edges.map(edge), before.edges.map(edge));
    });

    it("rejects a bad x_cyberkg_claims naming the file, the relationship and the field, and writes nothing", async () => {
        const { file } = await exportedGraph();
        const bundle = JSON.parse(fs.readFileSync(file, "utf8")) as { objects: Record<string, unknown>[] };
        const rel = bundle.objects.find((o) => Array.isArray(o.x_cyberkg_claims))!;
        (rel.x_cyberkg_claims as Record<string, unknown>[])[0]!.certainty = "probably";
        const bad = tmpFile("bad-provenance.json", JSON.stringify(bundle));
        const g = await freshGraph({ registry: false });
        await assert.rejects(importStix(g.loader, g.registry, [bad]), (e: unknown) => {
            assert.ok(e instanceof StixError, String(e));
            assert.ok(e.message.startsWith(bad) && e.message.includes(`relationship ${rel.id as string}`) && e.message.includes("x_cyberkg_claims[0].certainty"), e.message);
            return true;
        });
        assert.equal((await graphCounts(g.driver)).nodes, 0);
    });
});

describe("import-stix is one transaction", () => {
    it("writes nothing of a call whose second bundle fails while being written (a name too long for the name index)", async () => {
        const g = await freshGraph();
        const before = await graphCounts(g.driver);
        const huge = tmpFile("huge-name.json", JSON.stringify({
            type: "bundle",
            id: "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
            objects: [{ type: "threat-actor", spec_version: "2.1", id: "threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", created: "2024-01-01T00:00:00.000Z", modified: "2024-01-01T00:00:00.000Z", name: "Long Panda ".repeat(4000) }],
        }));
        await assert.rejects(importStix(g.loader, g.registry, [CAMPAIGNS, huge]), (e: unknown) => {
            assert.ok(e instanceof LoadError, String(e));
            assert.ok(e.message.startsWith(huge) && /nothing written/.test(e.message), e.message);
            return true;
        });
        assert.deepEqual(await graphCounts(g.driver), before, "the first bundle was not written either");
        assert.equal((await query(g.driver, "MATCH (s:StixBundle) RETURN s")).length, 0);
    });
});
