/**
 * `cyberkg backup` / `cyberkg restore` (issue 12), run as the real CLI against throwaway local Neo4j homes (the
 * fetched jars of `.neo4j/` shared):
 *  - local runtime: a running Neo4j A with the example articles is dumped (neo4j-admin, A stopped and started again),
 *    the dump is restored into an empty home B, and B's graph checksum equals A's; a second restore into B is refused
 *    without --replace;
 *  - a server named by NEO4J_URI (A, seen from outside): the Cypher backup is refused into the non-empty database,
 *    restored with --replace, and gives A's checksum again.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT } from "../../src/config.ts";
import { createDriver } from "../../src/neo4j/connection.ts";
import { applySchema } from "../../src/neo4j/cypher-files.ts";
import { graphChecksum, type GraphChecksum } from "../../src/neo4j/graph-checksum.ts";
import { LocalNeo4j, freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { FactLoader } from "../../src/loader/FactLoader.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { unitFromRegistry } from "../../src/loader/registry-unit.ts";
import { Registry } from "../../src/registry/Registry.ts";

const JARS = path.join(REPO_ROOT, ".neo4j");

/** A throwaway Neo4j home that shares the fetched jars (so nothing is downloaded). */
async function throwawayHome(tmp: string, name: string) {
    const home = path.join(tmp, name);
    fs.mkdirSync(home);
    fs.symlinkSync(path.join(JARS, "lib"), path.join(home, "lib"));
    fs.symlinkSync(path.join(JARS, "plugins"), path.join(home, "plugins"));
    fs.copyFileSync(path.join(JARS, ".fetched"), path.join(home, ".fetched"));
    const options = { home, boltPort: await freePort(), httpPort: await freePort(), heap: "512m", pagecache: "128m", startTimeoutMs: 180_000, password: `${name}-backup-test-password` };
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        NEO4J_URI: "",
        NEO4J_HOME: home,
        NEO4J_BOLT_PORT: String(options.boltPort),
        NEO4J_HTTP_PORT: String(options.httpPort),
        NEO4J_HEAP: options.heap,
        NEO4J_PAGECACHE: options.pagecache,
        NEO4J_PASSWORD: options.password,
        LOG_LEVEL: "warn",
    };
    delete env.NEO4J_URI;
    return { home, options, env, runtime: new LocalNeo4j(options) };
}

function cli(args: string[], env: NodeJS.ProcessEnv) {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "src/cli/index.ts"), ...args], { encoding: "utf8", env, timeout: 600_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, all: `${result.stdout}\n${result.stderr}` };
}

async function checksumOf(runtime: LocalNeo4j): Promise<GraphChecksum> {
    const driver = createDriver({ uri: runtime.boltUri, user: "neo4j", password: runtime.password(), database: "neo4j" });
    try {
        return await graphChecksum(driver, "neo4j");
    } finally {
        await driver.close();
    }
}

describe("backup and restore", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-backup-test-"));
    let a: Awaited<ReturnType<typeof throwawayHome>>;
    let b: Awaited<ReturnType<typeof throwawayHome>>;
    let original: GraphChecksum;

    before(async () => {
        a = await throwawayHome(tmp, "a");
        b = await throwawayHome(tmp, "b");
        await a.runtime.start();
        const driver: Driver = createDriver({ uri: a.runtime.boltUri, user: "neo4j", password: a.runtime.password(), database: "neo4j" });
        try {
            await applySchema(driver, "neo4j");
            const registry = Registry.load();
            const loader = new FactLoader(driver, "neo4j", registry);
            await loader.load(unitFromRegistry(registry));
            const summary = await loadFiles([path.join(REPO_ROOT, "data/articles")], loader);
            assert.ok(summary.loaded >= 4, JSON.stringify(summary));
        } finally {
            await driver.close();
        }
        original = await checksumOf(a.runtime);
        assert.ok(original.relationships > 100, JSON.stringify(original));
    });
    after(async () => {
        await a?.runtime.stop();
        await b?.runtime.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("dumps the running local Neo4j, restores the dump into an empty home with the same graph checksum, and refuses to overwrite it", async () => {
        const dump = path.join(tmp, "graph.dump");
        const backup = cli(["backup", dump], a.env);
        assert.equal(backup.code, 0, backup.all);
        assert.match(backup.stdout, new RegExp(`neo4j-admin dump.*graph checksum ${original.hash.slice(0, 16)}`), backup.all);
        assert.match(backup.stderr, /Stopping the local Neo4j .* started again afterwards/);
        assert.ok(a.runtime.runningPid(), "the local Neo4j is running again after the backup");
        assert.deepEqual(await checksumOf(a.runtime), original, "the backup changed the graph");

        const again = cli(["backup", dump], a.env);
        assert.equal(again.code, 1, again.all);
        assert.match(again.stderr, /graph\.dump exists: .*--force/);

        const restore = cli(["restore", dump], b.env);
        assert.equal(restore.code, 0, restore.all);
        assert.match(restore.stdout, new RegExp(`graph checksum ${original.hash.slice(0, 16)} \\(${original.nodes} nodes, ${original.relationships} relationships\\)`), restore.all);
        assert.equal(b.runtime.runningPid(), undefined, "restore stops the Neo4j it started");
        await b.runtime.start();
        assert.deepEqual(await checksumOf(b.runtime), original);
        await b.runtime.stop();

        const twice = cli(["restore", dump], b.env);
        assert.equal(twice.code, 1, twice.all);
        assert.match(twice.stderr, /already has a database 'neo4j': a restore replaces it whole.*--replace/);
    });

    it("backs up a NEO4J_URI server as a Cypher script and restores it with the same graph checksum", async () => {
        const script = path.join(tmp, "graph.cypher");
        const remote = { ...a.env, NEO4J_URI: a.runtime.boltUri, NEO4J_PASSWORD: a.runtime.password() };
        const backup = cli(["backup", script], remote);
        assert.equal(backup.code, 0, backup.all);
        assert.match(backup.stdout, new RegExp(`Cypher script.*graph checksum ${original.hash.slice(0, 16)}`), backup.all);

        const refused = cli(["restore", script], remote);
        assert.equal(refused.code, 1, refused.all);
        assert.match(refused.stderr, /holds \d+ nodes: a restore goes into an empty database.*--replace/);

        const fakeDump = path.join(tmp, "other.dump"); // any file that is not a Cypher script is taken for a dump
        fs.writeFileSync(fakeDump, Buffer.from([0x44, 0x5a, 0x56, 0x31, 0x00, 0x01]));
        const dumpIntoRemote = cli(["restore", fakeDump], remote);
        assert.equal(dumpIntoRemote.code, 1, dumpIntoRemote.all);
        assert.match(dumpIntoRemote.stderr, /is a neo4j-admin dump: it can only be restored into the local runtime/);

        const restore = cli(["restore", "--replace", script], remote);
        assert.equal(restore.code, 0, restore.all);
        assert.deepEqual(await checksumOf(a.runtime), original);
        assert.match(restore.stdout, new RegExp(`graph checksum ${original.hash.slice(0, 16)}`), restore.all);
    });
});
