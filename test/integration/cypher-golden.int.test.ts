/**
 * Golden tests for every @cypher field of the API (like neo4j/graphql's TCK): on one small fixture graph (the demo
 * articles, OFAC's cyber SDN snapshot with its listing history, one POSSIBLY_SAME_AS), each GraphQL query below
 * must answer exactly what test/golden/cypher-fields.json holds. A first test checks that every @cypher field of
 * graphql/schema.graphql and graphql/sanctions.graphql has a case, so a new field cannot go untested.
 * After an intended change, `CYBERKG_UPDATE_GOLDEN=1 npx tsx test/run-integration.ts test/integration/cypher-golden.int.test.ts`
 * rewrites the file (and fails, so the diff is reviewed before it is committed).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Kind, parse, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from "graphql";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { readListingHistory } from "../../src/sanctions/history.ts";
import { importOfacSdn } from "../../src/sanctions/import-ofac.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { sharedPath } from "../helpers/shared.ts";
import { graphql } from "./api-client.ts";

const GOLDEN = path.join(REPO_ROOT, "test", "golden", "cypher-fields.json");
const DEMO = path.join(REPO_ROOT, "data", "articles");
const SDN = sharedPath("data", "ofac", "sdn-cyber-2024-05-03.csv");
const HISTORY = sharedPath("data", "ofac", "cyber-listing-history.csv");
const FAR = "2100-01-01T00:00:00Z";
const REF = "{ id name type }";

/** One query per @cypher field ("Type.field"); per-entity copies of a root field are checked on one type. */
const CASES: Record<string, string> = {
    "Query.identity": `{ identity(entity: "APT31") { entity ${REF} possiblySameAs { entity ${REF} confidence reason source } merged mergeHistory { action } } }`,
    "Query.possiblySameAs": `{ possiblySameAs(entity: "APT31") { entity ${REF} confidence reason source } }`,
    "Query.neighbourhood": `{ neighbourhood(entity: "APT31", depth: 2, first: 30) { depth type support certainty from ${REF} to ${REF} } }`,
    "Query.shortestPath": `{ shortestPath(from: "Ni Gaobin", to: "United Kingdom") { length nodes ${REF} edges { type support certainty from ${REF} to ${REF} } } }`,
    "Query.coTargeting": `{ coTargeting(actor: "APT31") { actor ${REF} sharedCount sharedTargets ${REF} } }`,
    "Query.sanctionsOverlap": `{ sanctionsOverlap(minSanctioners: 2) { entity ${REF} sanctionerCount sanctioners ${REF} stateCount states ${REF} } }`,
    "Query.edgesAsOf": `{ edgesAsOf(asOf: "${FAR}", entity: "APT31") { type support claimCount certainty firstReported lastReported from ${REF} to ${REF} } }`,
    "Query.evidence": `{ evidence(entity: "APT31", predicate: TARGETED, first: 10) { predicate certainty evidence reportedAt subjectId objectId claimedBy { name } source { title } } }`,
    "Query.timeline": `{ timeline(entity: "Chosun Expo", asOf: "${FAR}") { predicate certainty reportedAt subjectId objectId evidence } }`,
    "ThreatActor.evidence": `{ threatActors(where: { name: { eq: "APT31" } }) { evidence(predicate: AFFILIATED_WITH) { certainty evidence objectId source { title } } } }`,
    "ThreatActor.possiblySameAs": `{ threatActors(where: { name: { eq: "APT31" } }) { possiblySameAs { entity ${REF} confidence source } } }`,
    "ThreatActor.designations": `{ threatActors(where: { name: { eq: "Evil Corp" } }) { designations { authority ${REF} listedOn delistedOn inForce program programs entryId firstReportedInNews reportLagDays states ${REF} } } }`,
    "ThreatActor.sanctioningStates": `{ threatActors(where: { name: { eq: "Evil Corp" } }) { sanctioningStates { state ${REF} via ${REF} listed inNews } } }`,
    "Organization.designations": `{ organizations(where: { name: { eq: "Wuhan Xiaoruizhi Science and Technology Company" } }) { designations { authority ${REF} listedOn inForce programs firstReportedInNews reportLagDays } } }`,
    "Organization.sanctioningStates": `{ organizations(where: { name: { eq: "Wuhan Xiaoruizhi Science and Technology Company" } }) { sanctioningStates { state ${REF} via ${REF} listed inNews } } }`,
    "Person.designations": `{ people(where: { name: { eq: "Zhao Guangzong" } }) { designations { authority ${REF} listedOn inForce programs firstReportedInNews } } }`,
    "Person.sanctioningStates": `{ people(where: { name: { eq: "Zhao Guangzong" } }) { sanctioningStates { state ${REF} via ${REF} listed inNews } } }`,
    "Query.designationsNotInNews": `{ designationsNotInNews(since: "2023-01-01", first: 10) { entity ${REF} authority ${REF} listedOn programs } }`,
    "Query.newsSanctionsNotListed": `{ newsSanctionsNotListed(first: 20) { entity ${REF} sanctionedBy ${REF} state ${REF} certainty reportedAt } }`,
    "Query.designationReportLag": `{ designationReportLag(first: 10) { entity ${REF} listedOn firstReportedInNews reportLagDays } }`,
};

/** Every field with a @cypher directive in the SDL files, as "Type.field" (extensions included). */
function cypherFields(): string[] {
    const fields: string[] = [];
    for (const file of ["schema.graphql", "sanctions.graphql"]) {
        const doc = parse(fs.readFileSync(path.join(REPO_ROOT, "graphql", file), "utf8"));
        for (const d of doc.definitions) {
            if (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
            for (const f of (d as ObjectTypeDefinitionNode | ObjectTypeExtensionNode).fields ?? []) {
                if (f.directives?.some((x) => x.name.value === "cypher")) fields.push(`${d.name.value}.${f.name.value}`);
            }
        }
    }
    return fields.sort();
}

after(closeTestDriver);

describe("golden answers of every @cypher field", () => {
    let server: RunningServer;
    before(async () => {
        const g = await freshGraph();
        await loadFiles([DEMO], g.loader);
        await importOfacSdn(g.driver, DATABASE, g.loader, g.registry, SDN, { snapshotDate: "2024-05-03", history: await readListingHistory(HISTORY) });
        await g.driver.executeQuery(
            "MATCH (a:Entity {id: 'actor:apt31'}), (b:Entity {id: 'actor:apt40'}) CREATE (a)-[:POSSIBLY_SAME_AS {source: 'golden:fixture', confidence: 0.3, reason: 'shared infrastructure'}]->(b)",
            {},
            { database: DATABASE },
        );
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", QUERY_TIMEOUT_MS: 120000 }), g.driver, DATABASE);
    });
    after(async () => server?.close());

    it("has a case for every @cypher field of the SDL (root fields, per-entity copies, type extensions)", () => {
        const covered = new Set(Object.keys(CASES));
        const missing = cypherFields().filter((f) => !covered.has(f));
        assert.deepEqual(missing, [], `@cypher fields without a golden case: ${missing.join(", ")}`);
        assert.ok(cypherFields().length >= 15, "the SDL is read");
    });

    it("answers each case exactly as test/golden/cypher-fields.json says", async () => {
        const answers: Record<string, unknown> = {};
        for (const [field, query] of Object.entries(CASES)) {
            const result = await graphql(server.url, query);
            assert.equal(result.errors, undefined, `${field}: ${JSON.stringify(result.errors)}`);
            answers[field] = { query, data: result.data };
        }
        if (process.env.CYBERKG_UPDATE_GOLDEN === "1") {
            fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
            fs.writeFileSync(GOLDEN, JSON.stringify(answers, null, 2) + "\n");
            assert.fail(`rewrote ${path.relative(REPO_ROOT, GOLDEN)}: review the diff, then run again without CYBERKG_UPDATE_GOLDEN`);
        }
        const golden = JSON.parse(fs.readFileSync(GOLDEN, "utf8")) as Record<string, { query: string; data: unknown }>;
        for (const [field, answer] of Object.entries(answers)) {
            assert.ok(golden[field], `${field} has a golden answer`);
            assert.deepEqual(answer, golden[field], `${field} answers differently from the golden file`);
        }
    });
});
