/**
 * The HTTP service: Apollo Server 5 on Express 5.
 *   POST /graphql        the API (GET with ?query= works too); limits in limits.ts, writes need a token (auth.ts)
 *   GET  /graphql        in a browser: the offline GraphiQL IDE (graphiql/), README examples preloaded
 *   GET  /health         process up;   GET /ready   Neo4j reachable (503 otherwise, recovers by itself)
 * Request logs with pino-http and a request id (x-request-id, echoed); graceful shutdown drains requests.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import { ApolloServer, type BaseContext } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { unwrapResolverError } from "@apollo/server/errors";
import { expressMiddleware } from "@as-integrations/express5";
import type { Neo4jGraphQLContext } from "@neo4j/graphql";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { Neo4jError, type Driver } from "neo4j-driver";
import { pinoHttp } from "pino-http";
import type { Config } from "../config.ts";
import { ConfigError } from "../errors.ts";
import { log } from "../log.ts";
import { ideBundle } from "./graphiql/bundle.ts";
import { IDE_CSP, idePage, readmeExamples } from "./graphiql/page.ts";
import { authorizationVerifier, type AuthResult } from "./auth.ts";
import { entityArgumentsPlugin } from "./entity-arguments.ts";
import { LIMITS, armor, limitsPlugin } from "./limits.ts";
import { buildSchema } from "./schema.ts";
import { variablesPlugin } from "./variables.ts";
import { outagePlugin } from "./outage.ts";
import { isNeo4jUnavailable, isPoolExhausted } from "../neo4j/driver-settings.ts";
import { browserGuideRouter, browserOrigins } from "../browser-guide/router.ts";

const logger = log.child({ module: "api" });

export interface RunningServer {
    url: string;
    port: number;
    close(): Promise<void>;
}

/** Codes we expose as they are; anything else is an internal error and loses its message outside development. */
const PUBLIC_CODES = new Set([
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_USER_INPUT",
    "BAD_REQUEST",
    "PERSISTED_QUERY_NOT_FOUND",
    "OPERATION_RESOLUTION_FAILURE",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "QUERY_TOO_LARGE",
    "QUERY_TOO_COMPLEX",
    "ARGUMENT_OUT_OF_RANGE",
    "QUERY_TIMEOUT",
    "NEO4J_UNAVAILABLE",
    "OVERLOADED",
    "FACTS_INVALID",
    "FETCH_FAILED",
    "EXTRACTION_FAILED",
    "LOAD_FAILED",
    "NOT_FOUND",
    "ENTITY_NOT_FOUND",
]);

/**
 * The error behind a formatted one: a resolver's (unwrapResolverError), or a plugin's — Apollo wraps an error thrown
 * in a request hook (the entity-argument lookup in didResolveOperation, src/api/entity-arguments.ts) in a GraphQLError
 * without a path, which unwrapResolverError leaves as it is. Without this, a Neo4j outage or query timeout during that
 * lookup answered HTTP 500 INTERNAL_SERVER_ERROR (the soak's two 500s; test/faults/outage.test.ts).
 */
function underlyingError(error: unknown): unknown {
    const unwrapped = unwrapResolverError(error);
    return unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
}

export function formatError(config: Config) {
    return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
        const original = underlyingError(error);
        const name = (original as { name?: string } | undefined)?.name;
        // @neo4j/graphql's own errors: its @authentication check throws Neo4jGraphQLAuthenticationError.
        if (name === "Neo4jGraphQLAuthenticationError" || (original instanceof Error && original.message === "Unauthenticated")) {
            return { ...formatted, message: "Unauthenticated: this operation needs a bearer token with the editor role", extensions: { code: "UNAUTHENTICATED" } };
        }
        if (name === "Neo4jGraphQLForbiddenError") return { ...formatted, message: "Forbidden", extensions: { code: "FORBIDDEN" } };
        // An outage first: a transaction cut off by a dying server is not a slow query (never QUERY_TIMEOUT).
        if (isNeo4jUnavailable(original)) {
            return { ...formatted, message: "Neo4j is unavailable; try again shortly (see /ready)", extensions: { code: "NEO4J_UNAVAILABLE" } };
        }
        // Neo4j is up but every pooled connection stayed busy for the whole acquisition timeout: real overload.
        if (isPoolExhausted(original)) {
            return { ...formatted, message: "cyberkg is overloaded: every Neo4j connection stayed busy for the whole connection acquisition timeout; try again shortly", extensions: { code: "OVERLOADED" } };
        }
        if (original instanceof Neo4jError) {
            if (/TransactionTimedOut|Terminated/.test(original.code)) {
                return { ...formatted, message: `Query took longer than ${config.server.queryTimeoutMs} ms (QUERY_TIMEOUT_MS) and was stopped; narrow it down`, extensions: { code: "QUERY_TIMEOUT" } };
            }
        }
        const code = String(formatted.extensions?.code ?? "INTERNAL_SERVER_ERROR");
        if (code === "GRAPHQL_PARSE_FAILED" && /more that? \d+ tokens/.test(formatted.message)) {
            return { ...formatted, message: `Query is too long: more than ${LIMITS.maxTokens} tokens; split it into smaller queries or use fragments` };
        }
        if (PUBLIC_CODES.has(code) || config.env === "development") return formatted;
        logger.error({ err: original }, "internal error in a GraphQL request");
        return { message: "Internal server error", locations: formatted.locations, path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
    };
}

export async function startServer(config: Config, driver: Driver, database: string): Promise<RunningServer> {
    const { schema } = await buildSchema(driver, database, config);
    const app = express();
    const httpServer = http.createServer(app);
    const protection = armor({ blockFieldSuggestion: !config.server.introspection });
    const verifyAuthorization = authorizationVerifier(config);
    const apollo = new ApolloServer<BaseContext & Neo4jGraphQLContext & { auth?: AuthResult }>({
        schema,
        logger,
        introspection: config.server.introspection,
        includeStacktraceInErrorResponses: config.env === "development",
        allowBatchedHttpRequests: false,
        // The token ceiling is graphql-js's parser option: a too-long query is a syntax error (HTTP 400).
        parseOptions: { maxTokens: LIMITS.maxTokens },
        validationRules: protection.validationRules,
        formatError: formatError(config),
        plugins: [
            ApolloServerPluginDrainHttpServer({ httpServer }),
            ApolloServerPluginLandingPageDisabled(), // our own offline IDE answers GET /graphql
            variablesPlugin(), // before the plugins that coerce variables themselves (variables.ts)
            outagePlugin(), // NEO4J_UNAVAILABLE → HTTP 503
            ...protection.plugins,
            limitsPlugin(),
            entityArgumentsPlugin(driver, database, config.server.queryTimeoutMs),
        ],
    });
    await apollo.start();

    app.disable("x-powered-by");
    app.use(
        pinoHttp({
            logger: logger.child({ module: "http" }),
            genReqId: (req, res) => {
                const header = req.headers["x-request-id"];
                const id = typeof header === "string" && /^[\w.-]{1,128}$/.test(header) ? header : randomUUID();
                res.setHeader("x-request-id", id);
                return id;
            },
            autoLogging: { ignore: (req) => req.url === "/health" || req.url === "/ready" || (req.url ?? "").startsWith("/graphql/ide.") },
            // One line per request at debug (LOG_LEVEL=debug shows them); server errors stay at error.
            customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "debug"),
            // At that level the request line is enough: method, url, id (no headers).
            serializers: {
                req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
                res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
            },
        }),
    );
    // Neo4j Browser's style and guide (src/browser-guide/): public documents with their own CORS answer (any
    // origin), so they come before the global cors() below, which would end their preflight with its own origins.
    app.use("/browser", browserGuideRouter(config));
    // The API itself: the configured origins, plus the local Neo4j's Browser and the API's own pages, on the ports
    // actually configured (NEO4J_HTTP_PORT, PORT, PUBLIC_URL). Any request header is allowed (cors echoes them).
    let boundPort = config.server.port; // the real one once listening (PORT=0 picks a free port)
    app.use(cors({ origin: (origin, callback) => callback(null, origin !== undefined && apiOrigins(config, boundPort).includes(origin)) }));
    app.get("/health", (_req, res) => {
        res.json({ status: "ok" });
    });
    app.get("/ready", async (_req, res) => {
        try {
            await withTimeout(driver.executeQuery("RETURN 1", {}, { database }), 3000, "no answer from Neo4j within 3 s");
            res.json({ status: "ready" });
        } catch (error) {
            res.status(503).json({ status: "unavailable", reason: (error as Error).message });
        }
    });

    // The IDE: GET /graphql from a browser (no ?query=), its bundle and styles. Built on first request.
    const examples = readmeExamples();
    app.get("/graphql", (req, res, next) => {
        if (req.query.query !== undefined || req.accepts(["application/json", "text/html"]) !== "text/html") return next();
        res.setHeader("content-security-policy", IDE_CSP);
        res.type("html").send(idePage({ endpoint: "/graphql", examples }));
    });
    app.get(["/graphql/ide.js", "/graphql/ide.css"], async (req, res, next) => {
        try {
            const bundle = await ideBundle();
            const isJs = req.path.endsWith(".js");
            res.setHeader("cache-control", "public, max-age=3600");
            res.type(isJs ? "application/javascript" : "text/css").send(isJs ? bundle.js : bundle.css);
        } catch (error) {
            next(error);
        }
    });

    app.use(
        "/graphql",
        express.json({ limit: config.server.maxBodyBytes }),
        expressMiddleware(apollo, {
            context: async ({ req }) => {
                // Strict checks first (auth.ts); a rejected header is not passed on, so the request is anonymous.
                const auth = verifyAuthorization ? await verifyAuthorization(req.headers.authorization) : undefined;
                if (auth?.status === "rejected") req.log.info({ reason: auth.reason }, "authorization header rejected");
                return {
                    executionContext: driver,
                    sessionConfig: { database },
                    // A server-side transaction timeout for every generated and @cypher query.
                    transaction: { timeout: config.server.queryTimeoutMs, metadata: { app: "cyberkg-api", requestId: String(req.id) } },
                    // Only the raw header: the library verifies it again (never set `jwt` from a request, see auth.ts).
                    token: auth?.status === "verified" ? req.headers.authorization : undefined,
                    auth,
                };
            },
        }),
    );
    app.use(jsonErrors(config));

    await new Promise<void>((resolve, reject) => {
        httpServer.once("error", (error: NodeJS.ErrnoException) => {
            void apollo.stop();
            reject(
                error.code === "EADDRINUSE"
                    ? new ConfigError(`Port ${config.server.port} on ${config.server.host} is busy: stop what uses it, or choose another with PORT or --port`)
                    : error,
            );
        });
        httpServer.listen(config.server.port, config.server.host, resolve);
    });
    const address = httpServer.address();
    const port = typeof address === "object" && address ? address.port : config.server.port;
    boundPort = port;
    const url = `http://${config.server.host}:${port}/graphql`;
    logger.info({ url }, "GraphQL API ready");
    return {
        url,
        port,
        close: async () => {
            await apollo.stop(); // stops accepting, drains in-flight requests, closes the HTTP server
        },
    };
}

/** Errors outside GraphQL (body too large, bad JSON) as GraphQL-shaped JSON, never an HTML stack trace. */
function jsonErrors(config: Config): ErrorRequestHandler {
    return (error: { status?: number; statusCode?: number; type?: string; message?: string }, req, res, _next) => {
        const status = error.status ?? error.statusCode ?? 500;
        let message = status < 500 ? (error.message ?? "Bad request") : "Internal server error";
        let code = status < 500 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
        if (error.type === "entity.too.large") {
            message = `Request body is larger than ${config.server.maxBodyBytes} bytes (MAX_BODY_BYTES)`;
            code = "PAYLOAD_TOO_LARGE";
        }
        if (status >= 500) req.log.error({ err: error }, "request failed");
        res.status(status).json({ errors: [{ message, extensions: { code } }] });
    };
}

/** Origins allowed to call /graphql from a browser: CORS_ORIGINS, the local Browser's and the API's own. */
export function apiOrigins(config: Config, port = config.server.port): string[] {
    const own = [`http://localhost:${port}`, `http://127.0.0.1:${port}`, new URL(config.server.publicUrl).origin];
    return [...new Set([...config.server.corsOrigins, ...browserOrigins([config.runtime.httpPort]), ...own])];
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
