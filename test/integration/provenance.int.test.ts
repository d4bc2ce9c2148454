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
