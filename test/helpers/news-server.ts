/**
 * A real HTTP server on 127.0.0.1 serving the news fixtures of test/fixtures/news (feeds with `{{BASE}}` replaced
 * by the server's own address) and the failure cases a fetcher must survive: 404, 500, a redirect loop, a slow
 * answer, a huge body, a PDF. Feeds answer conditional GETs (ETag, Last-Modified) with 304. Every request is
 * recorded (path, User-Agent, validators) so tests can check what was sent.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { REPO_ROOT } from "../../src/config.ts";

export const NEWS_FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "news");

export interface RecordedRequest {
    path: string;
    userAgent?: string;
    ifNoneMatch?: string;
    ifModifiedSince?: string;
    at: number;
}

export interface NewsServer {
    base: string;
    requests: RecordedRequest[];
    /** Replaces a fixture's body for later requests (an article edited, a feed with a new item). */
    override(route: string, body: string | undefined): void;
    close(): Promise<void>;
}

const PAGES: Record<string, string> = {
    "/news/sanctions.html": "article-sanctions.html",
    "/courier/shell-firm-penalties.html": "syndicated-copy.html",
    "/news/sandworm.html": "article-nodate.html",
    "/news/volt.html": "article-volt.html",
};

const FEEDS: Record<string, [string, string]> = {
    "/feed.rss": ["feed.rss", "application/rss+xml; charset=utf-8"],
    "/feed.atom": ["feed.atom", "application/atom+xml"],
    "/feed.json": ["feed.json", "application/feed+json"],
};

const LAST_MODIFIED = "Fri, 03 May 2024 10:00:00 GMT";

export async function startNewsServer({ slowMs = 3_000, hugeBytes = 6_000_000 } = {}): Promise<NewsServer> {
    const requests: RecordedRequest[] = [];
    const overrides = new Map<string, string>();
    let base = "";
    const fixture = (name: string) => fs.readFileSync(path.join(NEWS_FIXTURES, name), "utf8").replaceAll("{{BASE}}", base);
    const timers = new Set<NodeJS.Timeout>();

    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", base);
        requests.push({
            path: url.pathname + url.search,
            ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}),
            ...(req.headers["if-none-match"] ? { ifNoneMatch: String(req.headers["if-none-match"]) } : {}),
            ...(req.headers["if-modified-since"] ? { ifModifiedSince: String(req.headers["if-modified-since"]) } : {}),
            at: Date.now(),
        });
        const p = url.pathname;
        const overridden = overrides.get(p);
        if (FEEDS[p]) {
            const [file, type] = FEEDS[p]!;
            const body = overridden ?? fixture(file);
            const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
            if (req.headers["if-none-match"] === etag) {
                res.writeHead(304, { etag, "last-modified": LAST_MODIFIED }).end();
                return;
            }
            res.writeHead(200, { "content-type": type, etag, "last-modified": LAST_MODIFIED }).end(body);
            return;
        }
        if (PAGES[p] || (overridden && p.startsWith("/news/"))) {
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(overridden ?? fixture(PAGES[p]!));
            return;
        }
        switch (p) {
            case "/news/latin1.html":
                // No charset in the header: the page's own <meta http-equiv> says iso-8859-1 (windows-1252 bytes).
                res.writeHead(200, { "content-type": "text/html" }).end(fs.readFileSync(path.join(NEWS_FIXTURES, "latin1.html")));
                return;
            case "/error/500":
                res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
                return;
            case "/loop/a":
                res.writeHead(302, { location: "/loop/b" }).end();
                return;
            case "/loop/b":
                res.writeHead(302, { location: `${base}/loop/a` }).end();
                return;
            case "/redirect/volt":
                res.writeHead(301, { location: "/news/volt.html" }).end();
                return;
            case "/slow": {
                const t = setTimeout(() => {
                    timers.delete(t);
                    if (!res.destroyed) res.writeHead(200, { "content-type": "text/html" }).end(fixture("article-volt.html"));
                }, slowMs);
                timers.add(t);
                return;
            }
            case "/huge": {
                // Chunked, no Content-Length: the limit must hold while reading.
                res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
                const chunk = "<p>" + "padding ".repeat(8_000) + "</p>\n";
                let sent = 0;
                const pump = () => {
                    while (sent < hugeBytes) {
                        sent += chunk.length;
                        if (!res.write(chunk)) return void res.once("drain", pump);
                    }
                    res.end();
                };
                res.on("error", () => {});
                pump();
                return;
            }
            case "/files/advisory.pdf":
                res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n");
                return;
            default:
                res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>");
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        base,
        requests,
        override(route, body) {
            if (body === undefined) overrides.delete(route);
            else overrides.set(route, body);
        },
        async close() {
            for (const t of timers) clearTimeout(t);
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
