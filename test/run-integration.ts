/**
 * Runs the integration tests against ONE real Neo4j and ONE CoreNLP server for the whole run (node's test runner
 * starts a process per file, so the servers are started here and handed to the files through NEO4J_* and NLP_URL;
 * CoreNLP behind the run's parse cache, test/helpers/nlp-cache.ts).
 * Usage: tsx test/run-integration.ts [test files…]   (default: test/integration/*.int.test.ts)
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { provideNeo4j } from "./helpers/neo4j-server.ts";
import { provideRunNlp } from "./helpers/nlp-for-run.ts";
import { freePort } from "../src/neo4j/runtime/LocalNeo4j.ts";

const files = process.argv.slice(2);
const tests =
    files.length > 0
        ? files
        : fs
              .readdirSync(path.join(import.meta.dirname, "integration"))
              .filter((f) => f.endsWith(".int.test.ts"))
              .sort()
              .map((f) => path.join("test", "integration", f));

const external = Boolean(process.env.NEO4J_URI);
// Where the Browser test runs the cyberkg service: the local Neo4j points its post-connect style and guide there.
process.env.CYBERKG_TEST_SERVICE_URL ??= `http://localhost:${await freePort()}`;
// Both start at once (Neo4j ~20 s, CoreNLP's models ~30 s); if one fails, the other is stopped.
const [neo4jStart, nlpStart] = await Promise.allSettled([provideNeo4j(), provideRunNlp()]);
if (neo4jStart.status === "rejected" || nlpStart.status === "rejected") {
    if (neo4jStart.status === "fulfilled") await neo4jStart.value.stop();
    if (nlpStart.status === "fulfilled") await nlpStart.value.stop();
    throw neo4jStart.status === "rejected" ? neo4jStart.reason : (nlpStart as PromiseRejectedResult).reason;
}
const server = neo4jStart.value;
const nlp = nlpStart.value;
process.stderr.write(`[test] Neo4j (${server.kind}) at ${server.uri}; ${nlp.describe()}\n`);
// What test files share within this run (the recorded registry graph of test/helpers/registry-snapshot.ts); removed at the end.
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-test-run-"));
let code = 1;
try {
    // --test-timeout bounds a hung file (600 s: the outage file restarts Neo4j twice, which takes minutes on a loaded machine).
    const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=600000", ...tests], {
        stdio: "inherit",
        env: {
            ...process.env,
            NODE_ENV: "test",
            TZ: "UTC",
            NEO4J_URI: server.uri,
            NEO4J_USER: server.user,
            NEO4J_PASSWORD: server.password,
            NEO4J_HTTP_URL: server.httpUrl ?? "",
            NLP_URL: nlp.url,
            CYBERKG_TEST_STATE_DIR: stateDir,
            // The JVMs the test files start (their own short-lived Neo4j servers, neo4j-admin, the CoreNLP of the runtime
            // test) compile with C1 only: ~40% less CPU to a Neo4j that answers (16 s vs 26 s measured), the same servers.
            // The run's own Neo4j above, which serves every file, keeps the default JIT.
            JDK_JAVA_OPTIONS: [process.env.JDK_JAVA_OPTIONS, "-XX:TieredStopAtLevel=1"].filter(Boolean).join(" "),
            // Only a server this run started may be wiped between tests.
            CYBERKG_TEST_ALLOW_WIPE: external ? (process.env.CYBERKG_TEST_ALLOW_WIPE ?? "") : "1",
        },
    });
    code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
} finally {
    await Promise.all([server.stop(), nlp.stop()]);
    fs.rmSync(stateDir, { recursive: true, force: true });
}
process.exit(code);
