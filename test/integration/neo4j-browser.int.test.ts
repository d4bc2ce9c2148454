/**
 * Neo4j Browser, driven for real: headless Chromium (Debian's, via playwright-core) logs into the test Neo4j's
 * Browser with the test credentials; the post-connect command loads cyberkg's style and guide from the service
 * (started here on CYBERKG_TEST_SERVICE_URL, which test/run-integration.ts gives the local Neo4j); the test runs
 * the "Everything around an actor" starter query from the guide and checks the graph view: APT31's neighbourhood,
 * captioned by name, coloured by the style. The screenshot goes to test/artifacts/browser.png (git-ignored).
 *
 * No request may leave this machine: every non-local request is aborted and counted (and Chromium's host
 * resolver maps every other name to nothing), and the test passes without them.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const INPUTS = [path.join(REPO_ROOT, "data", "articles")];
const SCREENSHOT = path.join(REPO_ROOT, "test", "artifacts", "browser.png");
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const httpUrl = process.env.NEO4J_HTTP_URL ?? "";
const serviceUrl = process.env.CYBERKG_TEST_SERVICE_URL ?? "";
const skip = !fs.existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`
    : !httpUrl
      ? "the test Neo4j has no HTTP URL (NEO4J_HTTP_URL) for its Browser"
      : !serviceUrl
        ? "CYBERKG_TEST_SERVICE_URL is not set: run through test/run-integration.ts"
        : "";
if (skip && process.env.CI) throw new Error(`Browser test cannot run in CI: ${skip}`);

describe("Neo4j Browser with cyberkg's style and guide", { skip: skip || false }, () => {
    let server: RunningServer;
    let browser: Browser;
    let page: Page;
    const blocked: string[] = [];
    const local: string[] = [];
    const sockets: string[] = [];
    let postConnectConfigured = false;

    before(async () => {
        const graph = await freshGraph();
        const summary = await loadFiles(INPUTS, graph.loader);
        assert.equal(summary.rejected, 0, JSON.stringify(summary.errors));
        const service = new URL(serviceUrl);
        server = await startServer(
            loadConfig({ PORT: Number(service.port), HOST: "127.0.0.1", PUBLIC_URL: serviceUrl, NEO4J_HTTP_PORT: Number(new URL(httpUrl).port), NODE_ENV: "test" }),
            graph.driver,
            DATABASE,
        );
        const { records } = await graph.driver.executeQuery("CALL dbms.clientConfig() YIELD name, value WHERE name = 'browser.post_connect_cmd' RETURN value", {}, { database: DATABASE });
        postConnectConfigured = records.some((r) => String(r.get("value")).includes(`${serviceUrl}/browser/start.html`));

        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
            ],
        });
        const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
        await context.route("**/*", (route) => {
            const url = route.request().url();
            if (isLocal(url)) {
                local.push(url);
                return route.continue();
            }
            blocked.push(url);
            return route.abort("blockedbyclient");
        });
        page = await context.newPage();
        page.on("websocket", (ws) => sockets.push(ws.url()));
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        await closeTestDriver();
        process.stderr.write(`[browser] ${local.length} local requests, ${sockets.length} websockets (${[...new Set(sockets.map((u) => new URL(u).host))].join(", ")}), ${blocked.length} external requests blocked${blocked.length ? `: ${[...new Set(blocked.map((u) => new URL(u).host))].join(", ")}` : ""}\n`);
    });

    it("logs in, loads the guide, runs a starter query and shows APT31's neighbourhood styled and captioned by name", async () => {
        const bolt = process.env.NEO4J_URI!.replace(/^neo4j:/, "bolt:");
        await page.goto(`${httpUrl}/browser/`, { waitUntil: "domcontentloaded" });
        await page.locator('[data-testid="boltaddress"]').fill(bolt);
        await page.locator('[data-testid="username"]').fill(process.env.NEO4J_USER ?? "neo4j");
        await page.locator('[data-testid="password"]').fill(process.env.NEO4J_PASSWORD ?? "");
        await page.locator('[data-testid="connect"]').click();

        const guide = page.locator('[data-testid="guidesDrawer"]');
        if (!postConnectConfigured) {
            // A Neo4j this run did not configure: load the style and guide by hand, as the README tells users to.
            await runCommand(page, `:style ${serviceUrl}/browser/style.grass`);
            await runCommand(page, `:guide ${serviceUrl}/browser/start.html`);
        }
        await guide.locator("h3", { hasText: "cyberkg: state cyber operations and sanctions" }).waitFor({ timeout: 60_000 });

        // Slide 2 is "Everything around an actor (2 hops)": run its :params block, then its query.
        await page.locator('[data-testid="guideNextSlide"]').click();
        await guide.locator("h3", { hasText: "Everything around an actor (2 hops)" }).waitFor();
        await runRunnable(page, guide.locator("pre.runnable", { hasText: ":params" }));
        await runRunnable(page, guide.locator("pre.runnable", { hasText: "MATCH (a:Entity)" }));

        const viz = page.locator('[data-testid="frame"]').first().locator("svg g.node");
        await viz.first().waitFor({ timeout: 60_000 });
        await page.locator('[data-testid="frame"]').first().locator('button[title="Fullscreen"]').click();
        await page.waitForTimeout(3000); // let the force layout settle, then zoom in for the screenshot
        for (let i = 0; i < 2; i++) await page.locator('button[aria-label="zoom-in"]').first().click();
        await page.waitForTimeout(1000);
        const nodes = await page.locator('[data-testid="frame"]').first().evaluate((frame) =>
            [...frame.querySelectorAll("svg g.node")].map((g) => ({
                caption: [...g.querySelectorAll("text")].map((t) => t.textContent ?? "").join(" ").replace(/\s+/g, " ").trim(),
                fill: g.querySelector("circle.b-outline")?.getAttribute("fill") ?? g.querySelector("circle")?.getAttribute("fill") ?? "",
            })),
        );
        fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT });

        const captions = nodes.map((n) => n.caption);
        for (const name of ["APT31", "Ni Gaobin", "Zhao Guangzong", "UK politicians", "Wuhan Xiaoruizhi Science and Technology Company", "Defence", "China", "United Kingdom"]) {
            assert.ok(captions.some((c) => showsName(c, name)), `graph view shows ${name}; captions: ${captions.join(" | ")}`);
        }
        assert.ok(!captions.some((c) => showsName(c, "Volt Typhoon")));
        const apt31 = nodes.find((n) => /(^|\s)APT31$/.test(n.caption) || n.caption.endsWith("APT31"));
        assert.ok(apt31, "APT31 node");
        assert.match(apt31.caption, /☠/, "ThreatActor caption from the cyberkg style");
        assert.equal(apt31.fill.toUpperCase(), "#D62728", "ThreatActor colour from the cyberkg style");
        assert.ok(fs.statSync(SCREENSHOT).size > 20_000);
    });

    it("sent no request off this machine", () => {
        assert.ok(local.some((u) => u.startsWith(`${serviceUrl}/browser/`)), "the guide and style came from the service");
        for (const url of [...local, ...sockets]) assert.ok(isLocal(url), url);
        // Blocked requests (the Browser's optional calls home) are reported in the log; the test passed without them.
    });
});

/** The caption is the style's symbol and the name, which the Browser shortens with "…" to fit the node. */
function showsName(caption: string, name: string): boolean {
    const text = caption.replace(/^[^\p{L}\p{N}]+\s*/u, "").trim();
    if (text === name) return true;
    const shortened = text.endsWith("…") ? text.slice(0, -1).trim() : text;
    return shortened.length >= 4 && name.startsWith(shortened);
}

function isLocal(url: string): boolean {
    if (url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")) return true;
    try {
        return LOCAL_HOSTS.has(new URL(url).hostname) || new URL(url).hostname === "::1";
    } catch {
        return false;
    }
}

async function runRunnable(page: Page, runnable: ReturnType<Page["locator"]>): Promise<void> {
    const frames = await page.locator('[data-testid="frame"]').count();
    await runnable.first().click();
    await page.locator('[data-testid="activeEditor"]').click();
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="frame"]').length > n, frames, { timeout: 30_000 });
}

async function runCommand(page: Page, command: string): Promise<void> {
    const frames = await page.locator('[data-testid="frame"]').count();
    await page.locator('[data-testid="activeEditor"]').click();
    await page.keyboard.type(command);
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="frame"]').length > n, frames, { timeout: 30_000 });
}
