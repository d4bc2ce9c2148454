/**
 * A caching HTTP proxy in front of the run's CoreNLP server: the same article is parsed by several test files (the
 * corpus, the news fixtures, the README's examples), and a parse costs seconds of CoreNLP CPU. The proxy answers a
 * POST it has seen before in this run (same path, query — i.e. the pipeline properties — and body) with the answer
 * CoreNLP gave the first time; everything else goes to CoreNLP as is. The answers are real CoreNLP answers, kept in
 * a throwaway directory (removed at the end of the run), never in the repository; a failed answer is not kept.
 * The test runners put its URL into NLP_URL for the test files.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";

export interface NlpCache {
    url: string;
    /** Requests answered from the cache, and those sent to CoreNLP. */
    stats(): { hits: number; misses: number };
    stop(): Promise<void>;
}

interface Answer {
    status: number;
    contentType: string;
    body: Buffer;
}

export async function startNlpCache(upstream: string): Promise<NlpCache> {
    const base = upstream.replace(/\/+$/, "");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-test-nlp-cache-"));
    const inFlight = new Map<string, Promise<Answer>>();
    let hits = 0;
    let misses = 0;

    async function forward(req: http.IncomingMessage, body: Buffer): Promise<Answer> {
        const res = await fetch(base + req.url, {
            method: req.method,
            headers: { "content-type": req.headers["content-type"] ?? "text/plain; charset=utf-8", accept: req.headers.accept ?? "*/*" },
            body: req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(body),
        });
        return { status: res.status, contentType: res.headers.get("content-type") ?? "application/octet-stream", body: Buffer.from(await res.arrayBuffer()) };
    }

    async function cachedAnswer(req: http.IncomingMessage, body: Buffer): Promise<Answer> {
        const key = createHash("sha256").update(req.url ?? "").update("\0").update(body).digest("hex");
        const file = path.join(dir, `${key}.json`);
        if (fs.existsSync(file)) {
            hits++;
            return { status: 200, contentType: "application/json", body: fs.readFileSync(file) };
        }
        const pending = inFlight.get(key);
        if (pending) {
            hits++;
            return pending;
        }
        misses++;
        const promise = forward(req, body).then((answer) => {
            if (answer.status === 200 && answer.contentType.includes("json")) {
                fs.writeFileSync(`${file}.tmp`, answer.body);
                fs.renameSync(`${file}.tmp`, file);
            }
            return answer;
        });
        inFlight.set(key, promise);
        try {
            return await promise;
        } finally {
            inFlight.delete(key);
        }
    }

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            (req.method === "POST" ? cachedAnswer(req, body) : forward(req, body)).then(
                (answer) => {
                    res.writeHead(answer.status, { "content-type": answer.contentType });
                    res.end(answer.body);
                },
                (error: unknown) => {
                    // As CoreNLP being down looks to a client: the connection is dropped, no made-up answer.
                    process.stderr.write(`[test-nlp-cache] ${base} did not answer: ${(error as Error).message}\n`);
                    res.destroy();
                },
            );
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        stats: () => ({ hits, misses }),
        stop: async () => {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
