/**
 * News in: `cyberkg ingest <feed URL>` against a local HTTP server (loopback, INGEST_ALLOW_PRIVATE=true) serving
 * our fixtures — RSS 2.0, Atom and JSON Feed, boilerplate pages, a syndicated copy under another headline, a
 * latin-1 page, a 404, a 500, a PDF, an item without a date — into the real Neo4j; a second run changes nothing.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../../src/config.ts";
import { articleIdForUrl } from "../../src/model/facts-document.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { startNewsServer, type NewsServer } from "../helpers/news-server.ts";
import { readmeBlocks } from "../helpers/readme.ts";

let server: NewsServer;
before(async () => {
    server = await startNewsServer();
});
after(async () => {
    await server.close();
    await closeTestDriver();
});

export const NEWS_ENV = { INGEST_ALLOW_PRIVATE: "true", FETCH_HOST_INTERVAL_MS: "0", FETCH_TIMEOUT_MS: "2000" };

/** Runs the CLI (asynchronously: the fixture server lives in this process). */
export function cyberkg(args: string[], env: Record<string, string> = NEWS_ENV): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["bin/cyberkg.js", ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (status) => resolve({ status, stdout, stderr }));
    });
}

async function articles() {
    const { records } = await (await import("../helpers/graph.ts")).testDriver().executeQuery(
        `MATCH (a:Article) RETURN a {.id, .title, .url, .canonicalUrl, .urls, .copies, .publisher, .author, .publishedAt, .fetchedAt, .textHash, .extractedBy,
                                      claims: COUNT { (a)<-[:FROM]-(:Claim) }} AS a ORDER BY a.title`,
        {},
        { database: DATABASE },
    );
    return records.map((r) => r.get("a") as Record<string, unknown> & { title: string; urls: string[]; claims: number });
}

describe("ingest: feeds and URLs", () => {
    it("loads three feeds' articles with their URLs and facts, counts the reprint as a copy, reports each failed item; again: all unchanged", async () => {
        const g = await freshGraph();
        const feeds = [`${server.base}/feed.rss`, `${server.base}/feed.atom`, `${server.base}/feed.json`];
        const first = await cyberkg(["ingest", ...feeds]);
        assert.equal(first.status, 2, first.stderr + first.stdout);
        assert.match(first.stdout, /Articles: 4 loaded, 0 replaced, 0 unchanged, 1 copies of stored articles, 3 failed/);
        assert.match(first.stderr, /failed: http:\/\/127\.0\.0\.1:\d+\/news\/gone\.html: HTTP 404 Not Found/);
        assert.match(first.stderr, /failed: .*\/error\/500: HTTP 500/);
        assert.match(first.stderr, /failed: .*\/files\/advisory\.pdf: content type 'application\/pdf'/);
        assert.match(first.stderr, /copy: .*\/courier\/shell-firm-penalties\.html is a copy of article:\w+ "UK and US sanction APT31 front company" \(similarity 0\.\d\d\)/);

        const stored = await articles();
        assert.deepEqual(stored.map((a) => a.title), ["Sanctions on APT28 draw reaction in Genève", "Sandworm blamed for Ukrainian grid attack", "UK and US sanction APT31 front company", "Volt Typhoon hit US water utilities, agencies say"]);
        const sanctions = stored[2]!;
        assert.equal(sanctions.canonicalUrl, `${server.base}/news/2024/03/uk-us-sanction-apt31`);
        assert.equal(sanctions.url, `${server.base}/news/sanctions.html?utm_source=rss`);
        assert.deepEqual(sanctions.urls, [`${server.base}/news/sanctions.html?utm_source=rss`, `${server.base}/news/2024/03/uk-us-sanction-apt31`, `${server.base}/courier/shell-firm-penalties.html`]);
        assert.equal(sanctions.copies, 1);
        assert.equal(sanctions.publisher, "Harbour Herald");
        assert.equal(sanctions.author, "Dana Reyes");
        assert.equal(sanctions.publishedAt, "2024-03-25", "the page's date, not the feed's 27 March");
        assert.match(String(sanctions.fetchedAt), /^\d{4}-\d\d-\d\dT/);
        assert.match(String(sanctions.extractedBy), /^cyberkg-extractor@\d/);
        assert.ok(sanctions.claims > 0);
        assert.equal(stored[1]!.publishedAt, null, "no date in the feed item nor on the page");
        assert.equal(stored[0]!.publisher, "127.0.0.1", "no site name: the host");
        for (const a of stored) assert.ok(a.claims > 0, `${a.title}: no claims`);
        // The reprint added no source and no support.
        const { records } = await g.driver.executeQuery(
            "MATCH (:State {id: 'state:gb'})-[r:SANCTIONED]->(:Organization {id: 'org:wuhan-xiaoruizhi-science-and-technology-company'}) RETURN r.support AS support",
            {},
            { database: DATABASE },
        );
        assert.equal(records[0]?.get("support"), 1);

        const before = await graphCounts(g.driver);
        const again = await cyberkg(["ingest", ...feeds]);
        assert.match(again.stdout, /Articles: 0 loaded, 0 replaced, 5 unchanged, 0 copies of stored articles, 3 failed/);
        assert.match(again.stderr, /copy: .*shell-firm-penalties\.html is a copy of .*, recorded before/);
        assert.deepEqual(await graphCounts(g.driver), before);
        assert.deepEqual(await articles(), stored);
    });

    it("finds a reprint ingested later through the band index, under another headline", async () => {
        const g = await freshGraph();
        const one = await cyberkg(["ingest", `${server.base}/news/sanctions.html`]);
        assert.equal(one.status, 0, one.stderr);
        assert.match(one.stdout, /1 loaded/);
        const two = await cyberkg(["ingest", `${server.base}/courier/shell-firm-penalties.html`]);
        assert.equal(two.status, 0, two.stderr);
        assert.match(two.stdout, /0 loaded, 0 replaced, 0 unchanged, 1 copies/);
        const stored = await articles();
        assert.equal(stored.length, 1);
        assert.deepEqual(stored[0]!.urls, [`${server.base}/news/sanctions.html`, `${server.base}/news/2024/03/uk-us-sanction-apt31`, `${server.base}/courier/shell-firm-penalties.html`]);
        assert.equal(stored[0]!.copies, 1);
        const { records } = await g.driver.executeQuery("MATCH (s:Source) WHERE s:Article RETURN count(s) AS n", {}, { database: DATABASE });
        assert.equal(records[0]!.get("n"), 1);
    });

    it("--review with a feed URL writes each new article's document for a person, leaves the graph alone; loaded later, the feed is unchanged", async () => {
        const g = await freshGraph();
        const empty = await graphCounts(g.driver);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-review-"));
        try {
            const feed = `${server.base}/feed.rss`;
            const review = await cyberkg(["ingest", "--review", dir, feed]);
            assert.equal(review.status, 0, review.stderr + review.stdout);
            assert.match(review.stdout, new RegExp(`Wrote 2 facts document\\(s\\) \\(\\d+ facts\\) to ${dir}: correct them \\(set reviewStatus\\), then \`npx cyberkg load ${dir}\``));
            assert.match(review.stdout, /Not written: 0 already stored unchanged, 1 copies of other articles, 0 failed/);
            assert.match(review.stderr, /copy: .*\/courier\/shell-firm-penalties\.html is a copy of article:\w+ "UK and US sanction APT31 front company" \(similarity 0\.\d\d\): not written for review/);
            assert.deepEqual(await graphCounts(g.driver), empty, "review writes nothing to the graph");

            const files = fs.readdirSync(dir).sort();
            assert.equal(files.length, 2, files.join(", "));
            const docs = files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { article: Record<string, string>; facts: unknown[] });
            const sanctions = docs.find((d) => d.article.title === "UK and US sanction APT31 front company")!;
            assert.ok(sanctions, files.join(", "));
            assert.match(files.find((f) => f.includes("sanctions"))!, /^127-0-0-1-news-sanctions-[0-9a-f]{8}\.facts\.json$/);
            assert.equal(sanctions.article.id, articleIdForUrl(`${server.base}/news/2024/03/uk-us-sanction-apt31`));
            assert.equal(sanctions.article.url, `${server.base}/news/sanctions.html?utm_source=rss`);
            assert.equal(sanctions.article.canonicalUrl, `${server.base}/news/2024/03/uk-us-sanction-apt31`);
            assert.equal(sanctions.article.author, "Dana Reyes");
            assert.match(sanctions.article.publishedAt!, /^2024-03-25/, "the page's date, not the feed's");
            assert.match(sanctions.article.fetchedAt!, /^\d{4}-\d\d-\d\dT/);
            assert.match(sanctions.article.text!, /Wuhan Xiaoruizhi/);
            assert.ok(sanctions.facts.length > 0);

            const load = await cyberkg(["load", dir]);
            assert.equal(load.status, 0, load.stderr + load.stdout);
            const stored = await articles();
            assert.deepEqual(stored.map((a) => a.title), ["Sandworm blamed for Ukrainian grid attack", "UK and US sanction APT31 front company"]);
            assert.ok(stored.every((a) => a.claims > 0));
            // the reviewed documents are the articles ingest would have made: the feed is unchanged, the reprint is now recorded
            const again = await cyberkg(["ingest", feed]);
            assert.match(again.stdout, /Articles: 0 loaded, 0 replaced, 2 unchanged, 1 copies of stored articles, 0 failed/, again.stderr + again.stdout);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses loopback without INGEST_ALLOW_PRIVATE, with the reason and the setting", async () => {
        await freshGraph();
        const run = await cyberkg(["ingest", `${server.base}/news/volt.html`], { INGEST_ALLOW_PRIVATE: "false" });
        assert.equal(run.status, 2);
        assert.match(run.stderr, /failed: http:\/\/127\.0\.0\.1:\d+\/news\/volt\.html: refused: 127\.0\.0\.1 is a loopback address \(set INGEST_ALLOW_PRIVATE=true/);
        assert.equal((await articles()).length, 0);
    });

    it("runs the README's news commands as written, against the local server for news.example.org", async () => {
        await freshGraph();
        const block = readmeBlocks("sh").find((b) => b.includes("npx cyberkg ingest https://news.example.org/feed.rss"));
        assert.ok(block, "the README's news block");
        const lines = block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter(Boolean);
        assert.equal(lines.length, 8);
        const outputs: string[] = [];
        for (const line of lines) {
            assert.match(line, /^npx cyberkg /);
            const args = line.replace(/^npx cyberkg /, "").replaceAll("https://news.example.org", server.base).split(/\s+/);
            const run = await cyberkg(args);
            assert.equal(run.status, 0, `${line}: ${run.stderr}${run.stdout}`);
            outputs.push(run.stdout);
        }
        assert.match(outputs[0]!, /Articles: 2 loaded, 0 replaced, 0 unchanged, 1 copies of stored articles, 0 failed/);
        assert.match(outputs[1]!, /Articles: 1 loaded/);
        assert.match(outputs[2]!, /Added feed "Advisories"/);
        assert.match(outputs[3]!, /^Advisories\t/m);
        assert.match(outputs[4]!, /Advisories: 2 new item\(s\): 1 loaded, 0 replaced, 1 unchanged, 0 copies, 0 failed/);
        assert.match(outputs[5]!, /Dry run, nothing written: would re-extract 0 article\(s\)/);
        assert.match(outputs[6]!, /Re-extracted 0 article\(s\)/);
        assert.match(outputs[7]!, /Removed feed "Advisories"/);
    });
});
