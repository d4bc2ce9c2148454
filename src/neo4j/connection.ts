/**
 * Resolving which Neo4j to use, in this order: NEO4J_URI (an existing server) → the local runtime
 * (`.neo4j/`, started if needed). Also the one place where driver errors become domain errors.
 */
import "./tcp-nodelay.ts";
import neo4j, { Neo4jError, type Driver } from "neo4j-driver";
import type { Config } from "../config.ts";
import { Neo4jUnavailableError } from "../errors.ts";
import { DRIVER_SETTINGS } from "./driver-settings.ts";
import { LocalNeo4j } from "./runtime/LocalNeo4j.ts";

export interface Neo4jConnection {
    uri: string;
    user: string;
    password: string;
    database: string;
    /** Set when the connection is the local runtime (so callers can print the Browser URL). */
    local?: LocalNeo4j;
}

export function localRuntime(config: Config): LocalNeo4j {
    return new LocalNeo4j({ ...config.runtime, password: config.neo4j.password, serviceUrl: config.server.publicUrl });
}

/**
 * The connection the config asks for. With no NEO4J_URI, the local runtime is started unless it already runs
 * (`start: false` only describes it, for commands that must not start a server).
 */
export async function resolveConnection(
    config: Config,
    { start = true, onProgress }: { start?: boolean; onProgress?: (msg: string) => void } = {},
): Promise<Neo4jConnection> {
    if (config.neo4j.uri) {
        if (!config.neo4j.password) throw new Neo4jUnavailableError(`NEO4J_URI is set (${config.neo4j.uri}) but NEO4J_PASSWORD is not: set it`, config.neo4j.uri);
        return { uri: config.neo4j.uri, user: config.neo4j.user, password: config.neo4j.password, database: config.neo4j.database };
    }
    const local = localRuntime(config);
    if (start) await local.start({ onProgress });
    return { uri: local.boltUri, user: "neo4j", password: local.password(), database: config.neo4j.database, local };
}

/** `pool` overrides the pool settings of DRIVER_SETTINGS (tests of saturation use a tiny pool). */
export function createDriver(conn: Neo4jConnection, pool: { maxConnectionPoolSize?: number; connectionAcquisitionTimeout?: number } = {}): Driver {
    return neo4j.driver(conn.uri, neo4j.auth.basic(conn.user, conn.password), {
        disableLosslessIntegers: true,
        ...DRIVER_SETTINGS, // fail fast in an outage, queue when busy (driver-settings.ts)
        ...pool,
    });
}

/** Connects and checks credentials; an unreachable server or bad password becomes one clear error. */
export async function connect(conn: Neo4jConnection): Promise<Driver> {
    const driver = createDriver(conn);
    try {
        // Resolves false (does not throw) when the server rejects the credentials.
        if (!(await driver.verifyAuthentication())) {
            throw Object.assign(new Error("authentication failed"), { code: "Neo.ClientError.Security.Unauthorized" });
        }
        return driver;
    } catch (error) {
        await driver.close();
        throw translateDriverError(error, conn.uri, { local: conn.local !== undefined, passwordFile: conn.local?.passwordFile });
    }
}

/**
 * One line saying what happened and what to do. `local`: the server is cyberkg's local runtime (NEO4J_URI unset),
 * which `npx cyberkg neo4j start` can start; a server named by NEO4J_URI is the user's to check.
 */
export function translateDriverError(error: unknown, uri: string, { local = false, passwordFile }: { local?: boolean; passwordFile?: string } = {}): Error {
    const code = (error as { code?: string }).code ?? "";
    if (code.startsWith("Neo.ClientError.Security")) {
        const fix = local
            ? `the local Neo4j keeps the password it was created with (${passwordFile ?? ".neo4j/password"}): unset NEO4J_PASSWORD or set it to that one`
            : "check NEO4J_USER and NEO4J_PASSWORD";
        const what = /RateLimit/.test(code) ? "refused further logins after failed attempts (wait 5 s)" : "rejected the user name or password";
        return new Neo4jUnavailableError(`Neo4j at ${uri} ${what}: ${fix}`, uri, { cause: error });
    }
    if (isUnreachable(error)) {
        const fix = local
            ? "start it with `npx cyberkg neo4j start` (or `npm start`), or set NEO4J_URI to use another server"
            : "check that the server runs and that NEO4J_URI names its Bolt address and port";
        return new Neo4jUnavailableError(`Neo4j unreachable at ${uri}${local ? "" : " (NEO4J_URI)"}: ${fix}`, uri, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
}

function isUnreachable(error: unknown): boolean {
    const code = (error as { code?: string }).code ?? "";
    return code === "ServiceUnavailable" || code === "SessionExpired" || /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|Could not perform discovery|connect/i.test(String((error as Error)?.message));
}

/** For the CLI's last resort: a driver error that escaped a command, as one line (undefined if it is not one). */
export function neo4jErrorMessage(error: unknown, uri: string | undefined): string | undefined {
    if (!(error instanceof Neo4jError)) return undefined;
    if (error.code.startsWith("Neo.ClientError.Security") || isUnreachable(error)) return translateDriverError(error, uri ?? "the local Neo4j", { local: !uri }).message;
    const first = error.message.split("\n")[0];
    return `Neo4j refused the operation (${error.code}): ${first}`;
}
