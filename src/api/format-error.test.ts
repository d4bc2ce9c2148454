/**
 * An error thrown in a request hook — the entity-argument lookup (src/api/entity-arguments.ts) runs in
 * didResolveOperation — reaches formatError wrapped by Apollo in a GraphQLError without a path (Apollo's
 * ensureGraphQLError: `new GraphQLError(message, { originalError })`), and Apollo answers it with HTTP 500. A query
 * timeout there was answered HTTP 500 INTERNAL_SERVER_ERROR (the soak's two 500s under load): it must be
 * QUERY_TIMEOUT with HTTP 200, the same answer as a timeout in a resolver; an outage there NEO4J_UNAVAILABLE with 503.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { Neo4jError } from "neo4j-driver";
import { loadConfig } from "../config.ts";
import { formatError } from "./server.ts";
import { outagePlugin } from "./outage.ts";

const config = loadConfig({ PORT: 0, NODE_ENV: "production", JWT_SECRET: "cyberkg-test-secret-0123456789-abcdefghij" });
const format = formatError(config);

/** What Apollo hands formatError for an error thrown in didResolveOperation. */
function fromRequestHook(error: Error): [GraphQLFormattedError, unknown] {
    const wrapped = new GraphQLError(error.message, { originalError: error });
    return [{ message: wrapped.message, extensions: { code: "INTERNAL_SERVER_ERROR" } }, wrapped];
}

/** The HTTP status the plugins leave for a response Apollo gave `status`. */
async function statusAfterPlugins(status: number, errors: GraphQLFormattedError[]): Promise<number> {
    const response = { body: { kind: "single", singleResult: { errors } }, http: { status, headers: new Map<string, string>() } };
    const hooks = await (outagePlugin().requestDidStart as (c: unknown) => Promise<{ willSendResponse: (c: unknown) => Promise<void> }>)({});
    await hooks.willSendResponse({ response });
    return response.http.status;
}

describe("errors thrown in a request hook (the entity-argument lookup)", () => {
    it("a query timeout is QUERY_TIMEOUT with HTTP 200, not 500 INTERNAL_SERVER_ERROR", async () => {
        const timeout = new Neo4jError("The transaction has not completed within the timeout specified at its start by the client. You may want to retry with a longer timeout.", "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", "", "");
        const formatted = format(...fromRequestHook(timeout));
        assert.equal(formatted.extensions?.code, "QUERY_TIMEOUT");
        assert.equal(await statusAfterPlugins(500, [formatted]), 200);
    });

    it("an outage is NEO4J_UNAVAILABLE with HTTP 503", async () => {
        const outage = new Neo4jError("Could not acquire server", "ServiceUnavailable", "", "");
        const formatted = format(...fromRequestHook(outage));
        assert.equal(formatted.extensions?.code, "NEO4J_UNAVAILABLE");
        assert.equal(await statusAfterPlugins(500, [formatted]), 503);
    });

    it("an unknown error stays INTERNAL_SERVER_ERROR with HTTP 500", async () => {
        const formatted = format(...fromRequestHook(new TypeError("x.some is not a function")));
        assert.equal(formatted.extensions?.code, "INTERNAL_SERVER_ERROR");
        assert.equal(await statusAfterPlugins(500, [formatted]), 500);
    });
});
