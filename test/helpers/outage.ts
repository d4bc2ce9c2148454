/**
 * Shared by the outage tests (test/integration/outage.int.test.ts, test/faults/outage.test.ts): a throwaway Neo4j
 * home, the API over a Neo4j of that home with the registry and demo articles loaded, the Java processes of a home
 * (to see a SIGKILLed Neo4j gone), and one timed GraphQL query.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { createDriver } from "../../src/neo4j/connection.ts";
import { applySchema } from "../../src/neo4j/cypher-files.ts";
import { LocalNeo4j, freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { FactLoader } from "../../src/loader/FactLoader.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { unitFromRegistry } from "../../src/loader/registry-unit.ts";
import { Registry } from "../../src/registry/Registry.ts";
import { TEST_JWT_SECRET, graphql } from "../integration/api-client.ts";

export const OUTAGE_QUERY = `{ threatActors(where: { name: { eq: "APT31" } }) { name } }`;
/** A field with an entity argument: the API looks the name up before the query runs (src/api/entity-arguments.ts). */
export const ENTITY_ARGUMENT_QUERY = `{ identity(entity: "APT31") { entity { name } } }`;

export function throwawayHome(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-outage-neo4j-"));
}

export interface OutageStack {
    runtime: LocalNeo4j;
    driver: Driver;
    server: RunningServer;
}

/** A local Neo4j in `home` (free ports), the schema, the registry and data/articles loaded, and the API over it. */
export async function startOutageStack(home: string, opts: { password: string; startTimeoutMs: number }): Promise<OutageStack> {
    const runtime = new LocalNeo4j({ home, jarsHome: path.join(REPO_ROOT, ".neo4j"), boltPort: await freePort(), httpPort: await freePort(), heap: "512m", pagecache: "128m", startTimeoutMs: opts.startTimeoutMs, password: opts.password });
    await runtime.start();
    const driver = createDriver({ uri: runtime.boltUri, user: "neo4j", password: runtime.password(), database: "neo4j" });
    await applySchema(driver, "neo4j");
    const registry = Registry.load();
    await new FactLoader(driver, "neo4j", registry).load(unitFromRegistry(registry));
    await loadFiles([path.join(REPO_ROOT, "data", "articles")], new FactLoader(driver, "neo4j", registry));
    const server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production", JWT_SECRET: TEST_JWT_SECRET }), driver, "neo4j");
    return { runtime, driver, server };
}

/** Java processes running a Neo4j of this home. */
export function neo4jProcessesOf(home: string): number[] {
    return fs
        .readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .filter((pid) => {
            try {
                const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
                return cmd.includes("CommunityEntryPoint") && cmd.includes(home);
            } catch {
                return false;
            }
        })
        .map(Number);
}

export interface TimedAnswer {
    status: number;
    code?: string;
    retryAfter: string | null;
    /** performance.now() when the request was sent and when its answer was read. */
    startedAt: number;
    endedAt: number;
    ms: number;
    /** The query answered APT31. */
    ok: boolean;
}

/** OUTAGE_QUERY (or ENTITY_ARGUMENT_QUERY), timed; `ok` when it answered APT31. */
export async function timedQuery(url: string, query = OUTAGE_QUERY): Promise<TimedAnswer> {
    const startedAt = performance.now();
    const result = await graphql(url, query);
    const endedAt = performance.now();
    const name = query === OUTAGE_QUERY ? result.data?.threatActors?.[0]?.name : result.data?.identity?.entity?.name;
    return { status: result.status, code: result.errors?.[0]?.extensions?.code as string | undefined, retryAfter: result.retryAfter, startedAt, endedAt, ms: endedAt - startedAt, ok: !result.errors && name === "APT31" };
}
