/**
 * Shared by the outage tests (test/integration/outage.int.test.ts, test/faults/outage.test.ts): a throwaway Neo4j
 * home, the Java processes of a home (to see a SIGKILLed Neo4j gone), and one timed GraphQL query.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { graphql } from "../integration/api-client.ts";

export const OUTAGE_QUERY = `{ threatActors(where: { name: { eq: "APT31" } }) { name } }`;
/** A field with an entity argument: the API looks the name up before the query runs (src/api/entity-arguments.ts). */
export const ENTITY_ARGUMENT_QUERY = `{ identity(entity: "APT31") { entity { name } } }`;

export function throwawayHome(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-outage-neo4j-"));
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
