/**
 * Per-test access to the run's Neo4j: a driver, a wiped database, the registry loaded, and a FactLoader.
 * Tests run one at a time against one server; each test starts from an empty graph (`freshGraph()`), so no
 * test sees another's data. Wiping is refused unless the server is a throwaway one (CYBERKG_TEST_ALLOW_WIPE).
 */
import "../../src/neo4j/tcp-nodelay.ts";
import neo4j, { type Driver } from "neo4j-driver";
import { applySchema, readCypherStatements } from "../../src/neo4j/cypher-files.ts";
import { FactLoader } from "../../src/loader/FactLoader.ts";
import { unitFromRegistry } from "../../src/loader/registry-unit.ts";
import { Registry } from "../../src/registry/Registry.ts";
import { closeSnapshotDriver, recordRegistrySnapshot, replayRegistrySnapshot } from "./registry-snapshot.ts";

export const DATABASE = process.env.NEO4J_DATABASE ?? "neo4j";

let shared: Driver | undefined;

export function testDriver(): Driver {
    if (!process.env.NEO4J_URI) throw new Error("No test Neo4j: run integration tests with `npm run test:int` (it starts one), or set NEO4J_URI");
    shared ??= neo4j.driver(process.env.NEO4J_URI, neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? ""), { disableLosslessIntegers: true });
    return shared;
}

export async function closeTestDriver(): Promise<void> {
    await closeSnapshotDriver();
    await shared?.close();
    shared = undefined;
}

/**
 * Empties the database, applies the schema and (unless `registry: false`) loads the registry: through the loader the
 * first time in a run, as the run's recording of that load afterwards (test/helpers/registry-snapshot.ts).
 */
export async function freshGraph({ registry = true } = {}): Promise<{ driver: Driver; loader: FactLoader; registry: Registry }> {
    if (process.env.CYBERKG_TEST_ALLOW_WIPE !== "1") {
        throw new Error("Refusing to wipe a Neo4j this test run did not start: set CYBERKG_TEST_ALLOW_WIPE=1 if NEO4J_URI points at a disposable database");
    }
    const driver = testDriver();
    const session = driver.session({ database: DATABASE });
    try {
        // CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction: session.run, not executeQuery.
        await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS");
    } finally {
        await session.close();
    }
    await ensureSchema(driver);
    const reg = Registry.load();
    const loader = new FactLoader(driver, DATABASE, reg);
    if (registry && !(await replayRegistrySnapshot(DATABASE))) {
        await loader.load(unitFromRegistry(reg));
        await recordRegistrySnapshot(DATABASE);
    }
    return { driver, loader, registry: reg };
}

/**
 * Applies cypher/schema.cypher unless every index and constraint it names is already there and online: each of its
 * statements is `CREATE … IF NOT EXISTS` by name, so applying it then would change nothing (27 schema transactions
 * saved per test). A statement of another shape always applies the file.
 */
async function ensureSchema(driver: Driver): Promise<void> {
    const names = readCypherStatements("schema.cypher").map((s) => /^CREATE (?:[A-Z]+ )?(?:INDEX|CONSTRAINT) (\w+) IF NOT EXISTS\b/.exec(s)?.[1]);
    if (names.every((n) => n !== undefined)) {
        const [indexes, constraints] = await Promise.all([
            driver.executeQuery("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE' RETURN collect(name) AS names", {}, { database: DATABASE }),
            driver.executeQuery("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names", {}, { database: DATABASE }),
        ]);
        const present = new Set<string>([...(indexes.records[0]!.get("names") as string[]), ...(constraints.records[0]!.get("names") as string[])]);
        if (names.every((n) => present.has(n!))) return;
    }
    await applySchema(driver, DATABASE);
}

/** Counts that define "the same graph" for idempotence tests. */
export async function graphCounts(driver: Driver): Promise<{ nodes: number; relationships: number; claims: number; edges: number }> {
    const { records } = await driver.executeQuery(
        `CALL () { MATCH (n) RETURN count(n) AS nodes }
         CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
         CALL () { MATCH (c:Claim) RETURN count(c) AS claims }
         CALL () { MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS edges }
         RETURN nodes, relationships, claims, edges`,
        {},
        { database: DATABASE },
    );
    return records[0]!.toObject() as { nodes: number; relationships: number; claims: number; edges: number };
}
