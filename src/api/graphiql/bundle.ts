/**
 * Builds the IDE bundle (GraphiQL + React from node_modules) with esbuild, in memory, on the first GET /graphql,
 * and caches it for the life of the process. Nothing is committed or fetched from a CDN: `npm ci` installs what
 * the bundle needs and this code produces it, so the IDE works on air-gapped machines.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface IdeBundle {
    js: string;
    css: string;
}

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), "entry.jsx");
let cached: Promise<IdeBundle> | undefined;

export function ideBundle(): Promise<IdeBundle> {
    cached ??= buildBundle().catch((error: unknown) => {
        cached = undefined; // let the next request try again
        throw error;
    });
    return cached;
}

async function buildBundle(): Promise<IdeBundle> {
    const result = await build({
        entryPoints: [ENTRY],
        bundle: true,
        write: false,
        minify: true,
        format: "iife",
        platform: "browser",
        target: ["es2020"],
        jsx: "automatic",
        outdir: "/ide", // virtual: write is false; names the .js and .css outputs
        loader: { ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".svg": "dataurl" },
        define: { "process.env.NODE_ENV": '"production"', global: "globalThis" },
        logLevel: "silent",
    });
    const js = result.outputFiles.find((f) => f.path.endsWith(".js"))?.text ?? "";
    const css = result.outputFiles.find((f) => f.path.endsWith(".css"))?.text ?? "";
    return { js, css };
}
