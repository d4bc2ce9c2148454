/**
 * `cyberkg extract` as a user runs it, against the run's real CoreNLP (NLP_URL from test/run-integration.ts):
 * output order under parallel requests, the size cap, the time box, an HTML entity beyond U+10FFFF, bad articles
 * among good ones, and an unreachable server.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { REPO_ROOT } from "../../src/config.ts";
import { freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";

const NLP_URL = process.env.NLP_URL;
if (!NLP_URL) throw new Error("NLP_URL is not set: run this through `npm run test:int` (test/run-integration.ts provides a CoreNLP server)");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-extract-cli-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const PARAGRAPH = "The National Cyber Security Centre said APT28, a group run by Russia's GRU, breached the Bundestag in 2015.";
function article(name: string, title: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${title}\n\n${body}\n`);
    return file;
}

function extract(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "cyberkg.js"), "extract", ...args], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, NLP_URL, LOG_LEVEL: "warn", ...env },
        timeout: 600_000,
    });
    const docs = result.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { article: { title: string; text?: string }; facts: unknown[] });
    return { code: result.status, stderr: result.stderr, docs };
}

describe("cyberkg extract", () => {
    it("keeps input order with 4 requests in flight; a too-long and an empty article are reported, the others extracted", () => {
        const files = [
            article("01-long.txt", "First: the long one", Array(40).fill(PARAGRAPH).join("\n\n")), // finishes last
            article("02.txt", "Second", PARAGRAPH),
            article("03-big.txt", "Third: too long", "x".repeat(9000)),
            article("04-empty.txt", "", ""),
            article("05.txt", "Fifth", "Sandworm targeted Ukraine's energy sector, the United States said."),
            article("06.txt", "Sixth", PARAGRAPH),
        ];
        fs.writeFileSync(files[3]!, "   \n");
        const { code, stderr, docs } = extract(files, { NLP_CONCURRENCY: "4", MAX_ARTICLE_CHARS: "8000" });
        assert.equal(code, 2, stderr);
        assert.deepEqual(
            docs.map((d) => d.article.title),
            ["First: the long one", "Second", "Fifth", "Sixth"],
        );
        assert.ok(docs.every((d) => d.facts.length > 0), "every good article gave facts");
        assert.match(stderr, new RegExp(`not extracted: ${files[2]}: the article has 9\\d{3} characters, more than the limit of 8000 \\(MAX_ARTICLE_CHARS\\): split it, or raise MAX_ARTICLE_CHARS`));
        assert.match(stderr, new RegExp(`not extracted: ${files[3]}: the article is empty`));
        assert.match(stderr, /Extracted 4 article\(s\), \d+ facts; 2 failed/);
    });

    it("time-boxes each article (EXTRACT_TIMEOUT_MS), reports it by name and goes on", () => {
        const files = [article("t1.txt", "Timed one", PARAGRAPH), article("t2.txt", "Timed two", PARAGRAPH)];
        const { code, stderr, docs } = extract(files, { EXTRACT_TIMEOUT_MS: "1" });
        assert.equal(code, 2);
        assert.equal(docs.length, 0);
        for (const f of files) assert.match(stderr, new RegExp(`not extracted: ${f}: extraction took longer than 1 ms \\(EXTRACT_TIMEOUT_MS\\); its NLP request was aborted`));
        assert.match(stderr, /Extracted 0 article\(s\), 0 facts; 2 failed/);
    });

    it("an HTML entity beyond U+10FFFF becomes U+FFFD instead of crashing", () => {
        const file = path.join(dir, "entity.html");
        fs.writeFileSync(file, `<html><head><title>Entity</title></head><body><p>APT28 &#x110000; breached the Bundestag &#99999999; in 2015, officials said.</p></body></html>`);
        const { code, stderr, docs } = extract([file]);
        assert.equal(code, 0, stderr);
        assert.equal(docs.length, 1);
        assert.ok(docs[0]!.article.text?.includes("APT28 \uFFFD breached the Bundestag \uFFFD in 2015"), docs[0]!.article.text);
    });

    it("an unreachable CoreNLP stops the run with one line saying how to start one", async () => {
        const url = `http://127.0.0.1:${await freePort()}`;
        const { code, stderr, docs } = extract([article("u.txt", "Unreachable", PARAGRAPH)], { NLP_URL: url });
        assert.equal(code, 1);
        assert.equal(docs.length, 0);
        assert.equal(stderr.trim(), `cyberkg: CoreNLP at ${url} did not answer: ECONNREFUSED; start it with \`npx cyberkg nlp start\` or fix NLP_URL`);
    });
});
