/**
 * GET /browser/style.grass and /browser/start.html: what Neo4j Browser fetches on connect through
 * `browser.post_connect_cmd` (set by the local runtime and docker-compose.yml), or by hand with
 * `:style <url>` and `:guide <url>`. The Browser fetches them cross-origin (from wherever it is served: the local
 * Neo4j on NEO4J_HTTP_PORT, a Docker Neo4j, Neo4j Desktop, another host), with headers of its own
 * (`cache-control`, `pragma`, `sentry-trace`, `baggage`, …) that make Chromium send a preflight first.
 * Both documents are public and read-only (no cookies, no credentials, nothing secret), so this router answers
 * every origin and every requested header itself; server.ts mounts it BEFORE the global `cors()` middleware,
 * which would otherwise answer the preflight with its own origin list and no Allow-Origin for the Browser.
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

/** Origins the Neo4j Browser of the local runtime is served from, for the given HTTP ports (CORS defaults). */
export function browserOrigins(httpPorts: number[]): string[] {
    const ports = [...new Set([7474, ...httpPorts])];
    return ports.flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
}

export function browserGuideRouter(config: Config = loadConfig()): Router {
    const router = express.Router();
    router.use((req, res, next) => {
        // Public documents: any origin may read them (no credentials are involved); the preflight allows
        // whatever headers the Browser asks for.
        res.setHeader("Access-Control-Allow-Origin", "*");
        if (req.method === "OPTIONS") {
            res.append("Vary", "Access-Control-Request-Headers");
            res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
            const asked = req.headers["access-control-request-headers"];
            if (typeof asked === "string" && asked.trim()) res.setHeader("Access-Control-Allow-Headers", asked);
            res.setHeader("Access-Control-Max-Age", "600");
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
