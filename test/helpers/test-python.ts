/**
 * The Python that runs the test-only packages of test/requirements.txt (OASIS's stix2-validator, followthemoney):
 * python3 when it already imports the module, else the venv .venv/test (git-ignored), created and filled from
 * test/requirements.txt with pip on first use, so `npm test` needs no manual Python step (CI installs the file).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../../src/config.ts";

const VENV = path.join(REPO_ROOT, ".venv", "test");

export function testPython(module: string): string {
    const venvPython = path.join(VENV, "bin", "python");
    for (const candidate of [venvPython, "python3"]) {
        if (spawnSync(candidate, ["-c", `import ${module}`], { encoding: "utf8" }).status === 0) return candidate;
    }
    const requirements = path.join(REPO_ROOT, "test", "requirements.txt");
    const steps: [string, string[]][] = [
        ["python3", ["-m", "venv", VENV]],
        [venvPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements]],
    ];
    for (const [command, args] of steps) {
        if (command === "python3" && spawnSync(venvPython, ["--version"]).status === 0) continue;
        const run = spawnSync(command, args, { encoding: "utf8", timeout: 600_000 });
        if (run.status !== 0) {
            throw new Error(`${module} is not installed and installing it into ${VENV} failed (${command} ${args.join(" ")}: ${(run.stderr || run.error?.message || "").trim().split("\n").pop()}): run pip install -r test/requirements.txt`);
        }
    }
    return venvPython;
}
