/**
 * GET /browser/style.grass and /browser/start.html: what Neo4j Browser fetches on connect through
 * `browser.post_connect_cmd` (set by the local runtime and docker-compose.yml), or by hand with
 * `:style <url>` and `:guide <url>`. The Browser fetches them cross-origin, so they carry CORS headers for
 * its origin: port 7474 and the configured NEO4J_HTTP_PORT, on localhost and 127.0.0.1.
 * Both are read from disk on each request, so edited queries show up on the next `:guide`.
 */
import fs from "node:fs";
import path from "node:path";
import express, { type Router } from "express";
import { loadConfig, type Config } from "../config.ts";
import { CYPHER_DIR } from "../neo4j/cypher-files.ts";
import { renderGuide } from "./render-guide.ts";
import { readStarterQueries } from "./starter-queries.ts";

export const STYLE_FILE = path.join(CYPHER_DIR, "style.grass");

/** Origins the Neo4j Browser may be served from, for the given HTTP ports. */
export function browserOrigins(httpPorts: number[]): string[] {
    const ports = [...new Set([7474, ...httpPorts])];
    return ports.flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
}

export function browserGuideRouter(config: Config = loadConfig()): Router {
    const origins = new Set([...browserOrigins([config.runtime.httpPort]), ...config.server.corsOrigins]);
    const router = express.Router();
    router.use((req, res, next) => {
        const origin = req.headers.origin;
        if (origin && origins.has(origin)) {
            res.setHeader("Access-Control-Allow-Origin", origin);
            res.setHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
            res.setHeader("Access-Control-Allow-Headers", "*");
        }
        res.append("Vary", "Origin");
        if (req.method === "OPTIONS") {
            res.status(204).end();
            return;
        }
        next();
    });
    router.get("/style.grass", (_req, res) => {
        res.type("text/plain; charset=utf-8").setHeader("Cache-Control", "no-cache");
        res.send(fs.readFileSync(STYLE_FILE, "utf8"));
    });
    router.get("/start.html", (_req, res) => {
        res.type("text/html; charset=utf-8").setHeader("Cache-Control", "no-cache");
        res.send(renderGuide(readStarterQueries(), { serviceUrl: config.server.publicUrl }));
    });
    return router;
}
