/**
 * Backup and restore of the whole graph (issue 12):
 *  - the local runtime (NEO4J_URI unset): `neo4j-admin database dump` / `load` with the runtime's own jars. Neo4j
 *    Community cannot dump or load a running database, so a running local Neo4j is stopped for the dump (and started
 *    again, detached, afterwards); a restore replaces the local database whole, so it refuses to overwrite one that
 *    exists unless told to (`replace`).
 *  - a server named by NEO4J_URI (we cannot run its neo4j-admin): our Cypher export (src/export/cypher-script.ts),
 *    replayed statement by statement on restore, into an empty database unless `replace` (which empties it first).
 * A restore of either kind into the local runtime works; a dump cannot go into a remote server (say how instead).
 * Both print the canonical graph checksum (src/neo4j/graph-checksum.ts) when the server is up, so the restored graph
 * can be compared with the one backed up.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import type { Config } from "../config.ts";
import { ConfigError, Neo4jRuntimeError } from "../errors.ts";
import { connect, localRuntime, type Neo4jConnection } from "./connection.ts";
import { readCypherStatements } from "./cypher-files.ts";
import { graphChecksum, type GraphChecksum } from "./graph-checksum.ts";
import type { LocalNeo4j } from "./runtime/LocalNeo4j.ts";

export type BackupKind = "dump" | "cypher";

export interface BackupResult {
    kind: BackupKind;
    file: string;
    bytes: number;
    /** The graph's checksum at backup time (when the server was up to compute it). */
    checksum?: GraphChecksum;
}

type Progress = (message: string) => void;

/** A Cypher script starts with a `//` comment line; a neo4j-admin dump is binary. */
export function backupKind(file: string): BackupKind {
    const fd = fs.openSync(file, "r");
    try {
        const head = Buffer.alloc(3);
        fs.readSync(fd, head, 0, 3, 0);
        return head.toString("latin1").startsWith("//") ? "cypher" : "dump";
    } finally {
        fs.closeSync(fd);
    }
}

function remoteConnection(config: Config): Neo4jConnection {
    if (!config.neo4j.password) throw new ConfigError(`NEO4J_URI is set (${config.neo4j.uri}) but NEO4J_PASSWORD is not: set it`);
    return { uri: config.neo4j.uri!, user: config.neo4j.user, password: config.neo4j.password, database: config.neo4j.database };
}

function localConnection(config: Config, local: LocalNeo4j): Neo4jConnection {
    return { uri: local.boltUri, user: "neo4j", password: local.password(), database: config.neo4j.database, local };
}

async function withDriver<T>(conn: Neo4jConnection, fn: (driver: Driver) => Promise<T>): Promise<T> {
    const driver = await connect(conn);
    try {
        return await fn(driver);
    } finally {
        await driver.close();
    }
}

function checkTarget(file: string, force: boolean): void {
    if (fs.existsSync(file) && !force) throw new ConfigError(`${file} exists: choose another file, or pass --force to overwrite it`);
    const dir = path.dirname(path.resolve(file));
    if (!fs.existsSync(dir)) throw new ConfigError(`${dir} does not exist: create it first`);
}

export async function backup(config: Config, file: string, { force = false, onProgress = () => {} }: { force?: boolean; onProgress?: Progress } = {}): Promise<BackupResult> {
    checkTarget(file, force);
    const database = config.neo4j.database;
    if (config.neo4j.uri) {
        const conn = remoteConnection(config);
        return withDriver(conn, async (driver) => {
            onProgress(`Exporting ${config.neo4j.uri} database '${database}' as a Cypher script (a server's own neo4j-admin is not ours to run)…`);
            const { exportGraph } = await import("../export/export-graph.ts");
            const checksum = await graphChecksum(driver, database);
            const { files } = await exportGraph(driver, database, "cypher");
            writeAtomically(file, files[0]!.content);
            return { kind: "cypher", file, bytes: fs.statSync(file).size, checksum };
        });
    }
    const local = localRuntime(config);
    const pid = local.runningPid();
    let checksum: GraphChecksum | undefined;
    if (pid) {
        checksum = await withDriver(localConnection(config, local), (driver) => graphChecksum(driver, database));
        onProgress(`Stopping the local Neo4j (pid ${pid}) for the dump: Neo4j Community cannot dump a running database. It is started again afterwards.`);
        await local.stop();
    } else if (!fs.existsSync(local.databaseDir(database))) {
        throw new ConfigError(`The local Neo4j (${local.home}) has no database '${database}' yet: there is nothing to back up`);
    }
    const tmp = fs.mkdtempSync(path.join(path.dirname(path.resolve(file)), ".cyberkg-backup-"));
    try {
        onProgress(`Dumping the local database '${database}' with neo4j-admin…`);
        const result = local.adminTool(["database", "dump", database, `--to-path=${tmp}`, "--overwrite-destination=true"]);
        if (result.status !== 0) throw new Neo4jRuntimeError(`neo4j-admin database dump failed (exit ${result.status}): ${lastLines(result.output)}`);
        fs.renameSync(path.join(tmp, `${database}.dump`), file);
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
        if (pid) {
            onProgress("Starting the local Neo4j again…");
            await local.start({ detached: true, onProgress });
        }
    }
    return { kind: "dump", file, bytes: fs.statSync(file).size, checksum };
}

export interface RestoreResult {
    kind: BackupKind;
    file: string;
    checksum: GraphChecksum;
}

export async function restore(config: Config, file: string, { replace = false, onProgress = () => {} }: { replace?: boolean; onProgress?: Progress } = {}): Promise<RestoreResult> {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new ConfigError(`${file}: no such backup file`);
    const kind = backupKind(file);
    const database = config.neo4j.database;
    if (config.neo4j.uri) {
        if (kind === "dump") {
            throw new ConfigError(
                `${file} is a neo4j-admin dump: it can only be restored into the local runtime (unset NEO4J_URI). For the server at ${config.neo4j.uri}, run \`neo4j-admin database load ${database} --from-path=<dir>\` there, or back it up with NEO4J_URI set to get a Cypher script`,
            );
        }
        return withDriver(remoteConnection(config), (driver) => replay(driver, database, file, replace, onProgress));
    }
    const local = localRuntime(config);
    if (kind === "cypher") {
        const wasRunning = local.runningPid() !== undefined;
        await local.start({ onProgress });
        try {
            return await withDriver(localConnection(config, local), (driver) => replay(driver, database, file, replace, onProgress));
        } finally {
            if (!wasRunning) await local.stop();
        }
    }
    if (fs.existsSync(local.databaseDir(database)) && !replace) {
        throw new ConfigError(`The local Neo4j (${local.home}) already has a database '${database}': a restore replaces it whole. Back it up first (\`npx cyberkg backup <file>\`), then pass --replace`);
    }
    const pid = local.runningPid();
    if (pid) {
        onProgress(`Stopping the local Neo4j (pid ${pid}) for the load: Neo4j Community cannot load into a running database.`);
        await local.stop();
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-restore-"));
    try {
        fs.symlinkSync(path.resolve(file), path.join(tmp, `${database}.dump`));
        onProgress(`Loading ${file} into the local database '${database}' with neo4j-admin…`);
        const result = local.adminTool(["database", "load", database, `--from-path=${tmp}`, "--overwrite-destination=true"]);
        if (result.status !== 0) throw new Neo4jRuntimeError(`neo4j-admin database load failed (exit ${result.status}): ${lastLines(result.output)}`);
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    await local.start({ detached: pid !== undefined, onProgress });
    try {
        const checksum = await withDriver(localConnection(config, local), (driver) => graphChecksum(driver, database));
        return { kind, file, checksum };
    } finally {
        if (!pid) await local.stop();
    }
}

/** Replays a Cypher backup into an empty database (or, with `replace`, one emptied first). */
async function replay(driver: Driver, database: string, file: string, replace: boolean, onProgress: Progress): Promise<RestoreResult> {
    const { records } = await driver.executeQuery("MATCH (n) RETURN count(n) AS n", {}, { database });
    const existing = records[0]!.get("n") as number;
    if (existing > 0 && !replace) {
        throw new ConfigError(`The database '${database}' holds ${existing} nodes: a restore goes into an empty database. Back it up first (\`npx cyberkg backup <file>\`), then pass --replace to empty it and restore`);
    }
    if (existing > 0) {
        onProgress(`Emptying database '${database}' (${existing} nodes)…`);
        const session = driver.session({ database });
        try {
            await session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS");
            await session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS");
        } finally {
            await session.close();
        }
    }
    const statements = readCypherStatements(path.resolve(file));
    onProgress(`Replaying ${statements.length} statements from ${file}…`);
    for (const statement of statements) await driver.executeQuery(statement, {}, { database });
    return { kind: "cypher", file, checksum: await graphChecksum(driver, database) };
}

function writeAtomically(file: string, content: string): void {
    const tmp = `${file}.partial-${process.pid}`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
}

function lastLines(output: string): string {
    return output.split("\n").filter((l) => l.trim()).slice(-5).join(" | ").slice(0, 800);
}
