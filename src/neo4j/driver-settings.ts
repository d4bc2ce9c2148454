/**
 * How the driver behaves when Neo4j is slow or gone (issue 12): fail fast and let the caller decide.
 *  - connectionTimeout: a dead or unreachable server costs a request ≤ 2 s, never 30–60 s (a killed Neo4j refuses at
 *    once: ECONNREFUSED); an outage never waits for the acquisition timeout, since a new connection fails at once;
 *  - connectionAcquisitionTimeout: how long a request waits for a pooled connection. It is long (20 s) because a
 *    healthy but busy server must queue, not fail: at 64 concurrent GraphQL requests the API's event loop is busy
 *    translating queries, and new connections' handshakes were not processed within the former 2 s, so healthy
 *    requests got 503 NEO4J_UNAVAILABLE (bench:api run 1: 92 × 503 at c=64; reproduced with 64 workers that each
 *    block the event loop 60 ms per query: "Connection acquisition timed out in 2000 ms … Active conn count = 16" with
 *    a pool of 100, and no error at 20 s). When even 20 s is not enough, that is real overload: `isPoolExhausted` →
 *    HTTP 503 OVERLOADED, distinct from NEO4J_UNAVAILABLE;
 *  - maxTransactionRetryTime: 0, the driver does not retry transaction functions itself (it retried for 30 s while
 *    requests piled up and held the pool); the loader retries on its own, with backoff (src/loader/retry.ts).
 * `isNeo4jUnavailable` says whether an error means "Neo4j cannot be reached right now" (retry later, HTTP 503),
 * as opposed to a bad query or a timeout of a query that ran (`isTransactionTimeout`: never retried, since the same
 * work would time out again; bench:stix saw a timed-out import retried as an outage before this rule).
 */
import type { Config as DriverConfig } from "neo4j-driver";

export const DRIVER_SETTINGS = {
    connectionTimeout: 2_000,
    connectionAcquisitionTimeout: 20_000,
    maxTransactionRetryTime: 0,
    maxConnectionPoolSize: 100,
} as const satisfies DriverConfig;

const UNAVAILABLE_CODES = new Set(["ServiceUnavailable", "SessionExpired", "Neo.TransientError.General.DatabaseUnavailable", "Neo.TransientError.Database.DatabaseUnavailable"]);
const UNAVAILABLE_MESSAGE = /ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ETIMEDOUT|socket hang up|Failed to connect to server|Could not perform discovery|Pool is closed|connection was closed|Connection was closed by server|Database is shutting down|database is not available/i;

/** The error and its causes (at most 5 deep). */
function chain(error: unknown): { code: string; message: string }[] {
    const out: { code: string; message: string }[] = [];
    for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
        out.push({ code: String((e as { code?: unknown }).code ?? ""), message: String((e as Error).message ?? "") });
    }
    return out;
}

/**
 * True when Neo4j stopped the transaction because it ran past its timeout: the one the client gave it
 * (`TransactionTimedOutClientConfiguration`) or the server's `db.transaction.timeout` (`TransactionTimedOut`).
 * Not an outage and not transient: the same work in a new transaction would be stopped again.
 */
export function isTransactionTimeout(error: unknown): boolean {
    return chain(error).some((e) => /TransactionTimedOut/.test(e.code) || /not completed within the (specified )?timeout|timeout specified at its start/i.test(e.message));
}

/**
 * True when Neo4j terminated a transaction that had already run for its own timeout (`ranMs` ≥ `timeoutMs`): the
 * timeout struck while the transaction waited for a lock. Neo4j then says only "The transaction has been terminated,
 * so no more locks can be acquired … ran longer than the configured transaction timeout, or … a human operator …, or
 * … the database is shutting down" (Neo.TransientError.Transaction.Terminated), which alone reads like an outage;
 * measured in test/integration/stix-timeout.int.test.ts, where it was waited out for 77 s as one.
 */
export function isTerminatedAtTimeout(error: unknown, ranMs: number, timeoutMs: number | undefined): boolean {
    if (timeoutMs === undefined || ranMs < timeoutMs) return false;
    return chain(error).some((e) => /^Neo\.TransientError\.Transaction\.(Terminated|LockClientStopped)$/.test(e.code) || /transaction has been terminated/i.test(e.message));
}

/** True when Neo4j refused the transaction more memory (`db.memory.transaction.max`, `dbms.memory.transaction.total.max`). */
export function isTransactionMemoryLimit(error: unknown): boolean {
    return chain(error).some((e) => /MemoryPoolOutOfMemory|TransactionOutOfMemory|MemoryLimit/i.test(e.code) || /memory\.transaction(\.total)?\.max threshold reached/.test(e.message));
}

/** True when the error means Neo4j is unreachable, shutting down or not (yet) serving — not a problem of the request. */
export function isNeo4jUnavailable(error: unknown): boolean {
    // A timeout's "terminated" text can read like a shutdown; it is the transaction's own limit.
    if (isTransactionTimeout(error) || isTransactionMemoryLimit(error)) return false;
    for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
        const code = String((e as { code?: unknown }).code ?? "");
        if (UNAVAILABLE_CODES.has(code)) return true;
        if (code === "Neo.TransientError.Transaction.Terminated" && /shut ?down|unavailable|stopp/i.test(String((e as Error).message))) return true;
        if (UNAVAILABLE_MESSAGE.test(String((e as Error).message ?? ""))) return true;
    }
    return false;
}

/**
 * True when no pooled connection became free within the acquisition timeout while the server was reachable:
 * the service is overloaded (HTTP 503 OVERLOADED), not Neo4j gone.
 */
export function isPoolExhausted(error: unknown): boolean {
    for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
        if (/Connection acquisition timed out/i.test(String((e as Error).message ?? ""))) return true;
    }
    return false;
}

/** Errors worth retrying in a new transaction: unavailability, an exhausted pool, Neo4j's transient errors except memory limits. */
export function isTransientNeo4jError(error: unknown): boolean {
    if (isTransactionTimeout(error) || isTransactionMemoryLimit(error)) return false;
    if (isNeo4jUnavailable(error) || isPoolExhausted(error)) return true;
    const code = String((error as { code?: unknown }).code ?? "");
    return code.startsWith("Neo.TransientError.") && !/Memory|TimedOut/i.test(code);
}
