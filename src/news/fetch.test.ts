/** Fetching, page reading and feed parsing against a real HTTP server on loopback (test/helpers/news-server.ts). */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../config.ts";
import { startNewsServer, type NewsServer } from "../../test/helpers/news-server.ts";
import { FetchError } from "../errors.ts";
import { addressProblem, Fetcher, TransientFetchError, type Fetched } from "./fetch.ts";
import { readUrl } from "./sources.ts";

let server: NewsServer;
const settings = (over: Partial<ReturnType<typeof loadConfig>["fetch"]> = {}) => ({ ...loadConfig({}, {}).fetch, allowPrivate: true, hostIntervalMs: 0, timeoutMs: 1_000, maxBytes: 1_000_000, ...over });

before(async () => {
    server = await startNewsServer({ slowMs: 3_000 });
});
after(async () => {
    await server.close();
});

async function failure(fetcher: Fetcher, url: string): Promise<FetchError> {
    try {
        await fetcher.get(url);
    } catch (error) {
        assert.ok(error instanceof FetchError, `expected a FetchError, got ${String(error)}`);
        return error;
    }
    assert.fail(`${url} was fetched`);
}

describe("fetcher", () => {
    it("sends our User-Agent and follows a bounded redirect", async () => {
        const fetcher = new Fetcher(settings());
        try {
            const got = (await fetcher.get(`${server.base}/redirect/volt`)) as Fetched;
            assert.equal(got.notModified, false);
            assert.equal(got.finalUrl, `${server.base}/news/volt.html`);
            assert.match(got.text, /Volt Typhoon compromised/);
            const seen = server.requests.filter((r) => r.path === "/redirect/volt" || r.path === "/news/volt.html");
            assert.ok(seen.length >= 2);
            for (const r of seen) assert.match(r.userAgent ?? "", /^cyberkg\/\d+\.\d+\.\d+ /);
        } finally {
            await fetcher.close();
        }
    });

    it("names every failure: 404, 500 (transient), redirect loop, slow, huge, PDF, other schemes", async () => {
        const fetcher = new Fetcher(settings());
        try {
            assert.match((await failure(fetcher, `${server.base}/news/gone.html`)).message, /gone\.html: HTTP 404 Not Found$/);
            const e500 = await failure(fetcher, `${server.base}/error/500`);
            assert.ok(e500 instanceof TransientFetchError);
            assert.match(e500.message, /HTTP 500: the server failed/);
            assert.match((await failure(fetcher, `${server.base}/loop/a`)).message, /redirect loop/);
            const started = Date.now();
            assert.match((await failure(fetcher, `${server.base}/slow`)).message, /no complete answer within 1000 ms \(FETCH_TIMEOUT_MS\)/);
            assert.ok(Date.now() - started < 2_900, "the time limit did not cut the slow answer short");
            assert.match((await failure(fetcher, `${server.base}/huge`)).message, /more than the limit of 1000000 bytes \(FETCH_MAX_BYTES\)/);
            assert.match((await failure(fetcher, `${server.base}/files/advisory.pdf`)).message, /content type 'application\/pdf' is not an HTML page or a feed/);
            assert.match((await failure(fetcher, "ftp://127.0.0.1/x")).message, /only http and https URLs are fetched, not ftp:/);
        } finally {
            await fetcher.close();
        }
    });

    it("bounds the number of redirects", async () => {
        const fetcher = new Fetcher(settings({ maxRedirects: 0 }));
        try {
            assert.match((await failure(fetcher, `${server.base}/redirect/volt`)).message, /more than 0 redirects \(FETCH_MAX_REDIRECTS\)/);
        } finally {
            await fetcher.close();
        }
    });

    it("refuses loopback and private addresses unless INGEST_ALLOW_PRIVATE", async () => {
        const fetcher = new Fetcher(settings({ allowPrivate: false }));
        try {
            assert.match((await failure(fetcher, `${server.base}/news/volt.html`)).message, /refused: 127\.0\.0\.1 is a loopback address \(set INGEST_ALLOW_PRIVATE=true/);
            // A name that resolves to loopback is refused at connect time.
            const port = new URL(server.base).port;
            assert.match((await failure(fetcher, `http://localhost:${port}/news/volt.html`)).message, /refused: localhost resolves to .* (loopback)/);
        } finally {
            await fetcher.close();
        }
        assert.equal(addressProblem("10.1.2.3"), "10.1.2.3 is a private address");
        assert.equal(addressProblem("::ffff:192.168.0.1"), "192.168.0.1 is a private address");
        assert.equal(addressProblem("169.254.169.254"), "169.254.169.254 is a linkLocal address");
        assert.equal(addressProblem("93.184.216.34"), undefined);
        assert.equal(loadConfig({}, {}).fetch.allowPrivate, false);
        assert.equal(loadConfig({}, { INGEST_ALLOW_PRIVATE: "true" }).fetch.allowPrivate, true);
    });

    it("answers a conditional GET with not-modified", async () => {
        const fetcher = new Fetcher(settings());
        try {
            const first = (await fetcher.get(`${server.base}/feed.rss`)) as Fetched;
            assert.ok(first.etag);
            assert.equal(first.lastModified, "Fri, 03 May 2024 10:00:00 GMT");
            const again = await fetcher.get(`${server.base}/feed.rss`, { etag: first.etag! });
            assert.equal(again.notModified, true);
            assert.equal(server.requests.at(-1)!.ifNoneMatch, first.etag);
        } finally {
            await fetcher.close();
        }
    });

    it("spaces requests to one host by FETCH_HOST_INTERVAL_MS", async () => {
        // a long interval, so that the scheduling jitter of a loaded machine (the server sees the first request late)
        // stays far below it: three requests need two intervals between them
        const fetcher = new Fetcher(settings({ hostIntervalMs: 1000 }));
        try {
            const from = server.requests.length;
            await Promise.all([1, 2, 3].map(() => fetcher.get(`${server.base}/news/volt.html`)));
            const times = server.requests.slice(from).map((r) => r.at);
            assert.equal(times.length, 3);
            assert.ok(times[2]! - times[0]! >= 1700, `three requests within ${times[2]! - times[0]!} ms`);
        } finally {
            await fetcher.close();
        }
    });

    it("decodes a latin-1 page declared only in its <meta>", async () => {
        const fetcher = new Fetcher(settings());
        try {
            const got = (await fetcher.get(`${server.base}/news/latin1.html`)) as Fetched;
            assert.equal(got.encoding, "windows-1252");
            assert.match(got.text, /Genève/);
            assert.match(got.text, /« a clear signal »/);
            assert.doesNotMatch(got.text, /\uFFFD/);
        } finally {
            await fetcher.close();
        }
    });
});

describe("pages and feeds", () => {
    it("reads the article of a page: body without boilerplate, canonical URL, publisher, byline, page date", async () => {
        const fetcher = new Fetcher(settings());
        try {
            const { articles, failures } = await readUrl(`${server.base}/news/sanctions.html?utm_source=x`, fetcher);
            assert.deepEqual(failures, []);
            const a = articles[0]!;
            assert.equal(a.input.title, "UK and US sanction APT31 front company");
            assert.equal(a.canonicalUrl, `${server.base}/news/2024/03/uk-us-sanction-apt31`);
            assert.equal(a.input.sourceName, "Harbour Herald");
            assert.equal(a.author, "Dana Reyes");
            assert.equal(a.input.publishedAt, "2024-03-25T14:30:00.000Z", "article:published_time comes before JSON-LD");
            assert.match(a.input.text, /^The United Kingdom sanctioned Wuhan Xiaoruizhi/);
            assert.equal(a.input.text.split("\n").length, 5, a.input.text);
            for (const boilerplate of [/TurboMesh/, /Subscribe/, /Related stories/, /Ten tips/, /Copyright/, /By Dana Reyes/]) assert.doesNotMatch(a.input.text, boilerplate);
        } finally {
            await fetcher.close();
        }
    });

    it("reads RSS 2.0, Atom and JSON Feed items; the page's date wins over the feed's, the feed's fills in", async () => {
        const fetcher = new Fetcher(settings());
        try {
            const rss = await readUrl(`${server.base}/feed.rss`, fetcher);
            assert.equal(rss.feed?.format, "rss");
            assert.deepEqual(rss.articles.map((a) => a.feedItemKey), ["herald-2024-0325-apt31", `${server.base}/courier/shell-firm-penalties.html`, "herald-sandworm-grid"]);
            assert.equal(rss.articles[0]!.input.publishedAt, "2024-03-25T14:30:00.000Z");
            assert.equal(rss.articles[2]!.input.publishedAt, undefined, "an item without a date on a page without a date has none");
            const atom = await readUrl(`${server.base}/feed.atom`, fetcher);
            assert.equal(atom.feed?.format, "atom");
            assert.equal(atom.articles[0]!.input.publishedAt, "2024-02-07", "<time datetime> of the page");
            assert.match(atom.articles[1]!.input.text, /Genève/);
            assert.equal(atom.articles[1]!.input.publishedAt, "2024-05-03T10:00:00.000Z");
            const json = await readUrl(`${server.base}/feed.json`, fetcher);
            assert.equal(json.feed?.format, "json");
            assert.equal(json.articles.length, 1);
            assert.deepEqual(
                json.failures.map((f) => f.error.message.replace(server.base, "")),
                ["/news/gone.html: HTTP 404 Not Found", "/error/500: HTTP 500: the server failed; try again later", "/files/advisory.pdf: content type 'application/pdf' is not an HTML page or a feed (RSS, Atom, JSON Feed); save its text as a .txt file and ingest that"],
            );
        } finally {
            await fetcher.close();
        }
    });
});
