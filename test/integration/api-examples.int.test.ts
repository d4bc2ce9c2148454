/**
 * The README's "## GraphQL API" examples, run in order against the demo data through the real HTTP API, each
 * with the answer written under it; plus the issue-2 query, which must keep working.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { TEST_JWT_SECRET, answerValues, editorToken, graphql, readmeApiExamples, type GraphQLResponse } from "./api-client.ts";

const DEMO = path.join(REPO_ROOT, "data", "articles");
const examples = readmeApiExamples();
const byTitle = (prefix: string) => {
    const found = examples.find((e) => e.title.startsWith(prefix));
    assert.ok(found, `README has an example titled "${prefix}…"`);
    return found;
};
type Named = { name: string };
/** Actors that share a target with APT31 in the demo data alone. */
const CO_TARGETING_DEMO = [
    { actor: { name: "APT10" }, sharedCount: 1, sharedTargets: [{ name: "Information Technology" }] },
    { actor: { name: "Lazarus Group" }, sharedCount: 1, sharedTargets: [{ name: "Defence" }] },
    { actor: { name: "Sandworm" }, sharedCount: 1, sharedTargets: [{ name: "Energy" }] },
];
const names = (list: Named[]) => list.map((n) => n.name);

describe("README GraphQL API examples against the demo data", () => {
    let server: RunningServer;
    let token: string;
    const results = new Map<string, GraphQLResponse>();

    before(async () => {
        const graph = await freshGraph();
        const summary = await loadFiles([DEMO], graph.loader);
        assert.equal(summary.rejected, 0, JSON.stringify(summary.errors));
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", JWT_SECRET: TEST_JWT_SECRET }), graph.driver, DATABASE);
        token = await editorToken();
        // In README order: the mutation examples change what the later ones see.
        for (const example of examples) {
            const headers: Record<string, string> = example.isMutation ? { authorization: `Bearer ${token}` } : {};
            results.set(example.title, await graphql(server.url, example.query, example.variables, headers));
        }
    });
    after(async () => {
        await server?.close();
        await closeTestDriver();
    });

    it("documents at least 8 examples, including search, paths, co-targeting, sanctions, pagination and a mutation", () => {
        assert.ok(examples.length >= 8, `found ${examples.length}`);
        for (const prefix of ["APT31", "Search", "Path", "Neighbourhood", "Sanctioned", "Timeline", "Pagination", "Co-targeting"]) byTitle(prefix);
        assert.ok(examples.some((e) => e.isMutation && e.query.includes("ingestFacts")));
    });

    it("answers every example without errors and with the values its README answer names", () => {
        for (const example of examples) {
            const result = results.get(example.title)!;
            assert.equal(result.errors, undefined, `${example.title}: ${JSON.stringify(result.errors)}`);
            if (example.isMutation) continue;
            const text = JSON.stringify(result.data);
            for (const value of answerValues(example.answer)) assert.ok(text.includes(value), `${example.title}: README promises ${value}`);
        }
    });

    it("looks up APT31's targets with edge properties and the claims behind them", () => {
        const actor = results.get(byTitle("APT31").title)!.data!.threatActors[0];
        assert.deepEqual(
            actor.targetedConnection.edges.map((e: { node: Named }) => e.node.name),
            ["Defence", "Energy", "Information Technology", "UK politicians", "US politicians"],
        );
        assert.equal(actor.targetedConnection.edges[0].properties.support, 2, "Defence is reported by two articles");
        for (const edge of actor.targetedConnection.edges) assert.equal(edge.properties.certainty, "asserted");
        const politicians = actor.evidence.find((c: { object: Named[] }) => c.object[0]?.name === "UK politicians");
        assert.equal(politicians.claimedBy[0].name, "National Cyber Security Centre");
        assert.match(politicians.evidence, /UK politicians/);
        assert.equal(politicians.source[0].publishedAt, "2024-03-26");
    });

    it("finds APT31 by an alias typed with another case and an accent", () => {
        const hits = results.get(byTitle("Search").title)!.data!.search;
        assert.equal(hits[0].id, "actor:apt31");
        assert.ok(hits[0].score > 0);
    });

    it("finds the shortest path person → actor → state with evidence on each edge", () => {
        const p = results.get(byTitle("Path").title)!.data!.shortestPath;
        assert.equal(p.length, 2);
        assert.deepEqual(names(p.nodes), ["Zhao Guangzong", "APT31", "China"]);
        assert.deepEqual(p.edges.map((e: { type: string }) => e.type), ["MEMBER_OF", "AFFILIATED_WITH"]);
        assert.equal(p.edges[0].evidence[0].claimedBy, "UK Government");
    });

    it("expands the front company's neighbourhood breadth first within the page", () => {
        const edges = results.get(byTitle("Neighbourhood").title)!.data!.neighbourhood as { depth: number; type: string; from: Named; to: Named }[];
        assert.ok(edges.length <= 50);
        const first = edges.filter((e) => e.depth === 1).map((e) => `${e.from.name} ${e.type} ${e.to.name}`).sort();
        assert.deepEqual(first, [
            "United Kingdom SANCTIONED Wuhan Xiaoruizhi Science and Technology Company",
            "United States SANCTIONED Wuhan Xiaoruizhi Science and Technology Company",
            "Wuhan Xiaoruizhi Science and Technology Company FRONT_FOR APT31",
        ]);
        assert.ok(edges.every((e, i) => i === 0 || e.depth >= edges[i - 1]!.depth), "breadth first");
    });

    it("lists the entities two sanctioning bodies sanctioned, the EU (an organisation) included", () => {
        const rows = results.get(byTitle("Sanctioned").title)!.data!.sanctionsOverlap;
        assert.deepEqual(rows.map((r: { entity: Named }) => r.entity.name), ["Chosun Expo", "Ni Gaobin", "Wuhan Xiaoruizhi Science and Technology Company", "Zhao Guangzong"]);
        assert.deepEqual(names(rows[0].sanctioners).sort(), ["European Union", "United States"]);
        assert.equal(rows[0].stateCount, 1);
        for (const r of rows.slice(1)) assert.deepEqual(names(r.sanctioners).sort(), ["United Kingdom", "United States"]);
    });

    it("gives Ni Gaobin's timeline in report order: charge and membership, then membership and two sanctions", () => {
        const claims = results.get(byTitle("Timeline").title)!.data!.timeline as { reportedAt: string; predicate: string }[];
        assert.deepEqual(
            claims.map((c) => `${c.reportedAt} ${c.predicate}`),
            ["2024-03-25 CHARGED", "2024-03-25 MEMBER_OF", "2024-03-26 MEMBER_OF", "2024-03-26 SANCTIONED", "2024-03-26 SANCTIONED"],
        );
    });

    it("pages through who the US sanctioned with relay cursors", async () => {
        const page = results.get(byTitle("Pagination").title)!.data!.states[0].sanctionedConnection;
        assert.deepEqual(page.edges.map((e: { node: Named }) => e.node.name), ["Chosun Expo", "Ni Gaobin"]);
        assert.equal(page.pageInfo.hasNextPage, true);
        const next = await graphql(
            server.url,
            `query Next($after: String) { states(where: { name: { eq: "United States" } }) {
               sanctionedConnection(first: 2, after: $after, sort: [{ node: { name: ASC } }]) { pageInfo { hasNextPage } edges { node { name } } } } }`,
            { after: page.pageInfo.endCursor },
        );
        const second = next.data!.states[0].sanctionedConnection;
        assert.deepEqual(second.edges.map((e: { node: Named }) => e.node.name), ["Park Jin Hyok", "Wuhan Xiaoruizhi Science and Technology Company"]);
        assert.equal(second.pageInfo.hasNextPage, true);
    });

    it("ingests the example document with an editor token, which makes Volt Typhoon a co-targeting actor", () => {
        const ingest = results.get(examples.find((e) => e.query.includes("ingestFacts"))!.title)!.data!.ingestFacts;
        assert.equal(ingest.status, "loaded");
        assert.equal(ingest.claims, 1);
        const co = results.get(byTitle("Co-targeting").title)!.data!.coTargeting;
        assert.deepEqual(co, [...CO_TARGETING_DEMO, { actor: { name: "Volt Typhoon" }, sharedCount: 1, sharedTargets: [{ name: "Energy" }] }]);
    });

    it("retracts the example article, after which Volt Typhoon is no longer a co-targeting actor", async () => {
        const retract = results.get(examples.find((e) => e.query.includes("retractArticle"))!.title)!.data!.retractArticle;
        assert.deepEqual(retract, { sourceId: "article:example-volt-typhoon-energy", claims: 1, edgesAffected: 1 });
        const co = await graphql(server.url, byTitle("Co-targeting").query);
        assert.deepEqual(co.data!.coTargeting, CO_TARGETING_DEMO);
    });

    it("still answers the walking skeleton's query", async () => {
        const result = await graphql(server.url, `{ threatActors(where: { name: { eq: "APT31" } }) { name targeted { name } } }`);
        assert.equal(result.errors, undefined);
        assert.deepEqual(names(result.data!.threatActors[0].targeted).sort(), ["Defence", "Energy", "Information Technology", "UK politicians", "US politicians"]);
    });
});
