/**
 * Neo4j Browser, driven for real: headless Chromium (Debian's, via playwright-core) logs into the test Neo4j's
 * Browser with the test credentials; the post-connect command loads cyberkg's style and guide from the service
 * (started here on CYBERKG_TEST_SERVICE_URL, which test/run-integration.ts gives the local Neo4j); the test runs
 * the "Everything around an actor" starter query from the guide and checks the graph view: APT31's neighbourhood,
 * captioned by name, coloured by the style. The screenshot goes to test/artifacts/browser.png (git-ignored).
 *
 * Nothing is intercepted: the Browser's cross-origin fetches of the guide and style go through Chromium's real
 * CORS checks against the service. No request can leave this machine: Chromium's host resolver maps every
 * name but localhost to nothing; such attempts are counted, and the test passes without them.
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
    const failed: string[] = [];
    const consoleErrors: string[] = [];
    let postConnectConfigured = false;

    before(async () => {
        const graph = await freshGraph();
        const summary = await loadFiles(INPUTS, graph.loader);
        assert.equal(summary.rejected, 0, JSON.stringify(summary.errors));
        const service = new URL(serviceUrl);
        // The service is NOT told where this Browser runs (NEO4J_HTTP_PORT stays 7474, CORS_ORIGINS names another
        // host): like a Docker-mapped port, Neo4j Desktop or a colleague's Browser, its origin is one the API does
        // not know, and the guide and style must load anyway.
        server = await startServer(
            loadConfig({ PORT: Number(service.port), HOST: "127.0.0.1", PUBLIC_URL: serviceUrl, NEO4J_HTTP_PORT: 7474, CORS_ORIGINS: "http://analyst.example", NODE_ENV: "test" }),
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
        // No request interception (a route() handler would answer CORS preflights itself and hide a broken
        // server): requests are only observed. Names other than localhost resolve to nothing (host-resolver-rules).
        context.on("request", (request) => (isLocal(request.url()) ? local : blocked).push(request.url()));
        context.on("requestfailed", (request) => failed.push(`${request.url()}: ${request.failure()?.errorText ?? "failed"}`));
        context.on("console", (message) => {
            if (message.type() === "error") consoleErrors.push(message.text());
        });
        page = await context.newPage();
        page.on("websocket", (ws) => sockets.push(ws.url()));
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        await closeTestDriver();
        process.stderr.write(`[browser] ${local.length} local requests, ${sockets.length} websockets (${[...new Set(sockets.map((u) => new URL(u).host))].join(", ")}), ${blocked.length} external requests (unresolvable)${blocked.length ? `: ${[...new Set(blocked.map((u) => new URL(u).host))].join(", ")}` : ""}\n`);
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
            await typeCommand(page, `:guide ${serviceUrl}/browser/start.html`); // opens in the guide drawer, no frame
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

    it("loads the style and the guide typed by hand (:style, :guide), as the README tells users of any Browser", async () => {
        const before = local.filter((u) => u.startsWith(`${serviceUrl}/browser/`)).length;
        // Leave the fullscreen graph of the previous test, so the editor is reachable again.
        await page.locator('[data-testid="frame"]').first().locator('button[title="Close fullscreen"]').click();
        for (const [command, file] of [[":style", "style.grass"], [":guide", "start.html"]] as const) {
            const response = page.waitForResponse((r) => r.url() === `${serviceUrl}/browser/${file}` && r.request().method() === "GET", { timeout: 30_000 });
            await typeCommand(page, `${command} ${serviceUrl}/browser/${file}`);
            assert.equal((await response).status(), 200, `${command} fetched ${file}`);
        }
        const guide = page.locator('[data-testid="guidesDrawer"]');
        await guide.locator("h3", { hasText: "cyberkg: state cyber operations and sanctions" }).waitFor({ timeout: 30_000 });
        const fetched = local.filter((u) => u.startsWith(`${serviceUrl}/browser/`));
        assert.ok(fetched.length > before, "the Browser fetched the style and guide again");
        assert.ok(fetched.some((u) => u.endsWith("/style.grass")) && fetched.some((u) => u.endsWith("/start.html")));
    });

    it("had no CORS failure and sent no request off this machine", () => {
        const service = failed.filter((f) => f.startsWith(serviceUrl));
        assert.deepEqual(service, [], "every request to the service succeeded");
        const cors = consoleErrors.filter((e) => /CORS|Access-Control/i.test(e));
        assert.deepEqual(cors, [], "no CORS error in the Browser's console");
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

async function typeCommand(page: Page, command: string): Promise<void> {
    await page.locator('[data-testid="activeEditor"]').click();
    await page.keyboard.type(command);
    await page.keyboard.press("Control+Enter");
}

async function runCommand(page: Page, command: string): Promise<void> {
    const frames = await page.locator('[data-testid="frame"]').count();
    await typeCommand(page, command);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="frame"]').length > n, frames, { timeout: 30_000 });
}
