/**
 * The one place that reads process.env. Everything is validated once with zod; precedence is
 * CLI flag (the `overrides` argument) > environment > default. A bad value fails at startup with the
 * variable's name and a fix.
 */
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import ms from "ms";
import { z } from "zod";
import { ConfigError } from "./errors.ts";
import { memoryForMachine } from "./neo4j/runtime/memory.ts";

/** The repository root (where package.json, neo4j/, data/ live). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** package.json's version (the User-Agent names it). */
export const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

const port = z.coerce.number().int().min(0).max(65535);
/** A duration such as 30m, 2h or 90s (the `ms` package's syntax), at least a second; in milliseconds. */
const duration = z.string().transform((v, ctx) => {
    const n = ms(v as Parameters<typeof ms>[0]);
    if (typeof n !== "number" || !Number.isFinite(n) || n < 1000) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be a duration of at least 1s, such as 90s, 30m or 2h" });
        return z.NEVER;
    }
    return n;
});

/** `import-stix` runs each call in ONE transaction; this is its timeout unless `--timeout` / STIX_IMPORT_TIMEOUT say otherwise. */
export const DEFAULT_STIX_IMPORT_TIMEOUT = "30m";
const bool = z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .transform((v) => v === "true" || v === "1" || v === "yes");

const EnvSchema = z.object({
    // Production-safe by default (no stack traces to API clients); development only when set explicitly.
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    NEO4J_URI: z.string().regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/.+/, "must be a bolt:// or neo4j:// URI").optional(),
    NEO4J_USER: z.string().min(1).default("neo4j"),
    NEO4J_PASSWORD: z.string().min(8, "must be at least 8 characters (Neo4j's minimum)").optional(),
    NEO4J_DATABASE: z.string().min(1).default("neo4j"),
    NEO4J_HOME: z.string().default(path.join(REPO_ROOT, ".neo4j")),
    NEO4J_BOLT_PORT: port.default(7687),
    NEO4J_HTTP_PORT: port.default(7474),
    // Unset: sized from the machine (src/neo4j/runtime/memory.ts).
    NEO4J_HEAP: z.string().regex(/^\d+[mg]$/i, "must look like 512m or 2g").optional(),
    NEO4J_PAGECACHE: z.string().regex(/^\d+[mg]$/i, "must look like 512m or 2g").optional(),
    NEO4J_START_TIMEOUT_MS: z.coerce.number().int().positive().default(180_000),
    JAVA_HOME: z.string().optional(),
    HOST: z.string().default("127.0.0.1"),
    PORT: port.default(4000),
    PUBLIC_URL: z.string().url().optional(),
    JWT_SECRET: z.string().min(32, "must be at least 32 characters for HS256").optional(),
    JWKS_URL: z.string().url().optional(),
    /** Longest token lifetime accepted (exp - iat) and issued by api:token, in seconds. */
    JWT_MAX_LIFETIME_S: z.coerce.number().int().positive().max(30 * 86_400).default(86_400),
    /** Clock skew tolerated on exp, nbf and iat, in seconds. */
    JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(300).default(30),
    CORS_ORIGINS: z.string().default("http://localhost:7474,http://127.0.0.1:7474,http://localhost:4000,http://127.0.0.1:4000"),
    GRAPHQL_INTROSPECTION: bool.default("true"),
    QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
    NLP_URL: z.string().url().regex(/^https?:\/\//, "must be an http:// or https:// URL").optional(),
    NLP_HOME: z.string().default(path.join(REPO_ROOT, ".corenlp")),
    NLP_PORT: port.default(9090),
    NLP_HEAP: z.string().regex(/^\d+[mg]$/i, "must look like 3g or 4096m").default("4g"),
    NLP_THREADS: z.coerce.number().int().min(1).max(64).default(2),
    NLP_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    NLP_START_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000),
    NLP_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    MAX_ARTICLE_CHARS: z.coerce.number().int().positive().default(100_000),
    EXTRACT_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    // Fetching articles and feeds (src/news/fetch.ts).
    INGEST_ALLOW_PRIVATE: bool.default("false"),
    FETCH_USER_AGENT: z.string().min(1).optional(),
    FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
    FETCH_MAX_BYTES: z.coerce.number().int().positive().default(5_000_000),
    FETCH_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
    FETCH_HOST_INTERVAL_MS: z.coerce.number().int().min(0).default(1_000),
    // The one transaction of an `import-stix` call (replaces the server's db.transaction.timeout for it).
    STIX_IMPORT_TIMEOUT: duration.default(DEFAULT_STIX_IMPORT_TIMEOUT),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
    env: Env["NODE_ENV"];
    logLevel: string;
    neo4j: {
        /** Set when the user points us at an existing server; otherwise the local runtime is used. */
        uri?: string;
        user: string;
        password?: string;
        database: string;
    };
    runtime: {
        home: string;
        boltPort: number;
        httpPort: number;
        heap: string;
        pagecache: string;
        startTimeoutMs: number;
        javaHome?: string;
    };
    server: {
        host: string;
        port: number;
        publicUrl: string;
        jwtSecret?: string;
        jwksUrl?: string;
        jwtMaxLifetimeS: number;
        jwtClockSkewS: number;
        corsOrigins: string[];
        introspection: boolean;
        queryTimeoutMs: number;
        maxBodyBytes: number;
    };
    nlp: {
        /** Set when the user points us at an existing CoreNLP server; otherwise the local runtime is used. */
        url?: string;
        home: string;
        port: number;
        heap: string;
        threads: number;
        /** Per-request timeout (client) and CoreNLP's own annotation timeout (server). */
        timeoutMs: number;
        startTimeoutMs: number;
        javaHome?: string;
    };
    extract: {
        /** Articles in flight at once (parallel NLP requests). */
        concurrency: number;
        maxArticleChars: number;
        /** Time box per article (its NLP request is aborted). */
        timeoutMs: number;
    };
    fetch: {
        /** Private, loopback and link-local addresses may be fetched (tests, an intranet feed). */
        allowPrivate: boolean;
        userAgent: string;
        /** Whole request (connect, headers, body). */
        timeoutMs: number;
        /** Largest body read; a larger one is refused. */
        maxBytes: number;
        maxRedirects: number;
        /** Least time between two requests to one host. */
        hostIntervalMs: number;
    };
    stix: {
        /** Timeout of an import-stix call's one write transaction. */
        importTimeoutMs: number;
    };
}

export type ConfigOverrides = Partial<Record<keyof Env, string | number | undefined>>;

/** Reads and validates the configuration. `overrides` (CLI flags) win over the environment. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
    const raw: Record<string, unknown> = {};
    for (const key of Object.keys(EnvSchema.shape)) {
        const value = overrides[key as keyof Env] ?? env[key];
        if (value !== undefined && value !== "") raw[key] = String(value);
    }
    const parsed = EnvSchema.safeParse(raw);
    if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ConfigError(`Invalid configuration: ${issue.path.join(".")} ${issue.message} (got '${String(raw[String(issue.path[0])])}')`);
    }
    const e = parsed.data;
    if (e.JWT_SECRET && e.JWKS_URL) throw new ConfigError("Set either JWT_SECRET or JWKS_URL, not both");
    return {
        env: e.NODE_ENV,
        logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === "test" ? "warn" : "info"),
        neo4j: { uri: e.NEO4J_URI, user: e.NEO4J_USER, password: e.NEO4J_PASSWORD, database: e.NEO4J_DATABASE },
        runtime: {
            home: path.resolve(e.NEO4J_HOME),
            boltPort: e.NEO4J_BOLT_PORT,
            httpPort: e.NEO4J_HTTP_PORT,
            heap: e.NEO4J_HEAP ?? memoryForMachine(os.totalmem()).heap,
            pagecache: e.NEO4J_PAGECACHE ?? memoryForMachine(os.totalmem()).pagecache,
            startTimeoutMs: e.NEO4J_START_TIMEOUT_MS,
            javaHome: e.JAVA_HOME,
        },
        server: {
            host: e.HOST,
            port: e.PORT,
            publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
            jwtSecret: e.JWT_SECRET,
            jwksUrl: e.JWKS_URL,
            jwtMaxLifetimeS: e.JWT_MAX_LIFETIME_S,
            jwtClockSkewS: e.JWT_CLOCK_SKEW_S,
            corsOrigins: e.CORS_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean),
            introspection: e.GRAPHQL_INTROSPECTION,
            queryTimeoutMs: e.QUERY_TIMEOUT_MS,
            maxBodyBytes: e.MAX_BODY_BYTES,
        },
        nlp: {
            url: e.NLP_URL?.replace(/\/+$/, ""),
            home: path.resolve(e.NLP_HOME),
            port: e.NLP_PORT,
            heap: e.NLP_HEAP,
            threads: e.NLP_THREADS,
            timeoutMs: e.NLP_TIMEOUT_MS,
            startTimeoutMs: e.NLP_START_TIMEOUT_MS,
            javaHome: e.JAVA_HOME,
        },
        extract: { concurrency: e.NLP_CONCURRENCY, maxArticleChars: e.MAX_ARTICLE_CHARS, timeoutMs: e.EXTRACT_TIMEOUT_MS },
        fetch: {
            allowPrivate: e.INGEST_ALLOW_PRIVATE,
            userAgent: e.FETCH_USER_AGENT ?? `cyberkg/${PACKAGE_VERSION} (news reader of a threat-intelligence knowledge graph)`,
            timeoutMs: e.FETCH_TIMEOUT_MS,
            maxBytes: e.FETCH_MAX_BYTES,
            maxRedirects: e.FETCH_MAX_REDIRECTS,
            hostIntervalMs: e.FETCH_HOST_INTERVAL_MS,
        },
        stix: { importTimeoutMs: e.STIX_IMPORT_TIMEOUT },
    };
}

/** Log level from the environment, for the root logger (created before any config is loaded). */
export function envLogLevel(env: NodeJS.ProcessEnv = process.env): string {
    return env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "warn" : "info");
}
