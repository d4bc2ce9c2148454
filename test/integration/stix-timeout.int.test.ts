/**
 * import-stix of a huge bundle: the call's one transaction has its own timeout (`--timeout`, STIX_IMPORT_TIMEOUT);
 * past it one line names the limit and the flag, nothing is written, and it is not retried as an outage. Run through
 * the compiled CLI against the run's Neo4j, with a synthetic bundle (bench/synthetic-stix.ts, as bench:stix).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT } from "../../src/config.ts";
import { parseBundle } from "../../src/stix/bundle.ts";
import { importStix, stixSourceId } from "../../src/stix/import.ts";
import { syntheticBundle } from "../../bench/synthetic-stix.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";

after(closeTestDriver);

async function query<T = Record<string, unknown>>(driver: Driver, cypher: string, params = {}): Promise<T[]> {
    const { records } = await driver.executeQuery(cypher, params, { database: DATABASE });
    return records.map((r) => r.toObject() as T);
}

function tmpFile(name: string, content: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-stix-timeout-")), name);
    fs.writeFileSync(file, content);
    return file;
}

describe("import-stix of a huge bundle: one transaction with its own timeout", () => {
    const size = { actors: 600, targets: 600, relationships: 6000 };
    const bundle = syntheticBundle(size, "timeout test");
    const file = tmpFile("synthetic-huge.json", JSON.stringify(bundle));

    function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
        return new Promise((resolve) => {
            const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "silent", NEO4J_URI: process.env.NEO4J_URI, NEO4J_USER: process.env.NEO4J_USER, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD, NEO4J_DATABASE: DATABASE };
            const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "cyberkg.js"), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            child.on("exit", (code) => resolve({ code, stdout, stderr }));
        });
    }

    it("stops at `--timeout` with one line naming the limit and the flag, writes nothing and is not retried as an outage", async () => {
        const g = await freshGraph();
        const before = await graphCounts(g.driver);
        // The bundle alone is not slow enough on every machine (a fast CI machine wrote all 7,200 objects in 2.4 s,
        // before Neo4j's 2-second timeout check stopped it), so a concurrent, uncommitted transaction holds the
        // uniqueness lock of the bundle's source node: the import waits on it until its own timeout stops it.
        const holder = g.driver.session({ database: DATABASE });
        const held = await holder.beginTransaction();
        await held.run("CREATE (:Source {id: $id})", { id: stixSourceId(parseBundle(bundle, file)) });
        let result: Awaited<ReturnType<typeof cli>>;
        try {
            result = await cli(["import-stix", "--timeout", "1s", file]);
        } finally {
            await held.rollback();
            await holder.close();
        }
        const { code, stdout, stderr } = result;
        assert.equal(code, 1, stdout + stderr);
        assert.match(stderr, /^Importing 7200 objects of 1 bundle in one transaction \(timeout 1s\): all of it or nothing$/m);
        const error = stderr.trim().split("\n").pop()!;
        assert.equal(error, `cyberkg: ${file}: not loaded, nothing written: the transaction did not finish within its transaction timeout of 1s; raise it with --timeout (or STIX_IMPORT_TIMEOUT), e.g. --timeout 2h`);
        assert.doesNotMatch(stderr, /unavailable|waiting for it/i, "a timeout is not an outage: no wait, no retry");
        assert.deepEqual(await graphCounts(g.driver), before, "nothing of the bundle was written");
        assert.equal((await query(g.driver, "MATCH (s:StixBundle) RETURN s")).length, 0);
    });

    it("refuses a --timeout that is not a duration before reading or writing anything", async () => {
        const { code, stderr } = await cli(["import-stix", "--timeout", "soon", file]);
        assert.equal(code, 1);
        assert.match(stderr.trim(), /^cyberkg: Invalid configuration: STIX_IMPORT_TIMEOUT must be a duration of at least 1s, such as 90s, 30m or 2h \(got 'soon'\)$/);
    });

    it("imports the whole bundle in one transaction when the timeout allows it", async () => {
        const g = await freshGraph();
        const summary = await importStix(g.loader, g.registry, [file], { timeoutMs: 30 * 60_000 });
        assert.equal(summary.loaded, 1);
        assert.equal(summary.entitiesNew, size.actors + size.targets);
        const [row] = await query<{ claims: number }>(g.driver, "MATCH (:StixBundle)<-[:FROM]-(c:Claim) RETURN count(c) AS claims");
        assert.equal(row!.claims, summary.claims);
        assert.ok(summary.claims > 0 && summary.claims <= size.relationships, String(summary.claims));
    });
});
