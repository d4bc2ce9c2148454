/**
 * A throwaway local Neo4j for the benchmarks: the local runtime's jars (.neo4j/lib), a temporary home, free
 * ports, the heap and page cache asked for. `home()` also makes a second, never-started home (for neo4j-admin import).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import "../src/neo4j/tcp-nodelay.ts";
import neo4j, { type Driver } from "neo4j-driver";
import { REPO_ROOT } from "../src/config.ts";
import { LocalNeo4j, freePort } from "../src/neo4j/runtime/LocalNeo4j.ts";

export const JARS_HOME = path.join(REPO_ROOT, ".neo4j");

export interface Memory {
    heap: string;
    pagecache: string;
}

export async function runtimeAt(home: string, memory: Memory): Promise<LocalNeo4j> {
    const [boltPort, httpPort] = [await freePort(), await freePort()];
    return new LocalNeo4j({ home, jarsHome: JARS_HOME, boltPort, httpPort, ...memory, startTimeoutMs: 300_000, password: "cyberkg-bench-password" });
}

export async function startThrowaway(memory: Memory): Promise<{ runtime: LocalNeo4j; driver: Driver; home: string; stop(): Promise<void> }> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-bench-neo4j-"));
    const runtime = await runtimeAt(home, memory);
    await runtime.start({ onProgress: (m) => process.stderr.write(`[bench] ${m}\n`) });
    const driver = neo4j.driver(runtime.boltUri, neo4j.auth.basic("neo4j", runtime.password()), { disableLosslessIntegers: true });
    return {
        runtime,
        driver,
        home,
        stop: async () => {
            await driver.close();
            await runtime.stop();
            fs.rmSync(home, { recursive: true, force: true });
        },
    };
}

/** Empties the database (in batches: CALL … IN TRANSACTIONS needs an auto-commit transaction). */
export async function wipe(driver: Driver, database = "neo4j"): Promise<void> {
    const session = driver.session({ database });
    try {
        await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS");
    } finally {
        await session.close();
    }
}

/** The machine, for the results: CPUs, memory, load average, versions. */
export function machine(): Record<string, unknown> {
    const lib = fs.existsSync(path.join(JARS_HOME, "lib")) ? fs.readdirSync(path.join(JARS_HOME, "lib")) : [];
    return {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
        loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
        node: process.version,
        neo4j: lib.find((f) => /^neo4j-kernel-\d/.test(f))?.replace(/^neo4j-kernel-|\.jar$/g, ""),
        platform: `${os.type()} ${os.release()}`,
    };
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
