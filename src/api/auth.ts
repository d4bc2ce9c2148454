/**
 * Who may write. Reads are open; the write mutations (graphql/writes.graphql) carry
 * `@authentication(jwt: { roles: { includes: "editor" } })`, which @neo4j/graphql checks before our resolver
 * runs, against the token it verifies itself: HS256 with JWT_SECRET, or a JWKS URL. Without either there is no
 * write path: the mutations are not in the schema at all.
 *
 * Before the library sees a request's Authorization header, `verifyAuthorization` checks it strictly: the
 * `Bearer ` scheme, the signature (never `alg: none`), `exp` and `iat` present, `iat` not in the future, `nbf`,
 * a lifetime (exp − iat) of at most JWT_MAX_LIFETIME_S, all with JWT_CLOCK_SKEW_S of skew, and `roles` an array
 * of strings. A header that fails is not handed to the library at all, so the request is anonymous: reads work,
 * writes get UNAUTHENTICATED. The library then verifies the same token again with the same options.
 *
 * Only `context.token` (the raw Authorization header) is handed to the library; `context.jwt` is never set
 * from a request, because the library treats a `context.jwt` as already verified.
 */
import type { Neo4jGraphQLConstructor } from "@neo4j/graphql";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyOptions } from "jose";
import type { Config } from "../config.ts";

export type AuthorizationSettings = NonNullable<NonNullable<Neo4jGraphQLConstructor["features"]>["authorization"]>;

/** Asymmetric algorithms accepted from an identity provider's JWKS (never HS*, never none). */
const JWKS_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/** jose's verify options for our tokens: algorithms pinned, exp and iat required, clock skew bounded. */
export function verifyOptions(config: Config): JWTVerifyOptions {
    return {
        algorithms: config.server.jwtSecret ? ["HS256"] : JWKS_ALGORITHMS,
        requiredClaims: ["exp", "iat"],
        // Bounds now − iat, and makes jose reject an iat in the future (beyond the skew).
        maxTokenAge: config.server.jwtMaxLifetimeS,
        clockTolerance: config.server.jwtClockSkewS,
    };
}

/** The library's authorization settings, or undefined when no key is configured (read-only API). */
export function authorizationSettings(config: Config): AuthorizationSettings | undefined {
    if (config.server.jwtSecret) return { key: config.server.jwtSecret, verifyOptions: verifyOptions(config) };
    if (config.server.jwksUrl) return { key: { url: config.server.jwksUrl }, verifyOptions: verifyOptions(config) };
    return undefined;
}

/** The outcome for one request: no header, a verified caller, or a rejected header with the reason (never the token). */
export type AuthResult = { status: "anonymous" } | { status: "verified"; subject: string; roles: string[] } | { status: "rejected"; reason: string };

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/** A strict verifier of Authorization headers for this configuration (undefined when writes are off). */
export function authorizationVerifier(config: Config): ((header: string | undefined) => Promise<AuthResult>) | undefined {
    const key = config.server.jwtSecret
        ? new TextEncoder().encode(config.server.jwtSecret)
        : config.server.jwksUrl
          ? createRemoteJWKSet(new URL(config.server.jwksUrl))
          : undefined;
    if (!key) return undefined;
    const options = verifyOptions(config);
    const maxLifetime = config.server.jwtMaxLifetimeS;
    const skew = config.server.jwtClockSkewS;
    return async (header) => {
        if (header === undefined || header === "") return { status: "anonymous" };
        const match = BEARER.exec(header);
        if (!match) return { status: "rejected", reason: "the Authorization header must be 'Bearer <token>'" };
        let payload;
        try {
            // Two overloads (secret / key set): the branch keeps each call typed.
            payload = key instanceof Uint8Array ? (await jwtVerify(match[1]!, key, options)).payload : (await jwtVerify(match[1]!, key, options)).payload;
        } catch (error) {
            return { status: "rejected", reason: (error as Error).message };
        }
        const { exp, iat, roles, sub } = payload;
        if (typeof exp !== "number" || typeof iat !== "number") return { status: "rejected", reason: "exp and iat must be numeric dates" };
        if (exp - iat > maxLifetime + skew) return { status: "rejected", reason: `token lifetime ${exp - iat} s exceeds JWT_MAX_LIFETIME_S (${maxLifetime} s)` };
        if (roles !== undefined && (!Array.isArray(roles) || !roles.every((r) => typeof r === "string"))) {
            return { status: "rejected", reason: "the roles claim must be an array of strings" };
        }
        return { status: "verified", subject: typeof sub === "string" ? sub : "(no sub)", roles: (roles as string[] | undefined) ?? [] };
    };
}
