/**
 * The first-hour errors, as a new user meets them: each is ONE line on stderr that says what happened and what to
 * do, with no stack trace, from the compiled CLI (`bin/cyberkg.js`, as `npx cyberkg` runs it). Also `--version`, and
 * a local Neo4j still shutting down when the next start comes (it is waited for, then a new one starts).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { REPO_ROOT } from "../../src/config.ts";
import { translateDriverError } from "../../src/neo4j/connection.ts";
import { LocalNeo4j, freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";

const BIN = path.join(REPO_ROOT, "bin", "cyberkg.js");
const uri = process.env.NEO4J_URI ?? "";

function cli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "silent", ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
}

/** The one line, and nothing that looks like a stack trace. */
function oneLine(stderr: string): string {
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
    assert.doesNotMatch(stderr, /^\s+at |Neo4jError|node_modules/m);
    return lines[0]!;
}

describe("CLI errors: one line, what happened and what to do", () => {
    it("prints its version", async () => {
        const { code, stdout } = await cli(["--version"], {});
        assert.equal(code, 0);
        assert.equal(stdout.trim(), (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version);
    });

    it("says the credentials were rejected (NEO4J_URI set, wrong NEO4J_PASSWORD), for start and for other commands", { skip: uri ? false : "needs the run's Neo4j" }, async () => {
        for (const args of [["start", "--no-data", "--port", "0"], ["retract", "article:none"]]) {
            const { code, stderr } = await cli(args, { NEO4J_URI: uri, NEO4J_PASSWORD: "definitely-wrong-password" });
            assert.equal(code, 1, stderr);
            assert.equal(oneLine(stderr), `cyberkg: Neo4j at ${uri} rejected the user name or password: check NEO4J_USER and NEO4J_PASSWORD`);
        }
    });

    it("says a server named by NEO4J_URI is unreachable without telling the user to start a local one", async () => {
        const port = await freePort();
        const { code, stderr } = await cli(["retract", "article:none"], { NEO4J_URI: `bolt://127.0.0.1:${port}`, NEO4J_PASSWORD: "some-password" });
        assert.equal(code, 1);
        const line = oneLine(stderr);
        assert.equal(line, `cyberkg: Neo4j unreachable at bolt://127.0.0.1:${port} (NEO4J_URI): check that the server runs and that NEO4J_URI names its Bolt address and port`);
        assert.doesNotMatch(line, /neo4j start/);
    });

    it("tells the user of the local runtime how to start it, or to set NEO4J_URI", () => {
        const refused = Object.assign(new Error("Failed to connect to server. Caused by: connect ECONNREFUSED 127.0.0.1:7687"), { code: "ServiceUnavailable" });
        assert.equal(
            translateDriverError(refused, "bolt://127.0.0.1:7687", { local: true }).message,
            "Neo4j unreachable at bolt://127.0.0.1:7687: start it with `npx cyberkg neo4j start` (or `npm start`), or set NEO4J_URI to use another server",
        );
        const denied = Object.assign(new Error("The client is unauthorized due to authentication failure."), { code: "Neo.ClientError.Security.Unauthorized" });
        assert.match(translateDriverError(denied, "bolt://127.0.0.1:7687", { local: true, passwordFile: "/x/.neo4j/password" }).message, /keeps the password it was created with \(\/x\/\.neo4j\/password\): unset NEO4J_PASSWORD/);
    });

    it("says the API port is busy and how to choose another", { skip: uri ? false : "needs the run's Neo4j" }, async () => {
        const blocker = net.createServer();
        await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
        const port = (blocker.address() as net.AddressInfo).port;
        try {
            const { code, stderr } = await cli(["start", "--no-data", "--port", String(port)], { NEO4J_URI: uri, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD });
            assert.equal(code, 1);
            assert.equal(oneLine(stderr), `cyberkg: Port ${port} on 127.0.0.1 is busy: stop what uses it, or choose another with PORT or --port`);
        } finally {
            blocker.close();
        }
    });
});

describe("quiet logs", { skip: uri ? false : "needs the run's Neo4j" }, () => {
    /** Runs `cyberkg start` against the run's Neo4j, sends one query, stops it; returns its stderr. */
    async function startAndQuery(logLevel: string): Promise<string> {
        const port = await freePort();
        const child = spawn(process.execPath, [BIN, "start", "--no-data", "--port", String(port)], {
            env: { PATH: process.env.PATH, HOME: process.env.HOME, NEO4J_URI: uri, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD, LOG_LEVEL: logLevel },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const exited = new Promise((resolve) => child.on("exit", resolve));
        const deadline = Date.now() + 120_000;
        while (!stdout.includes("Press Ctrl-C to stop") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        assert.ok(stdout.includes("cyberkg is running"), stderr);
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer secret-token" }, body: JSON.stringify({ query: "{ __typename }" }) });
        assert.equal(response.status, 200);
        child.kill("SIGTERM");
        await exited;
        return stderr;
    }

    it("logs requests only at debug level, as one short line without headers", async () => {
        const info = await startAndQuery("info");
        assert.doesNotMatch(info, /"url":"\/graphql"/, "no request line at the default level");
        const debug = await startAndQuery("debug");
        const lines = debug.split("\n").filter((l) => l.includes('"url":"/graphql"'));
        assert.equal(lines.length, 1, debug);
        assert.doesNotMatch(lines[0]!, /headers|authorization|secret-token/);
    });
});

describe("a local Neo4j still shutting down", { skip: fs.existsSync(path.join(REPO_ROOT, ".neo4j", "lib")) ? false : "no fetched Neo4j jars in .neo4j/" }, () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-test-restart-"));
    let second: LocalNeo4j | undefined;
    after(async () => {
        await second?.stop();
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("is waited for, then a new one starts (no 'already running' followed by ECONNREFUSED)", async () => {
        const options = { home, jarsHome: path.join(REPO_ROOT, ".neo4j"), boltPort: await freePort(), httpPort: await freePort(), heap: "512m", pagecache: "64m", startTimeoutMs: 180_000, password: "cyberkg-test-password" };
        const first = new LocalNeo4j(options);
        await first.start({ detached: true });
        const pid = first.status().pid!;
        // What Ctrl-C on `npm start` does (another process, in real life): SIGTERM, then wait for the JVM to exit.
        const stopping = first.stop();
        const progress: string[] = [];
        second = new LocalNeo4j(options);
        await second.start({ onProgress: (m) => progress.push(m) });
        await stopping;
        const status = second.status();
        assert.ok(status.running, "the new Neo4j runs (its pid file survived the old one's stop)");
        assert.notEqual(status.pid, pid, "a new Neo4j runs");
        assert.ok(progress.some((m) => /is shutting down; waiting for it to exit, then starting a new one/.test(m)), progress.join("\n"));
        await second.waitReady(undefined, 10_000);
    });
});

describe("missing jars and models: one line with the command that fixes it", () => {
    const made: string[] = [];
    const tmp = (prefix: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
        made.push(dir);
        return dir;
    };
    after(() => {
        for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
    });
    /** A PATH with Java (and javac) but no Maven, so nothing can be fetched again. */
    const pathWithoutMaven = () => {
        const bin = tmp("cyberkg-bin-");
        for (const tool of ["java", "javac"]) {
            const found = (process.env.PATH ?? "").split(":").map((d) => path.join(d, tool)).find((f) => fs.existsSync(f));
            if (found) fs.symlinkSync(found, path.join(bin, tool));
        }
        return bin;
    };
    const pomHash = (pom: string) => createHash("sha256").update(fs.readFileSync(path.join(REPO_ROOT, pom))).digest("hex");

    it("says which Neo4j jars are missing and to run `npx cyberkg neo4j fetch`, instead of Java's missing-class trace", async () => {
        const home = tmp("cyberkg-neo4j-jars-");
        fs.writeFileSync(path.join(home, ".fetched"), pomHash("neo4j/pom.xml")); // fetched once …
        fs.mkdirSync(path.join(home, "lib"));
        fs.writeFileSync(path.join(home, "lib", "neo4j-browser-5.24.0.jar"), "");
        fs.mkdirSync(path.join(home, "plugins"));
        fs.writeFileSync(path.join(home, "plugins", "apoc-core-5.26.19.jar"), ""); // … but the server jar is gone
        const { code, stderr } = await cli(["neo4j", "start", "--home", home, "--bolt-port", String(await freePort()), "--http-port", String(await freePort())], { PATH: pathWithoutMaven() });
        assert.equal(code, 1, stderr);
        assert.equal(
            oneLine(stderr),
            `cyberkg: Neo4j's jars are incomplete: lib/neo4j-5.26.x.jar missing from ${home}, and Maven is needed to fetch them again: install it (apt-get install maven), then run \`npx cyberkg neo4j fetch\`; or set NEO4J_URI to use an existing Neo4j`,
        );
    });

    it("says CoreNLP's models jar is missing and to run `npx cyberkg nlp fetch`", async () => {
        const home = tmp("cyberkg-corenlp-jars-");
        fs.mkdirSync(path.join(home, "lib"));
        fs.writeFileSync(path.join(home, "lib", ".fetched"), pomHash("nlp/pom.xml"));
        // The list a complete fetch recorded; the models jar has been deleted since.
        fs.writeFileSync(path.join(home, "lib", ".fetched-files"), "lib/stanford-corenlp-4.5.10-models.jar\nlib/stanford-corenlp-4.5.10.jar\nlib/xom-1.3.9.jar\n");
        for (const jar of ["stanford-corenlp-4.5.10.jar", "xom-1.3.9.jar"]) fs.writeFileSync(path.join(home, "lib", jar), "");
        const { code, stderr } = await cli(["nlp", "start", "--home", home, "--port", String(await freePort())], { PATH: pathWithoutMaven() });
        assert.equal(code, 1, stderr);
        assert.equal(
            oneLine(stderr),
            `cyberkg: CoreNLP's English models are incomplete: lib/stanford-corenlp-4.5.10-models.jar missing from ${home}, and Maven is needed to fetch them again: install it (apt-get install maven), then run \`npx cyberkg nlp fetch\`; or set NLP_URL to use a running CoreNLP server`,
        );
    });

    it("says Neo4j's Bolt port is busy and how to choose another", { skip: fs.existsSync(path.join(REPO_ROOT, ".neo4j", ".fetched")) ? false : "no fetched Neo4j jars in .neo4j/" }, async () => {
        const home = tmp("cyberkg-neo4j-port-");
        for (const dir of ["lib", "plugins"]) fs.symlinkSync(path.join(REPO_ROOT, ".neo4j", dir), path.join(home, dir));
        for (const file of [".fetched", ".fetched-files"]) if (fs.existsSync(path.join(REPO_ROOT, ".neo4j", file))) fs.copyFileSync(path.join(REPO_ROOT, ".neo4j", file), path.join(home, file));
        const blocker = net.createServer();
        await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
        const port = (blocker.address() as net.AddressInfo).port;
        try {
            const { code, stderr } = await cli(["neo4j", "start", "--home", home, "--bolt-port", String(port), "--http-port", String(await freePort())], {});
            assert.equal(code, 1, stderr);
            assert.equal(oneLine(stderr), `cyberkg: Port ${port} (Bolt) on 127.0.0.1 is busy: stop what uses it (\`ss -ltnp 'sport = :${port}'\`) or choose another port with NEO4J_BOLT_PORT or --bolt-port`);
        } finally {
            blocker.close();
        }
    });
});
