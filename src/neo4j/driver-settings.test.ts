import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isNeo4jUnavailable, isTerminatedAtTimeout, isTransactionTimeout, isTransientNeo4jError } from "./driver-settings.ts";

function neo4jError(code: string, message: string): Error {
    return Object.assign(new Error(message), { code });
}

// What Neo4j 5.26 answered when a transaction's own timeout struck while it waited for a lock (stix-timeout.int.test.ts).
const lockWaitTerminated = neo4jError(
    "Neo.TransientError.Transaction.Terminated",
    "The transaction has been terminated. Retry your operation in a new transaction, and you should see a successful result. The transaction has been terminated, so no more locks can be acquired. This can occur because the transaction ran longer than the configured transaction timeout, or because a human operator manually terminated the transaction, or because the database is shutting down.",
);

describe("isTerminatedAtTimeout: a termination after the transaction ran its own timeout is that timeout", () => {
    it("is the timeout when the transaction ran at least its timeout", () => {
        assert.equal(isTerminatedAtTimeout(lockWaitTerminated, 1_200, 1_000), true);
        assert.equal(isTerminatedAtTimeout(new Error("wrapped", { cause: lockWaitTerminated }), 1_000, 1_000), true);
    });

    it("is not when it stopped earlier, had no timeout of its own, or was not terminated", () => {
        assert.equal(isTerminatedAtTimeout(lockWaitTerminated, 900, 1_000), false, "a shutdown before the timeout stays an outage");
        assert.equal(isTerminatedAtTimeout(lockWaitTerminated, 5_000, undefined), false);
        assert.equal(isTerminatedAtTimeout(neo4jError("Neo.ClientError.Statement.SyntaxError", "Invalid input"), 5_000, 1_000), false);
    });

    it("the same error alone is ambiguous: read as an outage to retry, which is why the elapsed time decides", () => {
        assert.equal(isTransactionTimeout(lockWaitTerminated), false);
        assert.equal(isNeo4jUnavailable(lockWaitTerminated), true);
        assert.equal(isTransientNeo4jError(lockWaitTerminated), true);
    });
});
