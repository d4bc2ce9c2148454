/**
 * CLI start-up benchmark: how long `npx cyberkg --help` / `--version` take, as `npx` runs them (node bin/cyberkg.js,
 * the compiled CLI in dist/), against the same commands through tsx (TypeScript compiled at each start, as before
 * the compiled CLI). Each command runs N times after one warm-up run (which also builds dist/ if it is stale);
 * prints min / median / max wall time and the median CPU time of the child, and the machine's load average, since
 * on a shared machine the wall time follows the load. The target: `--help` ≤ 1 s on the 2-core machine.
 *   npm run bench:cli [-- N]          N defaults to 10
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../src/config.ts";

const runs = Number(process.argv[2] ?? 10);
const BIN = path.join(REPO_ROOT, "bin", "cyberkg.js");
const SRC = path.join(REPO_ROOT, "src", "cli", "index.ts");

interface Sample {
    wallMs: number;
    cpuMs: number;
}

/** CPU time of this process's waited-for children so far (Linux: /proc/self/stat cutime + cstime, 100 ticks/s). */
function childrenCpuMs(): number {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10; // fields 16 and 17 of proc(5), counted from the state field
}

/** One run: wall clock, and the child's user + system CPU. */
function once(args: string[]): Sample {
    const cpuBefore = childrenCpuMs();
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8" });
    const wallMs = performance.now() - started;
    if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
    return { wallMs, cpuMs: childrenCpuMs() - cpuBefore };
}

function measure(label: string, args: string[]): void {
    once(args); // warm-up: builds dist/ when stale, fills the OS file cache and tsx's cache
    const samples = Array.from({ length: runs }, () => once(args));
    const walls = samples.map((s) => s.wallMs).sort((a, b) => a - b);
    const cpus = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
    console.log(
        `${label.padEnd(34)} wall min ${walls[0]!.toFixed(0).padStart(5)} ms  median ${median(walls).toFixed(0).padStart(5)} ms  max ${walls.at(-1)!.toFixed(0).padStart(5)} ms  | CPU median ${median(cpus).toFixed(0).padStart(5)} ms`,
    );
}

console.log(`${runs} runs each; load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (${os.cpus().length} CPUs)`);
measure("cyberkg --help (compiled)", [BIN, "--help"]);
measure("cyberkg --version (compiled)", [BIN, "--version"]);
measure("cyberkg --help (through tsx)", ["--import", "tsx", SRC, "--help"]);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
