/**
 * Runs the unit tests (`src/**\/*.test.ts`, `bench/**\/*.test.ts`) with ONE CoreNLP server for the whole run: NLP_URL if set, else the
 * local runtime on a free port with a throwaway home (stopped at the end). Test files get it as NLP_URL, behind the run's
 * parse cache (test/helpers/nlp-cache.ts).
 * Usage: tsx test/run-unit.ts [test files…]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../src/config.ts";
import { provideRunNlp } from "./helpers/nlp-for-run.ts";

function unitTests(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(".test.ts"))
        .map((e) => path.relative(REPO_ROOT, path.join(e.parentPath, e.name)))
        .sort();
}

const files = process.argv.slice(2);
const tests = files.length > 0 ? files : [...unitTests(path.join(REPO_ROOT, "src")), ...unitTests(path.join(REPO_ROOT, "bench"))];
const nlp = await provideRunNlp();
process.stderr.write(`[test] ${nlp.describe()}\n`);
let code = 1;
try {
    const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...tests], {
        stdio: "inherit",
        cwd: REPO_ROOT,
        env: { ...process.env, NLP_URL: nlp.url },
    });
    code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
} finally {
    await nlp.stop();
}
process.exit(code);
