/**
 * Waiting out an outage instead of blaming the document (issue 12): a unit of work that fails because Neo4j is
 * unreachable or answered with a transient error is tried again in a new transaction, with capped exponential
 * backoff, until `maxWaitMs` has passed without success. Each unit is one transaction, so a retry never duplicates
 * anything (and an already loaded document comes back "unchanged"). The caller is told once that we are waiting
 * and once that Neo4j is back.
 */
import { LoadError, Neo4jUnavailableError } from "../errors.ts";
import { isNeo4jUnavailable, isTransientNeo4jError } from "../neo4j/driver-settings.ts";

export interface RetryPolicy {
    /** Give up (Neo4jUnavailableError) after this long without success. */
    maxWaitMs: number;
    initialDelayMs: number;
    maxDelayMs: number;
    /** Called once when a wait starts and once when it ends. */
    onWait?: (event: { state: "waiting"; reason: string } | { state: "resumed"; waitedMs: number; attempts: number }) => void;
}

export const DEFAULT_RETRY: RetryPolicy = {
    maxWaitMs: 10 * 60_000,
    initialDelayMs: 250,
    maxDelayMs: 5_000,
    onWait: (event) =>
        process.stderr.write(
            event.state === "waiting"
                ? `Neo4j is unavailable (${event.reason}); waiting for it (up to 10 min), nothing is lost…\n`
                : `Neo4j is back after ${Math.round(event.waitedMs / 1000)} s; resuming.\n`,
        ),
};
/** For the API: fail at once (the client retries; the API answers NEO4J_UNAVAILABLE / HTTP 503). */
export const NO_RETRY: RetryPolicy = { maxWaitMs: 0, initialDelayMs: 0, maxDelayMs: 0 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(what: string, policy: RetryPolicy, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let attempts = 0;
    let delay = policy.initialDelayMs;
    let waiting = false;
    for (;;) {
        attempts++;
        try {
            const result = await work();
            if (waiting) policy.onWait?.({ state: "resumed", waitedMs: Date.now() - started, attempts });
            return result;
        } catch (error) {
            // A LoadError is the loader's verdict on the work (bad input, its own timeout or memory limit), final even
            // when the Neo4j error it wraps reads like an outage (a timeout during a lock wait: "terminated … shutting down").
            if (error instanceof LoadError || !isTransientNeo4jError(error)) throw error;
            const elapsed = Date.now() - started;
            if (policy.maxWaitMs === 0 || elapsed + delay > policy.maxWaitMs) {
                const reason = (error as Error).message.split("\n")[0];
                if (!isNeo4jUnavailable(error) && policy.maxWaitMs === 0) throw error;
                throw new Neo4jUnavailableError(
                    `Neo4j unavailable${policy.maxWaitMs > 0 ? ` for ${Math.round(elapsed / 1000)} s (${attempts} attempts)` : ""}: ${what} was not written (${reason})`,
                    "",
                    { cause: error },
                );
            }
            if (!waiting) {
                waiting = true;
                policy.onWait?.({ state: "waiting", reason: (error as Error).message.split("\n")[0]! });
            }
            await sleep(delay);
            delay = Math.min(policy.maxDelayMs, delay * 2);
        }
    }
}
