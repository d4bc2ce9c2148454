/**
 * How the driver behaves when Neo4j is slow or gone (issue 12): fail fast and let the caller decide.
 *  - connectionTimeout / connectionAcquisitionTimeout: a dead or saturated server costs a request ≤ 2 s, never 30–60 s;
 *  - maxTransactionRetryTime: 0, the driver does not retry transaction functions itself (it retried for 30 s while
 *    requests piled up and held the pool); the loader retries on its own, with backoff (src/loader/retry.ts).
 * `isNeo4jUnavailable` says whether an error means "Neo4j cannot be reached right now" (retry later, HTTP 503),
 * as opposed to a bad query or a timeout of a query that ran.
 */
import type { Config as DriverConfig } from "neo4j-driver";

export const DRIVER_SETTINGS = {
    connectionTimeout: 2_000,
    connectionAcquisitionTimeout: 2_000,
    maxTransactionRetryTime: 0,
    maxConnectionPoolSize: 100,
} as const satisfies DriverConfig;

const UNAVAILABLE_CODES = new Set(["ServiceUnavailable", "SessionExpired", "Neo.TransientError.General.DatabaseUnavailable", "Neo.TransientError.Database.DatabaseUnavailable"]);
const UNAVAILABLE_MESSAGE = /ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ETIMEDOUT|socket hang up|Connection acquisition timed out|Failed to connect to server|Could not perform discovery|Pool is closed|connection was closed|Connection was closed by server|Database is shutting down|database is not available/i;

/** True when the error means Neo4j is unreachable, shutting down or not (yet) serving — not a problem of the request. */
export function isNeo4jUnavailable(error: unknown): boolean {
    for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
        const code = String((e as { code?: unknown }).code ?? "");
        if (UNAVAILABLE_CODES.has(code)) return true;
        if (code === "Neo.TransientError.Transaction.Terminated" && /shut ?down|unavailable|stopp/i.test(String((e as Error).message))) return true;
        if (UNAVAILABLE_MESSAGE.test(String((e as Error).message ?? ""))) return true;
    }
    return false;
}

/** Errors worth retrying in a new transaction: unavailability, plus Neo4j's transient errors except memory limits. */
export function isTransientNeo4jError(error: unknown): boolean {
    if (isNeo4jUnavailable(error)) return true;
    const code = String((error as { code?: unknown }).code ?? "");
    return code.startsWith("Neo.TransientError.") && !/Memory|TimedOut/i.test(code);
}
