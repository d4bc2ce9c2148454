/**
 * Provenance promises against a real Neo4j: a reload never destroys history (superseded claims stay, unchanged
 * claims keep their identity and load time, edges count only current live claims, `--purge` is the one delete).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { unitFromDocument } from "../../src/loader/load-unit.ts";
import { FactsDocumentSchema } from "../../src/model/facts-document.ts";
import type { FactLoader } from "../../src/loader/FactLoader.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { readStarterQueries } from "../../src/browser-guide/starter-queries.ts";
import { TEST_JWT_SECRET, editorToken, graphql } from "./api-client.ts";

after(closeTestDriver);

export async function rows<T = Record<string, unknown>>(driver: Driver, cypher: string, params = {}): Promise<T[]> {
    const { records } = await driver.executeQuery(cypher, params, { database: DATABASE });
    return records.map((r) => r.toObject() as T);
}

/** Version 1 of a test article: APT31 targeted Defence (alleged) and Energy (asserted). */
export function articleV1(extra: Record<string, unknown> = {}) {
    return {
        article: { id: "test:versioned", title: "APT31 targeted defence and energy", publishedAt: "2024-03-01", ...extra },
        entities: [
            { id: "apt31", type: "ThreatActor", name: "APT31", aliases: [] },
            { id: "def", type: "Sector", name: "Defence", aliases: [] },
            { id: "en", type: "Sector", name: "Energy", aliases: [] },
            { id: "it", type: "Sector", name: "Information Technology", aliases: [] },
        ],
        facts: [
            { subject: "apt31", predicate: "TARGETED", object: "def", certainty: "alleged", evidence: { text: "APT31 allegedly targeted defence." } },
            { subject: "apt31", predicate: "TARGETED", object: "en", certainty: "asserted", evidence: { text: "APT31 targeted energy." } },
        ],
    };
}

/** Version 2: Energy unchanged, Defence now asserted (a changed claim), IT new. */
export function articleV2() {
    const doc = articleV1({ title: "APT31 targeted defence, energy and IT (updated)" });
    doc.facts = [
        { subject: "apt31", predicate: "TARGETED", object: "def", certainty: "asserted", evidence: { text: "APT31 targeted defence, officials confirmed." } },
        { subject: "apt31", predicate: "TARGETED", object: "en", certainty: "asserted", evidence: { text: "APT31 targeted energy." } },
        { subject: "apt31", predicate: "TARGETED", object: "it", certainty: "alleged", evidence: { text: "IT firms were also hit." } },
    ];
    return doc;
}

export async function loadDoc(loader: FactLoader, doc: unknown, origin = "test.json") {
    return loader.load(unitFromDocument(FactsDocumentSchema.parse(doc), origin));
}

type ClaimRow = { id: string; object: string; certainty: string; loadedAt: string; live: boolean; supersededAt: string | null };
async function claimsOf(driver: Driver, sourceId: string): Promise<ClaimRow[]> {
    return rows<ClaimRow>(
        driver,
        `MATCH (c:Claim {sourceId: $sourceId})-[:OBJECT]->(o)
         RETURN c.id AS id, o.name AS object, c.certainty AS certainty, toString(c.loadedAt) AS loadedAt, c.live AS live,
                toString(c.supersededAt) AS supersededAt
         ORDER BY object, loadedAt`,
        { sourceId },
    );
}

describe("a reload never destroys history", () => {
    it("supersedes the changed claims (kept), keeps unchanged ones as they were, and counts only current claims", async () => {
        const g = await freshGraph();
        assert.equal((await loadDoc(g.loader, articleV1())).status, "loaded");
        const v1 = await claimsOf(g.driver, "test:versioned");
        assert.equal(v1.length, 2);
        await new Promise((r) => setTimeout(r, 20));
        assert.equal((await loadDoc(g.loader, articleV2())).status, "replaced");
        const v2 = await claimsOf(g.driver, "test:versioned");
        const byObject = (rowsOf: ClaimRow[], name: string) => rowsOf.filter((c) => c.object === name);

        // Energy: stated unchanged → the same node, id and load time, still live.
        assert.deepEqual(byObject(v2, "Energy"), byObject(v1, "Energy"));
        assert.equal(byObject(v2, "Energy")[0]!.live, true);
        // Defence: the alleged claim of v1 stays, superseded; the asserted one of v2 is a new node.
        const defence = byObject(v2, "Defence");
        assert.equal(defence.length, 2, "the superseded claim is kept");
        const [old, current] = defence;
        assert.equal(old!.id, byObject(v1, "Defence")[0]!.id);
        assert.equal(old!.loadedAt, byObject(v1, "Defence")[0]!.loadedAt, "a superseded claim keeps its load time");
        assert.equal(old!.live, false);
        assert.ok(old!.supersededAt, "supersededAt is set");
        assert.notEqual(current!.id, old!.id);
        assert.equal(current!.live, true);
        assert.equal(current!.supersededAt, null);
        assert.equal(byObject(v2, "Information Technology").length, 1);

        // The edge counts only the current live claim: one claim, asserted.
        const edges = await rows(
            g.driver,
            `MATCH (:ThreatActor {id: 'actor:apt31'})-[r:TARGETED]->(t:Sector) WHERE t.name IN ['Defence', 'Energy', 'Information Technology']
             RETURN t.name AS target, r.claimCount AS claims, r.support AS support, r.certainty AS certainty ORDER BY target`,
        );
        assert.deepEqual(edges, [
            { target: "Defence", claims: 1, support: 1, certainty: "asserted" },
            { target: "Energy", claims: 1, support: 1, certainty: "asserted" },
            { target: "Information Technology", claims: 1, support: 1, certainty: "alleged" },
        ]);
    });

    it("back to v1 after v2: the v1 claims are new nodes again, every earlier version stays", async () => {
        const g = await freshGraph();
        await loadDoc(g.loader, articleV1());
        await loadDoc(g.loader, articleV2());
        await loadDoc(g.loader, articleV1());
        const all = await claimsOf(g.driver, "test:versioned");
        assert.equal(new Set(all.map((c) => c.id)).size, all.length, "claim ids never collide across versions");
        assert.deepEqual(all.filter((c) => c.live).map((c) => `${c.object}:${c.certainty}`).sort(), ["Defence:alleged", "Energy:asserted"]);
        assert.equal(all.length, 5, "v1 Defence, v2 Defence, v2 IT superseded; v1 Defence again; Energy kept throughout");
        const it = await rows(g.driver, "MATCH (:ThreatActor {id: 'actor:apt31'})-[r:TARGETED]->(:Sector {name: 'Information Technology'}) RETURN count(r) AS n");
        assert.deepEqual(it, [{ n: 0 }], "an edge no current claim supports is gone");
    });

    it("keeps retracted claims when the retracted article is loaded again, and deletes only with purge", async () => {
        const g = await freshGraph();
        await loadDoc(g.loader, articleV1());
        await g.loader.retract("test:versioned");
        await loadDoc(g.loader, articleV1());
        const all = await claimsOf(g.driver, "test:versioned");
        assert.equal(all.length, 4, "2 retracted + 2 live");
        assert.equal(all.filter((c) => c.live).length, 2);
        await g.loader.retract("test:versioned", { purge: true });
        assert.deepEqual(await claimsOf(g.driver, "test:versioned"), []);
    });
});

describe("as of an instant (recorded time)", () => {
    let server: RunningServer | undefined;
    after(async () => server?.close());

    it("answers evidence, timeline, edgesAsOf, the link-analysis fields and the starter query at three instants: after v1, after v2, after the retraction", async () => {
        const g = await freshGraph();
        const tick = async () => {
            await new Promise((r) => setTimeout(r, 15));
            const t = new Date().toISOString();
            await new Promise((r) => setTimeout(r, 15));
            return t;
        };
        await loadDoc(g.loader, {
            article: { id: "test:other-actor", title: "Fixture Actor Zeta hit IT", publishedAt: "2024-02-01" },
            entities: [
                { id: "z", type: "ThreatActor", name: "Fixture Actor Zeta", aliases: [] },
                { id: "it", type: "Sector", name: "Information Technology", aliases: [] },
            ],
            facts: [{ subject: "z", predicate: "TARGETED", object: "it", certainty: "asserted" }],
        });
        await loadDoc(g.loader, articleV1());
        const t1 = await tick();
        await loadDoc(g.loader, articleV2());
        const t2 = await tick();
        await g.loader.retract("test:versioned");
        const t3 = await tick();

        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", QUERY_TIMEOUT_MS: 120000 }), g.driver, DATABASE);
        const ask = async (asOf: string) => {
            const result = await graphql(
                server!.url,
                `query AsOf($asOf: DateTime!) {
                   edgesAsOf(asOf: $asOf, entity: "APT31") { type from { name } to { name } support certainty }
                   evidence(entity: "APT31", predicate: TARGETED, asOf: $asOf) { certainty evidence }
                   threatActors(where: { name: { eq: "APT31" } }) { evidence(asOf: $asOf, predicate: TARGETED) { evidence } }
                   timeline(entity: "APT31", asOf: $asOf) { predicate certainty object { name } }
                   coTargeting(actor: "APT31", asOf: $asOf) { actor { name } sharedTargets { name } }
                   neighbourhood(entity: "APT31", asOf: $asOf) { type to { name } certainty support }
                   shortestPath(from: "Fixture Actor Zeta", to: "APT31", asOf: $asOf) { length nodes { name } edges { type certainty evidence { evidence } } }
                 }`,
                { asOf },
            );
            assert.equal(result.errors, undefined, JSON.stringify(result.errors));
            return result.data!;
        };
        const targets = (data: Record<string, any>) =>
            (data.edgesAsOf as { type: string; to: { name: string }; certainty: string }[])
                .filter((e) => e.type === "TARGETED")
                .map((e) => `${e.to.name}:${e.certainty}`)
                .sort();

        const at1 = await ask(t1);
        assert.deepEqual(targets(at1), ["Defence:alleged", "Energy:asserted"]);
        assert.deepEqual(at1.evidence.map((c: { evidence: string }) => c.evidence).sort(), ["APT31 allegedly targeted defence.", "APT31 targeted energy."]);
        assert.equal(at1.threatActors[0].evidence.length, 2, "the per-type evidence field applies asOf too");
        assert.deepEqual(at1.timeline.filter((c: { predicate: string }) => c.predicate === "TARGETED").map((c: { object: { name: string }[] }) => c.object[0]!.name).sort(), ["Defence", "Energy"]);
        assert.deepEqual(at1.coTargeting, [], "APT31 did not target IT yet");
        assert.equal(at1.shortestPath, null);
        assert.deepEqual(at1.neighbourhood.filter((e: { type: string }) => e.type === "TARGETED").map((e: { to: { name: string }; certainty: string }) => `${e.to.name}:${e.certainty}`).sort(), ["Defence:alleged", "Energy:asserted"]);

        const at2 = await ask(t2);
        assert.deepEqual(targets(at2), ["Defence:asserted", "Energy:asserted", "Information Technology:alleged"]);
        assert.equal(at2.evidence.length, 3);
        assert.deepEqual(at2.coTargeting, [{ actor: { name: "Fixture Actor Zeta" }, sharedTargets: [{ name: "Information Technology" }] }]);
        assert.equal(at2.shortestPath.length, 2);
        assert.deepEqual(at2.shortestPath.nodes.map((n: { name: string }) => n.name), ["Fixture Actor Zeta", "Information Technology", "APT31"]);
        assert.deepEqual(at2.shortestPath.edges[1].evidence.map((e: { evidence: string }) => e.evidence), ["IT firms were also hit."]);

        const at3 = await ask(t3);
        assert.deepEqual(targets(at3), []);
        assert.deepEqual(at3.evidence, []);
        assert.deepEqual(at3.coTargeting, []);

        // Now (no asOf): the same as t3; includeRetracted brings back the retracted v2 claims, never the superseded v1 ones.
        const now = await graphql(server.url, `{ evidence(entity: "APT31", predicate: TARGETED, includeRetracted: true) { evidence retractedAt supersededAt } timeline(entity: "APT31") { id predicate } }`);
        assert.equal(now.errors, undefined, JSON.stringify(now.errors));
        assert.equal(now.data!.evidence.length, 3);
        assert.ok(now.data!.evidence.every((c: { retractedAt: string | null; supersededAt: string | null }) => c.retractedAt && !c.supersededAt));
        assert.deepEqual(now.data!.timeline.filter((c: { predicate: string }) => c.predicate === "TARGETED"), []);

        // The starter query applies the same rule.
        const starter = readStarterQueries().find((q) => q.slug === "edges-as-of");
        assert.ok(starter);
        const viaCypher = async (asOf: string) =>
            (await rows<{ subject: string; predicate: string; object: string; certainty: string }>(g.driver, starter.cypher, { asOf, reportedBy: null }))
                .filter((r) => r.subject === "APT31" && r.predicate === "TARGETED")
                .map((r) => `${r.object}:${r.certainty}`)
                .sort();
        assert.deepEqual(await viaCypher(t1), targets(at1));
        assert.deepEqual(await viaCypher(t2), targets(at2));
        assert.deepEqual(await viaCypher(t3), []);
        // Reported time: at t2, only what had been reported by 2024-02-15 (Zeta's article, not APT31's).
        const reported = await rows<{ subject: string }>(g.driver, starter.cypher, { asOf: t2, reportedBy: "2024-02-15" });
        assert.deepEqual([...new Set(reported.map((r) => r.subject))], ["Fixture Actor Zeta"]);
    });
});

describe("sanctionsOverlap as of an instant rolls bodies up through PART_OF as recorded then", () => {
    let server: RunningServer | undefined;
    after(async () => server?.close());

    it("counts a body as itself before its PART_OF was recorded, and as its state after", async () => {
        const g = await freshGraph({ registry: false });
        const tick = async () => {
            await new Promise((r) => setTimeout(r, 20));
            const t = new Date().toISOString();
            await new Promise((r) => setTimeout(r, 20));
            return t;
        };
        const entities = [
            { id: "agency", type: "Organization", kind: "government", name: "Fixture Sanctions Office", aliases: [] },
            { id: "gb", type: "State", name: "Fixture Kingdom", aliases: [] },
            { id: "target", type: "Organization", name: "Fixture Front Ltd", aliases: [] },
        ];
        await loadDoc(g.loader, {
            article: { id: "test:sanctions", title: "Two bodies sanction Fixture Front Ltd", publishedAt: "2024-03-01" },
            entities,
            facts: [
                { subject: "agency", predicate: "SANCTIONED", object: "target", certainty: "asserted" },
                { subject: "gb", predicate: "SANCTIONED", object: "target", certainty: "asserted" },
            ],
        });
        const before = await tick();
        await loadDoc(g.loader, {
            article: { id: "test:part-of", title: "The office is part of the kingdom's government", publishedAt: "2024-03-02" },
            entities,
            facts: [{ subject: "agency", predicate: "PART_OF", object: "gb", certainty: "asserted" }],
        });
        const afterPartOf = await tick();
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", QUERY_TIMEOUT_MS: 120000 }), g.driver, DATABASE);
        const overlap = async (asOf?: string) => {
            const result = await graphql(server!.url, `query O($asOf: DateTime) { sanctionsOverlap(minSanctioners: 2, asOf: $asOf) { entity { name } sanctionerCount sanctioners { name } stateCount } }`, { asOf: asOf ?? null });
            assert.equal(result.errors, undefined, JSON.stringify(result.errors));
            return result.data!.sanctionsOverlap as { entity: { name: string }; sanctionerCount: number; sanctioners: { name: string }[]; stateCount: number }[];
        };
        // Before the PART_OF claim was recorded the office was a sanctioning body of its own: two sanctioners.
        assert.deepEqual(await overlap(before), [
            { entity: { name: "Fixture Front Ltd" }, sanctionerCount: 2, sanctioners: [{ name: "Fixture Sanctions Office" }, { name: "Fixture Kingdom" }], stateCount: 1 },
        ]);
        // Once it was recorded, the office's sanction is the kingdom's: one sanctioner, no overlap (now and as of then).
        assert.deepEqual(await overlap(afterPartOf), []);
        assert.deepEqual(await overlap(), []);
        // Retracting the PART_OF source: as of now the office counts as itself again; as of afterPartOf it still rolls up.
        await g.loader.retract("test:part-of");
        const afterRetract = await tick();
        assert.equal((await overlap(afterRetract)).length, 1);
        assert.deepEqual(await overlap(afterPartOf), []);
    });
});

describe("neighbourhood truncation is deterministic", () => {
    let server: RunningServer | undefined;
    after(async () => server?.close());

    it("returns the first `first` edges of the documented order (depth, then edge key), now and as of an instant", async () => {
        const g = await freshGraph({ registry: false });
        // One article per target, loaded in an order that is neither the key order nor its reverse, so the store's
        // order (what APOC's BFS limit keeps) differs from the documented one.
        const targets = ["Mike", "Alpha", "Zulu", "Charlie", "Xray", "Bravo", "Yankee", "Delta"];
        for (const [i, name] of targets.entries()) {
            await loadDoc(g.loader, {
                article: { id: `test:order-${i}`, title: `Order Hub targeted ${name}`, publishedAt: "2024-03-01" },
                entities: [
                    { id: "hub", type: "ThreatActor", name: "Order Hub", aliases: [] },
                    { id: "t", type: "Sector", name: `Sector ${name}`, aliases: [] },
                    ...(i % 3 === 0 ? [{ id: "far", type: "Organization", name: `Far Org ${name}`, aliases: [] }] : []),
                ],
                facts: [
                    { subject: "hub", predicate: "TARGETED", object: "t", certainty: "asserted" },
                    // depth-2 edges: an organisation that also targeted the sector
                    ...(i % 3 === 0 ? [{ subject: "far", predicate: "TARGETED", object: "t", certainty: "alleged" }] : []),
                ],
            });
        }
        const asOf = new Date().toISOString();
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", QUERY_TIMEOUT_MS: 120000 }), g.driver, DATABASE);
        type Edge = { depth: number; type: string; from: { id: string }; to: { id: string } };
        const page = async (first: number, at?: string) => {
            const result = await graphql(
                server!.url,
                `query N($first: Int, $asOf: DateTime) { neighbourhood(entity: "Order Hub", depth: 2, first: $first, asOf: $asOf) { depth type from { id } to { id } } }`,
                { first, asOf: at ?? null },
            );
            assert.equal(result.errors, undefined, JSON.stringify(result.errors));
            return (result.data!.neighbourhood as Edge[]).map((e) => `${e.depth} ${e.from.id}|${e.type}|${e.to.id}`);
        };
        for (const at of [undefined, asOf]) {
            const all = await page(200, at);
            assert.equal(all.length, targets.length + 3, `every edge within two hops (asOf ${at})`);
            const expected = [...all].sort((a, b) => Number(a.split(" ")[0]) - Number(b.split(" ")[0]) || (a < b ? -1 : a > b ? 1 : 0));
            assert.deepEqual(all, expected, `ordered by depth, then edge key (asOf ${at})`);
            for (const first of [1, 3, 9]) assert.deepEqual(await page(first, at), expected.slice(0, first), `first: ${first} is the head of that order (asOf ${at})`);
        }
    });
});

describe("support counts independent sources", () => {
    it("never counts the registry: an edge only the registry states has support 0, an article stating it too makes 1", async () => {
        const g = await freshGraph();
        const registryOnly = await rows<{ support: number; claims: number }>(
            g.driver,
            "MATCH (:ThreatActor {id: 'actor:apt31'})-[r:AFFILIATED_WITH]->(:State {id: 'state:cn'}) RETURN r.support AS support, r.claimCount AS claims",
        );
        assert.deepEqual(registryOnly, [{ support: 0, claims: 1 }]);
        await loadDoc(g.loader, {
            article: { id: "test:apt31-china", title: "APT31 works for China", publishedAt: "2024-03-25" },
            entities: [
                { id: "a", type: "ThreatActor", name: "APT31", aliases: [] },
                { id: "cn", type: "State", name: "China", aliases: [] },
            ],
            facts: [{ subject: "a", predicate: "AFFILIATED_WITH", object: "cn", certainty: "alleged" }],
        });
        const withArticle = await rows(
            g.driver,
            "MATCH (:ThreatActor {id: 'actor:apt31'})-[r:AFFILIATED_WITH]->(:State {id: 'state:cn'}) RETURN r.support AS support, r.claimCount AS claims, r.certainty AS certainty",
        );
        assert.deepEqual(withArticle, [{ support: 1, claims: 2, certainty: "asserted" }]);
    });
});

describe("ids that never collide", () => {
    it("keeps '!!!' and '???', and two names equal in their first 80 characters, apart", async () => {
        const g = await freshGraph();
        const long = "Fixture Ministry of Very Long Names and Extremely Verbose Designations for Testing Purposes";
        const entities = [
            { id: "a", type: "ThreatActor", name: "!!!", aliases: [] },
            { id: "b", type: "ThreatActor", name: "???", aliases: [] },
            { id: "c", type: "Organization", kind: "government", name: `${long} North`, aliases: [] },
            { id: "d", type: "Organization", kind: "government", name: `${long} South`, aliases: [] },
            { id: "e", type: "Sector", name: "Energy", aliases: [] },
        ];
        await loadDoc(g.loader, {
            article: { id: "test:odd-names", title: "Odd names", publishedAt: "2024-01-01" },
            entities,
            facts: ["a", "b", "c", "d"].map((s) => ({ subject: s, predicate: "TARGETED", object: "e", certainty: "alleged" })),
        });
        const found = await rows<{ id: string; name: string }>(
            g.driver,
            "MATCH (x:Entity)-[:TARGETED]->(:Sector {name: 'Energy'}) RETURN x.id AS id, x.name AS name ORDER BY name",
        );
        assert.equal(found.length, 4, JSON.stringify(found));
        assert.equal(new Set(found.map((f) => f.id)).size, 4);
        assert.ok(found.every((f) => !/:unnamed$/.test(f.id)));
        // Loading the same names again resolves to the same nodes (ids are stable, not per load).
        await loadDoc(g.loader, {
            article: { id: "test:odd-names-2", title: "Odd names again", publishedAt: "2024-01-02" },
            entities: [entities[1], entities[4]],
            facts: [{ subject: "b", predicate: "TARGETED", object: "e", certainty: "alleged" }],
        });
        const again = await rows(g.driver, "MATCH (x:Entity)-[r:TARGETED]->(:Sector {name: 'Energy'}) WHERE x.name IN ['!!!', '???'] RETURN x.name AS name, r.support AS support ORDER BY name");
        assert.deepEqual(again, [{ name: "!!!", support: 1 }, { name: "???", support: 2 }]);
    });
});

describe("audit: retractions and identity decisions", () => {
    let server: RunningServer | undefined;
    after(async () => server?.close());

    it("records who retracted and why (CLI options and the mutation argument), and keeps the evidence of a withdrawn entity reachable", async () => {
        const g = await freshGraph();
        const doc = (id: string) => ({
            article: { id, title: `Omega article ${id}`, publishedAt: "2024-05-01" },
            entities: [
                { id: "a", type: "ThreatActor", name: "APT31", aliases: [] },
                { id: "v", type: "Organization", kind: "company", name: `Fixture Victim ${id}`, aliases: [] },
            ],
            facts: [{ subject: "a", predicate: "TARGETED", object: "v", certainty: "alleged", evidence: { text: `APT31 hit the victim of ${id}.` } }],
        });
        await loadDoc(g.loader, doc("article:omega-1"));
        await loadDoc(g.loader, doc("article:omega-2"));
        await g.loader.retract("article:omega-1", { by: "cli:analyst", reason: "the outlet withdrew the story" });
        const viaLoader = await rows(g.driver, "MATCH (c:Claim {sourceId: 'article:omega-1'}) RETURN c.retractedBy AS by, c.retractReason AS reason, c.retractedAt IS NOT NULL AS at");
        assert.deepEqual(viaLoader, [{ by: "cli:analyst", reason: "the outlet withdrew the story", at: true }]);

        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", JWT_SECRET: TEST_JWT_SECRET, QUERY_TIMEOUT_MS: 120000 }), g.driver, DATABASE);
        const token = await editorToken();
        const retract = await graphql(server.url, `mutation { retractArticle(id: "article:omega-2", reason: "duplicate of omega-1") { claims } }`, undefined, { authorization: `Bearer ${token}` });
        assert.equal(retract.errors, undefined, JSON.stringify(retract.errors));
        const read = await graphql(
            server.url,
            `{ evidence(entity: "APT31", predicate: TARGETED, includeRetracted: true) { evidence retractedBy retractReason objectId }
               timeline(entity: "APT31", includeRetracted: true) { predicate object { name } } }`,
        );
        assert.equal(read.errors, undefined, JSON.stringify(read.errors));
        const byVictim = Object.fromEntries(read.data!.evidence.map((c: { evidence: string; retractedBy: string; retractReason: string }) => [c.evidence, [c.retractedBy, c.retractReason]]));
        const subject = (await rows<{ sub: string }>(g.driver, "MATCH (c:Claim {sourceId: 'article:omega-2'}) RETURN c.retractedBy AS sub"))[0]!.sub;
        assert.ok(subject && subject !== "cli:analyst");
        assert.deepEqual(byVictim, {
            "APT31 hit the victim of article:omega-1.": ["cli:analyst", "the outlet withdrew the story"],
            "APT31 hit the victim of article:omega-2.": [subject, "duplicate of omega-1"],
        }, "both claims are found though both victims are withdrawn");
        const withdrawn = await rows<{ n: number }>(g.driver, "MATCH (w:Withdrawn) WHERE w.name STARTS WITH 'Fixture Victim' RETURN count(w) AS n");
        assert.deepEqual(withdrawn, [{ n: 2 }]);
        assert.equal(read.data!.timeline.filter((c: { predicate: string }) => c.predicate === "TARGETED").length, 2);
    });

    it("records merge and unmerge (who, when, why), and unmerge gives claims loaded during the merge back to the entity they name", async () => {
        const { mergeEntities, unmergeEntity } = await import("../../src/loader/merge.ts");
        const g = await freshGraph();
        const article = (id: string, actor: string, target: string) => ({
            article: { id, title: `${actor} and ${target}`, publishedAt: "2024-06-01" },
            entities: [
                { id: "x", type: "ThreatActor", name: actor, aliases: [] },
                { id: "t", type: "Sector", name: target, aliases: [] },
            ],
            facts: [{ subject: "x", predicate: "TARGETED", object: "t", certainty: "alleged" }],
        });
        await loadDoc(g.loader, article("test:kappa", "Fixture Group Kappa", "Energy"));
        await loadDoc(g.loader, article("test:lambda", "Fixture Group Lambda", "Defence"));
        const [kappa, lambda] = (await rows<{ id: string }>(g.driver, "MATCH (a:ThreatActor) WHERE a.name IN ['Fixture Group Kappa', 'Fixture Group Lambda'] RETURN a.id AS id ORDER BY a.name")).map((r) => r.id);
        await mergeEntities(g.driver, DATABASE, kappa!, lambda!, { by: "cli:analyst", reason: "vendor reports say one group" });
        // Loaded while merged: names Lambda, lands on Kappa.
        await loadDoc(g.loader, article("test:lambda-2", "Fixture Group Lambda", "Finance"));
        const during = await rows(g.driver, "MATCH (:ThreatActor {id: $kappa})-[:TARGETED]->(s:Sector) RETURN s.name AS s ORDER BY s", { kappa });
        assert.deepEqual(during.map((r) => r.s), ["Defence", "Energy", "Financial Services"]);
        await unmergeEntity(g.driver, DATABASE, lambda!, { by: "cli:reviewer", reason: "two groups after all" });
        const targetsOf = async (id: string) => (await rows<{ s: string }>(g.driver, "MATCH (:ThreatActor {id: $id})-[:TARGETED]->(s:Sector) RETURN s.name AS s ORDER BY s", { id })).map((r) => r.s);
        assert.deepEqual(await targetsOf(kappa!), ["Energy"]);
        assert.deepEqual(await targetsOf(lambda!), ["Defence", "Financial Services"], "the claim loaded during the merge goes back to Lambda");
        const history = await rows(
            g.driver,
            "MATCH (d:IdentityDecision)-[:ABOUT]->(:ThreatActor {id: $lambda}) RETURN d.action AS action, d.by AS by, d.reason AS reason, d.at IS NOT NULL AS at ORDER BY d.at",
            { lambda },
        );
        assert.deepEqual(history, [
            { action: "merge", by: "cli:analyst", reason: "vendor reports say one group", at: true },
            { action: "unmerge", by: "cli:reviewer", reason: "two groups after all", at: true },
        ]);
        // The same through GraphQL, with a disputed identity.
        await g.driver.executeQuery(
            "MATCH (a:Entity {id: $kappa}), (b:Entity {id: $lambda}) CREATE (a)-[:POSSIBLY_SAME_AS {source: 'stix:test', confidence: 0.4, reason: 'shared alias'}]->(b)",
            { kappa, lambda },
            { database: DATABASE },
        );
        await server?.close();
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", QUERY_TIMEOUT_MS: 120000 }), g.driver, DATABASE);
        const identity = await graphql(server.url, `{ identity(entity: "Fixture Group Lambda") { merged possiblySameAs { entity { name } confidence reason source } mergeHistory { action by reason } } }`);
        assert.equal(identity.errors, undefined, JSON.stringify(identity.errors));
        assert.deepEqual(identity.data!.identity, {
            merged: [],
            possiblySameAs: [{ entity: { name: "Fixture Group Kappa" }, confidence: 0.4, reason: "shared alias", source: "stix:test" }],
            mergeHistory: [
                { action: "merge", by: "cli:analyst", reason: "vendor reports say one group" },
                { action: "unmerge", by: "cli:reviewer", reason: "two groups after all" },
            ],
        });
        // Every entity type has possiblySameAs, either direction, and the root field says the same.
        const perType = await graphql(
            server.url,
            `{ lambda: threatActors(where: { name: { eq: "Fixture Group Lambda" } }) { possiblySameAs { entity { name } confidence reason source } }
               kappa: threatActors(where: { name: { eq: "Fixture Group Kappa" } }) { possiblySameAs { entity { id name } } }
               states(where: { id: { eq: "state:gb" } }) { possiblySameAs { source } }
               root: possiblySameAs(entity: "Fixture Group Lambda") { entity { name } confidence reason source } }`,
        );
        assert.equal(perType.errors, undefined, JSON.stringify(perType.errors));
        assert.deepEqual(perType.data!.lambda, [{ possiblySameAs: [{ entity: { name: "Fixture Group Kappa" }, confidence: 0.4, reason: "shared alias", source: "stix:test" }] }]);
        assert.deepEqual(perType.data!.kappa, [{ possiblySameAs: [{ entity: { id: lambda, name: "Fixture Group Lambda" } }] }]);
        assert.deepEqual(perType.data!.states, [{ possiblySameAs: [] }]);
        assert.deepEqual(perType.data!.root, (identity.data!.identity as { possiblySameAs: unknown }).possiblySameAs);
    });
});
