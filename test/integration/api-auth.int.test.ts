/**
 * Tokens over HTTP against the real API (issue 12): only a well-formed, correctly signed, time-bounded bearer
 * token with an array of roles including "editor" may write; everything else is UNAUTHENTICATED with nothing
 * written (never INTERNAL_SERVER_ERROR); reads stay open. Writes are logged with the token's subject, never the token.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { SignJWT, type JWTPayload } from "jose";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { TEST_JWT_SECRET, editorToken, graphql } from "./api-client.ts";

const INGEST = `mutation Ingest($document: JSON!) { ingestFacts(document: $document) { sourceId status claims } }`;
const DOCUMENT = (id: string) => ({
    article: { id, title: "Auth test article", publishedAt: "2024-06-01" },
    entities: [
        { id: "a", type: "ThreatActor", name: "Auth Test Actor", aliases: [] },
        { id: "s", type: "Sector", name: "Water", aliases: [] },
    ],
    facts: [{ subject: "a", predicate: "TARGETED", object: "s" }],
});
const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: JWTPayload, secret = TEST_JWT_SECRET) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(secret));
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const editor = () => ({ sub: "t", roles: ["editor"], iat: now(), exp: now() + 600 });

describe("API tokens", () => {
    let server: RunningServer;
    let graph: Awaited<ReturnType<typeof freshGraph>>;

    before(async () => {
        graph = await freshGraph();
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production", JWT_SECRET: TEST_JWT_SECRET }), graph.driver, DATABASE);
    });
    after(async () => {
        await server?.close();
        await closeTestDriver();
    });

    it("rejects every bad token with UNAUTHENTICATED and writes nothing", async () => {
        const { exp: _e, ...noExp } = editor();
        const cases: [string, string][] = [
            ["alg none", `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(editor())}.`],
            ["wrong key", `Bearer ${await sign(editor(), "another-secret-0123456789-0123456789-xyz")}`],
            ["expired", `Bearer ${await sign({ ...editor(), iat: now() - 900, exp: now() - 300 })}`],
            ["no exp", `Bearer ${await sign(noExp)}`],
            ["future iat", `Bearer ${await sign({ ...editor(), iat: now() + 3600, exp: now() + 4000 })}`],
            ["lifetime above the maximum", `Bearer ${await sign({ ...editor(), exp: now() + 40 * 86_400 })}`],
            ["wrong role", `Bearer ${await sign({ ...editor(), roles: ["reader"] })}`],
            ["no Bearer prefix", await sign(editor())],
            ["roles as a string", `Bearer ${await sign({ ...editor(), roles: "editor" })}`],
            ["roles as an object", `Bearer ${await sign({ ...editor(), roles: { includes: "editor", some: 1 } })}`],
        ];
        const before = await graphCounts(graph.driver);
        for (const [what, authorization] of cases) {
            const result = await graphql(server.url, INGEST, { document: DOCUMENT(`article:auth-${what.replace(/\W+/g, "-")}`) }, { authorization });
            assert.equal(result.errors?.[0]?.extensions?.code, "UNAUTHENTICATED", `${what}: ${JSON.stringify(result)}`);
            assert.doesNotMatch(JSON.stringify(result), /stacktrace|is not a function/, what);
        }
        assert.deepEqual(await graphCounts(graph.driver), before);
    });

    it("keeps reads open when a bad token is sent, and lets a good editor token write", async () => {
        const read = await graphql(server.url, `{ threatActors(where: { name: { eq: "APT31" } }) { name } }`, undefined, { authorization: `Bearer ${await sign({ ...editor(), roles: "editor" })}` });
        assert.deepEqual(read.data, { threatActors: [{ name: "APT31" }] });
        const ok = await graphql(server.url, INGEST, { document: DOCUMENT("article:auth-ok") }, { authorization: `Bearer ${await editorToken()}` });
        assert.equal(ok.data?.ingestFacts.status, "loaded", JSON.stringify(ok));
    });
});

describe("write audit log", () => {
    after(closeTestDriver);
    it("logs who wrote what (the token's subject) and never the token", async () => {
        await freshGraph();
        const port = await freePort();
        const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "cyberkg.js"), "start", "--no-data", "--port", String(port)], {
            env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "info", JWT_SECRET: TEST_JWT_SECRET },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        try {
            await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`API did not start: ${stderr}`)), 120_000);
                child.stdout.on("data", (d: Buffer) => d.toString().includes("cyberkg is running") && (clearTimeout(timer), resolve()));
                child.once("exit", (code) => reject(new Error(`start exited ${code}: ${stderr}`)));
            });
            const token = await sign({ sub: "alice@example.org", roles: ["editor"], iat: now(), exp: now() + 600 });
            const url = `http://127.0.0.1:${port}/graphql`;
            const result = await graphql(url, INGEST, { document: DOCUMENT("article:auth-audit") }, { authorization: `Bearer ${token}` });
            assert.equal(result.data?.ingestFacts.status, "loaded", JSON.stringify(result));
            await graphql(url, INGEST, { document: DOCUMENT("article:auth-audit-2") }, { authorization: token });
            await new Promise((r) => setTimeout(r, 300));
            const writes = stderr.split("\n").filter((l) => l.includes('"msg":"write"')).map((l) => JSON.parse(l));
            assert.equal(writes.length, 1, stderr);
            assert.equal(writes[0].sub, "alice@example.org");
            assert.equal(writes[0].mutation, "ingestFacts");
            assert.equal(writes[0].sourceId, "article:auth-audit");
            assert.equal(stderr.includes(token.split(".")[2]!), false, "the token's signature appears in the log");
        } finally {
            child.kill("SIGINT");
            await new Promise((r) => child.once("exit", r));
        }
    });
});
