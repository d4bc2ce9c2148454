/**
 * HTTP 503 for an outage or real overload: when a response carries NEO4J_UNAVAILABLE (Neo4j unreachable) or
 * OVERLOADED (no pooled connection free within the acquisition timeout; see src/neo4j/driver-settings.ts), the status
 * is 503 with `Retry-After`, so clients and load balancers see an unavailable backend rather than a 200 with an error.
 * A request hook's error that formatError classified (e.g. QUERY_TIMEOUT) answers 200 like a resolver's, not 500.
 */
import type { ApolloServerPlugin } from "@apollo/server";

export function outagePlugin(retryAfterSeconds = 5): ApolloServerPlugin {
    return {
        async requestDidStart() {
            return {
                async willSendResponse({ response }) {
                    const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
                    // Apollo answers 500 for any error thrown in a request hook (the entity-argument lookup); once
                    // formatError gave each a public code, it is the same answer a resolver's error gets (HTTP 200).
                    if (response.http.status === 500 && errors?.length && errors.every((e) => e.extensions?.code && e.extensions.code !== "INTERNAL_SERVER_ERROR")) response.http.status = 200;
                    if (!errors?.some((e) => e.extensions?.code === "NEO4J_UNAVAILABLE" || e.extensions?.code === "OVERLOADED")) return;
                    response.http.status = 503;
                    response.http.headers.set("retry-after", String(retryAfterSeconds));
                },
            };
        },
    };
}
