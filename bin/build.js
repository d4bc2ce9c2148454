// Compiles src/**/*.ts to dist/**/*.js with esbuild (type-stripping only: `npm run lint` type-checks), so that
// `npx cyberkg` starts in plain Node instead of compiling TypeScript at every start. bin/cyberkg.js calls
// ensureBuilt() first: it rebuilds when dist/ is missing or older than any source file, so there is no install
// script to rely on (npm 11 may skip those) and a `git pull` never runs stale code. `node bin/build.js` forces it.
//
// dist/ mirrors src/ file by file (dist/config.js, dist/api/server.js, …), so paths computed from
// import.meta.url (the repo root, data/registry/, node_modules) resolve exactly as they do from src/.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SRC = path.join(ROOT, "src");
const DIST = path.join(ROOT, "dist");
const STAMP = path.join(DIST, ".built");
/** Files copied as they are (read at run time next to the module that uses them). */
const COPIED = [/\.jsx$/];

function sources(dir = SRC, out = []) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) sources(file, out);
        else if ((entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts")) || COPIED.some((re) => re.test(entry.name))) out.push(file);
    }
    return out;
}

/** Newest modification time among the sources and the build script itself (a changed build rebuilds). */
function newestSource(files) {
    let newest = fs.statSync(fileURLToPath(import.meta.url)).mtimeMs;
    for (const file of files) newest = Math.max(newest, fs.statSync(file).mtimeMs);
    // A deleted source leaves the directory's mtime newer.
    for (const file of files) newest = Math.max(newest, fs.statSync(path.dirname(file)).mtimeMs);
    return newest;
}

function isFresh(files) {
    try {
        return Number(fs.readFileSync(STAMP, "utf8")) >= newestSource(files);
    } catch {
        return false;
    }
}

export async function build(files = sources()) {
    const { build: esbuild } = await import("esbuild");
    const newest = newestSource(files); // before compiling: a file edited meanwhile makes the build stale
    const tmp = `${DIST}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const scripts = files.filter((f) => f.endsWith(".ts"));
    await esbuild({
        entryPoints: scripts,
        outdir: tmp,
        outbase: SRC,
        bundle: true, // only to run the plugin below over every import: everything stays external
        packages: "external",
        platform: "node",
        format: "esm",
        target: "node20",
        sourcemap: "inline",
        logLevel: "error",
        plugins: [
            {
                name: "relative-ts-to-js",
                setup(b) {
                    b.onResolve({ filter: /^\.\.?\// }, (args) => ({ path: args.path.replace(/\.ts$/, ".js"), external: true }));
                },
            },
        ],
    });
    for (const file of files.filter((f) => !f.endsWith(".ts"))) {
        const target = path.join(tmp, path.relative(SRC, file));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(file, target);
    }
    fs.writeFileSync(path.join(tmp, ".built"), String(newest));
    // Swap in the new build; a concurrent build of the same sources produces the same files.
    fs.rmSync(DIST, { recursive: true, force: true });
    try {
        fs.renameSync(tmp, DIST);
    } catch (error) {
        if (!fs.existsSync(STAMP)) throw error;
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** Builds if needed; returns the URL of the compiled CLI entry point. */
export async function ensureBuilt() {
    const files = sources();
    if (!isFresh(files)) await build(files);
    return pathToFileURL(path.join(DIST, "cli", "index.js")).href;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const started = performance.now();
    await build();
    process.stdout.write(`cyberkg: compiled src/ into dist/ in ${Math.round(performance.now() - started)} ms\n`);
}
