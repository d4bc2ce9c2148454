/**
 * HTTP 503 for an outage or real overload: when a response carries NEO4J_UNAVAILABLE (Neo4j unreachable) or
 * OVERLOADED (no pooled connection free within the acquisition timeout; see src/neo4j/driver-settings.ts), the status
 * is 503 with `Retry-After`, so clients and load balancers see an unavailable backend rather than a 200 with an error.
 */
import type { ApolloServerPlugin } from "@apollo/server";

export function outagePlugin(retryAfterSeconds = 5): ApolloServerPlugin {
    return {
        async requestDidStart() {
            return {
                async willSendResponse({ response }) {
                    const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
                    if (!errors?.some((e) => e.extensions?.code === "NEO4J_UNAVAILABLE" || e.extensions?.code === "OVERLOADED")) return;
                    response.http.status = 503;
                    response.http.headers.set("retry-after", String(retryAfterSeconds));
                },
            };
        },
    };
}
