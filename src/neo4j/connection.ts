/**
 * Resolving which Neo4j to use, in this order: NEO4J_URI (an existing server) → the local runtime
 * (`.neo4j/`, started if needed). Also the one place where driver errors become domain errors.
 */
import "./tcp-nodelay.ts";
import neo4j, { type Driver } from "neo4j-driver";
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

export function createDriver(conn: Neo4jConnection): Driver {
    return neo4j.driver(conn.uri, neo4j.auth.basic(conn.user, conn.password), {
        disableLosslessIntegers: true,
        ...DRIVER_SETTINGS, // fail fast in an outage (driver-settings.ts)
    });
}

/** Connects and checks credentials; an unreachable server or bad password becomes one clear error. */
export async function connect(conn: Neo4jConnection): Promise<Driver> {
    const driver = createDriver(conn);
    try {
        await driver.verifyAuthentication();
        return driver;
    } catch (error) {
        await driver.close();
        throw translateDriverError(error, conn.uri);
    }
}

export function translateDriverError(error: unknown, uri: string): Error {
    const code = (error as { code?: string }).code ?? "";
    if (code.startsWith("Neo.ClientError.Security")) {
        return new Neo4jUnavailableError(`Neo4j at ${uri} rejected the credentials: check NEO4J_USER / NEO4J_PASSWORD`, uri, { cause: error });
    }
    if (code === "ServiceUnavailable" || code === "SessionExpired" || /ECONNREFUSED|connect/i.test(String((error as Error).message))) {
        return new Neo4jUnavailableError(`Neo4j unreachable at ${uri}: run \`npx cyberkg neo4j start\`, or set NEO4J_URI`, uri, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
}
