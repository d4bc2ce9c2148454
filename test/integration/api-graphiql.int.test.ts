/**
 * The offline IDE in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
 * opens GET /graphql, runs the preloaded first README example and sees APT31's targets in the result pane;
 * every request the page makes stays on 127.0.0.1 (no CDN).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
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
        await result.getByText("UK politicians").first().waitFor({ timeout: 30_000 });
        // The pane is a CodeMirror 5 editor that renders only visible lines: read its whole value.
        const text = await page.evaluate(() => {
            const element = document.querySelector(".graphiql-response .CodeMirror") as (Element & { CodeMirror?: { getValue(): string } }) | null;
            return element?.CodeMirror?.getValue() ?? "";
        });
        for (const target of ["Defence", "Energy", "Information Technology", "UK politicians"]) assert.ok(text.includes(target), target);

        const tabs = await page.locator(".graphiql-tab").count();
        assert.ok(tabs >= 8, `the README examples are preloaded as tabs (found ${tabs})`);
        const outside = requests.filter((url) => !/^(https?:\/\/127\.0\.0\.1(:\d+)?\/|data:|blob:)/.test(url));
        assert.deepEqual(outside, [], "every request stays on 127.0.0.1");
        assert.deepEqual(errors, []);
        await page.close();
    });
});
