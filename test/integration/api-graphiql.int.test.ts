/**
 * The offline IDE in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
 * opens GET /graphql, runs the preloaded first README example and sees APT31's targets in the result pane;
 * every request the page makes stays on 127.0.0.1 (no CDN). The tabs carry the README examples' titles, and the
 * docs panel shows the schema (read through the standard introspection query); screenshot in test/artifacts/.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { operationName, readmeExamples } from "../../src/api/graphiql/page.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DOCS_SCREENSHOT = path.join(REPO_ROOT, "test", "artifacts", "graphiql-docs.png");
const skip = fs.existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`;
if (skip && process.env.CI) throw new Error(`GraphiQL browser test cannot run in CI: ${skip}`);

describe("GraphiQL IDE at GET /graphql (offline)", { skip }, () => {
    let server: RunningServer;
    let browser: Browser;

    before(async () => {
        const graph = await freshGraph();
        await loadFiles([path.join(REPO_ROOT, "data", "articles")], graph.loader);
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test" }), graph.driver, DATABASE);
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        await closeTestDriver();
    });

    it("runs the first README example and shows APT31's targets, with no request leaving localhost", async () => {
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on("request", (request) => requests.push(request.url()));
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));

        const response = await page.goto(server.url, { waitUntil: "load" });
        assert.equal(response?.status(), 200);
        await page.waitForSelector(".graphiql-execute-button", { timeout: 60_000 }); // first visit bundles GraphiQL
        const editor = await page.locator(".graphiql-query-editor").innerText();
        assert.match(editor, /threatActors/);

        await page.click(".graphiql-execute-button");
        const result = page.locator(".graphiql-response");
        // Only the first lines of the pane are rendered: wait for the first target, then read the whole value.
        await result.getByText("Defence").first().waitFor({ timeout: 30_000 });
        // The pane is a CodeMirror 5 editor that renders only visible lines: read its whole value.
        const text = await page.evaluate(() => {
            const element = document.querySelector(".graphiql-response .CodeMirror") as (Element & { CodeMirror?: { getValue(): string } }) | null;
            return element?.CodeMirror?.getValue() ?? "";
        });
        for (const target of ["Defence", "Energy", "Information Technology", "UK politicians"]) assert.ok(text.includes(target), target);

        const tabs = await page.locator(".graphiql-tab").allInnerTexts();
        assert.ok(tabs.length >= 8, `the README examples are preloaded as tabs (found ${tabs.length})`);
        const titles = readmeExamples().map((e) => e.title);
        assert.ok(titles.includes("APT31: targets with evidence") && titles.includes("Search: an alias, any case or accent"), titles.join(" | "));
        assert.deepEqual(tabs.map((t) => t.trim()), titles.map(operationName), "each tab is named after its README example's # title");
        assert.equal(tabs[0]!.trim(), "APT31TargetsWithEvidence");
        const outside = requests.filter((url) => !/^(https?:\/\/127\.0\.0\.1(:\d+)?\/|data:|blob:)/.test(url));
        assert.deepEqual(outside, [], "every request stays on 127.0.0.1");
        assert.deepEqual(errors, []);
        await page.close();
    });

    it("shows the schema in the docs panel (the IDE's introspection passes the limits)", async () => {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const introspection: number[] = [];
        page.on("response", async (response) => {
            if (response.request().method() === "POST" && /IntrospectionQuery/.test(response.request().postData() ?? "")) introspection.push(response.status());
        });
        await page.goto(server.url, { waitUntil: "load" });
        await page.waitForSelector(".graphiql-execute-button", { timeout: 60_000 });
        await page.locator('button[aria-label="Show Documentation Explorer"]').click();
        const docs = page.locator(".graphiql-doc-explorer");
        await docs.getByText("Query", { exact: true }).first().click({ timeout: 30_000 });
        await docs.locator(".graphiql-doc-explorer-field-name", { hasText: "threatActors" }).first().waitFor({ timeout: 30_000 });
        const fields = await docs.locator(".graphiql-doc-explorer-field-name").allInnerTexts();
        for (const field of ["threatActors", "search", "shortestPath", "neighbourhood", "timeline"]) assert.ok(fields.includes(field), `docs list ${field}: ${fields.join(", ")}`);
        fs.mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
        await page.screenshot({ path: DOCS_SCREENSHOT });
        assert.ok(introspection.length > 0 && introspection.every((s) => s === 200), `introspection answered 200 (${introspection.join(", ")})`);
        assert.ok(fs.statSync(DOCS_SCREENSHOT).size > 20_000);
        await page.close();
    });
});
