/**
 * Where tests get their CoreNLP server, in this order:
 *   1. NLP_URL — a server someone else runs (a developer's, or CI's);
 *   2. the local runtime (the jars fetched into .corenlp/ by `npx cyberkg nlp fetch`) on a free port with a
 *      throwaway home, stopped at the end of the run.
 * `test/run-unit.ts` and `test/run-integration.ts` call this once per run and pass NLP_URL to every test file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../src/config.ts";
import { freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { LocalCoreNLP } from "../../src/nlp/runtime/LocalCoreNLP.ts";

export interface TestNlpServer {
    url: string;
    kind: "external" | "local";
    stop(): Promise<void>;
}

/** The jars every test home shares (fetched once; CI does it in .ci/run). */
export const TEST_NLP_JARS_HOME = path.join(REPO_ROOT, ".corenlp");

/** A throwaway local runtime on a free port that shares the fetched jars (not started). */
export async function throwawayNlpRuntime(): Promise<{ runtime: LocalCoreNLP; home: string }> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-test-corenlp-"));
    const runtime = new LocalCoreNLP({
        home,
        jarsHome: TEST_NLP_JARS_HOME,
        port: await freePort(),
        heap: process.env.NLP_HEAP ?? "3g",
        threads: 2,
        timeoutMs: 120_000,
        startTimeoutMs: 600_000,
        maxCharLength: 100_000,
        javaHome: process.env.JAVA_HOME,
    });
    return { runtime, home };
}

export async function provideCoreNlp(): Promise<TestNlpServer> {
    if (process.env.NLP_URL) return { url: process.env.NLP_URL, kind: "external", stop: async () => {} };
    const { runtime, home } = await throwawayNlpRuntime();
    await runtime.start({ onProgress: (m) => process.stderr.write(`[test-corenlp] ${m}\n`) });
    return {
        url: runtime.url,
        kind: "local",
        stop: async () => {
            await runtime.stop();
            fs.rmSync(home, { recursive: true, force: true });
        },
    };
}
