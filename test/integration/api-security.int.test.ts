/**
 * Who may write, and what the API refuses: anonymous reads work; writes need an editor token (missing, bad,
 * or role-less tokens are rejected with nothing written); a bad document writes nothing; without a key there is
 * no write path at all; bombs (depth, aliases, huge pages, deep neighbourhoods, cost) are rejected fast.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from "graphql";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { TEST_JWT_SECRET, editorToken, graphql } from "./api-client.ts";
import { issueToken } from "../../src/api/issue-token.ts";

const DEMO = path.join(REPO_ROOT, "data", "articles");
const INGEST = `mutation Ingest($document: JSON!) { ingestFacts(document: $document) { sourceId status claims } }`;
const doc = (facts: unknown[]) => ({
    article: { id: "article:test-api-security", title: "A test report", publishedAt: "2024-06-01" },
    entities: [
        { id: "a", type: "ThreatActor", name: "Test Actor Omega", aliases: [] },
        { id: "s", type: "Sector", name: "Energy", aliases: [] },
    ],
    facts,
});
const GOOD = doc([{ subject: "a", predicate: "TARGETED", object: "s", certainty: "asserted" }]);
const BAD = doc([
    { subject: "a", predicate: "TARGETED", object: "s", certainty: "asserted" },
    { subject: "a", predicate: "HACKED", object: "s", certainty: "asserted" },
]);

describe("API security: auth rules and bounds", () => {
    let server: RunningServer;
    let readOnly: RunningServer;
    let graph: Awaited<ReturnType<typeof freshGraph>>;

    before(async () => {
        graph = await freshGraph();
        await loadFiles([DEMO], graph.loader);
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production", JWT_SECRET: TEST_JWT_SECRET }), graph.driver, DATABASE);
        readOnly = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production" }), graph.driver, DATABASE);
    });
    after(async () => {
        await server?.close();
        await readOnly?.close();
        await closeTestDriver();
    });

    const actorCount = async () => {
        const { records } = await graph.driver.executeQuery("MATCH (e:Entity {name: 'Test Actor Omega'}) RETURN count(e) AS n", {}, { database: DATABASE });
        return records[0]!.get("n") as number;
    };

    it("lets anonymous users read", async () => {
        const result = await graphql(server.url, `{ threatActors(where: { name: { eq: "APT31" } }) { name } }`);
        assert.deepEqual(result.data, { threatActors: [{ name: "APT31" }] });
    });

    it("rejects an anonymous write with an authentication error and writes nothing", async () => {
        const before = await graphCounts(graph.driver);
        const result = await graphql(server.url, INGEST, { document: GOOD });
        assert.equal(result.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
        assert.equal(result.data?.ingestFacts ?? null, null);
        assert.deepEqual(await graphCounts(graph.driver), before);
    });

    it("rejects a forged token, an expired token and a token without the editor role", async () => {
        const forged = await issueToken("another-secret-0123456789-0123456789-xyz", ["editor"], "10m");
        const expired = await issueToken(TEST_JWT_SECRET, ["editor"], "-1m");
        const viewer = await editorToken(["viewer"]);
        for (const token of [forged, expired, viewer, "not-a-jwt"]) {
            const result = await graphql(server.url, INGEST, { document: GOOD }, { authorization: `Bearer ${token}` });
            assert.equal(result.errors?.[0]?.extensions?.code, "UNAUTHENTICATED", token);
        }
        assert.equal(await actorCount(), 0);
        const retract = await graphql(server.url, `mutation { retractArticle(id: "article:2024-03-26-uk-us-sanction-apt31") { claims } }`);
        assert.equal(retract.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    });

    it("writes a whole document for an editor, and nothing of a document with one bad fact", async () => {
        const auth = { authorization: `Bearer ${await editorToken()}` };
        const before = await graphCounts(graph.driver);
        const bad = await graphql(server.url, INGEST, { document: BAD }, auth);
        assert.equal(bad.errors?.[0]?.extensions?.code, "FACTS_INVALID");
        assert.match(bad.errors![0]!.message, /facts\[1\]\.predicate: 'HACKED' is not one of/);
        assert.deepEqual(await graphCounts(graph.driver), before);
        assert.equal(await actorCount(), 0);

        const good = await graphql(server.url, INGEST, { document: GOOD }, auth);
        assert.deepEqual(good.data?.ingestFacts, { sourceId: "article:test-api-security", status: "loaded", claims: 1 });
        assert.equal(await actorCount(), 1);
        const again = await graphql(server.url, INGEST, { document: GOOD }, auth);
        assert.equal(again.data?.ingestFacts.status, "unchanged");

        const unknown = await graphql(server.url, `mutation { retractArticle(id: "registry:cyberkg") { claims } }`, undefined, auth);
        assert.equal(unknown.errors?.[0]?.extensions?.code, "NOT_FOUND");
        const retract = await graphql(server.url, `mutation { retractArticle(id: "article:test-api-security") { claims edgesAffected } }`, undefined, auth);
        assert.deepEqual(retract.data?.retractArticle, { claims: 1, edgesAffected: 1 });
    });

    it("has no write path when no JWT key is configured", async () => {
        const result = await graphql(readOnly.url, INGEST, { document: GOOD }, { authorization: `Bearer ${await editorToken()}` });
        assert.equal(result.errors?.[0]?.extensions?.code, "GRAPHQL_VALIDATION_FAILED");
        const schema = await graphql(readOnly.url, `{ __schema { mutationType { name } } }`);
        assert.equal(schema.data?.__schema.mutationType, null);
    });

    it("has none of the generated create/update/delete mutations", async () => {
        const schema = await graphql(server.url, `{ __schema { mutationType { fields { name } } } }`);
        assert.deepEqual(schema.data?.__schema.mutationType.fields.map((f: { name: string }) => f.name).sort(), ["ingestArticle", "ingestFacts", "retractArticle"]);
    });

    const nest = (depth: number): string => (depth === 0 ? "name" : `... on ThreatActor { members { memberOf { ${nest(depth - 1)} } } }`);
    const bombs: [string, string, RegExp, string][] = [
        ["a depth bomb", `{ threatActors(limit: 1) { members { memberOf { ${nest(6)} } } } }`, /depth/i, "GRAPHQL_VALIDATION_FAILED"],
        ["an alias bomb", `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: threatActors(limit: 1) { name }`).join(" ")} }`, /Aliases limit/i, "GRAPHQL_VALIDATION_FAILED"],
        ["a huge first", `{ threatActorsConnection(first: 1000000) { edges { node { name } } } }`, /first: 1000000\) is out of range/, "ARGUMENT_OUT_OF_RANGE"],
        ["a huge limit", `{ threatActors(limit: 100000) { name } }`, /limit must be between 0 and 100/, "ARGUMENT_OUT_OF_RANGE"],
        ["a deep neighbourhood", `{ neighbourhood(entity: "APT31", depth: 8) { depth } }`, /depth must be between 1 and 3/, "ARGUMENT_OUT_OF_RANGE"],
        ["a long path", `{ shortestPath(from: "APT31", to: "China", maxLength: 20) { length } }`, /maxLength must be between 1 and 6/, "ARGUMENT_OUT_OF_RANGE"],
        ["an expensive query", `{ threatActorsConnection(first: 100) { edges { node { targetedConnection(first: 100) { edges { node { name } } } } } } }`, /too expensive/, "QUERY_TOO_COMPLEX"],
        ["a directive bomb", `{ threatActors(limit: 1) { name ${"@include(if: true) ".repeat(20)} } }`, /Directives limit/i, "GRAPHQL_VALIDATION_FAILED"],
    ];
    for (const [what, query, message, code] of bombs) {
        // (400 is a request refused before execution: speed is measured by the benchmarks, not asserted here)
        it(`rejects ${what} before running it, with a clear error`, async () => {
            const result = await graphql(server.url, query);
            assert.equal(result.status, 400, JSON.stringify(result));
            assert.equal(result.data?.threatActors, undefined);
            assert.match(result.errors?.[0]?.message ?? "", message);
            assert.equal(result.errors?.[0]?.extensions?.code, code);
        });
    }

    it("answers the standard introspection query and GraphiQL's own schema fetch (IDEs, Postman, codegen)", async () => {
        for (const options of [{}, { inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true }]) {
            const response = await fetch(server.url, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ query: getIntrospectionQuery(options), operationName: "IntrospectionQuery" }),
            });
            const body = (await response.json()) as { data?: IntrospectionQuery; errors?: unknown[] };
            assert.equal(response.status, 200, JSON.stringify(body.errors));
            assert.equal(body.errors, undefined);
            const schema = buildClientSchema(body.data!);
            assert.ok(schema.getQueryType()?.getFields().threatActors, "the schema has threatActors");
            assert.ok(schema.getType("ThreatActor"));
        }
    });

    it("still rejects an introspection bomb, and introspection mixed with data pays the data's cost", async () => {
        const bomb = await graphql(server.url, `{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }`);
        assert.equal(bomb.status, 400);
        assert.equal(bomb.errors?.[0]?.extensions?.code, "GRAPHQL_VALIDATION_FAILED");
        assert.match(bomb.errors?.[0]?.message ?? "", /introspection/i);
        const mixed = await graphql(server.url, `{ __typename threatActorsConnection(first: 100) { edges { node { targetedConnection(first: 100) { edges { node { name } } } } } } }`);
        assert.equal(mixed.errors?.[0]?.extensions?.code, "QUERY_TOO_COMPLEX");
    });

    it("turns introspection off with GRAPHQL_INTROSPECTION=false", async () => {
        const closed = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production", GRAPHQL_INTROSPECTION: "false" }), graph.driver, DATABASE);
        try {
            const result = await graphql(closed.url, getIntrospectionQuery());
            assert.equal(result.status, 400);
            assert.equal(result.data, undefined);
            assert.match(result.errors?.[0]?.message ?? "", /introspection/i);
            const read = await graphql(closed.url, `{ threatActors(where: { name: { eq: "APT31" } }) { name } }`);
            assert.deepEqual(read.data, { threatActors: [{ name: "APT31" }] });
        } finally {
            await closed.close();
        }
    });

    it("answers a query over the token limit with HTTP 400 and a clear message", async () => {
        const result = await graphql(server.url, `{ threatActors(limit: 1) { ${"name ".repeat(2000)} } }`);
        assert.equal(result.status, 400, JSON.stringify(result));
        assert.equal(result.errors?.[0]?.extensions?.code, "GRAPHQL_PARSE_FAILED");
        assert.equal(result.errors?.[0]?.message, "Query is too long: more than 1500 tokens; split it into smaller queries or use fragments");
    });

    it("refuses a 10,000-character search term with ARGUMENT_OUT_OF_RANGE", async () => {
        const result = await graphql(server.url, `query S($q: String!) { search(query: $q) { name } }`, { q: "a".repeat(10_000) });
        assert.equal(result.status, 400);
        assert.equal(result.errors?.[0]?.extensions?.code, "ARGUMENT_OUT_OF_RANGE");
        assert.equal(result.errors?.[0]?.message, "search(query:) is 10000 characters long; at most 200 are accepted");
    });

    it("refuses shortestPath from an entity to itself with BAD_USER_INPUT", async () => {
        for (const [from, to] of [["APT31", "APT31"], ["APT31", "actor:apt31"]]) {
            const result = await graphql(server.url, `{ shortestPath(from: "${from}", to: "${to}") { length } }`);
            assert.equal(result.status, 400);
            assert.equal(result.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
            assert.equal(result.errors?.[0]?.message, `shortestPath(from:, to:): '${from}' and '${to}' are the same entity (actor:apt31); a path needs two different ones`);
        }
    });

    it("answers an unknown entity with ENTITY_NOT_FOUND, its name and near matches, on every root field that takes one", async () => {
        const cases: [string, string, RegExp][] = [
            [`{ shortestPath(from: "APT31", to: "Nobody Here") { length } }`, "Nobody Here", /^shortestPath\(to:\): no entity named 'Nobody Here' \(by id or name\)/],
            [`{ neighbourhood(entity: "APT 31") { depth } }`, "APT 31", /^neighbourhood\(entity:\): no entity named 'APT 31' \(by id or name\); did you mean 'APT31'/],
            [`{ timeline(entity: "Ni Gaobn") { predicate } }`, "Ni Gaobn", /^timeline\(entity:\): no entity named 'Ni Gaobn' \(by id or name\); did you mean 'Ni Gaobin'/],
            [`{ coTargeting(actor: "China") { sharedCount } }`, "China", /^coTargeting\(actor:\): no threat actor named 'China'/],
            [`{ evidence(entity: "Zhao Guangzon") { evidence } }`, "Zhao Guangzon", /^evidence\(entity:\): no entity named 'Zhao Guangzon' \(by id or name\); did you mean 'Zhao Guangzong'/],
            // `other` is matched by id in the field's Cypher: a display name there would quietly give [].
            [`{ evidence(entity: "APT31", other: "Defence") { evidence } }`, "Defence", /^evidence\(other:\): no entity with the id 'Defence'; did you mean 'Defence'/],
            [`{ identity(entity: "Lazarus Grp") { merged } }`, "Lazarus Grp", /^identity\(entity:\): no entity named 'Lazarus Grp' \(by id or name\); did you mean 'Lazarus Group'/],
            [`{ edgesAsOf(asOf: "2030-01-01T00:00:00Z", entity: "Chosun Exp") { type } }`, "Chosun Exp", /^edgesAsOf\(entity:\): no entity named 'Chosun Exp' \(by id or name\); did you mean 'Chosun Expo'/],
            [`query Q($who: String!) { timeline(entity: $who) { predicate } }`, "Nobody At All", /^timeline\(entity:\): no entity named 'Nobody At All'/],
            [`{ possiblySameAs(entity: "Lazarus Grp") { confidence } }`, "Lazarus Grp", /^possiblySameAs\(entity:\): no entity named 'Lazarus Grp' \(by id or name\); did you mean 'Lazarus Group'/],
        ];
        for (const [query, name, message] of cases) {
            const result = await graphql(server.url, query, { who: "Nobody At All" });
            assert.equal(result.status, 400, query);
            assert.equal(result.errors?.[0]?.extensions?.code, "ENTITY_NOT_FOUND", query);
            assert.equal(result.errors?.[0]?.extensions?.name, name);
            assert.match(result.errors?.[0]?.message ?? "", message);
            assert.equal(result.data, undefined);
        }
        // The same fields, given names that exist, answer as before.
        for (const [query, field] of [
            [`{ neighbourhood(entity: "actor:apt31") { depth } }`, "neighbourhood"],
            [`{ evidence(entity: "APT31", other: "sector:defence") { evidence } }`, "evidence"],
            [`{ identity(entity: "Lazarus Group") { merged } }`, "identity"],
            [`{ edgesAsOf(asOf: "2030-01-01T00:00:00Z", entity: "Chosun Expo") { type } }`, "edgesAsOf"],
        ] as const) {
            const known = await graphql(server.url, query);
            assert.equal(known.errors, undefined, `${query}: ${JSON.stringify(known.errors)}`);
            const value = known.data?.[field];
            assert.ok(Array.isArray(value) ? value.length > 0 : value, `${query} answers`);
        }
    });

    it("checks page sizes passed as variables too", async () => {
        const result = await graphql(server.url, `query Q($n: Int) { threatActors(limit: $n) { name } }`, { n: 5000 });
        assert.equal(result.errors?.[0]?.extensions?.code, "ARGUMENT_OUT_OF_RANGE");
    });

    it("refuses a body larger than MAX_BODY_BYTES with JSON, not a stack trace", async () => {
        const response = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ __typename }`, pad: "x".repeat(1_100_000) }) });
        assert.equal(response.status, 413);
        const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
        assert.equal(body.errors[0]!.extensions.code, "PAYLOAD_TOO_LARGE");
        assert.doesNotMatch(JSON.stringify(body), /at .*\.js:\d+/);
    });

    it("is production-safe when NODE_ENV is not set: no stack traces, no absolute paths", async () => {
        const config = loadConfig({ PORT: 0 }, {});
        assert.equal(config.env, "production");
        const plain = await startServer(config, graph.driver, DATABASE);
        try {
            const result = await graphql(plain.url, `{ nope }`);
            assert.equal(result.status, 400);
            assert.doesNotMatch(JSON.stringify(result), /stacktrace|\/work\/|node_modules|at .*\.(js|ts):\d+/);
        } finally {
            await plain.close();
        }
    });

    it("shows no stack traces outside development", async () => {
        const result = await graphql(server.url, `{ nope }`);
        assert.equal(result.status, 400);
        assert.equal(JSON.stringify(result).includes("stacktrace"), false);
    });
});
