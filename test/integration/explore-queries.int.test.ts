/**
 * Exploring in Neo4j Browser, without a browser: every starter query in cypher/queries/ runs as shipped (with its
 * `:param` defaults) on the demo data plus the explore fixtures and finds what its title promises; the service
 * serves the style and the guide to a Browser of any origin (preflight included), and /graphql to the local ones.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { readStarterQueries, type StarterQuery } from "../../src/browser-guide/starter-queries.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { readListingHistory } from "../../src/sanctions/history.ts";
import { importOfacSdn } from "../../src/sanctions/import-ofac.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { sharedPath } from "../helpers/shared.ts";

const INPUTS = [path.join(REPO_ROOT, "data", "articles")];

describe("starter queries and the Browser guide", () => {
    let graph: Awaited<ReturnType<typeof freshGraph>>;
    let server: RunningServer;
    const queries = readStarterQueries();
    const httpPort = Number(new URL(process.env.NEO4J_HTTP_URL || "http://127.0.0.1:7474").port);

    before(async () => {
        graph = await freshGraph();
        const summary = await loadFiles(INPUTS, graph.loader);
        assert.equal(summary.rejected, 0, JSON.stringify(summary.errors));
        // the official list the sanctions starter queries join with the news (../shared/data/ofac, read in place)
        const history = await readListingHistory(sharedPath("data", "ofac", "cyber-listing-history.csv"));
        await importOfacSdn(graph.driver, DATABASE, graph.loader, graph.registry, sharedPath("data", "ofac", "sdn-cyber-2024-05-03.csv"), { snapshotDate: "2024-05-03", history });
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", NEO4J_HTTP_PORT: httpPort }), graph.driver, DATABASE);
    });
    after(async () => {
        await server?.close();
        await closeTestDriver();
    });

    async function run(slug: string): Promise<Record<string, unknown>[]> {
        const query = queries.find((q) => q.slug === slug);
        assert.ok(query, `cypher/queries/${slug}.cypher exists`);
        const params = await defaults(query);
        const { records } = await graph.driver.executeQuery(query.cypher, params, { database: DATABASE });
        return records.map((r) => r.toObject());
    }

    async function defaults(query: StarterQuery): Promise<Record<string, unknown>> {
        if (query.params.length === 0) return {};
        const map = `{${query.params.map((p) => `${p.name}: ${p.literal}`).join(", ")}}`;
        const { records } = await graph.driver.executeQuery(`RETURN ${map} AS p`, {}, { database: DATABASE });
        return records[0]!.get("p") as Record<string, unknown>;
    }

    it("ships the eight starter queries of the issue, each with a title and a description", () => {
        const slugs = queries.map((q) => q.slug);
        for (const slug of ["who-targeted", "actor-neighbourhood", "sanction-networks", "people-behind-fronts", "shortest-path", "co-targeting", "alleged-only", "changed-since"]) {
            assert.ok(slugs.includes(slug), `missing ${slug}`);
        }
        for (const q of queries) {
            assert.ok(q.title.length > 5, `${q.slug}: title`);
            assert.ok(q.description.length > 20, `${q.slug}: description`);
        }
    });

    it("runs every starter query with its defaults and gets rows", async () => {
        for (const q of queries) {
            const rows = await run(q.slug);
            assert.ok(rows.length > 0, `${q.slug} returned no rows`);
        }
    });

    it("shows APT31's neighbourhood: its targets, members, front, and who sanctioned them", async () => {
        const rows = await run("actor-neighbourhood");
        const names = new Set<string>();
        for (const row of rows) {
            const p = row.p as { segments: { start: { properties: { name: string } }; end: { properties: { name: string } } }[] };
            for (const s of p.segments) names.add(s.start.properties.name).add(s.end.properties.name);
        }
        for (const name of ["APT31", "UK politicians", "Defence", "Ni Gaobin", "Zhao Guangzong", "Wuhan Xiaoruizhi Science and Technology Company", "United Kingdom", "China"]) {
            assert.ok(names.has(name), `${name} is in APT31's neighbourhood`);
        }
        assert.ok(!names.has("Volt Typhoon"), "the second hop does not go through China to every Chinese group");
    });

    it("answers who targeted Defence with APT31 (two sources) and Lazarus", async () => {
        const rows = await run("who-targeted");
        const apt31 = rows.find((r) => r.actor === "APT31");
        assert.equal(apt31?.sources, 2);
        assert.ok(rows.some((r) => r.actor === "Lazarus Group"));
    });

    it("finds the people behind the fronts and the states that sanctioned them", async () => {
        const rows = await run("people-behind-fronts");
        const wuhan = rows.find((r) => r.company === "Wuhan Xiaoruizhi Science and Technology Company");
        assert.deepEqual((wuhan?.people as string[]).sort(), ["Ni Gaobin", "Weng Ming", "Zhao Guangzong"]);
        assert.deepEqual((wuhan?.sanctionedBy as string[]).sort(), ["United Kingdom", "United States"]);
    });

    it("finds co-targeting actors, the shortest path, alleged-only edges and recent changes", async () => {
        const pairs = await run("co-targeting");
        assert.ok(pairs.some((r) => [r.actor1, r.actor2].includes("APT31") && [r.actor1, r.actor2].includes("Lazarus Group")));
        const [path] = await run("shortest-path");
        assert.ok((path!.p as { length: number }).length >= 2);
        const alleged = await run("alleged-only");
        assert.ok(alleged.some((r) => r.predicate === "FRONT_FOR" && r.object === "APT31"));
        assert.ok(!alleged.some((r) => r.certainty === "asserted"));
        const changes = await run("changed-since");
        assert.ok(changes.every((r) => r.change === "added"));
    });

    it("joins official lists and news: states rolled up through PART_OF, designations, gaps both ways, the lag", async () => {
        const states = await run("sanctioning-states");
        assert.deepEqual(
            states.map((r) => [r.state, (r.via as string[]).sort(), r.listed, r.inNews]),
            [
                ["United Kingdom", ["United Kingdom"], false, true],
                ["United States", ["Office of Foreign Assets Control", "United States"], true, true],
            ],
        );
        const tornado = await run("designations");
        assert.deepEqual(tornado.map((r) => [r.listedOn, r.delistedOn]), [["2022-08-08", "2022-11-07"], ["2022-11-09", null]]);
        const missed = await run("designations-not-in-news");
        assert.ok(missed.length > 5 && missed.every((r) => (r.listedOn as string) >= "2024-01-01"));
        assert.ok(!missed.some((r) => r.entity === "Zhao Guangzong"));
        const unlisted = await run("news-sanctions-not-listed");
        assert.ok(unlisted.some((r) => r.entity === "Chosun Expo" && r.state === "United States"));
        assert.ok(unlisted.every((r) => r.state === "United States"));
        const lag = await run("listing-report-lag");
        assert.ok(lag.some((r) => r.entity === "Ni Gaobin" && r.lagDays === 1 && r.listedOn === "2024-03-25"));
    });

    it("serves the stylesheet and the guide to a Neo4j Browser of any origin, preflight included", async () => {
        const base = server.url.replace(/\/graphql$/, "");
        // The Browser of this run's Neo4j (a random port), of a default install, and of some other Neo4j or Desktop.
        for (const origin of [`http://127.0.0.1:${httpPort}`, `http://localhost:${httpPort}`, "http://localhost:7474", "http://neo4j.lab.example:17474", "null"]) {
            for (const file of ["style.grass", "start.html"]) {
                // What Chromium sends before Browser's fetch (it adds cache-control, pragma and Sentry's headers).
                const preflight = await fetch(`${base}/browser/${file}`, {
                    method: "OPTIONS",
                    headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "cache-control,pragma,sentry-trace,baggage" },
                });
                assert.equal(preflight.status, 204, `${origin} ${file} preflight`);
                assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
                assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /\bGET\b/);
                for (const header of ["cache-control", "pragma", "sentry-trace", "baggage"]) {
                    assert.ok((preflight.headers.get("access-control-allow-headers") ?? "").split(",").map((h) => h.trim()).includes(header), `${file} allows ${header}`);
                }
                const res = await fetch(`${base}/browser/${file}`, { headers: { origin, "cache-control": "no-cache", pragma: "no-cache" } });
                assert.equal(res.status, 200);
                assert.equal(res.headers.get("access-control-allow-origin"), "*");
            }
        }
        const style = await (await fetch(`${base}/browser/style.grass`)).text();
        assert.match(style, /node\.ThreatActor \{/);

        const guide = await fetch(`${base}/browser/start.html`, { headers: { origin: "http://localhost:7474" } });
        const html = await guide.text();
        assert.equal(html.match(/<slide /g)?.length, queries.length + 1);
        assert.ok((html.match(/<pre class="code runnable">/g)?.length ?? 0) >= queries.length + 1);
        assert.ok(html.includes(":params {actor: &#39;APT31&#39;}") || html.includes(":params {actor: 'APT31'}"));
    });

    it("lets the local Browser's origin (NEO4J_HTTP_PORT) and the API's own call /graphql, and no other", async () => {
        const apiOrigin = new URL(server.url).origin;
        for (const origin of [`http://127.0.0.1:${httpPort}`, `http://localhost:${httpPort}`, apiOrigin]) {
            const preflight = await fetch(server.url, {
                method: "OPTIONS",
                headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,cache-control,sentry-trace" },
            });
            assert.equal(preflight.headers.get("access-control-allow-origin"), origin, origin);
            assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /sentry-trace/);
        }
        const foreign = await fetch(server.url, { method: "OPTIONS", headers: { origin: "http://evil.example", "access-control-request-method": "POST" } });
        assert.equal(foreign.headers.get("access-control-allow-origin"), null);
    });
});
