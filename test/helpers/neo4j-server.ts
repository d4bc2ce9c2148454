/**
 * Where tests get their Neo4j, in this order:
 *   1. NEO4J_URI (+ NEO4J_PASSWORD) — a server someone else runs (CI's test runner sets this);
 *   2. testcontainers' Neo4j module, if a Docker engine answers;
 *   3. the local runtime (Maven jars) on free ports with a throwaway data dir.
 * `test/run-integration.ts` calls this once per test run and passes the server to every test file.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../src/config.ts";
import { LocalNeo4j, freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";

export interface TestServer {
    uri: string;
    user: string;
    password: string;
    httpUrl?: string;
    /** How it was provided, for the log line. */
    kind: "external" | "testcontainers" | "local";
    stop(): Promise<void>;
}

export async function provideNeo4j(): Promise<TestServer> {
    if (process.env.NEO4J_URI) {
        return { uri: process.env.NEO4J_URI, user: process.env.NEO4J_USER ?? "neo4j", password: process.env.NEO4J_PASSWORD ?? "", httpUrl: process.env.NEO4J_HTTP_URL, kind: "external", stop: async () => {} };
    }
    if (dockerAnswers()) return startContainer();
    return startLocal();
}

function dockerAnswers(): boolean {
    const result = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 5000 });
    return result.status === 0 && result.stdout.trim().length > 0;
}

async function startContainer(): Promise<TestServer> {
    const { Neo4jContainer } = await import("@testcontainers/neo4j");
    const password = "cyberkg-test-password";
    // The image bundles APOC core in labs/; NEO4J_PLUGINS copies it from there (no download).
    const container = await new Neo4jContainer("neo4j:5.26-community").withPassword(password).withEnvironment({ NEO4J_PLUGINS: '["apoc"]' }).start();
    return { uri: container.getBoltUri(), user: "neo4j", password, httpUrl: container.getHttpUri(), kind: "testcontainers", stop: async () => void (await container.stop()) };
}

async function startLocal(): Promise<TestServer> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-test-neo4j-"));
    const [boltPort, httpPort] = [await freePort(), await freePort()];
    const runtime = new LocalNeo4j({
        home,
        jarsHome: path.join(REPO_ROOT, ".neo4j"), // reuse the fetched jars, throwaway data
        boltPort,
        httpPort,
        heap: "1g",
        pagecache: "256m",
        startTimeoutMs: 180_000,
        password: "cyberkg-test-password",
        serviceUrl: process.env.CYBERKG_TEST_SERVICE_URL,
    });
    await runtime.start({ onProgress: (m) => process.stderr.write(`[test-neo4j] ${m}\n`) });
    return {
        uri: runtime.boltUri,
        user: "neo4j",
        password: runtime.password(),
        httpUrl: `http://127.0.0.1:${httpPort}`,
        kind: "local",
        stop: async () => {
            await runtime.stop();
            fs.rmSync(home, { recursive: true, force: true });
        },
    };
}
