/**
 * `npm test` after the type check: the unit runner, then the integration runner, with ONE CoreNLP server and ONE parse
 * cache for both (the unit suite parses the dev corpus, the integration suite parses it again with the rest of the
 * corpus: each article goes through CoreNLP once per run). Stops at the first failing runner, like `a && b`.
 * Usage: tsx test/run-all.ts
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { provideRunNlp } from "./helpers/nlp-for-run.ts";

const nlp = await provideRunNlp();
process.stderr.write(`[test] ${nlp.describe()}\n`);
let code = 1;
try {
    for (const runner of ["run-unit.ts", "run-integration.ts"]) {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, runner)], {
            stdio: "inherit",
            env: { ...process.env, NLP_URL: nlp.url, CYBERKG_TEST_NLP_CACHED: "1" },
        });
        code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
        if (code !== 0) break;
    }
} finally {
    await nlp.stop();
}
process.exit(code);
