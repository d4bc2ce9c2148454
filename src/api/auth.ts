/**
 * Who may write. Reads are open; the write mutations (graphql/writes.graphql) carry
 * `@authentication(jwt: { roles: { includes: "editor" } })`, which @neo4j/graphql checks before our resolver
 * runs, against the token it verifies itself: HS256 with JWT_SECRET, or a JWKS URL. Without either there is no
 * write path: the mutations are not in the schema at all.
 *
 * Only `context.token` (the raw Authorization header) is handed to the library; `context.jwt` is never set
 * from a request, because the library treats a `context.jwt` as already verified.
 */
import type { Neo4jGraphQLConstructor } from "@neo4j/graphql";
import type { Config } from "../config.ts";

export type AuthorizationSettings = NonNullable<NonNullable<Neo4jGraphQLConstructor["features"]>["authorization"]>;

/** The library's authorization settings, or undefined when no key is configured (read-only API). */
export function authorizationSettings(config: Config): AuthorizationSettings | undefined {
    if (config.server.jwtSecret) return { key: config.server.jwtSecret, verifyOptions: { algorithms: ["HS256"] } };
    if (config.server.jwksUrl) return { key: { url: config.server.jwksUrl } };
    return undefined;
}
