/**
 * PROFILEs the Cypher that @neo4j/graphql generates for each README "GraphQL API" example (queries only) and
 * prints db hits, rows and any label/all-node scans. Run against a loaded graph:
 *   NEO4J_URI=bolt://… NEO4J_PASSWORD=… npx tsx bench/profile-api.ts
 * The translated Cypher is captured by handing the library a recording "transaction" as executionContext.
 */
import fs from "node:fs";
import path from "node:path";
import neo4j from "neo4j-driver";
import { REPO_ROOT, loadConfig } from "../src/config.ts";
import { buildSchema } from "../src/api/schema.ts";
import { generatedCypher } from "./profile.ts";

interface Plan {
    operatorType: string;
    dbHits: number;
    rows: number;
    identifiers?: string[];
    arguments?: Record<string, unknown>;
    children: Plan[];
}

function walk(plan: Plan, visit: (p: Plan) => void): void {
    visit(plan);
    for (const child of plan.children) walk(child, visit);
}

const config = loadConfig();
if (!config.neo4j.uri) throw new Error("Set NEO4J_URI (and NEO4J_PASSWORD) to a Neo4j with the demo data loaded");
const driver = neo4j.driver(config.neo4j.uri, neo4j.auth.basic(config.neo4j.user, config.neo4j.password ?? ""), { disableLosslessIntegers: true });
const database = config.neo4j.database;
const { schema } = await buildSchema(driver, database, { ...config, server: { ...config.server, jwtSecret: undefined, jwksUrl: undefined } });

const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## GraphQL API"), readme.indexOf("\n## ", readme.indexOf("## GraphQL API") + 5));
const examples = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim()).filter((q) => !q.startsWith("mutation"));
const extra = (process.env.PROFILE_EXTRA ?? "").split("\n---\n").filter(Boolean);

for (const query of [...examples, ...extra]) {
    const title = /^#\s*(.+)$/m.exec(query)?.[1] ?? query.slice(0, 60);
    const captured = await generatedCypher(schema, driver, database, query).catch((error: Error) => {
        throw new Error(`${title}: ${error.message}`);
    });
    const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
    try {
        for (const { cypher, params } of captured) {
            const profiled = cypher.replace(/^(CYPHER [^\n]*\n)?/, (prefix) => `${prefix}PROFILE `);
            const result = await session.run(profiled, params);
            const plan = result.summary.profile as unknown as Plan;
            let hits = 0;
            const scans: string[] = [];
            walk(plan, (p) => {
                hits += p.dbHits;
                if (/NodeByLabelScan|AllNodesScan|RelationshipTypeScan/.test(p.operatorType)) scans.push(`${p.operatorType}(${p.identifiers?.join(",") ?? ""}) hits=${p.dbHits}`);
            });
            process.stdout.write(`${title}\n  db hits: ${hits}, rows: ${result.records.length}${scans.length ? `\n  scans: ${scans.join("; ")}` : ""}\n`);
            if (process.env.PROFILE_SHOW_CYPHER) process.stdout.write(cypher + "\n");
        }
    } finally {
        await session.close();
    }
}
await driver.close();
