/**
 * The HTTP service: Apollo Server 5 on Express 5 at /graphql, plus /health (process up) and /ready
 * (Neo4j reachable, else 503). Request logs with pino-http; graceful shutdown drains requests and
 * closes the driver.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express from "express";
import type { Driver } from "neo4j-driver";
import { pinoHttp } from "pino-http";
import type { Config } from "../config.ts";
import { log } from "../log.ts";
import { buildSchema } from "./schema.ts";
import { browserGuideRouter } from "../browser-guide/router.ts";

const logger = log.child({ module: "api" });

export interface RunningServer {
    url: string;
    port: number;
    close(): Promise<void>;
}

export async function startServer(config: Config, driver: Driver, database: string): Promise<RunningServer> {
    const { schema } = await buildSchema(driver, database);
    const app = express();
    const httpServer = http.createServer(app);
    const apollo = new ApolloServer({
        schema,
        logger,
        introspection: config.server.introspection,
        includeStacktraceInErrorResponses: config.env === "development",
        plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    });
    await apollo.start();

    app.disable("x-powered-by");
    app.use(
        pinoHttp({
            logger: logger.child({ module: "http" }),
            genReqId: (req, res) => {
                const id = (req.headers["x-request-id"] as string | undefined) ?? randomUUID();
                res.setHeader("x-request-id", id);
                return id;
            },
            autoLogging: { ignore: (req) => req.url === "/health" || req.url === "/ready" },
        }),
    );
    app.use(cors({ origin: config.server.corsOrigins }));
    app.get("/health", (_req, res) => {
        res.json({ status: "ok" });
    });
    app.get("/ready", async (_req, res) => {
        try {
            await driver.executeQuery("RETURN 1", {}, { database });
            res.json({ status: "ready" });
        } catch (error) {
            res.status(503).json({ status: "unavailable", reason: (error as Error).message });
        }
    });
    app.use("/browser", browserGuideRouter(config));
    app.use(
        "/graphql",
        express.json({ limit: config.server.maxBodyBytes }),
        expressMiddleware(apollo, {
            context: async () => ({ executionContext: driver, sessionConfig: { database } }),
        }),
    );

    await new Promise<void>((resolve) => httpServer.listen(config.server.port, config.server.host, resolve));
    const address = httpServer.address();
    const port = typeof address === "object" && address ? address.port : config.server.port;
    const url = `http://${config.server.host}:${port}/graphql`;
    logger.info({ url }, "GraphQL API ready");
    return {
        url,
        port,
        close: async () => {
            await apollo.stop(); // drains in-flight requests, closes the HTTP server
        },
    };
}
