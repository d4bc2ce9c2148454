/**
 * The article store and what builds on it, against the real Neo4j and the local fixture server: `reextract`
 * (dry run lists the differences and writes nothing; the run keeps reviewed and manual facts), `ingest` on a terminal
 * (its fetch lines and progress bar, on a pseudo-terminal), remembered feeds
 * and `watch` (conditional GET, only new items), and the API's editor-only `ingestArticle`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer } from "../../src/api/server.ts";
import { unitFromDocument } from "../../src/loader/load-unit.ts";
import { validateDocument } from "../../src/loader/validate.ts";
import { readArticleHtml } from "../../src/news/readable.ts";
import { freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { NEWS_FIXTURES, startNewsServer, type NewsServer } from "../helpers/news-server.ts";
import { TEST_JWT_SECRET, editorToken, graphql } from "./api-client.ts";

const NEWS_ENV = { INGEST_ALLOW_PRIVATE: "true", FETCH_HOST_INTERVAL_MS: "0", FETCH_TIMEOUT_MS: "2000" };

let server: NewsServer;
before(async () => {
    server = await startNewsServer();
});
after(async () => {
    await server.close();
    await closeTestDriver();
});

function cyberkg(args: string[], env: Record<string, string> = NEWS_ENV): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["bin/cyberkg.js", ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (status) => resolve({ status, stdout, stderr }));
    });
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`, in Debian's essential bsdutils), for what only a terminal
 * shows (progress bars); stdout and stderr come back as one stream, as a terminal shows them.
 */
function cyberkgOnTerminal(args: string[], env: Record<string, string> = NEWS_ENV): Promise<{ status: number | null; output: string }> {
    const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, "bin/cyberkg.js", ...args].map(quote).join(" ");
    return new Promise((resolve) => {
        const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("exit", (status) => resolve({ status, output }));
    });
}

describe("ingest on a terminal", () => {
    it("shows each fetch, then a bar per article while they are extracted and loaded; none on a pipe", async () => {
        const g = await freshGraph();
        const feed = `${server.base}/feed.atom`;
        const run = await cyberkgOnTerminal(["ingest", feed]);
        assert.equal(run.status, 0, run.output);
        assert.match(run.output, /Articles: 2 loaded, 0 replaced, 0 unchanged, 0 copies/);
        // frames: each drawn from the line's start (CR, or the cursor sent to column 1), the other escapes dropped
        const frames = run.output.split(/\r|\n|\x1b\[\d*G/).map((l) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, "").trim()).filter(Boolean);
        for (const want of [/^fetching http:\/\/127\.0\.0\.1:\d+\/feed\.atom$/, /^fetching http:\/\/127\.0\.0\.1:\d+\/news\//, /^Ingesting \S+ 0\/2 \|$/, /^Ingesting \S+ 1\/2 \| http:\/\/127\.0\.0\.1:\d+\/news\//, /^Ingesting \S+ 2\/2 \| http:\/\/127\.0\.0\.1:\d+\/news\//]) {
            assert.ok(frames.some((f) => want.test(f)), `no progress frame like ${want} in:\n${[...new Set(frames)].join("\n")}`);
        }
        const counts = await graphCounts(g.driver);
        const again = await cyberkg(["ingest", feed]);
        assert.equal(again.status, 0, again.stderr);
        assert.doesNotMatch(again.stderr + again.stdout, /Ingesting .*\d+\/\d+ \||fetching /, "no bar and no fetch lines when stderr is not a terminal");
        assert.match(again.stdout, /2 unchanged/);
        assert.deepEqual(await graphCounts(g.driver), counts);
    });
});

describe("reextract", () => {
    it("lists what the current extractor changes (dry run writes nothing), then replaces old claims and keeps reviewed and manual facts", async () => {
        const g = await freshGraph();
        const web = readArticleHtml(fs.readFileSync(path.join(NEWS_FIXTURES, "article-volt.html"), "utf8"), "https://news.example/volt");
        const old = { name: "cyberkg-extractor", version: "0.1.0" };
        // What an older extractor made of the article, plus a fact a person accepted and one a person wrote.
        const doc = validateDocument(
            {
                article: { id: "article:volt-old", title: web.title, url: web.url, publishedAt: "2024-02-07", text: web.text },
                entities: [
                    { id: "volt", type: "ThreatActor", name: "Volt Typhoon" },
                    { id: "water", type: "Sector", name: "Water" },
                    { id: "transport", type: "Sector", name: "Transportation" },
                    { id: "gb", type: "State", name: "United Kingdom" },
                    { id: "cn", type: "State", name: "China" },
                ],
                facts: [
                    { subject: "volt", predicate: "COMPROMISED", object: "water", certainty: "asserted", extractor: old },
                    { subject: "volt", predicate: "TARGETED", object: "gb", certainty: "alleged", extractor: old },
                    { subject: "volt", predicate: "TARGETED", object: "transport", certainty: "likely", extractor: old, reviewStatus: "accepted" },
                    { subject: "volt", predicate: "AFFILIATED_WITH", object: "cn", certainty: "asserted", extractor: { name: "manual" } },
                ],
            },
            "old.json",
        );
        await g.loader.load(unitFromDocument(doc, "old.json"));
        const before = await graphCounts(g.driver);

        const dry = await cyberkg(["reextract", "--dry-run"]);
        assert.equal(dry.status, 0, dry.stderr);
        assert.match(dry.stdout, /^article:volt-old "Volt Typhoon hit US water utilities, agencies say" \(cyberkg-extractor@0\.1\.0 → cyberkg-extractor@[\d.]+\): \d+ added, 1 removed, 1 changed certainty, 2 reviewed or manual kept$/m);
        assert.match(dry.stdout, /^ {2}~ actor:volt-typhoon\|COMPROMISED\|sector:water: asserted → (alleged|likely)$/m);
        assert.match(dry.stdout, /^ {2}- actor:volt-typhoon\|TARGETED\|state:gb \(alleged\)$/m);
        assert.match(dry.stdout, /^ {2}\+ actor:volt-typhoon\|TARGETED\|sector:energy \(\w+\)$/m);
        assert.doesNotMatch(dry.stdout, /sector:transportation|AFFILIATED_WITH/, "kept facts are not the extractor's to change");
        assert.match(dry.stdout, /^Dry run, nothing written: would re-extract 1 article\(s\)/m);
        assert.deepEqual(await graphCounts(g.driver), before);

        const run = await cyberkg(["reextract"]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^Re-extracted 1 article\(s\): \d+ facts added, 1 removed, 1 changed certainty; 2 reviewed or manual facts kept$/m);
        const { records } = await g.driver.executeQuery(
            `MATCH (a:Article {id: 'article:volt-old'})<-[:FROM]-(c:Claim) WHERE c.live
             RETURN c.edgeKey AS key, c.certainty AS certainty, c.extractor AS extractor, c.reviewStatus AS review ORDER BY key`,
            {},
            { database: DATABASE },
        );
        const live = new Map(records.map((r) => [r.get("key") as string, r.toObject()]));
        assert.equal(live.get("actor:volt-typhoon|TARGETED|state:gb"), undefined, "the old extractor's fact the new one does not make is gone from the current graph");
        assert.notEqual(live.get("actor:volt-typhoon|COMPROMISED|sector:water")?.certainty, "asserted");
        assert.ok(live.get("actor:volt-typhoon|TARGETED|sector:energy"));
        assert.deepEqual(live.get("actor:volt-typhoon|TARGETED|sector:transportation"), { key: "actor:volt-typhoon|TARGETED|sector:transportation", certainty: "likely", extractor: "cyberkg-extractor", review: "accepted" });
        assert.equal(live.get("actor:volt-typhoon|AFFILIATED_WITH|state:cn")?.extractor, "manual");

        const again = await cyberkg(["reextract"]);
        assert.match(again.stdout, /^Re-extracted 0 article\(s\)/m, "nothing older than the current extractor is left");
    });
});

describe("feeds and watch", () => {
    it("`cyberkg start` polls the remembered feeds in the background, and `--no-watch` leaves them alone", async () => {
        const g = await freshGraph();
        const feed = `${server.base}/feed.atom`;
        assert.equal((await cyberkg(["feeds", "add", feed, "--name", "Advisories"])).status, 0);
        const feedRequests = () => server.requests.filter((r) => r.path === "/feed.atom").length;
        const afterAdd = feedRequests();

        const start = async (extra: string[], until: RegExp) => {
            const child = spawn(process.execPath, ["bin/cyberkg.js", "start", "--no-data", "--port", String(await freePort()), ...extra], { cwd: REPO_ROOT, env: { ...process.env, ...NEWS_ENV }, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            try {
                await new Promise<void>((resolve, reject) => {
                    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${until}: ${stdout}${stderr}`)), 120_000);
                    const check = () => until.test(stdout + stderr) && (clearTimeout(timer), resolve());
                    child.stdout.on("data", check);
                    child.stderr.on("data", check);
                    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`start exited ${code}: ${stdout}${stderr}`))));
                });
                return { stdout, stderr };
            } finally {
                if (child.exitCode === null && child.signalCode === null) {
                    const exited = new Promise((r) => child.once("exit", r));
                    child.kill("SIGINT");
                    await exited;
                }
            }
        };

        const watched = await start(["--watch-interval", "1h"], /Advisories: .*\d+ facts/);
        assert.match(watched.stdout, /Watching 1 feed\(s\) every 1h \(--no-watch to disable\)/);
        assert.match(watched.stderr, /Advisories: 2 new item\(s\): 2 loaded, 0 replaced, 0 unchanged, 0 copies, 0 failed, \d+ facts/);
        assert.equal(feedRequests(), afterAdd + 1, "one poll at start");
        const { records } = await g.driver.executeQuery("MATCH (a:Article) RETURN count(a) AS n", {}, { database: DATABASE });
        assert.equal(records[0]!.get("n"), 2, "the feed's items are in the graph");

        const unwatched = await start(["--no-watch"], /cyberkg is running/);
        await new Promise((r) => setTimeout(r, 2000));
        assert.doesNotMatch(unwatched.stdout, /Watching/);
        assert.equal(feedRequests(), afterAdd + 1, "--no-watch polls nothing");
        assert.match((await cyberkg(["feeds", "remove", "Advisories"])).stdout, /Removed feed "Advisories"/);
    });

    it("remembers a feed, ingests its items once, answers 304 with nothing to do, then takes only a new item", async () => {
        const g = await freshGraph();
        const feed = `${server.base}/feed.atom`;
        const notFeed = await cyberkg(["feeds", "add", `${server.base}/news/volt.html`]);
        assert.equal(notFeed.status, 1);
        assert.match(notFeed.stderr, /is an article page, not a feed/);
        const add = await cyberkg(["feeds", "add", feed, "--name", "Advisories"]);
        assert.equal(add.status, 0, add.stderr);
        assert.match(add.stdout, /Added feed "Advisories"/);
        assert.match((await cyberkg(["feeds", "list"])).stdout, /^Advisories\thttp:\/\/127\.0\.0\.1:\d+\/feed\.atom\t0 item\(s\) seen\tlast poll: never$/m);

        // On a terminal: a bar per item, while the pages are fetched and then while they are extracted and loaded.
        const first = await cyberkgOnTerminal(["watch", "--once"]);
        assert.equal(first.status, 0, first.output);
        assert.match(first.output, /Advisories: 2 new item\(s\): 2 loaded, 0 replaced, 0 unchanged, 0 copies, 0 failed, \d+ facts/);
        // frames: each drawn from the line's start (CR, or the cursor sent to column 1), the other escapes dropped
        const frames = first.output.split(/\r|\n|\x1b\[\d*G/).map((l) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, "").trim()).filter((l) => / items \|/.test(l));
        for (const want of [/^Advisories fetching \S+ 0\/2 items \|$/, /^Advisories fetching \S+ 1\/2 items \| http:\/\/127\.0\.0\.1:\d+\/news\//, /^Advisories fetching \S+ 2\/2 items \| /, /^Advisories ingesting \S+ 1\/2 items \| /, /^Advisories ingesting \S+ 2\/2 items \| /]) {
            assert.ok(frames.some((f) => want.test(f)), `no progress frame like ${want} in:\n${[...new Set(frames)].join("\n")}`);
        }
        const counts = await graphCounts(g.driver);

        const second = await cyberkg(["watch", "--once"]);
        assert.match(second.stdout, /Advisories: not modified/);
        assert.ok(server.requests.filter((r) => r.path === "/feed.atom").at(-1)!.ifNoneMatch, "a conditional GET");
        assert.deepEqual(await graphCounts(g.driver), counts);

        const atom = fs.readFileSync(path.join(NEWS_FIXTURES, "feed.atom"), "utf8").replaceAll("{{BASE}}", server.base);
        server.override("/feed.atom", atom.replace("</feed>", `<entry><title>Sandworm</title><id>urn:cyberkg-test:sandworm</id><link href="${server.base}/news/sandworm.html"/></entry></feed>`));
        const voltFetches = server.requests.filter((r) => r.path === "/news/volt.html").length;
        const third = await cyberkg(["watch", "--once"]);
        server.override("/feed.atom", undefined);
        assert.doesNotMatch(third.stderr + third.stdout, / items \|/, "no bar when stderr is not a terminal");
        assert.match(third.stdout, /Advisories: 1 new item\(s\): 1 loaded, 0 replaced, 0 unchanged, 0 copies, 0 failed/);
        assert.equal(server.requests.filter((r) => r.path === "/news/volt.html").length, voltFetches, "seen items are not fetched again");
        assert.match((await cyberkg(["feeds", "list"])).stdout, /\t3 item\(s\) seen\tlast poll: \d{4}-/);

        assert.match((await cyberkg(["feeds", "remove", "Advisories"])).stdout, /Removed feed "Advisories"/);
        assert.match((await cyberkg(["feeds", "list"])).stdout, /No feeds/);
        const { records } = await g.driver.executeQuery("MATCH (a:Article) RETURN count(a) AS n", {}, { database: DATABASE });
        assert.equal(records[0]!.get("n"), 3, "the feed's articles stay");
    });
});

describe("API: ingestArticle", () => {
    it("runs the pipeline for an editor: text or URL in, loaded / unchanged / copy-of out; nothing without a token", async () => {
        const g = await freshGraph();
        Object.assign(process.env, NEWS_ENV);
        const api = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production", JWT_SECRET: TEST_JWT_SECRET }), g.driver, DATABASE);
        try {
            const url = `${api.url}`;
            const auth = { authorization: `Bearer ${await editorToken()}` };
            const mutation = `mutation($url: String, $text: String, $title: String, $publishedAt: String) {
                ingestArticle(url: $url, text: $text, title: $title, publishedAt: $publishedAt) { sourceId status copyOf similarity title facts claims }
            }`;
            const empty = await graphCounts(g.driver);
            const denied = await graphql(url, mutation, { url: `${server.base}/news/sanctions.html` });
            assert.equal(denied.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
            assert.deepEqual(await graphCounts(g.driver), empty);

            const page = await graphql(url, mutation, { url: `${server.base}/news/sanctions.html` }, auth);
            assert.equal(page.data?.ingestArticle.status, "loaded", JSON.stringify(page));
            assert.equal(page.data?.ingestArticle.title, "UK and US sanction APT31 front company");
            assert.ok(page.data?.ingestArticle.claims > 0);
            const sourceId = page.data?.ingestArticle.sourceId as string;

            const copy = await graphql(url, mutation, { url: `${server.base}/courier/shell-firm-penalties.html` }, auth);
            assert.equal(copy.data?.ingestArticle.status, "copy-of", JSON.stringify(copy));
            assert.equal(copy.data?.ingestArticle.copyOf, sourceId);

            const web = readArticleHtml(fs.readFileSync(path.join(NEWS_FIXTURES, "article-nodate.html"), "utf8"), "https://news.example/sandworm");
            const text = await graphql(url, mutation, { text: web.text, title: "Sandworm and the grid", url: "https://news.example/sandworm", publishedAt: "2024-04-02" }, auth);
            assert.equal(text.data?.ingestArticle.status, "loaded", JSON.stringify(text));
            const again = await graphql(url, mutation, { text: web.text, title: "Sandworm and the grid", url: "https://news.example/sandworm", publishedAt: "2024-04-02" }, auth);
            assert.equal(again.data?.ingestArticle.status, "unchanged");

            const bad = await graphql(url, mutation, { text: "x", publishedAt: "next Tuesday" }, auth);
            assert.equal(bad.errors?.[0]?.extensions?.code, "FACTS_INVALID");
            assert.match(bad.errors![0]!.message, /publishedAt: 'next Tuesday' is not a date/);
            const gone = await graphql(url, mutation, { url: `${server.base}/news/gone.html` }, auth);
            assert.equal(gone.errors?.[0]?.extensions?.code, "FETCH_FAILED");
            assert.match(gone.errors![0]!.message, /HTTP 404 Not Found/);
        } finally {
            await api.close();
        }
    });
});
